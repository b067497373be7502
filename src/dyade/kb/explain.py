"""Explain actor resolution: which phrases matched, what they can mean, and who held an office when."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from ..model import Actor, Article
from . import KnowledgeBase, Term


@dataclass(frozen=True)
class Explanation:
    """The actors found in a phrase, with the knowledge-base readings of every matched phrase."""

    actors: list[Actor]
    readings: list[tuple[str, list[str]]]  # matched text -> readings
    date: str


def explain_phrase(text: str, date: str, pipeline: Any) -> Explanation:
    """Resolve the actors of a short text at a date, keeping the readings that led there."""
    doc = pipeline(Article(id="explain", text=text, published=date))
    readings = [(m.text, [_reading(e) for e in m.entries]) for m in doc.mentions]
    return Explanation(doc.actors, readings, doc.published.value if doc.published else date)


def _reading(entry: Any) -> str:
    where = f" {entry.country}" if entry.country else ""
    sector = f" {entry.sector}" if entry.sector else ""
    only = f" (only {','.join(entry.countries)})" if entry.countries else ""
    return f"{entry.kind}: {entry.key}{where}{sector}{only}"


def office_holders(kb: KnowledgeBase, country: str, first: dt.date, last: dt.date) -> list[tuple[str, Term]]:
    """Everyone who held an office of `country` at some point between two dates, by office."""
    out = []
    for (ctry, _office), holders in kb.office_holders.items():
        if ctry != country:
            continue
        out.extend((name, term) for name, term in holders if term.overlaps(first, last))
    return sorted(out, key=lambda x: (x[1].office, x[1].start))
