"""Checks on the committed CAMEO/PLOVER code tables (csv module only)."""

import csv
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[1] / "src" / "dyade" / "data"

PLOVER_TYPES = {
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT",
    "REQUEST", "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE",
    "COERCE", "ASSAULT",
}


def _read(name):
    with open(DATA / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def cameo():
    return _read("cameo.csv")


@pytest.fixture(scope="module")
def cameo_by_code(cameo):
    return {r["code"]: r for r in cameo}


@pytest.fixture(scope="module")
def plover():
    return {r["type"]: r for r in _read("plover.csv")}


def expected_quad(root):
    n = int(root)
    if 1 <= n <= 5:
        return 1
    if 6 <= n <= 8:
        return 2
    if 9 <= n <= 13:
        return 3
    if 14 <= n <= 20:
        return 4
    raise AssertionError(f"root out of range: {root}")


def test_columns(cameo):
    assert list(cameo[0].keys()) == [
        "code", "root", "name", "goldstein", "quad_class", "plover_type", "plover_mode"]


def test_row_count_and_unique_codes(cameo):
    codes = [r["code"] for r in cameo]
    assert 250 <= len(codes) <= 350
    assert len(set(codes)) == len(codes)


def test_codes_are_digit_strings(cameo):
    for r in cameo:
        assert r["code"].isdigit() and 2 <= len(r["code"]) <= 4, r
        assert r["name"].strip(), r


def test_root_is_prefix(cameo):
    for r in cameo:
        assert len(r["root"]) == 2 and r["code"].startswith(r["root"]), r


def test_quad_class_follows_root(cameo):
    for r in cameo:
        assert int(r["quad_class"]) == expected_quad(r["root"]), r


def test_goldstein_range(cameo):
    for r in cameo:
        assert -10.0 <= float(r["goldstein"]) <= 10.0, r


def test_plover_types_all_present(plover):
    assert set(plover) == PLOVER_TYPES


def test_plover_quad_classes(plover):
    for t in ("AGREE", "CONSULT", "SUPPORT", "CONCEDE"):
        assert plover[t]["quad_class"] == "1"
    for t in ("COOPERATE", "AID", "RETREAT"):
        assert plover[t]["quad_class"] == "2"
    for t in ("REQUEST", "ACCUSE", "REJECT", "THREATEN"):
        assert plover[t]["quad_class"] == "3"
    for t in ("PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"):
        assert plover[t]["quad_class"] == "4"
    for r in plover.values():
        assert r["description_fr"].strip()


def test_plover_types_in_cameo_are_known(cameo):
    for r in cameo:
        assert r["plover_type"] == "" or r["plover_type"] in PLOVER_TYPES, r


def test_plover_mode_belongs_to_type(cameo, plover):
    for r in cameo:
        if not r["plover_mode"]:
            continue
        assert r["plover_type"], r
        modes = plover[r["plover_type"]]["modes"].split("|")
        assert r["plover_mode"] in modes, r


def test_public_statements_are_dropped(cameo):
    for r in cameo:
        if r["root"] in ("01", "02"):
            assert r["plover_type"] == "" and r["plover_mode"] == "", r


def test_phone_call(cameo_by_code):
    r = cameo_by_code["041"]
    assert r["root"] == "04"
    assert (r["plover_type"], r["plover_mode"]) == ("CONSULT", "phone")
    assert float(r["goldstein"]) == 1.0


def test_visits(cameo_by_code):
    for code in ("042", "043"):
        r = cameo_by_code[code]
        assert (r["plover_type"], r["plover_mode"]) == ("CONSULT", "visit")


def test_conventional_force(cameo_by_code):
    r = cameo_by_code["190"]
    assert r["root"] == "19"
    assert r["quad_class"] == "4"
    assert float(r["goldstein"]) == -10.0
    assert r["plover_type"] == "ASSAULT"


def test_key_codes(cameo_by_code):
    assert cameo_by_code["036"]["plover_type"] == "AGREE"
    assert 0 < float(cameo_by_code["057"]["goldstein"])
    assert cameo_by_code["057"]["plover_type"] == "SUPPORT"  # signing = SUPPORT in PLOVER
    assert cameo_by_code["0311"]["root"] == "03"
    assert (cameo_by_code["0874"]["plover_type"], cameo_by_code["0874"]["plover_mode"]) == (
        "RETREAT", "withdraw")
    assert (cameo_by_code["163"]["plover_type"], cameo_by_code["163"]["plover_mode"]) == (
        "SANCTION", "discontinue")
    assert (cameo_by_code["195"]["plover_type"], cameo_by_code["195"]["plover_mode"]) == (
        "ASSAULT", "aerial")
