"""Event records and article metadata held in memory as GET /events lists them: most pages need no query.

Fetching a page's records from DuckDB costs 2-5 ms of CPU; assembling the page from this cache a
few microseconds per record. The cache is keyed by rowid, which the in-memory index hands out: both
belong to one state of the store (WebDB.View) and are replaced together after every write, so a
stale record is never served. Its size is bounded in bytes (least recently used records go first).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

import duckdb
import numpy as np
import numpy.typing as npt

from . import jsontext

ARTICLE_CACHE = 100_000  # article metadata entries kept in memory (about 300 bytes each)
ARTICLE_KEYS = ("id", "title", "source", "published", "url")
FILL_CHUNK = 8192  # rows read at a time when filling the cache
_ABSENT = object()  # not in the article cache (None there: no such article)
OVERHEAD = 250  # bytes of Python objects around each cached record (tuple, int key, dict slot, headers)


class Record(NamedTuple):
    """One mention as GET /events lists it."""

    event_id: str
    article_id: str
    item: bytes  # the stored JSON record with n_mentions and merged_event_id added
    words: str | None  # lower(evidence_text), as DuckDB's ILIKE compares it (q)

    def size(self) -> int:
        """Approximate bytes held."""
        return OVERHEAD + len(self.item) + len(self.event_id) + len(self.article_id) + len(self.words or "")


class RecordCache:
    """rowid -> Record, the first loaded first out once `max_bytes` is reached (thread-safe).

    Not least recently used: marking each record of each page as used cost more than the rest of
    the lookup.
    """

    def __init__(self, max_bytes: int) -> None:
        """An empty cache holding at most about `max_bytes` (0: holds nothing)."""
        self.max_bytes = max_bytes
        self.nbytes = 0
        self._records: OrderedDict[int, Record] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._records)

    def get_many(self, rows: list[int]) -> list[Record | None]:
        """The records of these rowids (None where not cached)."""
        get = self._records.get
        with self._lock:
            return [get(row) for row in rows]

    def put_many(self, records: dict[int, Record], *, evict: bool = True) -> None:
        """Add records, dropping the oldest beyond the size bound (or, without `evict`, those that do not fit)."""
        with self._lock:
            for row, record in records.items():
                if not evict and self.nbytes + record.size() > self.max_bytes:
                    break
                old = self._records.pop(row, None)
                if old is not None:
                    self.nbytes -= old.size()
                self._records[row] = record
                self.nbytes += record.size()
            while self.nbytes > self.max_bytes and self._records:
                _, dropped = self._records.popitem(last=False)
                self.nbytes -= dropped.size()


class ArticleCache:
    """Article id -> its `"id":{title, source, ...}` JSON text in a page's `articles` (None: no such article).

    Bounded by ARTICLE_CACHE entries; the oldest go first. Single reads need no lock (they are
    atomic under the GIL), so the event loop reads it while a worker thread adds to it.
    """

    def __init__(self, max_entries: int = ARTICLE_CACHE) -> None:
        """An empty cache."""
        self.max_entries = max_entries
        self._entries: OrderedDict[str, bytes | None] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def missing(self, ids: set[str]) -> list[str]:
        """The ids not cached, sorted."""
        return sorted(i for i in ids if i not in self._entries)

    def json(self, ids: set[str]) -> bytes:
        """The `articles` object of a page citing these articles (ids the cache lacks are left out)."""
        entries = self._entries
        parts = [entries.get(i) for i in sorted(ids)]
        return b"{" + b",".join(part for part in parts if part is not None) + b"}"

    def cached_json(self, ids: set[str]) -> bytes | None:
        """json(), in one pass: None when one of the articles is not cached."""
        entries: Mapping[str, object] = self._entries
        parts: list[bytes] = []
        for i in sorted(ids):
            part = entries.get(i, _ABSENT)
            if part is _ABSENT:
                return None
            if isinstance(part, bytes):
                parts.append(part)
        return b"{" + b",".join(parts) + b"}"

    def fetch(self, cur: duckdb.DuckDBPyConnection, ids: list[str]) -> None:
        """Read these articles' metadata from the store (an IN list finds ids by the primary key faster than ANY)."""
        for start in range(0, len(ids), 1000):
            some = ids[start:start + 1000]
            found = self._read(cur, f"WHERE id IN ({', '.join('?' * len(some))})", some)
            self._put({article_id: found.get(article_id) for article_id in some})

    def fill(self, cur: duckdb.DuckDBPyConnection) -> None:
        """Read the metadata of up to max_entries articles."""
        self._put(self._read(cur, "LIMIT ?", [self.max_entries]))

    @staticmethod
    def _read(cur: duckdb.DuckDBPyConnection, clause: str, params: list[Any]) -> dict[str, bytes]:
        """id -> JSON text of the articles `clause` (a constant of this module) selects."""
        rows = cur.execute(f"SELECT {', '.join(ARTICLE_KEYS)} FROM articles {clause}", params).fetchall()
        return {row[0]: jsontext.dumps(row[0]) + b":" + jsontext.dumps(dict(zip(ARTICLE_KEYS, row))) for row in rows}

    def _put(self, entries: Mapping[str, bytes | None]) -> None:
        """Add entries, dropping the oldest beyond the bound."""
        with self._lock:
            self._entries.update(entries)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)


def fill(cache: RecordCache, cur: duckdb.DuckDBPyConnection, merged: bool, row_ids: npt.NDArray[np.int64],
         going: Callable[[], bool]) -> None:
    """Load the records of `row_ids` into `cache` by ranges of rowids, until it is full or `going()` is false.

    A range of rowids is read in one pass over the table's blocks; scattered rowids cost DuckDB
    about 0.1 ms each (it decompresses the block around each), 15 times more per record.
    """
    ordered = np.sort(row_ids)
    for start in range(0, len(ordered), FILL_CHUNK):
        if not going() or cache.nbytes >= cache.max_bytes:
            return
        block = ordered[start:start + FILL_CHUNK]
        records = _read(cur, "rowid BETWEEN ? AND ?", [int(block[0]), int(block[-1])], merged)
        cache.put_many(records, evict=False)


def fetch(cur: duckdb.DuckDBPyConnection, rows: list[int], merged: bool) -> dict[int, Record]:
    """The records of these rowids, read from the store (rowids no longer there are left out)."""
    if not rows:
        return {}
    return _read(cur, "rowid = ANY(?)", [rows], merged)


def _read(cur: duckdb.DuckDBPyConnection, where: str, params: list[Any], merged: bool) -> dict[int, Record]:
    """The records of the mentions matching `where` (a constant of this module), by rowid."""
    link = "merged_event_id" if merged else "NULL"
    found = cur.execute(
        f"SELECT rowid, event_id, article_id, record, {link}, lower(evidence_text) FROM mentions WHERE {where}",
        params,
    ).fetchall()
    counts = _merged_counts(cur, sorted({row[4] for row in found if row[4] is not None}))
    return {int(row_id): Record(event_id, article_id, with_counts(record, counts.get(link_id) or 1, link_id), words)
            for row_id, event_id, article_id, record, link_id, words in found}


def with_counts(record: str, n_mentions: int, merged_event_id: str | None) -> bytes:
    """A record's JSON text with n_mentions and merged_event_id added, without parsing it again."""
    body = record.rstrip()
    if not body.endswith("}"):
        raise ValueError("a stored record is not a JSON object")
    comma = "," if body[:-1].strip() != "{" else ""
    tail = f'"n_mentions":{int(n_mentions)},"merged_event_id":'.encode() + jsontext.dumps(merged_event_id)
    return body[:-1].encode("utf-8") + comma.encode() + tail + b"}"


def _merged_counts(cur: Any, merged: list[str]) -> dict[str, int]:
    """merged event id -> its number of mentions."""
    if not merged:
        return {}
    return dict(cur.execute(
        f"SELECT event_id, n_mentions FROM events WHERE event_id IN ({', '.join('?' * len(merged))})", merged
    ).fetchall())
