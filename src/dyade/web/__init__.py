"""The REST API and dashboard (`dyade serve`): FastAPI over the DuckDB store, static assets bundled."""

from .app import ServeConfig, create_app

__all__ = ["ServeConfig", "create_app"]
