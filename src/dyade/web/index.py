"""The mentions' filter and sort columns in memory (numpy), for the pages of GET /events.

DuckDB spends about a millisecond planning each statement and scans the table for every page;
filtering and ordering these columns in numpy costs a fraction of that. The index answers which
rows a page holds; their records still come from DuckDB. It is built when the server opens the
store and again after each write (only the server writes a store it serves): about 60 bytes per
mention, 60 MB per million, in each server process. `q` (words of the sentence) is not held
here: such pages are left to SQL.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import duckdb
import numpy as np
import numpy.typing as npt

from ..store.actors import ActorKeys
from .filters import EventFilter, Sort, date_bound, like_pattern, plover_types

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
Mask = npt.NDArray[np.bool_]


class EventIndex:
    """The columns GET /events filters and sorts on, one array entry per mention."""

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
        self._place_cache: dict[str, list[int]] = {}
        self._places = con.execute(
            "SELECT DISTINCT dense_rank() OVER (ORDER BY location_name, location_country) - 1, location_name, "
            "location_country FROM mentions ORDER BY 1"
        ).fetchall()

    def __len__(self) -> int:
        return len(self.row_id)

    def mask(self, f: EventFilter, con: duckdb.DuckDBPyConnection) -> Mask:
        """The mentions matching every filter of `f` but `q` (as EventFilter.where)."""
        keep = np.ones(len(self), dtype=np.bool_)
        if f.actor:
            keep &= self._either(self.keys.actor(f.actor))
        if f.country:
            keep &= self._either(self.keys.country(f.country))
        if f.source:
            keep &= self._actors(self.keys.actor(f.source))[self.source]
        if f.target:
            keep &= self._actors(self.keys.actor(f.target))[self.target]
        if f.dyad:
            one, two = self._actors(self.keys.actor(f.dyad[0])), self._actors(self.keys.actor(f.dyad[1]))
            keep &= (one[self.source] & two[self.target]) | (two[self.source] & one[self.target])
        if f.types:
            keep &= _table([self._types.index(kind) + 1 for kind in f.types], len(self._types) + 1)[self.type_code]
        if f.quads:
            keep &= _table(list(f.quads), 5)[self.quad]
        if f.since:
            keep &= ~self.no_end & (self.day_end >= _day(date_bound(f.since, "since")[0]))
        if f.until:
            keep &= ~self.undated & (self.day_start <= _day(date_bound(f.until, "until")[1]))
        if f.place:
            keep &= _table(self._place_codes(f.place, con), len(self._places))[self.place_code]
        if not f.include_negated:
            keep &= ~self.negated
        if not f.include_background:
            keep &= ~self.background
        return keep

    def position(self, con: duckdb.DuckDBPyConnection, sort: Sort, key: Any, event_id: str) -> tuple[Any, int]:
        """A cursor (sort key, event_id) as top() takes it: keys and ranks after it are greater (in `sort` order)."""
        row = con.execute("SELECT count(*) FILTER (event_id <= ?), count(*) FILTER (event_id < ?) FROM mentions",
                          [event_id, event_id]).fetchone()
        assert row is not None
        at_or_before, before = int(row[0]), int(row[1])
        if sort.descending:  # ranks below `before` come after it; negated, above -before
            return -_key(key, sort), -before + 1
        return _key(key, sort), at_or_before

    def top(self, keep: Mask, sort: Sort, after: tuple[Any, int] | None, limit: int) -> list[tuple[int, Any]]:
        """(rowid, sort key) of the first `limit` kept mentions in `sort` order, after a position()."""
        found = np.flatnonzero(keep)
        plain = self._sort_keys(sort, found)
        keys, rank = plain, self.event_rank[found]
        if sort.descending:  # both keys descending: ascending on their negations
            keys, rank = -keys, -rank
        if after is not None:
            key, first = after
            later = (keys > key) | ((keys == key) & (rank >= first))
            found, plain, keys, rank = found[later], plain[later], keys[later], rank[later]
        if len(found) > limit:  # the limit smallest keys and every tie of the last one, then in full order
            near = keys <= np.partition(keys, limit - 1)[limit - 1]
            found, plain, keys, rank = found[near], plain[near], keys[near], rank[near]
        order = np.lexsort((rank, keys))[:limit]
        return [(int(row), _plain(value, sort)) for row, value in zip(self.row_id[found[order]], plain[order])]

    def _either(self, keys: tuple[int, ...]) -> Mask:
        """Source or target among `keys`."""
        table = self._actors(keys)
        return table[self.source] | table[self.target]

    def _actors(self, keys: tuple[int, ...]) -> Mask:
        """True at each of `keys` (0, no actor, is never one)."""
        return _table(list(keys), self.keys.size + 1)

    def _sort_keys(self, sort: Sort, rows: Ints) -> npt.NDArray[Any]:
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


def _table(codes: list[int], size: int) -> Mask:
    """A lookup table: True at `codes`; indexing it with a column of codes is numpy's fastest `isin`."""
    table = np.zeros(size, dtype=np.bool_)
    table[codes] = True
    return table


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
