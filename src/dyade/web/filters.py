"""Query parameters of the web API: checked once, turned into parameterised SQL, keyset cursors."""

from __future__ import annotations

import base64
import binascii
import csv
import datetime as dt
import functools
import json
import re
from dataclasses import dataclass
from importlib import resources
from typing import Any

from ..errors import DyadeError
from ..store.actors import ActorKeys
from ..store.duckdb import period

_CODE_RE = re.compile(r"^[A-Z0-9]{2,20}$")
_COUNTRY_RE = re.compile(r"^[A-Z]{3}$")
# One side of an actor match: `side` is one of two constants, never user input.
_SIDE = "({side}_country = ? OR starts_with({side}_code, ?))"
MAX_TEXT = 200


class BadRequest(DyadeError):
    """A parameter the API cannot use: answered with 422 and this message."""


@functools.lru_cache(maxsize=1)
def plover_types() -> frozenset[str]:
    """The PLOVER event types known to dyade (data/plover.csv)."""
    text = resources.files("dyade").joinpath("data", "plover.csv").read_text(encoding="utf-8")
    return frozenset(row["type"] for row in csv.DictReader(text.splitlines()))


def actor_code(value: str, what: str = "actor") -> str:
    """An actor code or country (`TUR`, `TURGOV`), upper-cased; anything else is a BadRequest."""
    code = value.strip().upper()
    if not _CODE_RE.match(code):
        raise BadRequest(f"{what} must be an actor code or country such as TUR or TURGOV, not {value!r}")
    return code


def country_code(value: str) -> str:
    """An ISO 3166 alpha-3 code (or CAMEO group code such as IGO), upper-cased."""
    code = value.strip().upper()
    if not _COUNTRY_RE.match(code):
        raise BadRequest(f"country must be a three-letter code such as TUR, not {value!r}")
    return code


def date_bound(value: str, what: str) -> tuple[dt.date, dt.date]:
    """The first and last day of a `YYYY`, `YYYY-MM` or `YYYY-MM-DD` parameter."""
    try:
        return period(value.strip())
    except DyadeError as exc:
        raise BadRequest(f"{what}: {exc}") from exc


def like_pattern(text: str, what: str) -> str:
    """An ILIKE pattern matching `text` anywhere, with `%`, `_` and `\\` escaped."""
    text = text.strip()
    if not text or len(text) > MAX_TEXT:
        raise BadRequest(f"{what} must be 1 to {MAX_TEXT} characters")
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


@dataclass(frozen=True)
class EventFilter:
    """Every filter of GET /events; all optional, all combined with AND."""

    actor: str | None = None
    country: str | None = None
    source: str | None = None
    target: str | None = None
    dyad: tuple[str, str] | None = None
    types: tuple[str, ...] = ()
    quads: tuple[int, ...] = ()
    since: str | None = None
    until: str | None = None
    place: str | None = None
    q: str | None = None
    include_negated: bool = True
    include_background: bool = True

    def where(self, *, events: bool = False) -> tuple[str, list[Any]]:
        """The WHERE clause (possibly empty) over mention columns, or merged `events` columns, and its parameters."""
        clauses: list[str] = []
        params: list[Any] = []

        def side(name: str, code: str) -> str:
            """One side's match, its two parameters added."""
            params.extend([code, code])
            return _SIDE.format(side=name)

        if self.actor:
            clauses.append(f"({side('source', self.actor)} OR {side('target', self.actor)})")
        if self.country:
            clauses.append("(source_country = ? OR target_country = ?)")
            params.extend([self.country, self.country])
        if self.source:
            clauses.append(side("source", self.source))
        if self.target:
            clauses.append(side("target", self.target))
        if self.dyad:
            one, two = self.dyad
            forward = f"{side('source', one)} AND {side('target', two)}"
            backward = f"{side('source', two)} AND {side('target', one)}"
            clauses.append(f"(({forward}) OR ({backward}))")
        common, common_params = self._common(words=not events, background=not events)
        if events:
            if not self.include_background:
                raise BadRequest("background=false does not apply to merged events (they carry no background flag)")
            if self.q:  # events hold no sentence: an event matches when one of its mentions does
                words, values = self.words()
                common.append(f"event_id IN (SELECT merged_event_id FROM mentions WHERE {words})")
                common_params += values
        clauses += common
        params += common_params
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params

    def branches(self, keys: ActorKeys) -> tuple[list[str], list[Any]]:
        """The filter but `q` over keyed mentions (schema 3) as disjoint WHERE clauses, with their parameters.

        The rows of their UNION ALL that words() keeps are where()'s rows.

        An "either side" filter is an OR across two columns, which DuckDB evaluates row by row after
        reading both; split into branches, each one is a conjunction of `key IN (...)` tests that
        DuckDB applies inside its scan of one integer column. The keys, integers of actor_keys, are
        written into the SQL (so every branch shares one parameter list); the other conditions and
        their parameters are the same in every branch.
        """
        groups: list[list[list[str]]] = []
        if self.actor:
            groups.append(_either_side(keys.actor(self.actor)))
        if self.country:
            groups.append(_either_side(keys.country(self.country)))
        if self.source:
            groups.append([[_keyed("source", keys.actor(self.source))]])
        if self.target:
            groups.append([[_keyed("target", keys.actor(self.target))]])
        if self.dyad:
            one, two = keys.actor(self.dyad[0]), keys.actor(self.dyad[1])
            forward = [_keyed("source", one), _keyed("target", two)]
            backward = [_keyed("source", two), _keyed("target", one)]
            if set(one) & set(two):  # a row matching both ways is in the forward branch only
                backward.append(f"NOT ({' AND '.join(forward)})")
            groups.append([forward, backward])
        common, params = self._common(words=False)
        branches: list[list[str]] = [[]]
        for group in groups:
            branches = [done + alternative for done in branches for alternative in group]
        clauses = [" AND ".join(branch + common) for branch in branches]
        return [f" WHERE {clause}" if clause else "" for clause in clauses], params

    def words(self) -> tuple[str, list[Any]]:
        """The `q` condition on evidence_text (or "") and its parameter."""
        if not self.q:
            return "", []
        return "evidence_text ILIKE ? ESCAPE '\\'", [like_pattern(self.q, "q")]

    def _common(self, *, words: bool, background: bool = True) -> tuple[list[str], list[Any]]:
        """The conditions on one column each (type, quad, dates, place, flags) and their parameters.

        `q` joins them with words, the background flag with background (mention columns both).
        """
        clauses: list[str] = []
        params: list[Any] = []
        if self.types:
            clauses.append(f"plover_type IN ({', '.join('?' * len(self.types))})")
            params.extend(self.types)
        if self.quads:
            clauses.append(f"quad_class IN ({', '.join('?' * len(self.quads))})")
            params.extend(self.quads)
        if self.since:
            clauses.append("date_end >= ?")
            params.append(date_bound(self.since, "since")[0])
        if self.until:
            clauses.append("date_start <= ?")
            params.append(date_bound(self.until, "until")[1])
        if self.place:
            clauses.append("(location_name ILIKE ? ESCAPE '\\' OR location_country = ?)")
            params.extend([like_pattern(self.place, "place"), self.place.strip().upper()])
        if words and self.q:
            clause, values = self.words()
            clauses.append(clause)
            params += values
        if not self.include_negated:
            clauses.append("NOT negated")
        if not self.include_background and background:
            clauses.append("NOT background")
        return clauses, params


def _keyed(side: str, keys: tuple[int, ...]) -> str:
    """`side`_actor is one of `keys` (false when there is none); side is a constant, keys are integers."""
    return f"{side}_actor IN ({', '.join(str(int(key)) for key in keys)})" if keys else "false"


def _either_side(keys: tuple[int, ...]) -> list[list[str]]:
    """Source or target among `keys`, as two disjoint branches (a null source key is no match)."""
    listed = ", ".join(str(int(key)) for key in keys)
    if not keys:
        return [["false"]]
    return [[_keyed("source", keys)], [_keyed("target", keys), f"coalesce(source_actor, 0) NOT IN ({listed})"]]


def make_filter(
    *, actor: str | None = None, country: str | None = None, source: str | None = None, target: str | None = None,
    dyad: str | None = None, types: list[str] | None = None, quads: list[int] | None = None,
    since: str | None = None, until: str | None = None, place: str | None = None, q: str | None = None,
    include_negated: bool = True, include_background: bool = True,
) -> EventFilter:
    """Check raw query parameters and build an EventFilter; a bad value raises BadRequest."""
    pair: tuple[str, str] | None = None
    if dyad is not None:
        parts = dyad.split(",")
        if len(parts) != 2:
            raise BadRequest(f"dyad takes two actors separated by a comma, e.g. TUR,RUS; not {dyad!r}")
        pair = (actor_code(parts[0], "dyad"), actor_code(parts[1], "dyad"))
    kinds = tuple(sorted({t.strip().upper() for t in types or []}))
    unknown = [t for t in kinds if t not in plover_types()]
    if unknown:
        raise BadRequest(f"unknown PLOVER type {unknown[0]!r}; one of {', '.join(sorted(plover_types()))}")
    bad_quads = [n for n in quads or [] if n not in (1, 2, 3, 4)]
    if bad_quads:
        raise BadRequest(f"quad class must be 1, 2, 3 or 4, not {bad_quads[0]}")
    for name, value in (("since", since), ("until", until)):
        if value is not None:
            date_bound(value, name)
    if since and until and date_bound(since, "since")[0] > date_bound(until, "until")[1]:
        raise BadRequest(f"since ({since}) is after until ({until})")
    for name, value in (("place", place), ("q", q)):
        if value is not None:
            like_pattern(value, name)
    return EventFilter(
        actor=actor_code(actor) if actor is not None else None,
        country=country_code(country) if country is not None else None,
        source=actor_code(source, "source") if source is not None else None,
        target=actor_code(target, "target") if target is not None else None,
        dyad=pair, types=kinds, quads=tuple(sorted(set(quads or []))), since=since, until=until,
        place=place, q=q, include_negated=include_negated, include_background=include_background,
    )


@dataclass(frozen=True)
class Sort:
    """One sort order of GET /events: a never-null key expression and a direction."""

    name: str
    key: str  # SQL over mention columns; a constant of this module, never user input
    kind: str  # `date` or `float`: how the key travels in a cursor
    descending: bool


SORTS = {
    "date": Sort("date", "coalesce(date_start, DATE '9999-12-31')", "date", False),
    "-date": Sort("-date", "coalesce(date_start, DATE '0001-01-01')", "date", True),
    "goldstein": Sort("goldstein", "coalesce(goldstein, 1e9)", "float", False),
    "-goldstein": Sort("-goldstein", "coalesce(goldstein, -1e9)", "float", True),
    "confidence": Sort("confidence", "coalesce(confidence, 1e9)", "float", False),
    "-confidence": Sort("-confidence", "coalesce(confidence, -1e9)", "float", True),
}


def get_sort(name: str) -> Sort:
    """The sort called `name`; an unknown name is a BadRequest."""
    try:
        return SORTS[name]
    except KeyError:
        raise BadRequest(f"sort must be one of {', '.join(SORTS)}, not {name!r}") from None


def encode_cursor(sort: Sort, key: Any, event_id: str) -> str:
    """An opaque cursor pointing just after the row (key, event_id) in `sort` order."""
    value = key.isoformat() if isinstance(key, dt.date) else float(key)
    raw = json.dumps([sort.name, value, event_id], separators=(",", ":")).encode("utf-8")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode_cursor(cursor: str, sort: Sort) -> tuple[Any, str]:
    """The (key, event_id) held by a cursor made for `sort`; anything else is a BadRequest."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        name, value, event_id = json.loads(raw)
        if name != sort.name or not isinstance(event_id, str):
            raise ValueError("made for another sort order")
        key = dt.date.fromisoformat(value) if sort.kind == "date" else float(value)
    except (binascii.Error, ValueError, TypeError, UnicodeDecodeError) as exc:
        raise BadRequest(f"cursor is not one this API gave for sort={sort.name} ({exc})") from None
    return key, event_id


# The page's order: the sort key, then event_id (the keys of page_clause's condition).
TOP_ORDER = {False: " ORDER BY sort_key ASC, event_id ASC", True: " ORDER BY sort_key DESC, event_id DESC"}


def page_clause(sort: Sort, after: tuple[Any, str] | None) -> tuple[str, list[Any]]:
    """The keyset condition of a page after `after` (or "") and its parameters."""
    if after is None:
        return "", []
    op = "<" if sort.descending else ">"
    key, event_id = after
    return f"({sort.key} {op} ? OR ({sort.key} = ? AND event_id {op} ?))", [key, key, event_id]
