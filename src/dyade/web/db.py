"""The web server's hold on the store: one Store for writes, one DuckDB cursor per worker thread for reads."""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

import duckdb

from ..store import Store
from ..store.actors import ActorKeys
from . import texts
from .index import EventIndex

logger = logging.getLogger(__name__)


class WebDB:
    """An open store as the API uses it: thread-local read cursors, a lock around writes."""

    def __init__(self, path: str | Path, *, read_only: bool = True, threads: int | None = None) -> None:
        """Open (and migrate, when writable) the store at `path`.

        `threads` caps DuckDB's threads for this database instance. The server runs many small
        queries at once, one per request thread: with a single DuckDB thread each query runs in the
        request's own thread, instead of each one also waking a pool of workers that compete for the
        same cores.
        """
        self.path = str(path)
        self.read_only = read_only
        self.store = Store(self.path, read_only=read_only)
        # Same path and configuration as the Store: DuckDB hands back the same database instance.
        self._con = duckdb.connect(self.path, read_only=read_only)
        if threads is not None:
            if threads < 1:
                raise ValueError(f"threads must be 1 or more, not {threads}")
            self._con.execute(f"SET threads = {int(threads)}")
        self._local = threading.local()
        self._cursors: list[duckdb.DuckDBPyConnection] = []
        self._cursors_lock = threading.Lock()
        self.write_lock = threading.Lock()
        self.article_cache: dict[str, dict[str, Any]] = {}  # id -> title, source, ...; emptied on writes
        self.actor_keys = ActorKeys.load(self._con)
        self.index = EventIndex(self._con, self.actor_keys)
        if not read_only:
            texts.ensure_table(self._con)
        self.has_texts = _is_table(self._con, "article_texts")
        # Events are listed mention by mention (the record, evidence and offsets live there); when the
        # store merges mentions into events (schema 2), each mention links to its merged event.
        self.merged = "merged_event_id" in _columns(self._con, "mentions") and \
            {"event_id", "n_mentions"} <= _columns(self._con, "events")
        logger.info("%s: serving (merged events: %s, article texts: %s)", self.path, self.merged, self.has_texts)

    def written(self) -> None:
        """Forget what a write may have changed: cached articles, actor keys, the index (call under write_lock)."""
        self.article_cache.clear()
        self.actor_keys = ActorKeys.load(self.cursor())
        self.index = EventIndex(self.cursor(), self.actor_keys)

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """This thread's cursor (DuckDB connections must not be shared between threads)."""
        cur = getattr(self._local, "cursor", None)
        if cur is None:
            cur = self._con.cursor()
            self._local.cursor = cur
            with self._cursors_lock:
                self._cursors.append(cur)
        return cur

    def close(self) -> None:
        """Close every cursor, the read connection and the store."""
        with self._cursors_lock:
            for cur in self._cursors:
                cur.close()
            self._cursors.clear()
        self._con.close()
        self.store.close()


def _is_table(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    """True when the main schema has a table (not a view) called `name`."""
    row = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'main' AND table_name = ?", [name]
    ).fetchone()
    return bool(row and row[0])


def _columns(con: duckdb.DuckDBPyConnection, relation: str) -> frozenset[str]:
    """The column names of a table or view in the main schema (empty when it does not exist)."""
    rows = con.execute(
        "SELECT column_name FROM duckdb_columns() WHERE schema_name = 'main' AND table_name = ?", [relation]
    ).fetchall()
    return frozenset(row[0] for row in rows)
