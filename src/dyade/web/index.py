"""The mentions' filter and sort columns in memory (numpy), for the pages of GET /events.

DuckDB spends about a millisecond planning each statement and scans the table for every page;
filtering and ordering these columns in numpy costs a fraction of that. The index answers which
rows a page holds; their records come from the record cache (records.py), or DuckDB. It is built
when the server opens the store and again after each write (only the server writes a store it
serves): about 70 bytes per mention, 70 MB per million, in each server process, 8 more per sort
order used and 18 more for the date columns in date order (on the first date filter).

A filter on actors or dates keeps few rows in general: their positions come from the rows grouped
by actor key, or from a slice of the date order, and the other filters are then tested on those
rows only, not on every mention (testing a column of 100,000 rows costs 0.1-0.2 ms). A filter that
keeps many rows, or that nothing seeds, is tested along the sort order (computed once per sort)
until the page is full, when that comes within an eighth of the rows; a cursor's page or a count
takes every matching row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial
from typing import Any, NamedTuple

import duckdb
import numpy as np
import numpy.typing as npt

from ..store.actors import ActorKeys
from .filters import SORTS, EventFilter, Sort, date_bound, like_pattern, plover_types
from .masks import (
    Mask,
    Test,
    at_least,
    at_most,
    at_rows,
    either_way,
    lookup,
    table,
    unset,
    whole,
)

_EPOCH = dt.date(1970, 1, 1)
_COLUMNS = (
    "SELECT rowid AS row_id, coalesce(source_actor, 0) AS source_actor, coalesce(target_actor, 0) AS target_actor, "
    "coalesce(list_position(?::VARCHAR[], plover_type), 0)::SMALLINT AS type_code, "
    "coalesce(quad_class, 0)::TINYINT AS quad, date_start IS NULL AS undated, "
    "coalesce(date_start - DATE '1970-01-01', 0)::INTEGER AS day_start, "
    "coalesce(date_end - DATE '1970-01-01', 0)::INTEGER AS day_end, date_end IS NULL AS no_end, "
    "negated, background, goldstein, confidence, "
    "(dense_rank() OVER (ORDER BY location_name, location_country) - 1)::INTEGER AS place_code, "
    "(row_number() OVER (ORDER BY event_id) - 1)::INTEGER AS event_rank FROM mentions ORDER BY rowid"
)
Ints = npt.NDArray[np.int64]
SEED_SHARE = 16  # an actor or date filter seeds the search when it keeps under 1/16 of the rows
SCAN_SHARE = 16  # a page is read off the sort order when its filter keeps over 1/16 of the rows
SCAN_CHUNK = 4096
WALK_SHARE = 8  # a walk along the sort order gives up after 1/8 of the rows
WALK_CHUNK = 1024  # rows tested at first along the sort order (then twice as many each time)


class _DateColumns(NamedTuple):
    """The date columns in date order: its keys (undated rows last), the longest span of a row, the columns."""

    keys: npt.NDArray[np.int64]
    span: int
    start: npt.NDArray[np.int32]
    end: npt.NDArray[np.int32]
    undated: Mask
    no_end: Mask


class _Groups:
    """The positions of the rows holding each key of an integer column, grouped by key."""

    def __init__(self, column: npt.NDArray[np.int32], size: int) -> None:
        """Group `column`, whose keys run from 0 to `size`."""
        self.order = np.argsort(column, kind="stable").astype(np.int32)
        # Python ints: a request reads a few bounds, where numpy's per-call cost would dominate.
        self.bounds: list[int] = np.searchsorted(column[self.order], np.arange(size + 2)).tolist()

    def count(self, keys: tuple[int, ...]) -> int:
        """How many rows hold one of `keys`."""
        bounds = self.bounds
        return sum(bounds[key + 1] - bounds[key] for key in keys)

    def rows(self, keys: tuple[int, ...]) -> npt.NDArray[np.int32]:
        """The positions of the rows holding one of `keys` (in order within each key)."""
        bounds = self.bounds
        parts = [self.order[bounds[key]:bounds[key + 1]] for key in keys]
        return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int32)


class EventIndex:
    """The columns GET /events filters and sorts on, one array entry per mention, in rowid order."""

    def __init__(self, con: duckdb.DuckDBPyConnection, keys: ActorKeys) -> None:
        """Read the columns of every mention (`con` is one thread's cursor)."""
        self.keys = keys
        self._types = sorted(plover_types())
        cols = con.execute(_COLUMNS, [self._types]).fetchnumpy()
        self.row_id: Ints = np.asarray(cols["row_id"], dtype=np.int64)
        self.source = np.asarray(cols["source_actor"], dtype=np.int32)
        self.target = np.asarray(cols["target_actor"], dtype=np.int32)
        self.type_code = np.asarray(cols["type_code"], dtype=np.int16)
        self.quad = np.asarray(cols["quad"], dtype=np.int8)
        self.undated = np.asarray(cols["undated"], dtype=np.bool_)
        self.no_end = np.asarray(cols["no_end"], dtype=np.bool_)
        self.day_start = np.asarray(cols["day_start"], dtype=np.int32)
        self.day_end = np.asarray(cols["day_end"], dtype=np.int32)
        self.negated = np.asarray(cols["negated"], dtype=np.bool_)
        self.background = np.asarray(cols["background"], dtype=np.bool_)
        self.goldstein = _floats(cols["goldstein"])
        self.confidence = _floats(cols["confidence"])
        self.place_code = np.asarray(cols["place_code"], dtype=np.int32)
        self.event_rank = np.asarray(cols["event_rank"], dtype=np.int64)
        # Keys run from 1 to keys.size (0: no actor); a column may hold a key added after `keys` was read.
        self._n_keys = max(keys.size, int(self.source.max(initial=0)), int(self.target.max(initial=0))) + 1
        self._by_source = _Groups(self.source, self._n_keys)
        self._by_target = _Groups(self.target, self._n_keys)
        self._orders: dict[str, npt.NDArray[np.int32]] = {}  # sort name -> positions in that order (on first use)
        self._places_by_sort: dict[str, npt.NDArray[np.int32]] = {}  # sort name -> where each position stands
        self._place_cache: dict[str, list[int]] = {}
        self._by_date: _DateColumns | None = None  # for _dated()
        self._places = con.execute(
            "SELECT DISTINCT dense_rank() OVER (ORDER BY location_name, location_country) - 1, location_name, "
            "location_country FROM mentions ORDER BY 1"
        ).fetchall()

    def __len__(self) -> int:
        return len(self.row_id)

    def page(self, f: EventFilter, con: duckdb.DuckDBPyConnection, sort: Sort,
             limit: int) -> tuple[Ints, npt.NDArray[Any]]:
        """Rowids and index sort keys of the first `limit` mentions matching `f` but `q`, in `sort` order.

        A filter that keeps few rows is applied, then its rows ordered; one that keeps many (or that
        nothing seeds) is tested along the sort order until the page is full, when that comes soon.
        Dates sorted by date: the rows kept sit together in the order, where a seed finds them.
        """
        dated = bool(f.since or f.until) and sort.kind == "date"
        at, seeded = self._seed(f, None if dated else SEED_SHARE)
        if at is None and not dated:
            walked = self._walk(self._tests(f, con), sort, limit)
            if walked is not None:
                return walked
            at, seeded = self._seed(f)  # the seed's rows, however many, cost less than testing every row
        tests = self._tests(f, con, seeded)
        kept = self._kept(tests, at)
        if seeded == "dates" and dated and (not len(kept) or not self.undated[kept[-1]]):
            # Kept in date order; reversed, in -date order (but for undated rows, last in both).
            rows = kept[:limit] if not sort.descending else kept[::-1][:limit]
            return self.row_id[rows], self._sort_keys(sort, rows)
        return self.ordered(kept, sort, None, limit)

    def matches(self, f: EventFilter, con: duckdb.DuckDBPyConnection) -> Ints:
        """The positions of the mentions matching every filter of `f` but `q` (as EventFilter.where), each once."""
        at, seeded = self._seed(f)  # even a broad seed: its own filter is not tested again
        return self._kept(self._tests(f, con, seeded), at)

    def _walk(self, tests: list[Test], sort: Sort, limit: int) -> tuple[Ints, npt.NDArray[Any]] | None:
        """The first `limit` rows passing `tests`, met along the sort order; None when not within 1/WALK_SHARE of it."""
        order = self._order(sort)
        hits: list[npt.NDArray[np.int32]] = []
        start, size, seen = 0, WALK_CHUNK, 0
        while start < len(order):
            if start >= max(len(order) // WALK_SHARE, WALK_CHUNK):
                return None
            chunk = order[start:start + size]
            keep = np.ones(len(chunk), dtype=np.bool_)
            take = partial(at_rows, chunk)
            for test in tests:
                keep &= test(take)
            hits.append(chunk[keep])
            seen += len(hits[-1])
            if seen >= limit:
                break
            start, size = start + size, size * 2
        rows = np.concatenate(hits)[:limit]
        return self.row_id[rows], self._sort_keys(sort, rows)

    def _kept(self, tests: list[Test], at: npt.NDArray[Any] | None) -> Ints:
        """The positions passing every test: of every row (ascending), or of the seed's rows `at`."""
        if at is None:
            keep = np.ones(len(self), dtype=np.bool_)
            for test in tests:
                keep &= test(whole)
            return np.flatnonzero(keep)
        for test in tests:
            if not len(at):
                break
            at = at[test(partial(at_rows, at))]
        return at.astype(np.int64)

    def _tests(self, f: EventFilter, con: duckdb.DuckDBPyConnection, seeded: str | None = None) -> list[Test]:
        """One test per filter of `f` but `q`: which of the rows a Take gives pass it.

        None for the filter named `seeded`: its seed's rows are exactly those that pass it.
        """
        tests: list[Test] = []
        src, tgt = self.source, self.target
        if f.actor and seeded != "actor":
            tests.append(lookup(self._actors(self.keys.actor(f.actor)), src, tgt))
        if f.country and seeded != "country":
            tests.append(lookup(self._actors(self.keys.country(f.country)), src, tgt))
        if f.source and seeded != "source":
            tests.append(lookup(self._actors(self.keys.actor(f.source)), src))
        if f.target and seeded != "target":
            tests.append(lookup(self._actors(self.keys.actor(f.target)), tgt))
        if f.dyad and seeded != "dyad":
            tests.append(partial(either_way, self._actors(self.keys.actor(f.dyad[0])),
                                 self._actors(self.keys.actor(f.dyad[1])), src, tgt))
        if f.types:
            kinds = [self._types.index(kind) + 1 for kind in f.types]
            tests.append(lookup(table(kinds, len(self._types) + 1), self.type_code))
        if f.quads:
            tests.append(lookup(table(list(f.quads), 5), self.quad))
        if f.since and seeded != "dates":
            tests.append(partial(at_least, self.day_end, _day(date_bound(f.since, "since")[0]), self.no_end))
        if f.until and seeded != "dates":
            tests.append(partial(at_most, self.day_start, _day(date_bound(f.until, "until")[1]), self.undated))
        if f.place:
            tests.append(lookup(table(self._place_codes(f.place, con), len(self._places)), self.place_code))
        if not f.include_negated:
            tests.append(partial(unset, self.negated))
        if not f.include_background:
            tests.append(partial(unset, self.background))
        return tests

    def _seed(self, f: EventFilter, share: int | None = None) -> tuple[npt.NDArray[Any] | None, str | None]:
        """The positions the most selective actor or date filter keeps (with `share`, when under 1/share of the rows).

        Also that filter's name (None when no filter seeds): its seed's rows are exactly those that pass it.
        """
        src, tgt = self._by_source, self._by_target
        options: list[tuple[int, str, Callable[[], npt.NDArray[Any]]]] = []
        if f.actor:
            keys = self.keys.actor(f.actor)
            options.append((src.count(keys) + tgt.count(keys), "actor", partial(self._either_side, keys)))
        if f.country:
            keys = self.keys.country(f.country)
            options.append((src.count(keys) + tgt.count(keys), "country", partial(self._either_side, keys)))
        if f.source:
            keys = self.keys.actor(f.source)
            options.append((src.count(keys), "source", partial(self._one_side, src, keys)))
        if f.target:
            keys = self.keys.actor(f.target)
            options.append((tgt.count(keys), "target", partial(self._one_side, tgt, keys)))
        if f.dyad:
            one, two = self.keys.actor(f.dyad[0]), self.keys.actor(f.dyad[1])
            cost = min(src.count(one), tgt.count(two)) + min(src.count(two), tgt.count(one))
            options.append((cost, "dyad", partial(self._dyad, one, two)))
        if f.since or f.until:
            lo, hi = self._date_slice(f)
            options.append((hi - lo, "dates", partial(self._dated, f, lo, hi)))
        if not options:
            return None, None
        cost, name, make = min(options, key=lambda option: option[0])
        return (make(), name) if share is None or cost * share < len(self) else (None, None)

    def _date_slice(self, f: EventFilter) -> tuple[int, int]:
        """The slice of the date order holding every row that passes `f`'s since and until tests.

        A row ends on or after `since` only if it starts at most the longest span of any row before,
        and it starts on or before `until`.
        """
        columns = self._date_columns()
        lo, hi = 0, len(self)
        if f.since:
            first = _day(date_bound(f.since, "since")[0])
            lo = int(np.searchsorted(columns.keys, first - columns.span, "left"))
        if f.until:
            last = _day(date_bound(f.until, "until")[1])
            hi = max(lo, int(np.searchsorted(columns.keys, last, "right")))
        return lo, hi

    def _dated(self, f: EventFilter, lo: int, hi: int) -> npt.NDArray[np.int32]:
        """Positions of the rows passing `f`'s since and until tests, in date order, from their _date_slice().

        The tests are made on that slice of the date columns, copied in date order: no gather.
        """
        columns = self._date_columns()
        keep: Mask | None = None
        if f.until:
            last = _day(date_bound(f.until, "until")[1])
            keep = ~columns.undated[lo:hi] & (columns.start[lo:hi] <= last)
        if f.since:
            first = _day(date_bound(f.since, "since")[0])
            after = ~columns.no_end[lo:hi] & (columns.end[lo:hi] >= first)
            keep = after if keep is None else keep & after
        order = self._order(SORTS["date"])
        return order[lo:hi] if keep is None else order[lo:hi][keep]

    def _date_columns(self) -> _DateColumns:
        """The date columns in date order (made on first use; one assignment, as another thread may read it)."""
        if self._by_date is None:
            order = self._order(SORTS["date"])
            spans = (self.day_end - self.day_start)[~(self.undated | self.no_end)]
            self._by_date = _DateColumns(self._sort_keys(SORTS["date"], order), max(int(spans.max(initial=0)), 0),
                                         self.day_start[order], self.day_end[order], self.undated[order],
                                         self.no_end[order])
        return self._by_date

    def _either_side(self, keys: tuple[int, ...]) -> npt.NDArray[Any]:
        """Positions of the rows with one of `keys` on either side (each once)."""
        sources, targets = self._by_source.rows(keys), self._by_target.rows(keys)
        targets = targets[~self._actors(keys)[self.source[targets]]]  # not already among the sources
        return np.concatenate([sources, targets])

    def _one_side(self, groups: _Groups, keys: tuple[int, ...]) -> npt.NDArray[Any]:
        """Positions of the rows with one of `keys` on the side of `groups`."""
        return groups.rows(keys)

    def _dyad(self, one: tuple[int, ...], two: tuple[int, ...]) -> npt.NDArray[Any]:
        """Positions of the rows from `one` to `two` or the other way round (each once)."""
        forward, backward = self._pairs(one, two), self._pairs(two, one)
        if set(one) & set(two):  # a row may go both ways: keep it in the forward part only
            backward = backward[~(self._actors(one)[self.source[backward]] & self._actors(two)[self.target[backward]])]
        return np.concatenate([forward, backward])

    def _pairs(self, sources: tuple[int, ...], targets: tuple[int, ...]) -> npt.NDArray[Any]:
        """Positions of the rows from one of `sources` to one of `targets`, starting from the smaller side."""
        if self._by_source.count(sources) <= self._by_target.count(targets):
            at = self._by_source.rows(sources)
            return at[self._actors(targets)[self.target[at]]]
        at = self._by_target.rows(targets)
        return at[self._actors(sources)[self.source[at]]]

    def position(self, con: duckdb.DuckDBPyConnection, sort: Sort, key: Any, event_id: str) -> tuple[Any, int]:
        """A cursor (sort key, event_id) as ordered() takes it: keys and ranks after it are greater (in `sort` order)."""
        row = con.execute("SELECT count(*) FILTER (event_id <= ?), count(*) FILTER (event_id < ?) FROM mentions",
                          [event_id, event_id]).fetchone()
        assert row is not None
        at_or_before, before = int(row[0]), int(row[1])
        if sort.descending:  # ranks below `before` come after it; negated, above -before
            return -_key(key, sort), -before + 1
        return _key(key, sort), at_or_before

    def ordered(self, found: Ints, sort: Sort, after: tuple[Any, int] | None,
                limit: int | None = None) -> tuple[Ints, npt.NDArray[Any]]:
        """Rowids and index sort keys (sort_value() reads them) of the rows at `found` after a position(), in order.

        Only the first `limit` when given.
        """
        if after is None:
            if limit is not None and len(found) * SCAN_SHARE > len(self):
                return self._read_order(found, sort, limit)
            places = self._places_in(sort)[found]  # one integer key: where each row stands in the sort order
            if limit is not None and len(found) > limit:
                head = np.argpartition(places, limit - 1)[:limit]
                found, places = found[head], places[head]
            found = found[np.argsort(places)]
            return self.row_id[found], self._sort_keys(sort, found)
        plain = self._sort_keys(sort, found)
        keys, rank = plain, self.event_rank[found]
        if sort.descending:  # both keys descending: ascending on their negations
            keys, rank = -keys, -rank
        if after is not None:
            key, first = after
            later = (keys > key) | ((keys == key) & (rank >= first))
            found, plain, keys, rank = found[later], plain[later], keys[later], rank[later]
        if limit is not None and len(found) > limit:  # the limit smallest keys and every tie of the last one
            near = keys <= np.partition(keys, limit - 1)[limit - 1]
            found, plain, keys, rank = found[near], plain[near], keys[near], rank[near]
        order = np.lexsort((rank, keys))[:limit]
        return self.row_id[found[order]], plain[order]

    def _read_order(self, found: Ints, sort: Sort, limit: int) -> tuple[Ints, npt.NDArray[Any]]:
        """ordered() for many rows: the first `limit` of them met along the whole sort order."""
        order = self._order(sort)
        member = np.zeros(len(self), dtype=np.bool_)
        member[found] = True
        hits: list[npt.NDArray[np.int32]] = []
        seen = 0
        for start in range(0, len(order), SCAN_CHUNK):
            chunk = order[start:start + SCAN_CHUNK]
            hits.append(chunk[member[chunk]])
            seen += len(hits[-1])
            if seen >= limit:
                break
        rows = np.concatenate(hits)[:limit]
        return self.row_id[rows], self._sort_keys(sort, rows)

    def _order(self, sort: Sort) -> npt.NDArray[np.int32]:
        """Every position in `sort` order: the sort key, then event_id (computed on first use)."""
        order = self._orders.get(sort.name)
        if order is None:
            keys, rank = self._sort_keys(sort, np.arange(len(self))), self.event_rank
            if sort.descending:
                keys, rank = -keys, -rank
            order = np.lexsort((rank, keys)).astype(np.int32)
            places = np.empty(len(self), dtype=np.int32)
            places[order] = np.arange(len(self), dtype=np.int32)
            self._places_by_sort[sort.name] = places
            self._orders[sort.name] = order
        return order

    def _places_in(self, sort: Sort) -> npt.NDArray[np.int32]:
        """Where each position stands in `sort` order (the inverse of _order())."""
        places = self._places_by_sort.get(sort.name)
        if places is None:
            self._order(sort)
            places = self._places_by_sort[sort.name]
        return places

    @staticmethod
    def sort_value(value: Any, sort: Sort) -> Any:
        """An index sort key as the SQL sort key would be (a date, or a float)."""
        return _plain(value, sort)

    def _actors(self, keys: tuple[int, ...]) -> Mask:
        """True at each of `keys` (0, no actor, is never one)."""
        return table(list(keys), self._n_keys)

    def _sort_keys(self, sort: Sort, rows: npt.NDArray[Any]) -> npt.NDArray[Any]:
        """The sort keys of these mentions, nulls replaced as Sort.key does."""
        if sort.kind == "date":
            last = _day(dt.date(9999, 12, 31) if not sort.descending else dt.date(1, 1, 1))
            return np.where(self.undated[rows], last, self.day_start[rows]).astype(np.int64)
        values = (self.goldstein if sort.name.endswith("goldstein") else self.confidence)[rows]
        return np.where(np.isnan(values), -1e9 if sort.descending else 1e9, values)

    def _place_codes(self, place: str, con: duckdb.DuckDBPyConnection) -> list[int]:
        """Codes of the (name, country) places matching `place` as EventFilter.where's SQL does (cached)."""
        if place in self._place_cache:
            return self._place_cache[place]
        codes = [row[0] for row in self._places]
        found = con.execute(
            "SELECT code FROM (SELECT unnest(?::INTEGER[]) AS code, unnest(?::VARCHAR[]) AS location_name, "
            "unnest(?::VARCHAR[]) AS location_country) "
            "WHERE location_name ILIKE ? ESCAPE '\\' OR location_country = ?",
            [codes, [row[1] for row in self._places], [row[2] for row in self._places],
             like_pattern(place, "place"), place.strip().upper()],
        ).fetchall()
        if len(self._place_cache) > 1000:
            self._place_cache.clear()
        self._place_cache[place] = [row[0] for row in found]
        return self._place_cache[place]


def _floats(values: Any) -> npt.NDArray[np.float64]:
    """A float column with NaN for NULL."""
    if isinstance(values, np.ma.MaskedArray):
        return np.asarray(values.filled(np.nan), dtype=np.float64)
    return np.asarray(values, dtype=np.float64)


def _day(date: dt.date) -> int:
    """Days since 1970-01-01."""
    return (date - _EPOCH).days


def _key(value: Any, sort: Sort) -> float | int:
    """A cursor's sort key as the index holds it."""
    return _day(value) if sort.kind == "date" else float(value)


def _plain(value: Any, sort: Sort) -> Any:
    """An index sort key as the SQL sort key would be (a date, or a float)."""
    return _EPOCH + dt.timedelta(days=int(value)) if sort.kind == "date" else float(value)
