"""Exports for analysts: Parquet, CSV, JSONL, a GDELT 2.0-style events file and PLOVER JSON."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from .duckdb import Store
from .rows import ARTICLE_SCHEMA, FLAT_COLUMNS, StoreError, columns
from .shapes import EVENT_FIELDS, event_dict

logger = logging.getLogger(__name__)

FORMATS = ("parquet", "csv", "jsonl", "gdelt", "plover")
# The formats written as a folder of events, mentions and articles files; the others are one file.
FOLDER_FORMATS = ("parquet", "csv", "jsonl")
ASSERTED = "NOT negated AND coalesce(modality, 'asserted') = 'asserted'"
_CHUNK = 10_000

# The GDELT 2.0 event table, in its column order (GDELT-Event_Codebook-V2.0).
_GEO = ("Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID")
_ACTOR = ("Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code", "Religion2Code",
          "Type1Code", "Type2Code", "Type3Code")
GDELT_COLUMNS = (
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    *(f"Actor1{part}" for part in _ACTOR), *(f"Actor2{part}" for part in _ACTOR),
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "NumMentions", "NumSources", "NumArticles", "AvgTone",
    *(f"Actor1Geo_{part}" for part in _GEO), *(f"Actor2Geo_{part}" for part in _GEO),
    *(f"ActionGeo_{part}" for part in _GEO),
    "DATEADDED", "SOURCEURL",
)
# GDELT geographic types: 1 country, 2 US state, 3 US city, 4 world city, 5 world state (ADM1).
_GEO_TYPE = {"country": (1, 1), "admin1": (5, 2), "city": (4, 3)}
_PLOVER_RESOLUTION = {"city": 4, "admin1": 2, "country": 1}


def export(store: Store, fmt: str, out: str | Path) -> list[Path]:
    """Write the store's events (and, for folder formats, mentions and articles) to `out`; returns the files.

    parquet, csv and jsonl write a folder holding events.*, mentions.* and articles.*; gdelt writes
    one tab-separated file and plover one JSONL file, of the events that happened (asserted, not negated).
    """
    if fmt not in FORMATS:
        raise StoreError(f"export format must be one of {FORMATS}, not {fmt!r}")
    out = Path(out)
    if fmt in FOLDER_FORMATS:
        out.mkdir(parents=True, exist_ok=True)
        writer = {"parquet": _copy_tables, "csv": _copy_tables, "jsonl": _write_jsonl}[fmt]
        files = writer(store, fmt, out)
    else:
        out.parent.mkdir(parents=True, exist_ok=True)
        with out.open("w", encoding="utf-8", newline="") as handle:
            count = (write_gdelt if fmt == "gdelt" else write_plover)(store, handle)
        logger.info("%s: %d events written", out, count)
        files = [out]
    return files


def _tables(with_record: bool) -> dict[str, str]:
    """The SELECT of each exported table (column lists come from our schemas only)."""
    mention_columns = [*FLAT_COLUMNS, "record"] if with_record else FLAT_COLUMNS
    return {
        "events": f"SELECT {columns(EVENT_FIELDS)} FROM events ORDER BY event_id",
        "mentions": f"SELECT {columns(mention_columns)} FROM mentions ORDER BY event_id",
        "articles": f"SELECT {columns(ARTICLE_SCHEMA.names)} FROM articles ORDER BY id",
    }


def _copy_tables(store: Store, fmt: str, folder: Path) -> list[Path]:
    """events, mentions and articles through DuckDB's COPY (Parquet keeps the JSON record, CSV does not)."""
    options = "FORMAT parquet, COMPRESSION zstd" if fmt == "parquet" else "FORMAT csv, HEADER"
    files = []
    for name, select in _tables(with_record=fmt == "parquet").items():
        path = folder / f"{name}.{fmt}"
        quoted = str(path).replace("'", "''")
        store.execute(f"COPY ({select}) TO '{quoted}' ({options})").fetchall()
        files.append(path)
    return files


def _rows(store: Store, select: str) -> Iterator[tuple[Any, ...]]:
    """Stream the rows of a query in chunks."""
    cursor = store.execute(select)
    while chunk := cursor.fetchmany(_CHUNK):
        yield from chunk


def _write_jsonl(store: Store, fmt: str, folder: Path) -> list[Path]:
    """events.jsonl (merged events), mentions.jsonl (the records as extract wrote them), articles.jsonl."""
    paths = {name: folder / f"{name}.jsonl" for name in ("events", "mentions", "articles")}
    with paths["events"].open("w", encoding="utf-8") as out:
        for row in _rows(store, _tables(False)["events"]):
            out.write(json.dumps(event_dict(dict(zip(EVENT_FIELDS, row))), ensure_ascii=False) + "\n")
    with paths["mentions"].open("w", encoding="utf-8") as out:
        for (record,) in _rows(store, "SELECT record FROM mentions ORDER BY event_id"):
            out.write(record + "\n")
    names = ARTICLE_SCHEMA.names
    with paths["articles"].open("w", encoding="utf-8") as out:
        for row in _rows(store, _tables(False)["articles"]):
            out.write(json.dumps(dict(zip(names, row)), ensure_ascii=False, default=str) + "\n")
    return list(paths.values())


def gdelt_id(event_id: str) -> int:
    """The GDELT integer id of a merged event: its 16 hex digits as a positive 63-bit number."""
    return int(event_id.lstrip("E"), 16) & 0x7FFF_FFFF_FFFF_FFFF


def _text(value: Any) -> str:
    """A GDELT cell: empty for missing values, no tabs or line breaks."""
    if value is None:
        return ""
    return " ".join(str(value).split())


def gdelt_row(row: dict[str, Any]) -> list[str]:
    """One merged event as the GDELT 2.0 event columns (see docs/exports.md for what each holds)."""
    day = row["date_start"] or row["first_seen"]
    cells: dict[str, Any] = {"GLOBALEVENTID": gdelt_id(row["event_id"])}
    if day is not None:
        cells.update(SQLDATE=day.strftime("%Y%m%d"), MonthYear=day.strftime("%Y%m"), Year=day.year,
                     FractionDate=f"{day.year + day.timetuple().tm_yday / 365:.4f}")
    for number, side in ((1, "source"), (2, "target")):
        cells.update({f"Actor{number}Code": row[f"{side}_code"], f"Actor{number}Name": row[f"{side}_name"],
                      f"Actor{number}CountryCode": row[f"{side}_country"], f"Actor{number}Type1Code": row[f"{side}_sector"]})
    code = row["cameo_code"]
    cells.update(EventCode=code, EventBaseCode=code[:3] if code else None, EventRootCode=row["cameo_root"],
                 QuadClass=row["quad_class"], GoldsteinScale=row["goldstein"], NumMentions=row["n_mentions"],
                 NumSources=row["n_sources"], NumArticles=row["n_articles"])
    precision = row["location_precision"]
    if row["location_name"] is not None or row["lat"] is not None:
        world, us = _GEO_TYPE.get(precision or "", (None, None))
        country = row["location_country"]
        cells.update(ActionGeo_Type=us if country == "USA" else world, ActionGeo_FullName=row["location_name"],
                     ActionGeo_CountryCode=country, ActionGeo_Lat=row["lat"], ActionGeo_Long=row["lon"],
                     ActionGeo_FeatureID=row["geonames_id"])
        if row["location_admin1"] and country:
            cells["ActionGeo_ADM1Code"] = f"{country}{row['location_admin1']}"
    if row["added_at"] is not None:
        cells["DATEADDED"] = row["added_at"].strftime("%Y%m%d%H%M%S")
    cells["SOURCEURL"] = row["source_url"]
    return [_text(cells.get(name)) for name in GDELT_COLUMNS]


def write_gdelt(store: Store, out: IO[str], *, header: bool = True) -> int:
    """The events that happened as GDELT 2.0 tab-separated rows (with a header row); returns the count."""
    if header:
        out.write("\t".join(GDELT_COLUMNS) + "\n")
    count = 0
    select = f"SELECT {columns(EVENT_FIELDS)} FROM events WHERE {ASSERTED} ORDER BY event_id"
    for row in _rows(store, select):
        out.write("\t".join(gdelt_row(dict(zip(EVENT_FIELDS, row)))) + "\n")
        count += 1
    return count


def _entity(row: dict[str, Any], side: str) -> dict[str, Any] | None:
    """A PLOVER entity object: top-level code (country), sector, canonical name, and dyade's full code."""
    if row[f"{side}_code"] is None and row[f"{side}_country"] is None:
        return None
    return {"code": row[f"{side}_country"], "sector": row[f"{side}_sector"], "identifier_text": row[f"{side}_name"],
            "actor_code": row[f"{side}_code"]}


def plover_record(row: dict[str, Any], texts: list[str]) -> dict[str, Any]:
    """One merged event as a PLOVER JSON record (PLOVER manual, chapter Data Fields)."""
    source, target = _entity(row, "source"), _entity(row, "target")
    reciprocal = bool(row["symmetric"]) and target is not None
    start = row["date_start"] or row["first_seen"]
    record: dict[str, Any] = {
        "id": row["event_id"],
        "has_event": True,
        "date": start.isoformat() if start else None,
        "actor": [e for e in (source, target if reciprocal else None) if e is not None],
        "recipient": [] if reciprocal or target is None else [target],
        "event": [row["plover_type"]],
        "mode": [row["plover_mode"]] if row["plover_mode"] else [],
        "context": [],
        "quad_code": row["quad_class"],
        "event_text": texts,
    }
    if row["date_end"] is not None and row["date_end"] != row["date_start"]:
        record["enddate"] = row["date_end"].isoformat()
    if row["location_name"] is not None or row["lat"] is not None:
        record["event_loc"] = {"resolved_place": row["location_name"], "geonameid": row["geonames_id"],
                               "lat": row["lat"], "lon": row["lon"], "country_code": row["location_country"],
                               "resolution": _PLOVER_RESOLUTION.get(row["location_precision"] or "")}
    if row["fatalities"] is not None:
        record["size"] = {"dead": row["fatalities"]}
    record.update(
        cite_info={"url": row["source_url"], "coder": "dyade", "codebook": "plover"},
        coder="dyade",
        coded_date=row["added_at"].date().isoformat() if row["added_at"] is not None else None,
        date_precision=row["date_precision"] if row["date_start"] is not None else None,
        cameo={"code": row["cameo_code"], "root": row["cameo_root"], "goldstein": row["goldstein"]},
        n_mentions=row["n_mentions"], n_articles=row["n_articles"], n_sources=row["n_sources"],
    )
    return record


def write_plover(store: Store, out: IO[str]) -> int:
    """The events that happened as PLOVER JSONL, one record per line; returns the count."""
    event_columns = ", ".join(f'e."{name}"' for name in EVENT_FIELDS)
    select = (
        "WITH texts AS (SELECT merged_event_id, list(DISTINCT evidence_text ORDER BY evidence_text) AS texts "
        "FROM mentions WHERE evidence_text IS NOT NULL GROUP BY merged_event_id) "
        f"SELECT {event_columns}, t.texts "
        f"FROM events AS e LEFT JOIN texts AS t ON t.merged_event_id = e.event_id WHERE {ASSERTED} ORDER BY e.event_id"
    )
    count = 0
    for row in _rows(store, select):
        record = plover_record(dict(zip(EVENT_FIELDS, row)), list(row[-1] or []))
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        count += 1
    return count
