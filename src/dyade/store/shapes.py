"""The JSON shape of a merged event, shared by the store, the exports and the CLI."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from .merge import EVENT_COLUMNS

# The events columns a merged event dict is built from (the merge key stays inside the store).
EVENT_FIELDS = tuple(name for name in EVENT_COLUMNS if name != "merge_block")


def _actor(row: dict[str, Any], side: str) -> dict[str, Any] | None:
    """The source or target of an events row as an actor object, None when it has no actor."""
    actor = {part: row[f"{side}_{part}"] for part in ("code", "country", "sector", "name")}
    return actor if any(value is not None for value in actor.values()) else None


def _plain(value: Any) -> Any:
    """A value JSON can hold: dates as ISO text, NaN as None."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def event_dict(row: dict[str, Any]) -> dict[str, Any]:
    """One events row as a JSON-ready merged event, nested like the event record where it can be."""
    row = {key: _plain(value) for key, value in row.items()}
    place = None
    if row["location_name"] is not None or row["geonames_id"] is not None:
        place = {"name": row["location_name"], "country": row["location_country"], "admin1": row["location_admin1"],
                 "lat": row["lat"], "lon": row["lon"], "geonames_id": row["geonames_id"],
                 "precision": row["location_precision"]}
    return {
        "event_id": row["event_id"],
        "event_date": row["event_date"],
        "date_precision": row["date_precision"],
        "source": _actor(row, "source"),
        "target": _actor(row, "target"),
        "symmetric": row["symmetric"],
        "plover": {"type": row["plover_type"], "mode": row["plover_mode"]},
        "cameo": {"code": row["cameo_code"], "root": row["cameo_root"], "quad_class": row["quad_class"],
                  "goldstein": row["goldstein"]},
        "location": place,
        "fatalities": row["fatalities"],
        "negated": row["negated"],
        "modality": row["modality"],
        "confidence": row["confidence"],
        "first_seen": row["first_seen"],
        "last_seen": row["last_seen"],
        "n_mentions": row["n_mentions"],
        "n_articles": row["n_articles"],
        "n_sources": row["n_sources"],
        "source_url": row["source_url"],
    }
