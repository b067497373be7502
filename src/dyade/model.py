"""The data objects that flow through the pipeline: Article in, Document through, Event out."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

PRECISIONS = ("day", "month", "year")


@dataclass(frozen=True)
class DateValue:
    """A calendar date known to a precision: `2018-11-27` (day), `2018-11` (month), `2018` (year)."""

    value: str
    precision: str
    how: str = ""

    @classmethod
    def of(cls, year: int, month: int | None = None, day: int | None = None, how: str = "") -> DateValue:
        """Build a DateValue from its parts; the precision follows the parts given."""
        if month is None:
            return cls(f"{year:04d}", "year", how)
        if day is None:
            return cls(f"{year:04d}-{month:02d}", "month", how)
        return cls(f"{year:04d}-{month:02d}-{day:02d}", "day", how)

    @property
    def year(self) -> int:
        return int(self.value[:4])

    @property
    def month(self) -> int | None:
        return int(self.value[5:7]) if self.precision in ("day", "month") else None

    @property
    def day(self) -> int | None:
        return int(self.value[8:10]) if self.precision == "day" else None

    def first_day(self) -> dt.date:
        """The first calendar day the value covers."""
        return dt.date(self.year, self.month or 1, self.day or 1)

    def last_day(self) -> dt.date:
        """The last calendar day the value covers."""
        if self.precision == "day":
            return self.first_day()
        if self.precision == "month":
            assert self.month is not None
            nxt = dt.date(self.year + (self.month == 12), self.month % 12 + 1, 1)
            return nxt - dt.timedelta(days=1)
        return dt.date(self.year, 12, 31)


@dataclass
class Article:
    """One input article as read, before any processing."""

    id: str
    text: str
    published: str | None = None
    url: str | None = None
    title: str | None = None
    source: str | None = None
    origin: str = ""  # file path, with `:line` for JSONL


@dataclass(frozen=True)
class Removal:
    """A stretch of the original text dropped by the clean stage, and why."""

    start: int
    end: int
    reason: str


@dataclass
class Actor:
    """A resolved actor: CAMEO-style code, country, sector, canonical name, and where it was said."""

    code: str | None
    country: str | None
    sector: str | None
    name: str | None
    text: str
    start: int  # offsets into the original text
    end: int
    person: str | None = None  # canonical person name when the actor is an individual
    kind: str = ""  # state, capital, seat, person, title, org, agent, adjective, compound, pair, counterpart
    tok_start: int = -1  # token span in the spaCy doc (not part of the record)
    tok_end: int = -1
    prep: str = ""  # the preposition right before the phrase, folded (`a`, `en`, `selon`, `par`...)
    possessed: bool = False  # `leurs troupes`: the owner is said elsewhere
    # Not named by the text: the people a state coerces at home, the government protesters march against.
    # `text`/`start`/`end` are then the words that imply the actor (`749 arrestations`, `ont manifesté`).
    implied: bool = False

    def to_record(self) -> dict[str, Any]:
        record = {
            "code": self.code,
            "country": self.country,
            "sector": self.sector,
            "name": self.name,
            "text": self.text,
            "start": self.start,
            "end": self.end,
        }
        if self.implied:  # an added field, only where it says something: other records stay as they were
            record["implied"] = True
        return record


@dataclass
class Place:
    """A resolved place (see event-record.md)."""

    name: str
    text: str
    country: str | None
    admin1: str | None
    lat: float | None
    lon: float | None
    geonames_id: int | None
    precision: str  # city, admin1, country, region

    def to_record(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "text": self.text,
            "country": self.country,
            "admin1": self.admin1,
            "lat": self.lat,
            "lon": self.lon,
            "geonames_id": self.geonames_id,
            "precision": self.precision,
        }


@dataclass
class Event:
    """One coded event. `to_record` gives the contract of event-record.md."""

    event_id: str
    article_id: str
    sentence_index: int
    plover_type: str
    plover_mode: str | None
    cameo_code: str
    cameo_root: str
    quad_class: int
    goldstein: float
    source: Actor | None
    target: Actor | None
    symmetric: bool
    evidence_text: str
    evidence_start: int
    evidence_end: int
    trigger_start: int
    trigger_end: int
    rule: str
    confidence: float
    event_date: DateValue | None = None
    location: Place | None = None
    fatalities: int | None = None
    negated: bool = False
    modality: str = "asserted"
    background: bool = False
    reported_by: Actor | None = None
    trigger_i: int = -1  # token index of the trigger in the spaCy doc (not part of the record)
    tense: str = "past"  # past, present or future: how the dates stage reads weekdays

    def to_record(self) -> dict[str, Any]:
        """The JSON-ready event record, field for field as in event-record.md."""
        return {
            "event_id": self.event_id,
            "article_id": self.article_id,
            "event_date": self.event_date.value if self.event_date else None,
            "date_precision": self.event_date.precision if self.event_date else None,
            "source": self.source.to_record() if self.source else None,
            "target": self.target.to_record() if self.target else None,
            "symmetric": self.symmetric,
            "plover": {"type": self.plover_type, "mode": self.plover_mode},
            "cameo": {
                "code": self.cameo_code,
                "root": self.cameo_root,
                "quad_class": self.quad_class,
                "goldstein": self.goldstein,
            },
            "location": self.location.to_record() if self.location else None,
            "fatalities": self.fatalities,
            "negated": self.negated,
            "modality": self.modality,
            "background": self.background,
            "reported_by": self.reported_by.to_record() if self.reported_by else None,
            "evidence": {
                "text": self.evidence_text,
                "start": self.evidence_start,
                "end": self.evidence_end,
                "trigger": {"start": self.trigger_start, "end": self.trigger_end},
            },
            "date_how": self.event_date.how if self.event_date else None,
            "rule": self.rule,
            "confidence": round(self.confidence, 3),
        }


@dataclass(frozen=True)
class Mention:
    """A knowledge-base phrase found in the parsed text: tokens [start, end) and what it can mean."""

    start: int  # token indexes in the spaCy doc
    end: int
    char_start: int  # cleaned-text offsets
    char_end: int
    text: str
    entries: tuple[Any, ...]  # kb.Entry values

    def kinds(self) -> set[str]:
        return {e.kind for e in self.entries}


@dataclass
class Sentence:
    """A sentence of the cleaned text, with its offsets in the cleaned and original text."""

    index: int
    start: int  # cleaned-text offsets
    end: int
    orig_start: int  # original-text offsets
    orig_end: int
    tok_start: int = 0  # token span in the spaCy doc
    tok_end: int = 0


@dataclass
class Document:
    """The one object every stage takes and returns."""

    article: Article
    text: str = ""  # cleaned text
    offsets: list[int] = field(default_factory=list)  # cleaned index -> original index (len(text)+1)
    removals: list[Removal] = field(default_factory=list)
    published: DateValue | None = None
    language: str | None = None  # ISO 639-1 code found by language.v1 (None when unsure)
    spacy_doc: Any = None
    sentences: list[Sentence] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)  # knowledge-base phrases, in text order
    actors: list[Actor] = field(default_factory=list)  # every actor resolved, in text order
    events: list[Event] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # explanations: inferred years
    rejected: list[tuple[int, str]] = field(default_factory=list)  # (sentence index, why a candidate was dropped)
    done: list[str] = field(default_factory=list)  # names of the stages that ran

    @property
    def id(self) -> str:
        return self.article.id

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a cleaned-text span to the original text."""
        if not self.offsets:
            return start, end
        o_start = self.offsets[start]
        o_end = self.offsets[end - 1] + 1 if end > start else o_start
        return o_start, o_end
