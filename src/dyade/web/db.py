"""The web server's hold on the store: one Store for writes, one DuckDB cursor per worker thread for reads."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from ..store import Store
from ..store.actors import ActorKeys
from . import texts
from .index import EventIndex
from .records import ArticleCache, RecordCache, fill

logger = logging.getLogger(__name__)
RECORD_CACHE_MB = 256  # records of GET /events held in memory per server process (about 1.6 kB each)


@dataclass(frozen=True)
class View:
    """What the server holds in memory for one state of the store, replaced whole after each write.

    A request takes the view once: its index rowids and the cached records always come from the
    same state of the store, even when a write lands while it runs.
    """

    keys: ActorKeys
    index: EventIndex
    records: RecordCache
    articles: ArticleCache = field(default_factory=ArticleCache)
    lowered: dict[str, str] = field(default_factory=dict)  # q -> lower(q), as DuckDB's ILIKE compares it


class WebDB:
    """An open store as the API uses it: thread-local read cursors, a lock around writes."""

    def __init__(self, path: str | Path, *, read_only: bool = True, threads: int | None = None,
                 record_cache_mb: float = RECORD_CACHE_MB) -> None:
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
        if not read_only:
            texts.ensure_table(self._con)
        self.has_texts = _is_table(self._con, "article_texts")
        # Events are listed mention by mention (the record, evidence and offsets live there); when the
        # store merges mentions into events (schema 2), each mention links to its merged event.
        self.merged = "merged_event_id" in _columns(self._con, "mentions") and \
            {"event_id", "n_mentions"} <= _columns(self._con, "events")
        self.record_cache_bytes = int(record_cache_mb * 1024 * 1024)
        self._closed = False
        self._filler: threading.Thread | None = None
        self.view = self._load(self._con)
        logger.info("%s: serving (merged events: %s, article texts: %s)", self.path, self.merged, self.has_texts)

    def load_records(self) -> None:
        """Fill the record cache now (the server does before serving: the first pages need no DuckDB query)."""
        self._fill(self.view)
        logger.info("%s: %d records in memory (%.0f MB)", self.path, len(self.view.records),
                    self.view.records.nbytes / 2**20)

    @property
    def actor_keys(self) -> ActorKeys:
        """The actor keys of the current view."""
        return self.view.keys

    @property
    def index(self) -> EventIndex:
        """The in-memory index of the current view."""
        return self.view.index

    def written(self) -> None:
        """Forget what a write may have changed: a new view, its records loaded in the background (under write_lock)."""
        self.view = self._load(self.cursor())
        if self._filler is not None:
            self._filler.join()  # it stops at its next chunk: its view is no longer the current one
        self._filler = threading.Thread(target=self._fill, args=(self.view,), name="dyade-record-fill", daemon=True)
        self._filler.start()

    def _fill(self, view: View) -> None:
        """Load records into the view's cache, in rowid order, until it is full or the view is replaced."""
        try:
            view.articles.fill(self.cursor())
            fill(view.records, self.cursor(), self.merged, view.index.row_id,
                 lambda: self.view is view and not self._closed)
        except duckdb.Error as exc:  # the cache fills on demand instead
            logger.warning("%s: records not loaded into memory (%s)", self.path, exc)

    def _load(self, con: duckdb.DuckDBPyConnection) -> View:
        """Actor keys and index read from the store, empty caches."""
        keys = ActorKeys.load(con)
        return View(keys, EventIndex(con, keys), RecordCache(self.record_cache_bytes))

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
        """Stop loading records; close every cursor, the read connection and the store."""
        self._closed = True
        if self._filler is not None:
            self._filler.join()
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
