"""Checks on the actor knowledge-base data files: countries, organisations, agents (csv module only).

These read the CSV files directly, without the loader, so that a bad row is reported with its line
whatever the loader makes of it.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from typing import Any

import pytest

# The 193 member states of the United Nations, by ISO 3166-1 alpha-3 code.
UN_MEMBERS = frozenset(
    """
    AFG ALB DZA AND AGO ATG ARG ARM AUS AUT AZE BHS BHR BGD BRB BLR BEL BLZ BEN BTN BOL BIH BWA BRA
    BRN BGR BFA BDI CPV KHM CMR CAN CAF TCD CHL CHN COL COM COG COD CRI CIV HRV CUB CYP CZE DNK DJI
    DMA DOM ECU EGY SLV GNQ ERI EST SWZ ETH FJI FIN FRA GAB GMB GEO DEU GHA GRC GRD GTM GIN GNB GUY
    HTI HND HUN ISL IND IDN IRN IRQ IRL ISR ITA JAM JPN JOR KAZ KEN KIR PRK KOR KWT KGZ LAO LVA LBN
    LSO LBR LBY LIE LTU LUX MDG MWI MYS MDV MLI MLT MHL MRT MUS MEX FSM MDA MCO MNG MNE MAR MOZ MMR
    NAM NRU NPL NLD NZL NIC NER NGA MKD NOR OMN PAK PLW PAN PNG PRY PER PHL POL PRT QAT ROU RUS RWA
    KNA LCA VCT WSM SMR STP SAU SEN SRB SYC SLE SGP SVK SVN SLB SOM ZAF SSD ESP LKA SDN SUR SWE CHE
    SYR TJK TZA THA TLS TGO TON TTO TUN TUR TKM TUV UGA UKR ARE GBR USA URY UZB VUT VEN VNM YEM ZMB
    ZWE
    """.split()
)
OTHER_STATES = frozenset({"TWN", "XKX", "PSE", "VAT", "ESH", "HKG"})

SECTORS = frozenset(
    "GOV MIL REB OPP PTY COP JUD LEG CVL REF BUS MED SPY LAB EDU HLH AGR CRM ELI REL NGO IGO UAF "
    "HRI ENV".split()
)
SEAT_SECTORS = frozenset({"GOV", "MIL", "LEG", "JUD", "SPY", "COP"})
ORG_KINDS = frozenset({"igo", "armed_group", "agency", "media", "ngo", "party", "company"})
NON_STATE = frozenset({"IGO", "IMG", "NGO"})
NO_SECTOR = "-"

# Ordinary French words, first names or other things that must never name a state or an
# organisation: matching folds case, so `EAU` would fire on every `eau`.
NEVER_A_NAME = frozenset(
    {
        "eu", "eau", "grenade", "maurice", "dominique", "hollande", "sdf", "ans", "ira", "aie",
        "total", "monde", "macedoine", "roseau", "victoria", "male", "sucre", "bla",
        "ola", "ompi", "azov", "amal", "memorial", "confrerie", "chancellerie", "curie",
    }
)
# Agent terms whose generated plural is a frequent word of another kind (`au cours de`).
NEVER_AN_AGENT = frozenset({"cour", "reporter", "cours", "groupe", "pays"})

# Articles that contract with à/de (au Caire, du Kremlin): phrases are written without them.
ARTICLE = re.compile(r"^(le |les |l'|Le |Les |L'|du |des |Du |Des )")


def fold(text: str) -> str:
    """The form phrases are matched in: lowercase, no accents, one apostrophe."""
    text = text.replace("’", "'").replace("œ", "oe").replace("Œ", "oe")
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).strip()


def split(value: str) -> list[str]:
    return [v.strip() for v in (value or "").split("|") if v.strip()]


@pytest.fixture(scope="module")
def countries(data_csv: Any) -> list[dict[str, str]]:
    return data_csv("countries.csv")[1]


@pytest.fixture(scope="module")
def orgs(data_csv: Any) -> list[dict[str, str]]:
    return data_csv("organisations.csv")[1]


@pytest.fixture(scope="module")
def agents(data_csv: Any) -> list[dict[str, str]]:
    return data_csv("agents.csv")[1]


def seats(row: dict[str, str]) -> list[tuple[str, str]]:
    out = []
    for seat in split(row["seats"]):
        phrase, _, sector = seat.rpartition(":")
        out.append((phrase.strip(), sector.strip()))
    return out


def adjective_parts(forms: list[str]) -> tuple[list[list[str]], list[str], list[str]]:
    """Split an adjectives field into inflection groups, compound prefixes and unparsed forms.

    A group is `sg|pl` (gender-invariable: `russe|russes`) or `m.sg|f.sg|m.pl|f.pl`
    (`turc|turque|turcs|turques`). A compound prefix ends in -o (`turco` of `turco-russe`).
    """
    prefixes = [f for f in forms if f.endswith("o")]
    rest = [f for f in forms if not f.endswith("o")]
    groups: list[list[str]] = []
    i = 0
    while i < len(rest):
        a = fold(rest[i])
        if i + 1 < len(rest) and fold(rest[i + 1]) in (a, a + "s", a + "x"):
            groups.append(rest[i : i + 2])
            i += 2
            continue
        if i + 3 < len(rest):
            ms, fs, mp, fp = (fold(f) for f in rest[i : i + 4])
            if "-" in ms:  # compounds agree on each part: only the endings are checked
                ok = fs.endswith("e") and mp.endswith(("s", "x")) and fp.endswith("es")
            else:
                ok = (
                    fs.startswith(ms[:-1])
                    and fs.endswith("e")
                    and mp == (ms if ms.endswith(("s", "x", "z")) else ms + "s")
                    and fp == fs + "s"
                )
            if ok:
                groups.append(rest[i : i + 4])
                i += 4
                continue
        return groups, prefixes, rest[i:]
    return groups, prefixes, []


def country_phrases(countries: list[dict[str, str]]) -> dict[str, set[str]]:
    """Every folded phrase of countries.csv -> the states it names."""
    index: dict[str, set[str]] = defaultdict(set)
    for row in countries:
        phrases = [row["name"], *split(row["names"]), *split(row["adjectives"]), *split(row["capitals"])]
        phrases += [p for p, _ in seats(row)]
        for p in phrases:
            index[fold(p)].add(row["iso3"])
    return index


def org_phrases(orgs: list[dict[str, str]]) -> dict[str, set[str]]:
    index: dict[str, set[str]] = defaultdict(set)
    for row in orgs:
        for p in [row["name"], *split(row["names"])]:
            index[fold(p)].add(row["code"])
    return index


# --- headers and shape ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, header",
    [
        ("countries.csv", ["iso3", "name", "names", "adjectives", "capitals", "seats"]),
        ("organisations.csv", ["code", "name", "names", "country", "sector", "kind"]),
        ("agents.csv", ["term", "sector", "number", "notes", "placed"]),
        ("regions.csv", ["name", "names"]),
    ],
)
def test_header_and_row_width(name, header, data_csv):
    fields, rows = data_csv(name)
    assert fields == header
    for line, row in enumerate(rows, start=2):
        assert None not in row, f"{name}:{line}: more fields than the header"
        assert all(v is not None for v in row.values()), f"{name}:{line}: fewer fields than the header"


def test_no_field_has_empty_or_padded_values(countries, orgs):
    for row in countries + orgs:
        for key in ("names", "adjectives", "capitals", "seats"):
            if key in row and row[key]:
                values = row[key].split("|")
                assert all(v == v.strip() and v for v in values), (row.get("iso3") or row.get("code"), key)


# --- countries -----------------------------------------------------------------------------


def test_iso3_codes_are_unique_and_well_formed(countries):
    codes = [r["iso3"] for r in countries]
    assert len(codes) == len(set(codes)), sorted(c for c in codes if codes.count(c) > 1)
    bad = [c for c in codes if not re.fullmatch(r"[A-Z]{3}", c)]
    assert not bad


def test_every_un_member_and_the_usual_others_are_present(countries):
    codes = {r["iso3"] for r in countries}
    assert len(UN_MEMBERS) == 193
    assert UN_MEMBERS - codes == set()
    assert OTHER_STATES - codes == set()


def test_every_country_has_name_names_and_adjectives(countries):
    for row in countries:
        assert row["name"] and split(row["names"]) and split(row["adjectives"]), row["iso3"]


def test_adjectives_come_in_two_or_four_forms(countries):
    for row in countries:
        groups, prefixes, unparsed = adjective_parts(split(row["adjectives"]))
        assert not unparsed, f"{row['iso3']}: cannot read {unparsed} as sg|pl or m.sg|f.sg|m.pl|f.pl"
        assert groups, f"{row['iso3']}: no adjective"
        assert len(groups[0]) in (2, 4)
        for p in prefixes:
            assert re.fullmatch(r"[^\s\-]+o", p), f"{row['iso3']}: bad compound prefix {p!r}"


def test_compound_prefixes_are_known(countries):
    by_iso = {r["iso3"]: adjective_parts(split(r["adjectives"]))[1] for r in countries}
    for iso3, prefix in [("TUR", "turco"), ("RUS", "russo"), ("USA", "américano"), ("FRA", "franco"),
                         ("DEU", "germano"), ("CHN", "sino"), ("ISR", "israélo"), ("IRN", "irano"),
                         ("SYR", "syro"), ("JPN", "nippo")]:
        assert prefix in by_iso[iso3], iso3


def test_canonical_name_is_among_names(countries):
    for row in countries:
        assert fold(row["name"]) in {fold(n) for n in split(row["names"])}, row["iso3"]


def test_no_duplicate_within_a_field(countries, orgs):
    """Accent or case variants are useless: matching folds them (`Etats-Unis` = `États-Unis`)."""
    for row in countries:
        for key in ("names", "capitals"):
            folded = [fold(v) for v in split(row[key])]
            assert len(folded) == len(set(folded)), (row["iso3"], key, folded)
    for row in orgs:
        folded = [fold(v) for v in split(row["names"])]
        assert len(folded) == len(set(folded)), (row["code"], folded)


def test_no_phrase_names_two_states(countries):
    clashes = {p: sorted(s) for p, s in country_phrases(countries).items() if len(s) > 1}
    assert not clashes


def test_phrases_are_written_without_contracting_articles(countries, orgs):
    for row in countries:
        for p in [*split(row["names"]), *split(row["capitals"]), *(s for s, _ in seats(row))]:
            assert not ARTICLE.match(p), (row["iso3"], p)
    for row in orgs:
        for p in split(row["names"]):
            assert not ARTICLE.match(p), (row["code"], p)


def test_ambiguous_short_forms_are_left_out(countries, orgs):
    found = (set(country_phrases(countries)) | set(org_phrases(orgs))) & NEVER_A_NAME
    assert not found


def test_every_seat_has_a_sector(countries):
    for row in countries:
        for seat in split(row["seats"]):
            phrase, sep, sector = seat.rpartition(":")
            assert sep and phrase.strip(), f"{row['iso3']}: seat {seat!r} needs a phrase and :SECTOR"
            assert sector in SEAT_SECTORS, f"{row['iso3']}: seat {seat!r}"


# --- organisations -------------------------------------------------------------------------


def test_organisation_codes_are_unique_and_consistent(orgs, countries):
    codes = [r["code"] for r in orgs]
    assert len(codes) == len(set(codes)), sorted(c for c in codes if codes.count(c) > 1)
    iso3 = {r["iso3"] for r in countries}
    for row in orgs:
        code, country, sector = row["code"], row["country"], row["sector"]
        assert re.fullmatch(r"[A-Z][A-Z0-9]{2,14}", code), code
        assert country in iso3 or country in NON_STATE, (code, country)
        assert sector in SECTORS, (code, sector)
        assert row["kind"] in ORG_KINDS, (code, row["kind"])
        assert code.startswith(country), f"{code}: the code starts with its country {country}"
        if country not in NON_STATE:
            assert code[3:6] == sector, f"{code}: a state-based code is country + sector + group"
        assert row["name"] and split(row["names"]), code


def test_kinds_agree_with_countries(orgs):
    for row in orgs:
        if row["kind"] == "igo":
            assert row["country"] == "IGO", row["code"]
        if row["kind"] == "ngo":
            assert row["country"] == "NGO" and row["sector"] == "NGO", row["code"]
        if row["country"] == "IMG":
            assert row["kind"] == "armed_group", row["code"]


def test_no_phrase_names_two_organisations_or_an_organisation_and_a_state(orgs, countries):
    index = org_phrases(orgs)
    clashes = {p: sorted(c) for p, c in index.items() if len(c) > 1}
    assert not clashes
    states = country_phrases(countries)
    both = {p: (sorted(index[p]), sorted(states[p])) for p in index if p in states}
    assert not both


def test_enough_organisations(orgs):
    kinds = {r["kind"] for r in orgs}
    assert len(orgs) >= 150
    assert {"igo", "armed_group", "agency", "media", "ngo"} <= kinds


# --- agents --------------------------------------------------------------------------------


def _plural(term: str) -> str:
    head, *rest = term.split(" ")
    if head.endswith(("s", "x", "z")):
        return term
    if head.endswith("al"):
        head = head[:-2] + "aux"
    elif head.endswith(("eau", "eu")):
        head += "x"
    else:
        head += "s"
    return " ".join([head, *rest])


def test_agent_terms(agents):
    terms = [fold(r["term"]) for r in agents]
    assert len(terms) == len(set(terms)), sorted(t for t in terms if terms.count(t) > 1)
    assert len(agents) >= 120
    for row in agents:
        term, sector, number = row["term"], row["sector"], row["number"]
        assert term == term.lower().strip() and term, term
        assert sector in SECTORS or sector == NO_SECTOR, (term, sector)
        assert number in ("sg", "pl"), (term, number)
        if number == "pl":
            assert term.split(" ")[0].endswith(("s", "x")), f"{term}: marked pl but its head is singular"
        if sector == NO_SECTOR:
            assert row["notes"], f"{term}: a term without a sector must say where its sector comes from"
        assert fold(term) not in NEVER_AN_AGENT, term


def test_generated_plurals_do_not_contradict_listed_terms(agents):
    sector = {fold(r["term"]): r["sector"] for r in agents}
    for row in agents:
        if row["number"] == "sg":
            plural = fold(_plural(row["term"]))
            if plural in sector:
                assert sector[plural] == row["sector"], (row["term"], plural)
            assert plural not in NEVER_AN_AGENT, row["term"]


def test_agent_terms_do_not_name_states_or_organisations(agents, countries, orgs):
    taken = set(country_phrases(countries)) | set(org_phrases(orgs))
    clash = sorted(fold(r["term"]) for r in agents if fold(r["term"]) in taken)
    assert not clash


# --- known facts ---------------------------------------------------------------------------


def test_known_facts(countries, orgs, agents):
    by_iso = {r["iso3"]: r for r in countries}
    states = country_phrases(countries)
    assert states[fold("turque")] == {"TUR"}
    assert states[fold("américaines")] == {"USA"}
    assert states[fold("nord-coréennes")] == {"PRK"}
    assert states[fold("Etats-Unis")] == {"USA"}
    assert states[fold("Birmanie")] == states[fold("Myanmar")] == {"MMR"}
    assert states[fold("RDC")] == {"COD"}
    assert "Ankara" in split(by_iso["TUR"]["capitals"])
    assert ("Kremlin", "GOV") in seats(by_iso["RUS"])
    assert ("Pentagone", "MIL") in seats(by_iso["USA"])
    assert ("Maison Blanche", "GOV") in seats(by_iso["USA"])

    org_by_phrase = {fold(p): r for r in orgs for p in [r["name"], *split(r["names"])]}
    assert org_by_phrase[fold("Daech")]["country"] == "IMG"
    assert org_by_phrase[fold("YPG")]["country"] == "SYR"
    assert org_by_phrase[fold("Hezbollah")]["country"] == "LBN"
    assert org_by_phrase[fold("Hamas")]["country"] == "PSE"
    assert org_by_phrase[fold("PKK")]["country"] == "TUR"
    assert org_by_phrase[fold("groupe Wagner")]["country"] == "RUS"
    assert org_by_phrase[fold("OTAN")]["code"] == "IGOWSTNAT"
    assert org_by_phrase[fold("ONU")]["code"] == "IGOUNO"
    assert org_by_phrase[fold("CICR")]["country"] == "NGO"
    assert org_by_phrase[fold("CIA")]["sector"] == "SPY"

    sector = {r["term"]: r["sector"] for r in agents}
    assert sector["soldat"] == "MIL"
    assert sector["armée"] == "MIL"
    assert sector["rebelle"] == "REB"
    assert sector["manifestant"] == "OPP"
    assert sector["gouvernement"] == "GOV"
    assert sector["porte-parole"] == NO_SECTOR
