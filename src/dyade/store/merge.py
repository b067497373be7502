"""Merging event mentions into real-world events: blocking, compatibility and greedy clustering.

Rule: two mentions describe one event when they share the PLOVER type, the negation and the
modality, the dyad (same direction, or either direction when one of them is symmetric; two actors
agree when their countries are equal and one code is a prefix of the other), their dates nest
(same day, or one inside the other's coarser month or year) and their places agree (same place,
one missing, or one a country holding the other). Undated or untyped mentions stay
events of their own. Mentions are only compared inside a block (type, sorted dyad countries,
year: see rows.merge_block), and inside a block only with the clusters whose date can hold
theirs, so merging is near-linear in the number of mentions.
"""

from __future__ import annotations

import hashlib
import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import duckdb
import pyarrow as pa

logger = logging.getLogger(__name__)

PLACE_RANK = {"city": 3, "admin1": 2, "country": 1, "region": 0}
_MONTH_SPAN = 30  # a period of at most 31 days that is not one day is a month

Actor = tuple[str, str]  # (country, code), '' for unknown


@dataclass(frozen=True, slots=True)
class Place:
    """The parts of a place that decide whether two mentions happened at the same place."""

    name: str
    country: str
    rank: int
    geonames_id: int | None


@dataclass(slots=True)
class Mention:
    """What merging needs of one mention row."""

    event_id: str
    block: str
    plover_type: str | None
    negated: bool
    modality: str | None
    symmetric: bool
    source: Actor
    target: Actor
    start: int | None  # days since 1970-01-01
    end: int | None
    month: int | None  # year * 12 + month - 1 of `start`
    place: Place | None

    def sort_key(self) -> tuple[Any, ...]:
        """Most precise first: date span, then longer actor codes, then better places."""
        span = self.end - self.start if self.start is not None and self.end is not None else 1 << 30
        specific = len(self.source[1]) + len(self.target[1])
        return (span, -specific, -(self.place.rank if self.place else -1), self.event_id)


@dataclass(slots=True)
class Cluster:
    """One merged event being built: its founding (most precise) mention, members and best place."""

    founder: Mention
    order: int
    members: list[str] = field(default_factory=list)
    place: Place | None = None
    place_id: str | None = None

    @property
    def event_id(self) -> str:
        """The merged event id: a hash of the smallest member mention id."""
        return "E" + hashlib.blake2b(min(self.members).encode("utf-8"), digest_size=8).hexdigest()

    def accepts(self, mention: Mention) -> bool:
        """True when the mention may describe this event (see the module docstring)."""
        first = self.founder
        if (mention.negated, mention.modality) != (first.negated, first.modality):
            return False
        if not places_agree(self.place, mention.place):
            return False
        if same_actor(first.source, mention.source) and same_actor(first.target, mention.target):
            return True
        return (first.symmetric or mention.symmetric) and same_actor(first.source, mention.target) \
            and same_actor(first.target, mention.source)

    def add(self, mention: Mention) -> None:
        """Make the mention a member; its place becomes the event's when it is more precise."""
        self.members.append(mention.event_id)
        if mention.place is not None and (self.place is None or mention.place.rank > self.place.rank):
            self.place, self.place_id = mention.place, mention.event_id


def same_actor(one: Actor, two: Actor) -> bool:
    """Same country, and one code a prefix of the other (`TUR` and `TURGOV`, not `TURGOV` and `TURMIL`)."""
    return one[0] == two[0] and (one[1].startswith(two[1]) or two[1].startswith(one[1]))


def places_agree(one: Place | None, two: Place | None) -> bool:
    """Same place, one of them missing, or one a country that holds the other."""
    if one is None or two is None:
        return True
    if one.geonames_id is not None and one.geonames_id == two.geonames_id:
        return True
    if one.name == two.name and one.country == two.country:
        return True
    return bool(one.country) and one.country == two.country and PLACE_RANK["country"] in (one.rank, two.rank)


def cluster(mentions: Iterable[Mention]) -> list[Cluster]:
    """Group mentions into merged events, block by block; deterministic for a given set of mentions."""
    blocks: dict[str, list[Mention]] = defaultdict(list)
    for mention in mentions:
        blocks[mention.block].append(mention)
    clusters: list[Cluster] = []
    for block in sorted(blocks):
        clusters.extend(_cluster_block(blocks[block]))
    return clusters


def _cluster_block(mentions: list[Mention]) -> list[Cluster]:
    """Greedy clustering of one block: each mention joins the largest compatible event, else founds one."""
    clusters: list[Cluster] = []
    at: dict[tuple[str, int], list[Cluster]] = defaultdict(list)  # ("d", day) / ("m", month) / ("y", year)
    days_of: dict[int, list[Cluster]] = defaultdict(list)  # day-precision clusters by month
    for mention in sorted(mentions, key=Mention.sort_key):
        if mention.plover_type is None or mention.start is None or mention.end is None or mention.month is None:
            clusters.append(_found(mention, len(clusters)))
            continue
        span, month, year = mention.end - mention.start, mention.month, mention.month // 12
        if span == 0:
            candidates = at["d", mention.start] + at["m", month] + at["y", year]
        elif span <= _MONTH_SPAN:
            candidates = at["m", month] + days_of[month] + at["y", year]
        else:
            candidates = clusters  # the block is one year: every dated cluster of it nests in this year
        best = _best(candidates, mention)
        if best is not None:
            best.add(mention)
            continue
        new = _found(mention, len(clusters))
        clusters.append(new)
        if span == 0:
            at["d", mention.start].append(new)
            days_of[month].append(new)
        else:
            at["m" if span <= _MONTH_SPAN else "y", month if span <= _MONTH_SPAN else year].append(new)
    return clusters


def _best(candidates: list[Cluster], mention: Mention) -> Cluster | None:
    """The compatible cluster with the most members, the oldest on ties."""
    best: Cluster | None = None
    for candidate in candidates:
        if candidate.founder.start is None or candidate.founder.plover_type is None:
            continue
        if (best is None or (len(candidate.members), -candidate.order) > (len(best.members), -best.order)) \
                and candidate.accepts(mention):
            best = candidate
    return best


def _found(mention: Mention, order: int) -> Cluster:
    """A new cluster founded by the mention."""
    new = Cluster(founder=mention, order=order)
    new.add(mention)
    return new


# ---- the store side: load the mentions of some blocks, cluster them, rewrite their events -------

_LOAD = """
SELECT event_id, merge_block, plover_type, negated, modality, "symmetric",
       coalesce(source_country, ''), coalesce(source_code, ''), coalesce(target_country, ''), coalesce(target_code, ''),
       date_start - DATE '1970-01-01', date_end - DATE '1970-01-01', year(date_start) * 12 + month(date_start) - 1,
       lower(location_name), coalesce(location_country, ''), location_precision, geonames_id
FROM {source}"""
# The mention columns an event is built from, copied once for the blocks being merged again.
_TOUCHED = """
CREATE OR REPLACE TEMP TABLE _dyade_touched AS
SELECT rowid AS row_id, event_id, article_id, merge_block, plover_type, plover_mode, cameo_code, cameo_root,
       quad_class, goldstein, source_code, source_country, source_sector, source_name, target_code, target_country,
       target_sector, target_name, "symmetric", negated, modality, event_date, date_precision, date_start, date_end,
       location_name, location_country, location_admin1, location_precision, geonames_id, lat, lon, fatalities,
       confidence, merged_event_id
FROM mentions WHERE merge_block IN (SELECT unnest(?::VARCHAR[]))"""


def _mention(row: Sequence[Any]) -> Mention:
    """A Mention from one row of _LOAD."""
    name, country, precision, geonames_id = row[13:17]
    place = None
    if name is not None or geonames_id is not None:
        place = Place(name or "", country, PLACE_RANK.get(precision or "", -1), geonames_id)
    return Mention(row[0], row[1], row[2], row[3], row[4], row[5], (row[6], row[7]), (row[8], row[9]),
                   row[10], row[11], row[12], place)


def rebuild(con: duckdb.DuckDBPyConnection, blocks: Sequence[str] | None) -> int:
    """Re-merge the mentions of the given blocks (all when None) and rewrite their events; the caller
    holds the transaction. Returns the number of events written."""
    if blocks is not None and not blocks:
        return 0
    source = "mentions"
    if blocks is not None:  # one scan of the mentions; the joins below then read the small copy
        con.execute(_TOUCHED, [list(blocks)])
        source = "_dyade_touched"
    try:
        mentions = [_mention(row) for row in con.execute(_LOAD.format(source=source)).fetchall()]
        clusters = cluster(mentions)
        _write_events(con, clusters, source, blocks)
    finally:
        con.execute("DROP TABLE IF EXISTS _dyade_touched")
    logger.debug("merged %d mentions of %s blocks into %d events", len(mentions),
                 "all" if blocks is None else len(blocks), len(clusters))
    return len(clusters)


def _write_events(con: duckdb.DuckDBPyConnection, clusters: list[Cluster], source: str,
                  blocks: Sequence[str] | None) -> None:
    """Link the mentions to their events and replace the events of the blocks (all when None)."""
    ids = [c.event_id for c in clusters]
    link = pa.table({
        "event_id": [member for c in clusters for member in c.members],
        "merged_event_id": [merged for merged, c in zip(ids, clusters) for _ in c.members],
    })
    heads = pa.table({
        "merged_event_id": ids,
        "block": [c.founder.block for c in clusters],
        "founder_id": [c.founder.event_id for c in clusters],
        "place_id": pa.array([c.place_id for c in clusters], pa.string()),
    })
    con.register("_dyade_link", link)
    con.register("_dyade_heads", heads)
    try:
        if blocks is None:
            con.execute("UPDATE mentions SET merged_event_id = l.merged_event_id FROM _dyade_link AS l "
                        "WHERE mentions.event_id = l.event_id AND mentions.merged_event_id IS DISTINCT FROM "
                        "l.merged_event_id")
            con.execute("DELETE FROM events")
        else:
            con.execute("UPDATE mentions SET merged_event_id = c.merged_event_id FROM ("
                        "SELECT t.row_id, l.merged_event_id FROM _dyade_touched AS t JOIN _dyade_link AS l "
                        "ON l.event_id = t.event_id WHERE t.merged_event_id IS DISTINCT FROM l.merged_event_id) AS c "
                        "WHERE mentions.rowid = c.row_id")
            con.execute("DELETE FROM events WHERE merge_block IN (SELECT unnest(?::VARCHAR[]))", [list(blocks)])
        con.execute(_INSERT_EVENTS.format(source=source))
    finally:
        con.unregister("_dyade_link")
        con.unregister("_dyade_heads")


_PUBLISHED = "try_cast(substr(a.published, 1, 10) AS DATE)"
_HOST = r"nullif(regexp_extract(a.url, '^[A-Za-z][A-Za-z0-9+.-]*://([^/?#]+)', 1), '')"

EVENT_COLUMNS = (
    "event_id", "merge_block", "plover_type", "plover_mode", "cameo_code", "cameo_root", "quad_class", "goldstein",
    "source_code", "source_country", "source_sector", "source_name",
    "target_code", "target_country", "target_sector", "target_name",
    "symmetric", "negated", "modality", "event_date", "date_precision", "date_start", "date_end",
    "location_name", "location_country", "location_admin1", "location_precision", "geonames_id", "lat", "lon",
    "fatalities", "confidence", "first_seen", "last_seen", "n_mentions", "n_articles", "n_sources",
    "added_at", "source_url",
)

_INSERT_EVENTS = f"""
INSERT INTO events ({", ".join(f'"{name}"' for name in EVENT_COLUMNS)})
WITH counts AS (
    SELECT l.merged_event_id,
           count(*) AS n_mentions,
           count(DISTINCT m.article_id) AS n_articles,
           count(DISTINCT coalesce(a.source, {_HOST})) AS n_sources,
           min({_PUBLISHED}) AS first_seen,
           max({_PUBLISHED}) AS last_seen,
           bool_or(m."symmetric") AS sym,
           max(m.fatalities) AS fatalities,
           max(m.confidence) AS confidence,
           min(a.ingested_at) AS added_at,
           arg_min(a.url, coalesce({_PUBLISHED}::VARCHAR, '9999') || a.id) FILTER (WHERE a.url IS NOT NULL) AS source_url
    FROM _dyade_link AS l
    JOIN {{source}} AS m ON m.event_id = l.event_id
    JOIN articles AS a ON a.id = m.article_id
    GROUP BY l.merged_event_id
)
SELECT h.merged_event_id, h.block,
       f.plover_type, f.plover_mode, f.cameo_code, f.cameo_root, f.quad_class, f.goldstein,
       f.source_code, f.source_country, f.source_sector, f.source_name,
       f.target_code, f.target_country, f.target_sector, f.target_name,
       c.sym, f.negated, f.modality, f.event_date, f.date_precision, f.date_start, f.date_end,
       p.location_name, p.location_country, p.location_admin1, p.location_precision, p.geonames_id, p.lat, p.lon,
       c.fatalities, c.confidence, c.first_seen, c.last_seen, c.n_mentions, c.n_articles, c.n_sources,
       c.added_at, c.source_url
FROM _dyade_heads AS h
JOIN counts AS c ON c.merged_event_id = h.merged_event_id
JOIN {{source}} AS f ON f.event_id = h.founder_id
LEFT JOIN {{source}} AS p ON p.event_id = h.place_id
ORDER BY f.date_start NULLS LAST, h.merged_event_id  -- date order lets DuckDB's zone maps skip most rows
"""
