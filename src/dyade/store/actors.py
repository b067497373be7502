"""Integer actor keys (schema version 3): one key per distinct (code, country) pair of a mention side."""

from __future__ import annotations

import duckdb

SIDES = ("source", "target")


def fill_actor_keys(con: duckdb.DuckDBPyConnection) -> int:
    """Key every mention side that has an actor but no key yet, adding new pairs; returns the pairs added.

    Rows written by any path (Store._write, a migration, a bulk load) are keyed the same way.
    """
    unkeyed = " UNION ".join(
        f"SELECT {side}_code AS code, {side}_country AS country FROM mentions "
        f"WHERE {side}_actor IS NULL AND ({side}_code IS NOT NULL OR {side}_country IS NOT NULL)"
        for side in SIDES  # constants of this module
    )
    added = con.execute(
        f"INSERT INTO actor_keys (id, code, country) "
        f"SELECT (SELECT coalesce(max(id), 0) FROM actor_keys) + row_number() OVER (ORDER BY code, country), "
        f"code, country FROM ({unkeyed}) AS new "
        f"WHERE NOT EXISTS (SELECT 1 FROM actor_keys AS k WHERE k.code IS NOT DISTINCT FROM new.code "
        f"AND k.country IS NOT DISTINCT FROM new.country)"
    ).fetchall()
    for side in SIDES:
        con.execute(
            f"UPDATE mentions SET {side}_actor = k.id FROM actor_keys AS k "
            f"WHERE mentions.{side}_actor IS NULL AND k.code IS NOT DISTINCT FROM mentions.{side}_code "
            f"AND k.country IS NOT DISTINCT FROM mentions.{side}_country"
        )
    return int(added[0][0]) if added else 0


class ActorKeys:
    """The actor_keys table in memory: which keys an actor or country filter matches."""

    def __init__(self, rows: list[tuple[int, str | None, str | None]]) -> None:
        """Hold (id, code, country) rows."""
        self._rows = rows
        self._cache: dict[tuple[str, str], tuple[int, ...]] = {}

    @property
    def size(self) -> int:
        """The largest key (keys run from 1)."""
        return max((row[0] for row in self._rows), default=0)

    @classmethod
    def load(cls, con: duckdb.DuckDBPyConnection) -> ActorKeys:
        """Read the table."""
        return cls(con.execute("SELECT id, code, country FROM actor_keys ORDER BY id").fetchall())

    def actor(self, value: str) -> tuple[int, ...]:
        """Keys whose country is `value` or whose code starts with it (as `country = ? OR starts_with(code, ?)`)."""
        return self._match("actor", value)

    def country(self, value: str) -> tuple[int, ...]:
        """Keys whose country is `value`."""
        return self._match("country", value)

    def _match(self, kind: str, value: str) -> tuple[int, ...]:
        """The keys matching one filter value, cached."""
        found = self._cache.get((kind, value))
        if found is None:
            found = tuple(key for key, code, country in self._rows
                          if country == value or (kind == "actor" and code is not None and code.startswith(value)))
            if len(self._cache) > 10_000:
                self._cache.clear()
            self._cache[(kind, value)] = found
        return found
