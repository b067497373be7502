"""Read-only queries behind the web API: parameterised SQL over `articles`, `mentions` (or merged `events`)."""

from __future__ import annotations

import csv
import functools
import json
from importlib import resources
from typing import Any

from ..store.rows import columns
from ..store.shapes import EVENT_FIELDS, event_dict
from . import jsontext
from .db import WebDB
from .filters import (
    TOP_ORDER,
    BadRequest,
    EventFilter,
    Sort,
    decode_cursor,
    encode_cursor,
    page_clause,
)
from .texts import article_text

ARTICLE_FIELDS = ("id", "url", "source", "title", "published", "n_chars", "language", "status", "skip_reason",
                  "coder_version")
# Bucket -> (strftime format, shortest event_date that is precise enough for it).
BUCKETS = {"year": ("%Y", 4), "month": ("%Y-%m", 7), "day": ("%Y-%m-%d", 10)}
LEVELS = {"country": ("source_country", "target_country"), "code": ("source_code", "target_code")}


class NotFound(LookupError):
    """No row with the id asked for: answered with 404."""


@functools.lru_cache(maxsize=1)
def country_names() -> dict[str, str]:
    """ISO alpha-3 code -> French country name (data/countries.csv)."""
    text = resources.files("dyade").joinpath("data", "countries.csv").read_text(encoding="utf-8")
    return {row["iso3"]: row["name"] for row in csv.DictReader(text.splitlines())}


def _count(db: WebDB) -> str:
    """SQL counting real-world events among mentions: merged mentions count once."""
    return "count(DISTINCT coalesce(merged_event_id, event_id))" if db.merged else "count(*)"


def list_merged(db: WebDB, f: EventFilter, sort: Sort, cursor: str | None, limit: int, total: bool,
                min_mentions: int) -> bytes:
    """One page of merged events (the events table, as `dyade events --merged`) as JSON text, like pages.EventPage."""
    where, params = f.where(events=True)
    cond, cparams = page_clause(sort, decode_cursor(cursor, sort) if cursor else None)
    clauses = [where[len(" WHERE "):]] if where else []
    if min_mentions > 1:
        clauses.append("n_mentions >= ?")
        params.append(min_mentions)
    counted = (" WHERE " + " AND ".join(clauses)) if clauses else ""
    paged = (" WHERE " + " AND ".join([*clauses, cond])) if cond else counted
    cur = db.cursor()
    found = cur.execute(
        f"SELECT {sort.key} AS sort_key, {columns(EVENT_FIELDS)} FROM events{paged}{TOP_ORDER[sort.descending]} "
        "LIMIT ?", [*params, *cparams, limit + 1],
    ).fetchall()
    more = len(found) > limit
    found = found[:limit]
    last = found[-1] if found else None
    next_cursor = encode_cursor(sort, last[0], last[1]) if more and last else None
    head: dict[str, Any] = {"limit": limit, "sort": sort.name, "next_cursor": next_cursor, "merged": True}
    if total:
        head["total"] = _one(cur, f"SELECT count(*) FROM events{counted}", params)[0]
    items = [event_dict(dict(zip(EVENT_FIELDS, row[1:]))) for row in found]
    return jsontext.dumps(head)[:-1] + b',"articles":{},"items":' + jsontext.dumps(items) + b"}"


def _one(cur: Any, sql: str, params: list[Any]) -> tuple[Any, ...]:
    """The single row of a query that always returns one."""
    row = cur.execute(sql, params).fetchone()
    assert row is not None
    return tuple(row)


def get_event(db: WebDB, event_id: str) -> dict[str, Any]:
    """One event mention (or merged event) with every mention of the same real-world event."""
    cur = db.cursor()
    row = cur.execute("SELECT record, merged_event_id FROM mentions WHERE event_id = ?"
                      if db.merged else "SELECT record, NULL FROM mentions WHERE event_id = ?", [event_id]).fetchone()
    merged_id = row[1] if row else None
    if row is None and db.merged:  # a merged event's own id
        found = cur.execute("SELECT event_id FROM events WHERE event_id = ?", [event_id]).fetchone()
        merged_id = found[0] if found else None
    if row is None and merged_id is None:
        raise NotFound(f"no event {event_id!r}")
    mentions: list[dict[str, Any]] = []
    if merged_id is not None:
        rows = cur.execute("SELECT record FROM mentions WHERE merged_event_id = ? ORDER BY article_id, "
                           "evidence_start, event_id", [merged_id]).fetchall()
        mentions = [json.loads(r[0]) for r in rows]
    if row is not None and not mentions:
        mentions = [json.loads(row[0])]
    event = json.loads(row[0]) if row is not None else dict(mentions[0])
    event["n_mentions"] = len(mentions)
    event["merged_event_id"] = merged_id
    return {"event": event, "merged": db.merged, "merged_event_id": merged_id, "mentions": mentions}


def get_article(db: WebDB, article_id: str) -> dict[str, Any]:
    """One article: its metadata, its text when known, and every event mention coded from it."""
    cur = db.cursor()
    row = cur.execute(f"SELECT {', '.join(ARTICLE_FIELDS)} FROM articles WHERE id = ?", [article_id]).fetchone()
    if row is None:
        raise NotFound(f"no article {article_id!r}")
    article = dict(zip(ARTICLE_FIELDS, row))
    article["text"] = article_text(cur, article_id) if db.has_texts else None
    rows = cur.execute(
        "SELECT record FROM mentions WHERE article_id = ? ORDER BY evidence_start NULLS LAST, event_id", [article_id]
    ).fetchall()
    article["events"] = [json.loads(r[0]) for r in rows]
    return article


def series(db: WebDB, f: EventFilter, by: str) -> dict[str, Any]:
    """Event counts per period and quad class, with the mean Goldstein score of each period."""
    if by not in BUCKETS:
        raise BadRequest(f"by must be one of {', '.join(BUCKETS)}, not {by!r}")
    fmt, min_len = BUCKETS[by]
    where, params = f.where()
    cur = db.cursor()
    dated = (" AND " if where else " WHERE ") + "date_start IS NOT NULL AND length(event_date) >= ?"
    rows = cur.execute(
        f"SELECT strftime(date_start, '{fmt}') AS period, quad_class, {_count(db)}, sum(goldstein), count(goldstein) "
        f"FROM mentions{where}{dated} GROUP BY ALL ORDER BY period, quad_class NULLS LAST",
        [*params, min_len],
    ).fetchall()
    left = cur.execute(
        f"SELECT count(*) FILTER (date_start IS NULL), count(*) FILTER (date_start IS NOT NULL AND "
        f"length(event_date) < ?) FROM mentions{where}", [min_len, *params],
    ).fetchone()
    periods: dict[str, dict[str, Any]] = {}
    for period, quad, count, gsum, gcount in rows:
        entry = periods.setdefault(period, {"period": period, "n": 0, "quad": {}, "_gsum": 0.0, "_gcount": 0})
        entry["n"] += count
        entry["quad"][str(quad) if quad is not None else "unknown"] = count
        entry["_gsum"] += gsum or 0.0
        entry["_gcount"] += gcount
    out = []
    for entry in periods.values():
        gsum, gcount = entry.pop("_gsum"), entry.pop("_gcount")
        entry["goldstein_mean"] = round(gsum / gcount, 3) if gcount else None
        entry["goldstein_sum"] = round(gsum, 3)
        entry["cooperation"] = entry["quad"].get("1", 0) + entry["quad"].get("2", 0)
        entry["conflict"] = entry["quad"].get("3", 0) + entry["quad"].get("4", 0)
        out.append(entry)
    assert left is not None
    return {"by": by, "periods": out, "excluded": {"undated": left[0], "too_coarse": left[1]}}


def network(db: WebDB, f: EventFilter, level: str, min_count: int, limit: int) -> dict[str, Any]:
    """Directed actor-to-actor edges (counts, cooperation, conflict, mean Goldstein) and their nodes."""
    if level not in LEVELS:
        raise BadRequest(f"level must be one of {', '.join(LEVELS)}, not {level!r}")
    src, tgt = LEVELS[level]
    where, params = f.where()
    cnt, key = _count(db), ("merged_event_id, event_id" if db.merged else "event_id")
    rows = db.cursor().execute(
        f"SELECT s, t, {cnt} AS n, {cnt} FILTER (quad_class IN (1, 2)), {cnt} FILTER (quad_class IN (3, 4)), "
        f"avg(goldstein) FROM (SELECT {src} AS s, {tgt} AS t, quad_class, goldstein, {key} FROM mentions{where}) "
        f"WHERE s IS NOT NULL AND t IS NOT NULL AND s <> t GROUP BY s, t HAVING {cnt} >= ? "
        "ORDER BY n DESC, s, t LIMIT ?",
        [*params, min_count, limit],
    ).fetchall()
    edges = [
        {"source": s, "target": t, "n": n, "cooperation": coop, "conflict": conf,
         "goldstein_mean": round(g, 3) if g is not None else None}
        for s, t, n, coop, conf, g in rows
    ]
    totals: dict[str, int] = {}
    for edge in edges:
        for end in (edge["source"], edge["target"]):
            totals[end] = totals.get(end, 0) + edge["n"]
    names = country_names() if level == "country" else {}
    nodes = [{"id": code, "label": names.get(code, code), "n": n} for code, n in sorted(totals.items())]
    return {"level": level, "nodes": nodes, "edges": edges}


def actors(db: WebDB, q: str | None, limit: int) -> dict[str, Any]:
    """Actor codes and countries seen in the events whose code, name or country matches `q` (all when empty)."""
    pattern = "%"
    if q:
        if len(q) > 100:
            raise BadRequest("q must be at most 100 characters")
        pattern = "%" + q.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    cur = db.cursor()
    sides = " UNION ALL ".join(
        f"SELECT {s}_code AS code, {s}_name AS name, {s}_country AS country FROM mentions WHERE {s}_code IS NOT NULL"
        for s in ("source", "target")
    )
    rows = cur.execute(
        f"SELECT code, mode(name), mode(country), count(*) AS n FROM ({sides}) "
        "WHERE code ILIKE ? ESCAPE '\\' OR name ILIKE ? ESCAPE '\\' GROUP BY code ORDER BY n DESC, code LIMIT ?",
        [pattern, pattern, limit],
    ).fetchall()
    found = [{"code": c, "name": name, "country": country, "n": n} for c, name, country, n in rows]
    counts = cur.execute(
        f"SELECT country, count(*) AS n FROM ({sides}) WHERE country IS NOT NULL GROUP BY country ORDER BY n DESC"
    ).fetchall()
    needle = (q or "").strip().casefold()
    names = country_names()
    countries = [
        {"code": c, "name": names.get(c, c), "n": n} for c, n in counts
        if not needle or needle in c.casefold() or needle in names.get(c, "").casefold()
    ][:limit]
    return {"actors": found, "countries": countries}


def places(db: WebDB, f: EventFilter, limit: int) -> dict[str, Any]:
    """Places with coordinates and how many events of each quad class happened there."""
    where, params = f.where()
    located = (" AND " if where else " WHERE ") + "lat IS NOT NULL AND lon IS NOT NULL"
    cnt = _count(db)
    rows = db.cursor().execute(
        f"SELECT location_name, location_country, avg(lat), avg(lon), {cnt} AS n, "
        f"{cnt} FILTER (quad_class IN (1, 2)), {cnt} FILTER (quad_class IN (3, 4)) "
        f"FROM mentions{where}{located} GROUP BY location_name, location_country "
        "ORDER BY n DESC, location_name LIMIT ?",
        [*params, limit],
    ).fetchall()
    return {"places": [
        {"name": name, "country": country, "lat": round(lat, 5), "lon": round(lon, 5), "n": n,
         "cooperation": coop, "conflict": conf}
        for name, country, lat, lon, n, coop, conf in rows
    ]}


def stats(db: WebDB) -> dict[str, Any]:
    """What the store holds: counts, the date range of events, the busiest country pairs."""
    cur = db.cursor()
    row = cur.execute(
        f"SELECT (SELECT count(*) FROM articles), count(*), {_count(db)}, min(date_start), max(date_end) FROM mentions"
    ).fetchone()
    assert row is not None
    pairs = cur.execute(
        f"SELECT least(source_country, target_country) AS a, greatest(source_country, target_country) AS b, "
        f"{_count(db)} AS n FROM mentions WHERE source_country IS NOT NULL AND target_country IS NOT NULL "
        "AND source_country <> target_country GROUP BY a, b ORDER BY n DESC, a, b LIMIT 10"
    ).fetchall()
    return {
        "articles": row[0], "mentions": row[1], "events": row[2],
        "first": row[3].isoformat() if row[3] else None, "last": row[4].isoformat() if row[4] else None,
        "top_dyads": [{"a": a, "b": b, "n": n} for a, b, n in pairs],
        "merged": db.merged, "texts": db.has_texts, "writable": not db.read_only,
    }
