"""Sanity checks on the people and office-title data files, read as CSV (conftest `data_csv`), not through dyade."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from typing import Any

import pytest

PEOPLE_HEADER = ["name", "aliases", "country", "office", "sector", "start", "end"]
OFFICES_HEADER = ["office", "sector", "titles", "countries"]

NATIONAL_OFFICES = {
    "head_of_state": "GOV",
    "head_of_government": "GOV",
    "vice_president": "GOV",
    "crown_prince": "GOV",
    "foreign_minister": "GOV",
    "defence_minister": "MIL",
    "interior_minister": "GOV",
    "army_chief": "MIL",
    "spokesperson": "GOV",
    "foreign_ministry_spokesperson": "GOV",
    "intelligence_chief": "GOV",
}
IGO_OFFICES = {
    "un_secretary_general",
    "nato_secretary_general",
    "eu_commission_president",
    "eu_council_president",
    "eu_high_representative",
    "au_commission_chair",
    "iaea_director_general",
    "who_director_general",
    "icc_prosecutor",
    "arab_league_secretary_general",
}
OFFICE_SECTOR = {**NATIONAL_OFFICES, **{o: "IGO" for o in IGO_OFFICES}}

# (country, office) pairs where two people legitimately hold the office at once:
# several intelligence services, several military commands, rival governments, disputed presidencies.
CONCURRENT_ALLOWED = {
    ("USA", "intelligence_chief"),  # CIA director and Director of National Intelligence
    ("RUS", "intelligence_chief"),  # FSB and SVR directors
    ("ISR", "intelligence_chief"),  # Mossad and Shin Bet directors
    ("IRN", "army_chief"),  # armed forces chief of staff, Revolutionary Guards and Quds Force commanders
    ("LBY", "head_of_government"),  # rival governments in Tripoli and the east
    ("YEM", "head_of_state"),  # internationally recognised president and the Houthi council in Sanaa
    ("VEN", "head_of_state"),  # Maduro and the interim president Guaidó
    ("CIV", "head_of_state"),  # Gbagbo and Ouattara after the disputed 2010 election
}

ISO3 = re.compile(r"^[A-Z]{3}$")


@pytest.fixture(scope="module")
def people(data_csv: Any) -> list[dict[str, str]]:
    return data_csv("people.csv")[1]


@pytest.fixture(scope="module")
def offices(data_csv: Any) -> list[dict[str, str]]:
    return data_csv("offices.csv")[1]


def _date(value: str) -> dt.date:
    return dt.date.fromisoformat(value)


def _holders(people: list[dict[str, str]], country: str, office: str, day: str) -> set[str]:
    when = _date(day)
    found = set()
    for row in people:
        if row["country"] != country or row["office"] != office:
            continue
        start = _date(row["start"])
        end = _date(row["end"]) if row["end"] else None
        if start <= when and (end is None or when <= end):
            found.add(row["name"])
    return found


def test_headers(data_csv: Any) -> None:
    assert data_csv("people.csv")[0] == PEOPLE_HEADER
    assert data_csv("offices.csv")[0] == OFFICES_HEADER


def test_people_rows_are_well_formed(people: list[dict[str, str]]) -> None:
    assert len(people) > 500
    for number, row in enumerate(people, start=2):
        where = f"people.csv:{number} {row['name']!r}"
        assert row["name"].strip() == row["name"] and row["name"], where
        assert "|" not in row["name"], where
        assert row["country"] == "IGO" or ISO3.match(row["country"]), where
        assert row["office"] in OFFICE_SECTOR, where
        assert row["sector"] == OFFICE_SECTOR[row["office"]], where
        assert (row["country"] == "IGO") == (row["office"] in IGO_OFFICES), where
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", row["start"]), where
        start = _date(row["start"])
        if row["end"]:
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", row["end"]), where
            assert start < _date(row["end"]), where
        aliases = row["aliases"].split("|") if row["aliases"] else []
        assert all(a.strip() == a and a for a in aliases), where


def test_each_person_lists_the_same_aliases_on_every_row(people: list[dict[str, str]]) -> None:
    by_name: dict[str, set[str]] = defaultdict(set)
    for row in people:
        by_name[row["name"]].add(row["aliases"])
    assert {n: a for n, a in by_name.items() if len(a) > 1} == {}


def test_no_duplicate_terms(people: list[dict[str, str]]) -> None:
    seen = set()
    for row in people:
        key = (row["name"], row["country"], row["office"], row["start"])
        assert key not in seen, key
        seen.add(key)


def test_offices_rows_are_well_formed(offices: list[dict[str, str]]) -> None:
    for number, row in enumerate(offices, start=2):
        where = f"offices.csv:{number} {row['office']}"
        assert row["office"] in OFFICE_SECTOR, where
        assert row["sector"] == OFFICE_SECTOR[row["office"]], where
        titles = row["titles"].split("|")
        assert titles and all(t and t == t.strip() and t == t.lower() for t in titles), where
        if row["countries"]:
            assert all(ISO3.match(c) for c in row["countries"].split("|")), where


def test_every_office_has_titles(people: list[dict[str, str]], offices: list[dict[str, str]]) -> None:
    titled = {row["office"] for row in offices}
    assert {row["office"] for row in people} <= titled


def test_no_two_people_hold_one_office_on_the_same_day(people: list[dict[str, str]]) -> None:
    """Terms may touch (handover day) but not overlap, except for different people where allowed."""
    terms: dict[tuple[str, str], list[tuple[dt.date, dt.date, str]]] = defaultdict(list)
    for row in people:
        end = _date(row["end"]) if row["end"] else dt.date.max
        terms[(row["country"], row["office"])].append((_date(row["start"]), end, row["name"]))
    clashes = []
    for key, spans in terms.items():
        spans.sort()
        for i, (start, end, name) in enumerate(spans):
            for other_start, _other_end, other in spans[i + 1 :]:
                if other_start >= end:
                    break
                if other == name or key not in CONCURRENT_ALLOWED:
                    clashes.append((key, name, str(start), str(end), other, str(other_start)))
    assert clashes == []


@pytest.mark.parametrize(
    ("country", "office", "day", "name"),
    [
        ("TUR", "foreign_minister", "2019-10-01", "Mevlüt Cavusoglu"),
        ("RUS", "head_of_state", "2010-06-01", "Dmitri Medvedev"),
        ("USA", "head_of_state", "2018-06-01", "Donald Trump"),
        ("USA", "head_of_state", "2022-06-01", "Joe Biden"),
        ("USA", "defence_minister", "2020-02-28", "Mark Esper"),
        ("TUR", "head_of_government", "2010-01-01", "Recep Tayyip Erdogan"),
        ("TUR", "head_of_state", "2020-01-01", "Recep Tayyip Erdogan"),
        ("RUS", "foreign_minister", "2015-01-01", "Sergueï Lavrov"),
        ("RUS", "defence_minister", "2020-01-01", "Sergueï Choïgou"),
        ("TUR", "defence_minister", "2020-01-01", "Hulusi Akar"),
        ("SYR", "head_of_state", "2015-01-01", "Bachar al-Assad"),
        ("IRN", "head_of_government", "2016-01-01", "Hassan Rohani"),
        ("IRN", "head_of_state", "2016-01-01", "Ali Khamenei"),
        ("FRA", "head_of_state", "2019-01-01", "Emmanuel Macron"),
        ("CHN", "head_of_state", "2019-01-01", "Xi Jinping"),
        ("RUS", "spokesperson", "2019-01-01", "Dmitri Peskov"),
        ("IGO", "un_secretary_general", "2010-01-01", "Ban Ki-moon"),
        ("IGO", "nato_secretary_general", "2019-01-01", "Jens Stoltenberg"),
    ],
)
def test_known_office_holders(people: list[dict[str, str]], country: str, office: str, day: str, name: str) -> None:
    assert _holders(people, country, office, day) == {name}


def test_required_aliases(people: list[dict[str, str]]) -> None:
    aliases = {row["name"]: set(row["aliases"].split("|")) for row in people}
    assert {"Poutine", "Putin"} <= aliases["Vladimir Poutine"]
    assert {"Erdogan", "Erdoğan"} <= aliases["Recep Tayyip Erdogan"]
    assert {"Choïgou", "Shoigu"} <= aliases["Sergueï Choïgou"]
    assert {"Cavusoglu", "Çavuşoğlu"} <= aliases["Mevlüt Cavusoglu"]
    assert {"Assad", "Bashar al-Assad"} <= aliases["Bachar al-Assad"]


def test_offices_resolve_common_french_titles(offices: list[dict[str, str]]) -> None:
    general: dict[str, set[str]] = defaultdict(set)
    specific: dict[tuple[str, str], set[str]] = defaultdict(set)
    for row in offices:
        for title in row["titles"].split("|"):
            if row["countries"]:
                for country in row["countries"].split("|"):
                    specific[(title, country)].add(row["office"])
            else:
                general[title].add(row["office"])
    assert general["président"] == {"head_of_state"}
    assert general["chef de la diplomatie"] == {"foreign_minister"}
    assert general["ministre des affaires étrangères"] == {"foreign_minister"}
    assert general["premier ministre"] == {"head_of_government"}
    assert general["ministre de la défense"] == {"defence_minister"}
    assert general["chef de l'état"] == {"head_of_state"}
    assert general["roi"] == {"head_of_state"}
    assert "prince héritier" not in general or general["prince héritier"] != {"head_of_state"}
    assert specific[("secrétaire d'état", "USA")] == {"foreign_minister"}
    assert "secrétaire d'état" not in general
    assert specific[("secrétaire à la défense", "USA")] == {"defence_minister"}
    assert specific[("chancelier", "DEU")] == {"head_of_government"}
    assert specific[("guide suprême", "IRN")] == {"head_of_state"}
    assert specific[("émir", "QAT")] == {"head_of_state"}
    assert specific[("président", "IRN")] == {"head_of_government"}
