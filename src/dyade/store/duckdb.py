"""The embedded DuckDB store: articles, event mentions and the `events` view over them."""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import json
import logging
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from types import TracebackType
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa

from ..errors import DyadeError
from ..model import Article, DateValue

logger = logging.getLogger(__name__)

SCHEMA_VERSION = 1
STATUSES = ("coded", "skipped")

BatchItem = tuple[Article, list[dict[str, Any]], str, str | None]

ARTICLE_SCHEMA = pa.schema(
    [(name, pa.string()) for name in ("id", "url", "source", "title", "published", "text_hash")]
    + [("n_chars", pa.int32())]
    + [(name, pa.string()) for name in ("language", "status", "skip_reason", "coder_version", "origin")]
    + [("ingested_at", pa.timestamp("us"))]
)

_STR, _INT, _FLOAT, _BOOL = pa.string(), pa.int32(), pa.float64(), pa.bool_()
# (column, Arrow type, path in the record); computed columns have no path.
MENTION_FIELDS: list[tuple[str, pa.DataType, tuple[str, ...]]] = [
    *[(name, _STR, (name,)) for name in ("event_id", "article_id", "event_date", "date_precision")],
    ("date_start", pa.date32(), ()),
    ("date_end", pa.date32(), ()),
    ("plover_type", _STR, ("plover", "type")),
    ("plover_mode", _STR, ("plover", "mode")),
    ("cameo_code", _STR, ("cameo", "code")),
    ("cameo_root", _STR, ("cameo", "root")),
    ("quad_class", pa.int8(), ("cameo", "quad_class")),
    ("goldstein", _FLOAT, ("cameo", "goldstein")),
    *[(f"source_{part}", _STR, ("source", part)) for part in ("code", "country", "sector", "name")],
    *[(f"target_{part}", _STR, ("target", part)) for part in ("code", "country", "sector", "name")],
    ("symmetric", _BOOL, ("symmetric",)),
    ("negated", _BOOL, ("negated",)),
    ("modality", _STR, ("modality",)),
    ("background", _BOOL, ("background",)),
    ("fatalities", _INT, ("fatalities",)),
    ("location_name", _STR, ("location", "name")),
    ("location_country", _STR, ("location", "country")),
    ("lat", _FLOAT, ("location", "lat")),
    ("lon", _FLOAT, ("location", "lon")),
    ("reported_by_code", _STR, ("reported_by", "code")),
    ("evidence_text", _STR, ("evidence", "text")),
    ("evidence_start", _INT, ("evidence", "start")),
    ("evidence_end", _INT, ("evidence", "end")),
    ("rule", _STR, ("rule",)),
    ("confidence", _FLOAT, ("confidence",)),
    ("record", _STR, ()),
]
MENTION_SCHEMA = pa.schema([(name, type_) for name, type_, _ in MENTION_FIELDS])
FLAT_COLUMNS = [name for name in MENTION_SCHEMA.names if name != "record"]

_VERSION_TABLE = "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at TIMESTAMP)"
_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
# One side of an actor match: the side name is one of two constants, never user input.
_SIDE_MATCH = "({side}_country = ? OR starts_with({side}_code, ?))"


class StoreError(DyadeError):
    """A store that cannot be opened, written or queried as asked."""


class ReadOnlyStoreError(StoreError):
    """A write attempted on a store opened with read_only=True."""


def text_hash(text: str) -> str:
    """The sha256 of the text with its whitespace normalised: the key for duplicate texts."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()


def period(value: str) -> tuple[dt.date, dt.date]:
    """The first and last day covered by `YYYY`, `YYYY-MM` or `YYYY-MM-DD`."""
    match = _DATE_RE.match(value)
    if not match:
        raise StoreError(f"not a date (YYYY, YYYY-MM or YYYY-MM-DD): {value!r}")
    year, month, day = (int(part) if part else None for part in match.groups())
    assert year is not None
    try:
        date = DateValue.of(year, month, day)
        return date.first_day(), date.last_day()
    except ValueError as exc:
        raise StoreError(f"not a valid date: {value!r} ({exc})") from exc


def _get(record: dict[str, Any], path: tuple[str, ...]) -> Any:
    """The value at `path` in the record, or None when any step is null or missing."""
    value: Any = record
    for key in path:
        value = value.get(key) if isinstance(value, dict) else None
    return value


def mention_row(record: dict[str, Any], article_id: str) -> dict[str, Any]:
    """Flatten one event record into a `mentions` row; raises StoreError when it is unusable."""
    event_id = record.get("event_id")
    if not isinstance(event_id, str) or not event_id:
        raise StoreError(f"article {article_id}: event record without an event_id")
    if record.get("article_id", article_id) != article_id:
        raise StoreError(f"event {event_id}: article_id {record.get('article_id')!r} is not {article_id!r}")
    event_date = record.get("event_date")
    if event_date is not None and not isinstance(event_date, str):
        raise StoreError(f"event {event_id}: event_date must be a string, not {event_date!r}")
    row = {name: _get(record, path) for name, _, path in MENTION_FIELDS if path}
    row["article_id"] = article_id
    row["date_start"], row["date_end"] = period(event_date) if event_date else (None, None)
    for flag in ("symmetric", "negated", "background"):
        row[flag] = bool(row[flag])
    row["record"] = _dump(record, event_id)
    return row


def _dump(record: dict[str, Any], event_id: str) -> str:
    """The record as JSON text; NaN and objects JSON cannot hold raise StoreError."""
    try:
        return json.dumps(record, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise StoreError(f"event {event_id}: the record cannot be written as JSON ({exc})") from exc


@dataclass
class _Prepared:
    """One batch item checked and flattened, ready to be written."""

    article: dict[str, Any]
    mentions: list[dict[str, Any]]


def _prepare(item: BatchItem, coder_version: str, now: dt.datetime) -> _Prepared:
    """Check one batch item and build its article row and mention rows."""
    article, records, status, skip_reason = item
    if status not in STATUSES:
        raise StoreError(f"article {article.id}: status must be one of {STATUSES}, not {status!r}")
    if status == "skipped" and records:
        raise StoreError(f"article {article.id}: a skipped article cannot have events")
    row = {
        "id": article.id,
        "url": article.url,
        "source": article.source,
        "title": article.title,
        "published": article.published,
        "text_hash": text_hash(article.text),
        "n_chars": len(article.text),
        "language": getattr(article, "language", None),  # Article may carry it in a later version
        "status": status,
        "skip_reason": skip_reason,
        "coder_version": coder_version,
        "origin": article.origin or None,
        "ingested_at": now,
    }
    mentions: dict[str, dict[str, Any]] = {}
    for record in records:
        mention = mention_row(record, article.id)
        if mention["event_id"] in mentions:
            logger.warning("article %s: event_id %s given twice, keeping the last", article.id, mention["event_id"])
        mentions[mention["event_id"]] = mention
    return _Prepared(row, list(mentions.values()))


class Store:
    """An embedded DuckDB file holding articles, event mentions and events."""

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
        exists = self._con.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'main' AND table_name = 'schema_version'"
        ).fetchone()
        if not exists or not exists[0]:
            return 0
        row = self._con.execute("SELECT max(version) FROM schema_version").fetchone()
        return int(row[0]) if row and row[0] is not None else 0

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

    def add_batch(self, items: Sequence[BatchItem], coder_version: str) -> list[bool]:
        """Store (article, records, status, skip_reason) items in one transaction; one written flag per item."""
        self._check_writable()
        now = _utcnow()
        prepared = [_prepare(item, coder_version, now) for item in items]
        if not prepared:
            return []
        try:
            with self._transaction():
                known = self._known(prepared)
                written, accepted = _plan(prepared, known)
                self._write(accepted)
        except duckdb.Error as exc:
            raise StoreError(f"{self.path}: batch of {len(prepared)} articles not stored ({exc})") from exc
        logger.debug("stored %d of %d articles", sum(written), len(written))
        return written

    def _known(self, prepared: list[_Prepared]) -> list[tuple[str, str, str]]:
        """(id, text_hash, coder_version) of stored articles sharing an id or a text with the batch."""
        ids = [item.article["id"] for item in prepared]
        hashes = [item.article["text_hash"] for item in prepared]
        return self._con.execute(
            "SELECT id, text_hash, coder_version FROM articles "
            "WHERE id IN (SELECT unnest(?::VARCHAR[])) OR text_hash IN (SELECT unnest(?::VARCHAR[]))",
            [ids, hashes],
        ).fetchall()

    def _write(self, accepted: list[_Prepared]) -> None:
        """Replace the accepted articles and their mentions (inside the caller's transaction).

        An event_id already held by an article outside the batch, or by two articles of the batch,
        violates the primary key: the batch fails rather than move a mention between articles.
        """
        if not accepted:
            return
        ids = [item.article["id"] for item in accepted]
        mentions = [row for item in accepted for row in item.mentions]
        self._con.execute("DELETE FROM mentions WHERE article_id IN (SELECT unnest(?::VARCHAR[]))", [ids])
        self._con.execute("DELETE FROM articles WHERE id IN (SELECT unnest(?::VARCHAR[]))", [ids])
        self._insert("articles", _frame([item.article for item in accepted], ARTICLE_SCHEMA))
        if mentions:
            self._insert("mentions", _frame(mentions, MENTION_SCHEMA))

    def _insert(self, table: str, frame: pa.Table) -> None:
        """Insert an Arrow table whose columns are named like the table's (table is a constant)."""
        view = f"_dyade_batch_{table}"
        self._con.register(view, frame)
        try:
            columns = _columns(frame.schema.names)
            self._con.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {view}")
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
        """The stored event records matching every filter given, ordered by date, article, event."""
        where, params = _filters(actor, dyad, plover_type, since, until, include_negated, limit)
        rows = self._con.execute(f"SELECT record FROM events{where}", params).fetchall()
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
        """The flat columns of the matching events as a pandas DataFrame, in query_events order."""
        where, params = _filters(actor, dyad, plover_type, since, until, include_negated, limit)
        columns = _columns(FLAT_COLUMNS)
        return self._con.execute(f"SELECT {columns} FROM events{where}", params).df()

    def stats(self) -> dict[str, int]:
        """Counts: articles (coded, skipped, total), mentions and events."""
        row = self._con.execute(
            "SELECT count(*) FILTER (status = 'coded'), count(*) FILTER (status = 'skipped'), count(*), "
            "(SELECT count(*) FROM mentions), (SELECT count(*) FROM events) FROM articles"
        ).fetchone()
        assert row is not None
        keys = ("coded", "skipped", "articles", "mentions", "events")
        return {key: int(value) for key, value in zip(keys, row)}

    def articles(self, batch_size: int = 1000) -> Iterator[dict[str, Any]]:
        """Yield every article row as a dict, ordered by id."""
        cursor = self._con.cursor()
        try:
            cursor.execute(f"SELECT {_columns(ARTICLE_SCHEMA.names)} FROM articles ORDER BY id")
            while rows := cursor.fetchmany(batch_size):
                for row in rows:
                    yield dict(zip(ARTICLE_SCHEMA.names, row))
        finally:
            cursor.close()


def _plan(prepared: list[_Prepared], known: list[tuple[str, str, str]]) -> tuple[list[bool], list[_Prepared]]:
    """Decide item by item, in order, what to write: unchanged and duplicate texts are skipped."""
    by_id: dict[str, tuple[str, str]] = {}
    by_hash: dict[str, set[str]] = {}
    for art_id, hash_, version in known:
        by_id[art_id] = (hash_, version)
        by_hash.setdefault(hash_, set()).add(art_id)
    written: list[bool] = []
    accepted: dict[str, _Prepared] = {}
    for item in prepared:
        art_id, hash_, version = (item.article[key] for key in ("id", "text_hash", "coder_version"))
        old = by_id.get(art_id)
        if old == (hash_, version):
            logger.debug("article %s: unchanged, not stored again", art_id)
            written.append(False)
            continue
        others = by_hash.get(hash_, set()) - {art_id}
        if others:
            logger.info("article %s: same text as %s, skipped as a duplicate", art_id, min(others))
            written.append(False)
            continue
        if old is not None:
            by_hash[old[0]].discard(art_id)
        by_id[art_id] = (hash_, version)
        by_hash.setdefault(hash_, set()).add(art_id)
        accepted[art_id] = item  # a later item with the same id in this batch replaces an earlier one
        written.append(True)
    return written, list(accepted.values())


def _filters(  # the keyword filters of query_events, in order
    actor: str | None, dyad: tuple[str, str] | None, plover_type: str | None, since: str | None,
    until: str | None, include_negated: bool, limit: int | None,
) -> tuple[str, list[Any]]:
    """The WHERE, ORDER BY and LIMIT clauses with their parameters (values never enter the SQL text)."""
    clauses: list[str] = []
    params: list[Any] = []

    def side(name: str, code: str) -> str:
        params.extend([code, code])
        return _SIDE_MATCH.format(side=name)

    if actor is not None:
        code = _code(actor)
        clauses.append(f"({side('source', code)} OR {side('target', code)})")
    if dyad is not None:
        if len(dyad) != 2:
            raise StoreError(f"a dyad is two actors, not {dyad!r}")
        one, two = _code(dyad[0]), _code(dyad[1])
        forward = f"{side('source', one)} AND {side('target', two)}"
        backward = f"{side('source', two)} AND {side('target', one)}"
        clauses.append(f"(({forward}) OR ({backward}))")
    if plover_type is not None:
        clauses.append("plover_type = ?")
        params.append(plover_type.strip().upper())
    if since is not None:
        clauses.append("date_end >= ?")  # the event's period ends on or after the first day of `since`
        params.append(period(since)[0])
    if until is not None:
        clauses.append("date_start <= ?")  # the event's period starts on or before the last day of `until`
        params.append(period(until)[1])
    if not include_negated:
        clauses.append("NOT negated")
    sql = (" WHERE " + " AND ".join(clauses)) if clauses else ""
    sql += " ORDER BY event_date NULLS LAST, article_id, event_id"
    if limit is not None:
        if limit < 0:
            raise StoreError(f"limit must be 0 or more, not {limit}")
        sql += " LIMIT ?"
        params.append(limit)
    return sql, params


def _code(actor: str) -> str:
    """An actor filter value, upper-cased; empty values are refused (they would match everything)."""
    code = actor.strip().upper()
    if not code:
        raise StoreError("an actor filter cannot be empty")
    return code


def _columns(names: Sequence[str]) -> str:
    """A quoted SQL column list (`symmetric` is a reserved word); names come from our schemas only."""
    return ", ".join(f'"{name}"' for name in names)


def _frame(rows: list[dict[str, Any]], schema: pa.Schema) -> pa.Table:
    """Rows as an Arrow table of the given schema; a value of the wrong type raises StoreError."""
    try:
        return pa.Table.from_pylist(rows, schema=schema)
    except (pa.ArrowException, TypeError, ValueError) as exc:
        raise StoreError(f"a record holds a value of the wrong type ({exc})") from exc


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


def _to_v1(con: duckdb.DuckDBPyConnection) -> None:
    """Version 1: articles, mentions, the events view (schema.sql)."""
    con.execute(resources.files(__package__).joinpath("schema.sql").read_text(encoding="utf-8"))


# Version N is reached by MIGRATIONS[N] from version N-1; add `2: _to_v2` for the next schema.
MIGRATIONS: dict[int, Callable[[duckdb.DuckDBPyConnection], None]] = {1: _to_v1}
