"""Checks on the predicate lexicon (data/predicates.fr.yaml) and its golden sentences; no spaCy needed."""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path

import pytest
import yaml

from dyade.coder.lexicon import PREPOSITIONS, SOURCE_SLOTS, load_lexicon
from dyade.kb import fold

DATA = Path(__file__).resolve().parents[1] / "src" / "dyade" / "data"
GOLDEN = Path(__file__).resolve().parent / "golden" / "lexicon.jsonl"
PLOVER_TYPES = {
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
}
# AID has no PLOVER modes; the lexicon names the kind of aid (as the golden sentences expect).
EXTRA_MODES = {"AID": {"economic", "military", "humanitarian"}}


@pytest.fixture(scope="module")
def lexicon():
    return load_lexicon()


@pytest.fixture(scope="module")
def raw():
    return yaml.safe_load((DATA / "predicates.fr.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def entries(lexicon):
    return [p for preds in lexicon.by_lemma.values() for p in preds]


@pytest.fixture(scope="module")
def plover_modes():
    with open(DATA / "plover.csv", encoding="utf-8", newline="") as fh:
        return {r["type"]: set(filter(None, r["modes"].split("|"))) | EXTRA_MODES.get(r["type"], set())
                for r in csv.DictReader(fh)}


def test_lexicon_loads(lexicon, raw, entries):
    assert isinstance(raw, list)
    assert len(entries) == len(raw)
    assert lexicon.support_verbs


def test_at_least_450_entries(entries):
    assert len(entries) >= 450


def test_every_plover_type_has_ten_entries(entries):
    counts = Counter(p.type for p in entries)
    assert set(counts) == PLOVER_TYPES
    thin = {t: n for t, n in counts.items() if n < 10}
    assert not thin, thin


def test_cameo_codes_exist_and_agree_with_type(lexicon, entries):
    for p in entries:
        assert p.cameo in lexicon.cameo, p.id
        table = lexicon.cameo[p.cameo].plover_type
        assert table == "" or table == p.type, (p.id, p.cameo, table)
        for m in p.modes:
            if m.cameo:
                assert m.cameo in lexicon.cameo, (p.id, m.cameo)
                table = lexicon.cameo[m.cameo].plover_type
                assert table == "" or table == p.type, (p.id, m.cameo, table)


def test_codes_without_plover_type_name_their_type(raw, lexicon):
    """01x/02x codes have no PLOVER type in cameo.csv: the entry must say it (02x appeals are REQUEST)."""
    for item in raw:
        code = str(item["cameo"])
        if not lexicon.cameo[code].plover_type:
            assert item.get("type") in PLOVER_TYPES, item
        if code.startswith("02"):
            assert item["type"] == "REQUEST", item


def test_modes_belong_to_the_type(entries, plover_modes):
    for p in entries:
        allowed = plover_modes[p.type]
        assert p.mode is None or p.mode in allowed, (p.id, p.mode)
        for m in p.modes:
            assert m.mode is None or m.mode in allowed, (p.id, m.mode)
            assert m.cues, p.id


def test_no_duplicate_keys(raw):
    keys = Counter(
        (fold(item["lemma"]), item.get("pos", "VERB"), frozenset(fold(w) for w in item.get("needs", [])),
         frozenset(fold(w) for w in item.get("verbs", [])), frozenset(item.get("target_kinds", [])))
        for item in raw)
    dups = [k for k, n in keys.items() if n > 1]
    assert not dups, dups


def test_slots_and_fields(raw):
    known = {"lemma", "pos", "type", "cameo", "mode", "source", "target", "se", "needs", "verbs", "symmetric",
             "agentless", "passive_source", "fatal", "modes", "target_required", "target_kinds", "id"}
    for item in raw:
        assert set(item) <= known, item
        assert item.get("pos", "VERB") in ("VERB", "NOUN"), item
        assert set(item.get("target", [])) <= PREPOSITIONS, item
        assert set(item.get("source", [])) <= SOURCE_SLOTS, item
        assert set(item.get("target_kinds", [])) <= {"org", "state", "capital", "person", "agent", "seat"}, item
        if item.get("verbs"):
            assert item.get("pos") == "NOUN", item  # light verbs only govern nouns


def test_most_specific_entry_first(lexicon):
    """`appeler` + `téléphone` is a call, `appeler` + `à` a request; a bare `suspendre` comes last."""
    found = lexicon.lookup("appeler", "VERB")
    assert all(p.needs for p in found)
    assert {p.type for p in found} == {"CONSULT", "REQUEST"}
    suspend = lexicon.lookup("suspendre", "VERB")
    assert suspend[-1].needs == frozenset() and all(p.needs for p in suspend[:-1])
    convict = [p for p in lexicon.lookup("condamner", "VERB") if p.type == "SANCTION"]
    assert convict and all(p.needs and p.mode == "convict" for p in convict)
    assert lexicon.lookup("condamner", "VERB")[-1].type == "ACCUSE"


def test_a_words_own_accents_must_be_its_entrys(lexicon):
    """Folding makes `marché` (a market) `marche` (a march): a word's accents keep them apart, while a word
    written without its accents still finds its entry."""
    assert lexicon.lookup("marche", "NOUN") and all(p.type == "PROTEST" for p in lexicon.lookup("marche", "NOUN"))
    assert lexicon.lookup("marché", "NOUN") == ()
    assert lexicon.lookup("preoccupation", "NOUN") == lexicon.lookup("préoccupation", "NOUN") != ()
    assert lexicon.lookup("Préoccupation", "NOUN") == lexicon.lookup("préoccupation", "NOUN")


def test_golden_lexicon_sentences():
    cases = [json.loads(line) for line in GOLDEN.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(cases) >= 120
    assert len({c["id"] for c in cases}) == len(cases)
    per_type = Counter(w["type"] for c in cases for w in c["expect"])
    assert set(per_type) == PLOVER_TYPES and min(per_type.values()) >= 5, per_type
    assert sum(1 for c in cases if not c["expect"]) >= 10  # sentences that must give no event
    for c in cases:
        assert set(c) == {"id", "published", "text", "expect", "forbid"}, c["id"]
        for want in c["expect"] + c["forbid"]:
            assert want.get("type") in PLOVER_TYPES, c["id"]
            for side in ("source", "target"):
                value = want.get(side)
                assert value is None or (len(value) == 3 and value.isupper()), (c["id"], side, value)
