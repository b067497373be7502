"""The embedded event store (DuckDB): articles, event mentions and the real-world events they merge into."""

from .duckdb import SCHEMA_VERSION, ReadOnlyStoreError, Store, StoreError
from .filters import Filters

__all__ = ["SCHEMA_VERSION", "Filters", "ReadOnlyStoreError", "Store", "StoreError"]
