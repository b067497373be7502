"""Turning articles and event records into store rows: schemas, checks, the write plan."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pyarrow as pa

from ..errors import DyadeError
from ..model import Article, DateValue

logger = logging.getLogger(__name__)

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
    # schema version 2
    ("location_admin1", _STR, ("location", "admin1")),
    ("location_precision", _STR, ("location", "precision")),
    ("geonames_id", pa.int64(), ("location", "geonames_id")),
    ("merge_block", _STR, ()),
]
MENTION_SCHEMA = pa.schema([(name, type_) for name, type_, _ in MENTION_FIELDS])
# The flat mention columns of query_frame: everything but the JSON record and the merge key.
FLAT_COLUMNS = [name for name in MENTION_SCHEMA.names if name not in ("record", "merge_block")] + ["merged_event_id"]

_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


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


def merge_block(row: dict[str, Any]) -> str:
    """The blocking key of a mention: PLOVER type, the dyad's countries sorted, and the year.

    Only mentions of one block are ever compared when merging, so merging stays near-linear.
    """
    countries = sorted((row["source_country"] or "", row["target_country"] or ""))
    year = row["date_start"].year if row["date_start"] is not None else "-"
    return f"{row['plover_type'] or '-'}|{countries[0]}|{countries[1]}|{year}"


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
    row["merge_block"] = merge_block(row)
    return row


def _dump(record: dict[str, Any], event_id: str) -> str:
    """The record as JSON text; NaN and objects JSON cannot hold raise StoreError."""
    try:
        return json.dumps(record, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise StoreError(f"event {event_id}: the record cannot be written as JSON ({exc})") from exc


@dataclass
class Prepared:
    """One batch item checked and flattened, ready to be written."""

    article: dict[str, Any]
    mentions: list[dict[str, Any]]


def prepare(item: BatchItem, coder_version: str, now: dt.datetime) -> Prepared:
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
    return Prepared(row, list(mentions.values()))


def plan(prepared: list[Prepared], known: list[tuple[str, str, str]]) -> tuple[list[bool], list[Prepared]]:
    """Decide item by item, in order, what to write: unchanged and duplicate texts are skipped."""
    by_id: dict[str, tuple[str, str]] = {}
    by_hash: dict[str, set[str]] = {}
    for art_id, hash_, version in known:
        by_id[art_id] = (hash_, version)
        by_hash.setdefault(hash_, set()).add(art_id)
    written: list[bool] = []
    accepted: dict[str, Prepared] = {}
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


def columns(names: Sequence[str]) -> str:
    """A quoted SQL column list (`symmetric` is a reserved word); names come from our schemas only."""
    return ", ".join(f'"{name}"' for name in names)


def frame(rows: list[dict[str, Any]], schema: pa.Schema) -> pa.Table:
    """Rows as an Arrow table of the given schema; a value of the wrong type raises StoreError."""
    try:
        return pa.Table.from_pylist(rows, schema=schema)
    except (pa.ArrowException, TypeError, ValueError) as exc:
        raise StoreError(f"a record holds a value of the wrong type ({exc})") from exc
