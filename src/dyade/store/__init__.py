"""The embedded event store (DuckDB): articles, event mentions and the `events` they describe."""

from .duckdb import SCHEMA_VERSION, ReadOnlyStoreError, Store, StoreError

__all__ = ["SCHEMA_VERSION", "ReadOnlyStoreError", "Store", "StoreError"]
