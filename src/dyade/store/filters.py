"""The query filters shared by mentions and merged events: actor, dyad, type, dates, negation."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .rows import StoreError, period

# One side of an actor match: the side name is one of two constants, never user input.
_SIDE_MATCH = "({side}_country = ? OR starts_with({side}_code, ?))"
MENTION_ORDER = "event_date NULLS LAST, article_id, event_id"
EVENT_ORDER = "event_date NULLS LAST, first_seen NULLS LAST, event_id"


@dataclass(frozen=True)
class Filters:
    """The keyword filters of Store.query_events and Store.query_merged."""

    actor: str | None = None
    dyad: tuple[str, str] | None = None
    plover_type: str | None = None
    since: str | None = None
    until: str | None = None
    include_negated: bool = True
    limit: int | None = None

    def sql(self, order: str = MENTION_ORDER, extra: str = "", extra_params: Sequence[Any] = ()) -> tuple[str, list[Any]]:
        """The WHERE, ORDER BY and LIMIT clauses with their parameters (values never enter the SQL text).

        `extra` is one more condition written by the caller (a constant, with `?` for `extra_params`).
        """
        clauses, params = self.where()
        if extra:
            clauses.append(f"({extra})")
            params.extend(extra_params)
        sql = (" WHERE " + " AND ".join(clauses)) if clauses else ""
        return sql + self._order_limit(order, params), params

    def select(self, names: str, table: str, order: str = MENTION_ORDER) -> tuple[str, list[Any]]:
        """SELECT `names` FROM `table` (constants of the caller) with the filters, order and limit.

        With filters, the rows are found first by their rowids, then joined back for the selected
        columns: the actor filters compare two columns (country OR code prefix), so DuckDB cannot
        push them into the scan and would otherwise read every selected column (the JSON records)
        of every row scanned, matching or not.
        """
        clauses, params = self.where()
        if not clauses:
            return f"SELECT {names} FROM {table}" + self._order_limit(order, params), params
        return (f"WITH hit AS (SELECT rowid AS hit_row FROM {table} WHERE {' AND '.join(clauses)}) "
                f"SELECT {names} FROM hit JOIN {table} ON {table}.rowid = hit.hit_row"
                + self._order_limit(order, params)), params

    def _order_limit(self, order: str, params: list[Any]) -> str:
        """The ORDER BY and LIMIT clauses; the limit joins `params`."""
        sql = f" ORDER BY {order}"
        if self.limit is not None:
            if self.limit < 0:
                raise StoreError(f"limit must be 0 or more, not {self.limit}")
            sql += " LIMIT ?"
            params.append(self.limit)
        return sql

    def where(self) -> tuple[list[str], list[Any]]:
        """The WHERE conditions, to be joined with AND, and their parameters."""
        clauses: list[str] = []
        params: list[Any] = []

        def side(name: str, code: str) -> str:
            params.extend([code, code])
            return _SIDE_MATCH.format(side=name)

        if self.actor is not None:
            code = _code(self.actor)
            clauses.append(f"({side('source', code)} OR {side('target', code)})")
        if self.dyad is not None:
            if len(self.dyad) != 2:
                raise StoreError(f"a dyad is two actors, not {self.dyad!r}")
            one, two = _code(self.dyad[0]), _code(self.dyad[1])
            forward = f"{side('source', one)} AND {side('target', two)}"
            backward = f"{side('source', two)} AND {side('target', one)}"
            clauses.append(f"(({forward}) OR ({backward}))")
        if self.plover_type is not None:
            clauses.append("plover_type = ?")
            params.append(self.plover_type.strip().upper())
        if self.since is not None:
            clauses.append("date_end >= ?")  # the event's period ends on or after the first day of `since`
            params.append(period(self.since)[0])
        if self.until is not None:
            clauses.append("date_start <= ?")  # the event's period starts on or before the last day of `until`
            params.append(period(self.until)[1])
        if not self.include_negated:
            clauses.append("NOT negated")
        return clauses, params


def _code(actor: str) -> str:
    """An actor filter value, upper-cased; empty values are refused (they would match everything)."""
    code = actor.strip().upper()
    if not code:
        raise StoreError("an actor filter cannot be empty")
    return code
