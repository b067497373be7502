"""The embedded DuckDB store: articles, event mentions, and the real-world events they merge into."""

from __future__ import annotations

import datetime as dt
import gc
import json
import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from types import TracebackType
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa

from ..model import Article
from . import merge as merging
from .actors import fill_actor_keys
from .filters import EVENT_ORDER, Filters
from .rows import (
    ARTICLE_SCHEMA,
    FLAT_COLUMNS,
    MENTION_FIELDS,
    MENTION_SCHEMA,
    STATUSES,
    BatchItem,
    Prepared,
    ReadOnlyStoreError,
    StoreError,
    columns,
    frame,
    mention_row,
    merge_block,
    period,
    plan,
    prepare,
    text_hash,
)
from .shapes import EVENT_FIELDS, event_dict

logger = logging.getLogger(__name__)

SCHEMA_VERSION = 3

__all__ = [
    "ARTICLE_SCHEMA", "FLAT_COLUMNS", "MENTION_FIELDS", "MENTION_SCHEMA", "MIGRATIONS", "SCHEMA_VERSION", "STATUSES",
    "BatchItem", "ReadOnlyStoreError", "Store", "StoreError", "mention_row", "merge_block", "period", "text_hash",
]

# The physical order Store.optimize() gives each table: the date first (every query filters or sorts on it),
# then the dyad, then the key, so that a rewrite is deterministic.
_CLUSTER_ORDER = {
    "mentions": "date_start NULLS LAST, source_country, target_country, event_id",
    "events": "date_start NULLS LAST, source_country, target_country, event_id",
}

_VERSION_TABLE = "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at TIMESTAMP)"


class Store:
    """An embedded DuckDB file holding articles, event mentions and merged events."""

    def __init__(self, path: str | Path, read_only: bool = False) -> None:
        """Open (and, when writable, create and migrate) the store at `path`; `:memory:` works too."""
        self.path = str(path)
        self.read_only = read_only
        if not read_only and self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        try:
            self._con = duckdb.connect(self.path, read_only=read_only)
        except duckdb.Error as exc:
            raise StoreError(f"{self.path}: cannot open the store ({exc})") from exc
        try:
            self.migrate()
        except BaseException:
            self._con.close()
            raise

    def __enter__(self) -> Store:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection; committed data is already on disk."""
        self._con.close()

    # ---- schema -------------------------------------------------------------------------

    @property
    def version(self) -> int:
        """The schema version recorded in the store (0 for an empty file)."""
        exists = self._one("SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'main' AND table_name = 'schema_version'")
        if not exists[0]:
            return 0
        row = self._one("SELECT max(version) FROM schema_version")
        return int(row[0]) if row[0] is not None else 0

    def _one(self, sql: str, params: Sequence[Any] = ()) -> tuple[Any, ...]:
        """The single row of a query, fetched to the end (DuckDB keeps an unfinished result open)."""
        rows = self._con.execute(sql, list(params)).fetchall()
        if len(rows) != 1:
            raise StoreError(f"expected one row, got {len(rows)}: {sql}")
        return tuple(rows[0])

    def migrate(self) -> int:
        """Bring the schema up to SCHEMA_VERSION, one transaction per step; returns the version."""
        current = self.version
        if current > SCHEMA_VERSION:
            raise StoreError(f"{self.path}: schema version {current} is newer than this dyade ({SCHEMA_VERSION})")
        if current == SCHEMA_VERSION:
            return current
        if self.read_only:
            raise ReadOnlyStoreError(f"{self.path}: schema version {current} needs migrating; open it writable once")
        for version in range(current + 1, SCHEMA_VERSION + 1):
            with self._transaction():
                self._con.execute(_VERSION_TABLE)
                MIGRATIONS[version](self._con)
                self._con.execute("INSERT INTO schema_version VALUES (?, ?)", [version, _utcnow()])
            logger.info("%s: schema migrated to version %d", self.path, version)
        return SCHEMA_VERSION

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        """Run the block in one transaction: commit on success, roll back on any error."""
        self._con.begin()
        try:
            yield
        except BaseException:
            self._con.rollback()
            raise
        self._con.commit()

    def _check_writable(self) -> None:
        if self.read_only:
            raise ReadOnlyStoreError(f"{self.path}: the store is open read-only; open it with read_only=False to write")

    # ---- writing ------------------------------------------------------------------------

    def add_article(
        self,
        article: Article,
        records: list[dict[str, Any]],
        *,
        coder_version: str,
        status: str = "coded",
        skip_reason: str | None = None,
    ) -> bool:
        """Store one article and its event records in one transaction; True when something was written."""
        return self.add_batch([(article, records, status, skip_reason)], coder_version)[0]

    def add_batch(self, items: Sequence[BatchItem], coder_version: str, *, merge: bool = True) -> list[bool]:
        """Store (article, records, status, skip_reason) items in one transaction; one written flag per item.

        With merge=True the events of every block the batch touched are merged again in the same
        transaction; with merge=False those blocks are queued until `merge()` (faster bulk loads).
        """
        self._check_writable()
        now = _utcnow()
        prepared = [prepare(item, coder_version, now) for item in items]
        if not prepared:
            return []
        try:
            with self._transaction():
                known = self._known(prepared)
                written, accepted = plan(prepared, known)
                self._write(accepted)
                if merge:
                    self._merge_queued()
        except duckdb.Error as exc:
            raise StoreError(f"{self.path}: batch of {len(prepared)} articles not stored ({exc})") from exc
        logger.debug("stored %d of %d articles", sum(written), len(written))
        return written

    def merge(self, *, full: bool = False) -> int:
        """Merge the queued blocks (every mention with full=True) in one transaction; returns events written."""
        self._check_writable()
        try:
            with self._transaction():
                if not full:
                    return self._merge_queued()
                count = merging.rebuild(self._con, None)
                self._con.execute("DELETE FROM merge_queue")
                return count
        except duckdb.Error as exc:
            raise StoreError(f"{self.path}: events not merged ({exc})") from exc

    def optimize(self) -> dict[str, int]:
        """Rewrite the mentions and events tables in date order, in one transaction; returns the rows rewritten.

        DuckDB keeps the smallest and largest value of every column for each row group (zone maps) and
        skips the row groups a filter rules out. Mentions are stored in the order articles arrive, so a
        month's mentions are spread over every row group and a dyad + month query reads them all; sorted
        by date, one month lies in one or two row groups. Rows written later are appended unsorted:
        run this again after large loads (`dyade optimize`). Ids, rows and indexes are unchanged.
        """
        self._check_writable()
        counts: dict[str, int] = {}
        try:
            with self._transaction():
                for table, order in _CLUSTER_ORDER.items():
                    copy = f"_dyade_sorted_{table}"  # both names are constants of this module
                    self._con.execute(f"CREATE OR REPLACE TEMP TABLE {copy} AS SELECT * FROM {table}")
                    self._con.execute(f"DELETE FROM {table}")
                    self._con.execute(f"INSERT INTO {table} SELECT * FROM {copy} ORDER BY {order}")
                    counts[table] = int(self._one(f"SELECT count(*) FROM {copy}")[0])
                    self._con.execute(f"DROP TABLE {copy}")
        except duckdb.Error as exc:
            raise StoreError(f"{self.path}: tables not rewritten ({exc})") from exc
        try:
            self._con.execute("CHECKPOINT")  # write the sorted tables to the file now, not at close
        except duckdb.Error as exc:  # another open transaction: DuckDB checkpoints later
            logger.info("%s: no checkpoint after optimize (%s)", self.path, exc)
        logger.info("%s: rewrote %s in date order", self.path, counts)
        return counts

    def pending(self) -> int:
        """How many blocks wait for `merge()` (their merged events are out of date)."""
        return int(self._one("SELECT count(*) FROM merge_queue")[0])

    def _merge_queued(self) -> int:
        """Re-merge the queued blocks and empty the queue (inside the caller's transaction)."""
        blocks = [row[0] for row in self._con.execute("SELECT block FROM merge_queue ORDER BY block").fetchall()]
        count = merging.rebuild(self._con, blocks)
        self._con.execute("DELETE FROM merge_queue")
        return count

    def _known(self, prepared: list[Prepared]) -> list[tuple[str, str, str]]:
        """(id, text_hash, coder_version) of stored articles sharing an id or a text with the batch."""
        ids = [item.article["id"] for item in prepared]
        hashes = [item.article["text_hash"] for item in prepared]
        return self._con.execute(
            "SELECT id, text_hash, coder_version FROM articles "
            "WHERE id IN (SELECT unnest(?::VARCHAR[])) OR text_hash IN (SELECT unnest(?::VARCHAR[]))",
            [ids, hashes],
        ).fetchall()

    def _write(self, accepted: list[Prepared]) -> None:
        """Replace the accepted articles and their mentions, queueing the blocks they touch.

        An event_id already held by an article outside the batch, or by two articles of the batch,
        violates the primary key: the batch fails rather than move a mention between articles.
        """
        if not accepted:
            return
        ids = [item.article["id"] for item in accepted]
        mentions = [row for item in accepted for row in item.mentions]
        blocks = {row["merge_block"] for row in mentions}
        blocks.update(row[0] for row in self._con.execute(
            "SELECT DISTINCT merge_block FROM mentions WHERE article_id IN (SELECT unnest(?::VARCHAR[]))", [ids]
        ).fetchall())
        self._con.execute("DELETE FROM mentions WHERE article_id IN (SELECT unnest(?::VARCHAR[]))", [ids])
        self._con.execute("DELETE FROM articles WHERE id IN (SELECT unnest(?::VARCHAR[]))", [ids])
        self._insert("articles", frame([item.article for item in accepted], ARTICLE_SCHEMA))
        if mentions:
            self._insert("mentions", frame(mentions, MENTION_SCHEMA))
            fill_actor_keys(self._con)
        if blocks:
            self._con.execute("INSERT OR IGNORE INTO merge_queue SELECT unnest(?::VARCHAR[])", [sorted(blocks)])

    def _insert(self, table: str, rows: pa.Table) -> None:
        """Insert an Arrow table whose columns are named like the table's (table is a constant)."""
        view = f"_dyade_batch_{table}"
        self._con.register(view, rows)
        try:
            names = columns(rows.schema.names)
            self._con.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM {view}")
        finally:
            self._con.unregister(view)

    # ---- reading ------------------------------------------------------------------------

    def query_events(
        self,
        *,
        actor: str | None = None,
        dyad: tuple[str, str] | None = None,
        plover_type: str | None = None,
        since: str | None = None,
        until: str | None = None,
        include_negated: bool = True,
        limit: int | None = None,
    ) -> list[dict[str, Any]]:
        """The stored event records (mentions) matching every filter, ordered by date, article, event."""
        sql, params = Filters(actor, dyad, plover_type, since, until, include_negated, limit).select("record", "mentions")
        rows = self._con.execute(sql, params).fetchall()
        with _gc_paused():  # parsing many small dicts with the cyclic GC on takes twice as long
            return [json.loads(row[0]) for row in rows]

    def query_frame(
        self,
        *,
        actor: str | None = None,
        dyad: tuple[str, str] | None = None,
        plover_type: str | None = None,
        since: str | None = None,
        until: str | None = None,
        include_negated: bool = True,
        limit: int | None = None,
    ) -> pd.DataFrame:
        """The flat columns of the matching mentions as a pandas DataFrame, in query_events order."""
        filters = Filters(actor, dyad, plover_type, since, until, include_negated, limit)
        sql, params = filters.select(columns(FLAT_COLUMNS), "mentions")
        return self._con.execute(sql, params).df()

    def query_merged(
        self,
        *,
        actor: str | None = None,
        dyad: tuple[str, str] | None = None,
        plover_type: str | None = None,
        since: str | None = None,
        until: str | None = None,
        include_negated: bool = True,
        limit: int | None = None,
    ) -> list[dict[str, Any]]:
        """The merged events matching every filter (as query_events), with their mention counts."""
        filters = Filters(actor, dyad, plover_type, since, until, include_negated, limit)
        return [event_dict(row) for row in self._event_rows(filters)]

    def merged_frame(self, filters: Filters | None = None, *, where: str = "") -> pd.DataFrame:
        """The events table rows matching the filters as a DataFrame; `where` adds a constant SQL condition."""
        sql, params = self._events_sql(filters or Filters(), where)
        return self._con.execute(sql, params).df()

    def event(self, event_id: str) -> dict[str, Any] | None:
        """One merged event with all its mention records (with their evidence) and their articles; None if unknown."""
        rows = self._event_rows(Filters(), "event_id = ?", [event_id])
        if not rows:
            return None
        event = event_dict(rows[0])
        found = self._con.execute(
            "SELECT m.record, a.id, a.title, a.url, a.source, a.published FROM mentions AS m "
            "JOIN articles AS a ON a.id = m.article_id WHERE m.merged_event_id = ? "
            "ORDER BY a.published NULLS LAST, m.article_id, m.event_id",
            [event_id],
        ).fetchall()
        event["mentions"] = [json.loads(row[0]) for row in found]
        keys = ("id", "title", "url", "source", "published")
        event["articles"] = {row[1]: dict(zip(keys, row[1:])) for row in found}
        return event

    def _event_rows(self, filters: Filters, extra: str = "", extra_params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        """Rows of the events table as dicts of EVENT_FIELDS."""
        pending = self.pending()
        if pending:
            logger.warning("%s: %d block(s) not merged yet; run merge() for up-to-date events", self.path, pending)
        sql, params = self._events_sql(filters, extra, extra_params)
        return [dict(zip(EVENT_FIELDS, row)) for row in self._con.execute(sql, params).fetchall()]

    def _events_sql(self, filters: Filters, extra: str = "", extra_params: Sequence[Any] = ()) -> tuple[str, list[Any]]:
        """SELECT EVENT_FIELDS FROM events with the filters and a constant extra condition."""
        where, params = filters.sql(EVENT_ORDER, extra, extra_params)
        return f"SELECT {columns(EVENT_FIELDS)} FROM events{where}", params

    def execute(self, sql: str, params: Sequence[Any] = ()) -> duckdb.DuckDBPyConnection:
        """Run SQL on the store's connection (for the analyses and exports; never put user text in `sql`)."""
        return self._con.execute(sql, list(params))

    def stats(self) -> dict[str, int]:
        """Counts: articles (coded, skipped, total), mentions and merged events."""
        row = self._one(
            "SELECT count(*) FILTER (status = 'coded'), count(*) FILTER (status = 'skipped'), count(*), "
            "(SELECT count(*) FROM mentions), (SELECT count(*) FROM events) FROM articles"
        )
        keys = ("coded", "skipped", "articles", "mentions", "events")
        return {key: int(value) for key, value in zip(keys, row)}

    def articles(self, batch_size: int = 1000) -> Iterator[dict[str, Any]]:
        """Yield every article row as a dict, ordered by id."""
        cursor = self._con.cursor()
        try:
            cursor.execute(f"SELECT {columns(ARTICLE_SCHEMA.names)} FROM articles ORDER BY id")
            while rows := cursor.fetchmany(batch_size):
                for row in rows:
                    yield dict(zip(ARTICLE_SCHEMA.names, row))
        finally:
            cursor.close()


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for the block (JSON values hold no cycles)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _utcnow() -> dt.datetime:
    """The current UTC time, naive (DuckDB TIMESTAMP)."""
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


def _sql(name: str) -> str:
    """A packaged SQL file of this package."""
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


def _to_v1(con: duckdb.DuckDBPyConnection) -> None:
    """Version 1: articles, mentions, the events view (schema.sql)."""
    con.execute(_sql("schema.sql"))


def _to_v2(con: duckdb.DuckDBPyConnection) -> None:
    """Version 2: the merged events table (schema_v2.sql); fills the new mention columns, then merges."""
    con.execute(_sql("schema_v2.sql"))
    con.execute(
        "UPDATE mentions SET "
        "location_admin1 = json_extract_string(record, '$.location.admin1'), "
        "location_precision = json_extract_string(record, '$.location.precision'), "
        "geonames_id = try_cast(json_extract_string(record, '$.location.geonames_id') AS BIGINT)"
    )
    rows = con.execute(f"SELECT event_id, {columns(_BLOCK_INPUTS)} FROM mentions").fetchall()
    if rows:
        keys = pa.table({
            "event_id": [row[0] for row in rows],
            "merge_block": [merge_block(dict(zip(_BLOCK_INPUTS, row[1:]))) for row in rows],
        })
        con.register("_dyade_blocks", keys)
        try:
            con.execute("UPDATE mentions SET merge_block = b.merge_block FROM _dyade_blocks AS b "
                        "WHERE mentions.event_id = b.event_id")
        finally:
            con.unregister("_dyade_blocks")
    merging.rebuild(con, None)


_BLOCK_INPUTS = ("plover_type", "source_country", "target_country", "date_start")


def _to_v3(con: duckdb.DuckDBPyConnection) -> None:
    """Version 3: integer actor keys on mentions (schema_v3.sql), filled for every stored mention."""
    con.execute(_sql("schema_v3.sql"))
    fill_actor_keys(con)


# Version N is reached by MIGRATIONS[N] from version N-1; add `4: _to_v4` for the next schema.
MIGRATIONS: dict[int, Callable[[duckdb.DuckDBPyConnection], None]] = {1: _to_v1, 2: _to_v2, 3: _to_v3}
