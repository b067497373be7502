"""Write event records as JSONL, CSV or a readable table."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from typing import IO, Any

FLAT_COLUMNS = [
    "event_id", "article_id", "event_date", "date_precision", "plover_type", "plover_mode", "cameo_code",
    "cameo_root", "quad_class", "goldstein", "source_code", "source_country", "source_name", "source_text",
    "target_code", "target_country", "target_name", "target_text", "symmetric", "location_name",
    "location_country", "lat", "lon", "fatalities", "negated", "modality", "background", "reported_by",
    "evidence_start", "evidence_end", "evidence_text", "rule", "confidence",
]


def flat_row(rec: dict[str, Any]) -> dict[str, Any]:
    """One record as a flat dict of FLAT_COLUMNS."""
    src, tgt, loc = rec.get("source") or {}, rec.get("target") or {}, rec.get("location") or {}
    plover, cameo, ev = rec.get("plover") or {}, rec.get("cameo") or {}, rec.get("evidence") or {}
    return {
        "event_id": rec["event_id"], "article_id": rec["article_id"], "event_date": rec.get("event_date"),
        "date_precision": rec.get("date_precision"), "plover_type": plover.get("type"), "plover_mode": plover.get("mode"),
        "cameo_code": cameo.get("code"), "cameo_root": cameo.get("root"), "quad_class": cameo.get("quad_class"),
        "goldstein": cameo.get("goldstein"), "source_code": src.get("code"), "source_country": src.get("country"),
        "source_name": src.get("name"), "source_text": src.get("text"), "target_code": tgt.get("code"),
        "target_country": tgt.get("country"), "target_name": tgt.get("name"), "target_text": tgt.get("text"),
        "symmetric": rec.get("symmetric"), "location_name": loc.get("name"), "location_country": loc.get("country"),
        "lat": loc.get("lat"), "lon": loc.get("lon"), "fatalities": rec.get("fatalities"), "negated": rec.get("negated"),
        "modality": rec.get("modality"), "background": rec.get("background"),
        "reported_by": (rec.get("reported_by") or {}).get("code"), "evidence_start": ev.get("start"),
        "evidence_end": ev.get("end"), "evidence_text": ev.get("text"), "rule": rec.get("rule"),
        "confidence": rec.get("confidence"),
    }


def write_jsonl(records: Iterable[dict[str, Any]], out: IO[str]) -> None:
    for rec in records:
        out.write(json.dumps(rec, ensure_ascii=False) + "\n")


class CsvWriter:
    """Streams flat rows, writing the header once."""

    def __init__(self, out: IO[str]) -> None:
        self.writer = csv.DictWriter(out, fieldnames=FLAT_COLUMNS)
        self.started = False

    def write(self, records: Iterable[dict[str, Any]]) -> None:
        if not self.started:
            self.writer.writeheader()
            self.started = True
        for rec in records:
            self.writer.writerow(flat_row(rec))


TABLE_HEADER = f"{'date':<10}  {'type':<20} {'source':<22} {'target':<22} {'cameo':<5} {'place':<14} evidence"


def table_line(rec: dict[str, Any], width: int = 60) -> str:
    """One readable line: date, type/mode, source -> target, CAMEO code, place and the trigger in context."""
    row = flat_row(rec)
    kind = row["plover_type"] + (f"/{row['plover_mode']}" if row["plover_mode"] else "")
    flags = "".join(f for f, on in (("!", rec.get("negated")), ("~", rec.get("modality") != "asserted"),
                                    ("^", rec.get("background"))) if on)
    arrow = "<>" if rec.get("symmetric") else "->"
    src = _actor_label(rec.get("source"))
    tgt = _actor_label(rec.get("target"))
    return (f"{row['event_date'] or '?':<10}  {(flags + kind)[:20]:<20} {src[:22]:<22} "
            f"{(arrow + ' ' + tgt)[:22]:<22} {row['cameo_code'] or '':<5} {(row['location_name'] or '')[:14]:<14} "
            f"{_snippet(rec, width)}")


def _actor_label(actor: dict[str, Any] | None) -> str:
    if not actor:
        return "-"
    name = actor.get("name") or actor.get("text") or ""
    return f"{actor.get('code') or '?'} {name}".strip()


def _snippet(rec: dict[str, Any], width: int) -> str:
    ev = rec.get("evidence") or {}
    text = (ev.get("text") or "").replace("\n", " ")
    trig = ev.get("trigger") or {}
    offset = (trig.get("start") or ev.get("start") or 0) - (ev.get("start") or 0)
    lo = max(0, offset - width // 3)
    snippet = text[lo : lo + width]
    return ("…" if lo else "") + snippet + ("…" if lo + width < len(text) else "")
