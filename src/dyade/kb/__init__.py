"""The actor knowledge base: states, organisations, people with their offices, titles and agent nouns.

Loaded from the CSV files in `dyade/data/` (formats in `docs/data-formats.md`) into immutable
objects with one phrase index, so matching an article is a hash look-up per token position.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from types import MappingProxyType
from typing import Mapping

from ..errors import DataFileError

DATA_FILES = ("countries.csv", "organisations.csv", "people.csv", "offices.csv", "agents.csv")
NO_SECTOR = "-"

Tokenize = Callable[[str], list[str]]


@functools.lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Lowercase, strip accents and unify apostrophes: the form every phrase is matched in.
    Cached: the same few thousand words are folded over and over on the hot path."""
    text = text.replace("’", "'").replace("œ", "oe").replace("Œ", "oe")
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@dataclass(frozen=True)
class Term:
    """One office held by a person from `start` to `end` (None: still in office)."""

    country: str
    office: str
    sector: str
    start: dt.date
    end: dt.date | None

    def covers(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)

    def overlaps(self, first: dt.date, last: dt.date) -> bool:
        return self.start <= last and (self.end is None or first <= self.end)


@dataclass(frozen=True)
class Person:
    """A person and every office the knowledge base knows they held."""

    name: str
    terms: tuple[Term, ...]

    def countries(self) -> set[str]:
        return {t.country for t in self.terms}


@dataclass(frozen=True)
class Entry:
    """What a phrase means. `kind`: state, adjective, capital, seat, org, person, title, agent, region."""

    kind: str
    key: str  # iso3, org code, person name, office name or agent term
    country: str | None = None
    sector: str | None = None
    code: str | None = None  # explicit actor code (organisations)
    countries: tuple[str, ...] = ()  # titles restricted to these countries
    name: str | None = None  # canonical display name
    placed: bool = True  # an agent that takes the country where it acts when none is said (`no`: a weapon)


@dataclass(frozen=True)
class KnowledgeBase:
    """Every actor phrase, folded and tokenised, mapped to what it can mean."""

    phrases: Mapping[tuple[str, ...], tuple[Entry, ...]]
    people: Mapping[str, Person]
    state_names: Mapping[str, str]
    office_holders: Mapping[tuple[str, str], tuple[tuple[str, Term], ...]] = field(default_factory=dict)
    max_len: int = 1

    def holders(self, country: str, office: str, day: dt.date) -> list[str]:
        """Names of the people who held `office` in `country` on `day`."""
        return [name for name, term in self.office_holders.get((country, office), ()) if term.covers(day)]


def load_kb(tokenize: Tokenize, files: Mapping[str, str] | None = None) -> KnowledgeBase:
    """Build the knowledge base; `files` maps data-file names to CSV text (tests), else package data."""
    builder = _Builder(tokenize)
    read = (lambda name: files[name]) if files is not None else _package_text
    builder.countries(_rows(read, "countries.csv"))
    builder.organisations(_rows(read, "organisations.csv"))
    builder.offices(_rows(read, "offices.csv"))
    builder.agents(_rows(read, "agents.csv"))
    builder.people(_rows(read, "people.csv"))
    builder.regions(_rows(read, "regions.csv"))
    return builder.build()


def _package_text(name: str) -> str:
    return resources.files("dyade").joinpath("data", name).read_text(encoding="utf-8")


def _rows(read: Callable[[str], str], name: str) -> Iterator[tuple[str, dict[str, str]]]:
    try:
        text = read(name)
    except (KeyError, FileNotFoundError):
        return
    for number, row in enumerate(csv.DictReader(io.StringIO(text)), start=2):
        yield f"{name}:{number}", {k: (v or "").strip() for k, v in row.items() if k}


def split(value: str) -> list[str]:
    """A `|`-separated field as a list of non-empty values."""
    return [v.strip() for v in value.split("|") if v.strip()]


def plurals(term: str) -> list[str]:
    """The singular and regular plural of a role noun (`soldat` -> `soldats`; `chef d'état-major` -> `chefs ...`)."""
    words = term.split(" ")
    head = words[0]
    if head.endswith(("s", "x", "z")):
        plural = head
    elif head.endswith("al"):
        plural = head[:-2] + "aux"
    elif head.endswith(("eau", "eu")):
        plural = head + "x"
    else:
        plural = head + "s"
    return [term] if plural == head else [term, " ".join([plural, *words[1:]])]


class _Builder:
    """Collects phrases while the data files are read; `build` freezes them."""

    def __init__(self, tokenize: Tokenize) -> None:
        self.tokenize = tokenize
        self.phrases: dict[tuple[str, ...], list[Entry]] = {}
        self.state_names: dict[str, str] = {}
        self.terms: dict[str, list[Term]] = {}
        self.aliases: dict[str, set[str]] = {}
        self.office_sector: dict[str, str] = {}

    def add(self, phrase: str, entry: Entry) -> None:
        tokens = tuple(fold(t) for t in self.tokenize(phrase.strip()) if t.strip())
        if not tokens:
            return
        bucket = self.phrases.setdefault(tokens, [])
        if entry not in bucket:
            bucket.append(entry)

    def countries(self, rows: Iterator[tuple[str, dict[str, str]]]) -> None:
        for where, row in rows:
            iso3 = _required(row, "iso3", where)
            name = row.get("name") or iso3
            self.state_names[iso3] = name
            for n in {name, *split(row.get("names", ""))}:
                self.add(n, Entry("state", iso3, iso3, None, name=name))
            for adj in split(row.get("adjectives", "")):
                self.add(adj, Entry("adjective", iso3, iso3, None, name=name))
            for cap in split(row.get("capitals", "")):
                self.add(cap, Entry("capital", iso3, iso3, "GOV", name=name))
            for seat in split(row.get("seats", "")):
                phrase, _, sector = seat.rpartition(":")
                if not phrase:
                    raise DataFileError(f"{where}: seat {seat!r} needs a `:SECTOR` suffix")
                self.add(phrase, Entry("seat", iso3, iso3, sector, name=phrase))

    def organisations(self, rows: Iterator[tuple[str, dict[str, str]]]) -> None:
        for where, row in rows:
            code = _required(row, "code", where)
            entry = Entry("org", code, row.get("country") or None, row.get("sector") or None, code=code,
                          name=row.get("name") or code)
            for n in {row.get("name", ""), *split(row.get("names", ""))}:
                if n:
                    self.add(n, entry)

    def offices(self, rows: Iterator[tuple[str, dict[str, str]]]) -> None:
        for where, row in rows:
            office = _required(row, "office", where)
            sector = row.get("sector") or "GOV"
            self.office_sector.setdefault(office, sector)
            restrict = tuple(split(row.get("countries", "")))
            for title in split(row.get("titles", "")):
                for form in plurals(title):
                    self.add(form, Entry("title", office, None, sector, countries=restrict, name=title))

    def agents(self, rows: Iterator[tuple[str, dict[str, str]]]) -> None:
        for where, row in rows:
            term = _required(row, "term", where)
            sector = row.get("sector") or NO_SECTOR
            forms = [term] if row.get("number") == "pl" else plurals(term)
            placed = row.get("placed", "") != "no"
            for form in forms:
                self.add(form, Entry("agent", term, None, None if sector == NO_SECTOR else sector, name=term,
                                     placed=placed))

    def people(self, rows: Iterator[tuple[str, dict[str, str]]]) -> None:
        for where, row in rows:
            name = _required(row, "name", where)
            try:
                start = dt.date.fromisoformat(_required(row, "start", where))
                end = dt.date.fromisoformat(row["end"]) if row.get("end") else None
            except ValueError as exc:
                raise DataFileError(f"{where}: bad date ({exc})") from exc
            office = row.get("office", "")
            sector = row.get("sector") or self.office_sector.get(office, "GOV")
            self.terms.setdefault(name, []).append(Term(row.get("country", ""), office, sector, start, end))
            self.aliases.setdefault(name, set()).update({name, *split(row.get("aliases", ""))})

    def regions(self, rows: Iterator[tuple[str, dict[str, str]]]) -> None:
        """Regions of the world are no actor, and must not give one: `Amérique latine` is not `Amérique`."""
        for where, row in rows:
            name = _required(row, "name", where)
            for n in {name, *split(row.get("names", ""))}:
                self.add(n, Entry("region", name, None, None, name=name))

    def build(self) -> KnowledgeBase:
        people = {n: Person(n, tuple(sorted(t, key=lambda x: x.start))) for n, t in self.terms.items()}
        holders: dict[tuple[str, str], list[tuple[str, Term]]] = {}
        for person in people.values():
            for term in person.terms:
                holders.setdefault((term.country, term.office), []).append((person.name, term))
            for alias in self.aliases[person.name]:
                self.add(alias, Entry("person", person.name, name=person.name))
        return KnowledgeBase(
            phrases=MappingProxyType({k: tuple(v) for k, v in self.phrases.items()}),
            people=MappingProxyType(people),
            state_names=MappingProxyType(dict(self.state_names)),
            office_holders=MappingProxyType({k: tuple(v) for k, v in holders.items()}),
            max_len=max((len(k) for k in self.phrases), default=1),
        )


def _required(row: dict[str, str], column: str, where: str) -> str:
    value = row.get(column, "")
    if not value:
        raise DataFileError(f"{where}: the `{column}` column is empty")
    return value
