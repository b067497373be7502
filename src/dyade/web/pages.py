"""Pages of GET /events: rows from the in-memory index, records from the record cache, DuckDB for the rest.

A page is made in two steps. prepare() does what memory allows, in the server's event loop: the
index finds the page's rows (`q` included, by scanning the cached sentences of the rows the other
filters keep) and the caches hold their records and articles. fetch() does what needs DuckDB, in a
worker thread, only when prepare() could not finish: a cursor's position, records and articles not
cached yet, and `q` over more rows than WORD_SCAN (or whose sentences are not cached). render()
writes the JSON text.
"""

from __future__ import annotations

from typing import Any

import duckdb

from . import jsontext, records
from .db import View, WebDB
from .filters import (
    TOP_ORDER,
    EventFilter,
    Sort,
    decode_cursor,
    encode_cursor,
    page_clause,
)
from .records import Record

WORD_SCAN = 5_000  # `q` is tested in memory on at most this many rows kept by the other filters; beyond, in SQL
WORD_FETCH = 512  # records a `q` scan may fetch from DuckDB before leaving the page to SQL
CHUNK = 128  # rows whose sentences are tested at a time


class EventPage:
    """One page of event mentions, as JSON text: items, the articles they come from, next_cursor."""

    def __init__(self, db: WebDB, f: EventFilter, sort: Sort, cursor: str | None, limit: int, total: bool) -> None:
        """Check the cursor (a BadRequest when it is not one of this sort's)."""
        self.db = db
        self.view: View = db.view  # one state of the store for the whole page
        self.f, self.sort, self.limit, self.total = f, sort, limit, total
        self.after = decode_cursor(cursor, sort) if cursor else None
        self.found: list[tuple[int, Any]] | None = None  # (rowid, sort key) of up to limit + 1 rows, in order
        self.index_keys = False  # found holds the index's sort keys (EventIndex.sort_value), not SQL's
        self.count: int | None = None
        self.records: dict[int, Record] = {}
        self.articles: bytes | None = None  # the page's `articles` JSON, when prepare() found every one cached

    def prepare(self) -> bool:
        """Find the rows, records and articles in memory; False when fetch() must be called before render()."""
        if self.after is None:
            self._find(None, None)
        if self.found is None:
            return False
        self._cached_records()
        if len(self.records) < len(self.found) and self._missing_records():
            return False
        self.articles = self.view.articles.cached_json({record.article_id for _, record in self._rows()[0]})
        return self.articles is not None

    def fetch(self) -> None:
        """What prepare() left: the rows, records and articles DuckDB holds (blocking: run it in a thread)."""
        cur = self.db.cursor()
        if self.found is None:
            index = self.view.index
            position = index.position(cur, self.sort, *self.after) if self.after else None
            self._find(cur, position)
            self._cached_records()
        missing = self._missing_records()
        if missing:
            fetched = records.fetch(cur, missing, self.db.merged)
            self.view.records.put_many(fetched)
            self.records.update(fetched)
        missing_articles = self._missing_articles()
        if missing_articles:
            self.view.articles.fetch(cur, missing_articles)

    def render(self) -> bytes:
        """The page as JSON text (after prepare() returned True, or fetch())."""
        rows, more = self._rows()
        next_cursor = None
        if more and rows:
            key, last = rows[-1]
            key = self.view.index.sort_value(key, self.sort) if self.index_keys else key
            next_cursor = encode_cursor(self.sort, key, last.event_id)
        head: dict[str, Any] = {"limit": self.limit, "sort": self.sort.name, "next_cursor": next_cursor}
        if self.total:
            head["total"] = self.count
        articles = self.articles or self.view.articles.json({record.article_id for _, record in rows})
        items = b",".join(record.item for _, record in rows)
        return jsontext.dumps(head)[:-1] + b',"articles":' + articles + b',"items":[' + items + b"]}"

    def _find(self, cur: duckdb.DuckDBPyConnection | None, position: tuple[Any, int] | None) -> None:
        """Set found (and count): by the index, by the index and the cached sentences, or by SQL.

        Without `cur` (in the event loop), leaves found None where DuckDB is needed.
        """
        f, sort, index = self.f, self.sort, self.view.index
        if not f.q and position is None and not self.total:
            rows, keys = index.page(f, cur or self.db.cursor(), sort, self.limit + 1)
            self.found, self.index_keys = list(zip(rows.tolist(), keys.tolist())), True
            return
        kept = index.matches(f, cur or self.db.cursor())
        if not f.q:
            rows, keys = index.ordered(kept, sort, position, self.limit + 1)
            self.found, self.index_keys = list(zip(rows.tolist(), keys.tolist())), True
            self.count = len(kept) if self.total else None
        elif len(kept) <= WORD_SCAN and self._words_found(cur, kept, position):
            return
        elif cur is not None:
            self._find_sql(cur)

    def _words_found(self, cur: duckdb.DuckDBPyConnection | None, kept: Any,
                     position: tuple[Any, int] | None) -> bool:
        """Set found (and count) from the rows `kept` whose sentence holds `q`, tested in memory.

        False when that could not be done (see _scan_words): SQL finds them then.
        """
        index, sort = self.view.index, self.sort
        page = self._scan_words(cur, *index.ordered(kept, sort, position), self.limit + 1)
        if page is None:
            return False
        count = len(page)
        if self.total and (position is not None or count > self.limit):  # count every row, not those of the page
            every = self._scan_words(cur, *index.ordered(kept, sort, None), None)
            if every is None:
                return False
            count = len(every)
        self.found, self.index_keys = page, True
        self.count = count if self.total else None
        return True

    def _scan_words(self, cur: duckdb.DuckDBPyConnection | None, rows: Any, keys: Any,
                    limit: int | None) -> list[tuple[int, Any]] | None:
        """(rowid, sort key) of the first `limit` rows (all when None) whose sentence holds `q`, in order.

        The sentences are those of the cached records. Records not cached are fetched with `cur`, up
        to WORD_FETCH of them (scattered rows cost DuckDB about 0.1 ms each: beyond that, SQL is
        cheaper). None when the scan could not finish.
        """
        needle = self._needle(cur)
        if needle is None:
            return None
        cache = self.view.records
        found: list[tuple[int, Any]] = []
        fetched_rows = 0
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start:start + CHUNK].tolist()
            cached = cache.get_many(chunk)
            missing = [row for row, record in zip(chunk, cached) if record is None]
            if missing:
                fetched_rows += len(missing)
                if cur is None or fetched_rows > WORD_FETCH:
                    return None
                fetched = records.fetch(cur, missing, self.db.merged)
                cache.put_many(fetched)
                cached = [record or fetched.get(row) for row, record in zip(chunk, cached)]
            for offset, (row, record) in enumerate(zip(chunk, cached)):
                if record is not None and record.words is not None and needle in record.words:
                    found.append((row, keys[start + offset]))
                    if limit is not None:  # a row of the page
                        self.records[row] = record
            if limit is not None and len(found) >= limit:
                return found[:limit]
        return found

    def _needle(self, cur: duckdb.DuckDBPyConnection | None) -> str | None:
        """`q` lower-cased by DuckDB's lower(), as ILIKE compares it (None when not known yet and no `cur`)."""
        words = (self.f.q or "").strip()
        lowered = self.view.lowered.get(words)
        if lowered is None and cur is not None:
            row = cur.execute("SELECT lower(?)", [words]).fetchone()
            assert row is not None
            if len(self.view.lowered) > 1000:
                self.view.lowered.clear()
            lowered = self.view.lowered[words] = str(row[0])
        return lowered

    def _find_sql(self, cur: duckdb.DuckDBPyConnection) -> None:
        """Set found and count by SQL (`q` over many rows): disjoint branches of key tests, then ILIKE."""
        f, sort = self.f, self.sort
        branches, params = f.branches(self.view.keys)
        cond, cparams = page_clause(sort, self.after)
        hits, hit_params = _hits(f, branches, params, sort, cond, cparams)
        self.found = [(row_id, key) for row_id, key, _ in
                      cur.execute(f"{hits}{TOP_ORDER[sort.descending]} LIMIT ?",
                                  [*hit_params, self.limit + 1]).fetchall()]
        if self.total:
            hits, hit_params = _hits(f, branches, params, sort, "", [])
            row = cur.execute(f"SELECT count(*) FROM ({hits})", hit_params).fetchone()
            assert row is not None
            self.count = int(row[0])

    def _rows(self) -> tuple[list[tuple[Any, Record]], bool]:
        """(sort key, record) of the page's rows (a row gone is left out), and whether more rows follow."""
        assert self.found is not None
        records = self.records
        rows = [(key, records[row]) for row, key in self.found if row in records]
        return rows[:self.limit], len(rows) > self.limit

    def _cached_records(self) -> None:
        """Take the found rows' records from the cache."""
        assert self.found is not None
        records = self.records
        wanted = [row for row, _ in self.found if row not in records]
        for row, record in zip(wanted, self.view.records.get_many(wanted)):
            if record is not None:
                records[row] = record

    def _missing_records(self) -> list[int]:
        """Rowids of found rows whose record is not at hand."""
        assert self.found is not None
        return [row for row, _ in self.found if row not in self.records]

    def _missing_articles(self) -> list[str]:
        """Ids of the page's articles not in the article cache."""
        return self.view.articles.missing({record.article_id for record in self.records.values()})


def _hits(f: EventFilter, branches: list[str], params: list[Any], sort: Sort, cond: str,
          cparams: list[Any]) -> tuple[str, list[Any]]:
    """SELECT row_id, sort_key, event_id of the matching mentions (after the keyset condition) and its parameters.

    DuckDB would test `q` (ILIKE) inside its scan on every row of the table; tested on the rows the
    other filters keep (a materialized CTE), it costs a third.
    """
    words, wparams = f.words()
    text = ", evidence_text" if words else ""
    union = " UNION ALL ".join(
        f"SELECT rowid AS row_id, {sort.key} AS sort_key, event_id{text} FROM mentions{where}"
        + ((" AND " if where else " WHERE ") + cond if cond else "")
        for where in branches
    )
    values = [value for _ in branches for value in (*params, *cparams)]
    if not words:
        return f"SELECT row_id, sort_key, event_id FROM ({union})", values
    return (f"WITH hit AS MATERIALIZED ({union}) SELECT row_id, sort_key, event_id FROM hit WHERE {words}",
            [*values, *wparams])


def list_events(db: WebDB, f: EventFilter, sort: Sort, cursor: str | None, limit: int, total: bool) -> bytes:
    """One page of event mentions as JSON text, in the calling thread."""
    page = EventPage(db, f, sort, cursor, limit, total)
    if not page.prepare():
        page.fetch()
    return page.render()

