"""Tests of dyade.temporal: header, datelines, year inference, time expressions and their resolution."""

from __future__ import annotations

import datetime as dt

import pytest

from dyade.model import DateValue
from dyade.temporal import (
    current_month,
    find_expressions,
    find_publication_date,
    infer_year,
    parse_header,
    parse_published,
    resolve,
)

ESPER = (dt.date(2019, 7, 23), dt.date(2020, 11, 9))


def _anchor(value: str) -> DateValue:
    parts = [int(p) for p in value.split("-")]
    return DateValue.of(*parts)


def _resolve_one(sentence: str, tense: str, anchor: str) -> DateValue | None:
    exprs = find_expressions(sentence)
    assert len(exprs) == 1, exprs
    return resolve(exprs[0], _anchor(anchor), tense)


# --- header line -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "precision", "rest"),
    [
        (" date 2018-11 L'entretien a eu lieu hier.", "2018-11", "month", "L'entretien a eu lieu hier."),
        ("date 2017-12-29\nLe sommet s'ouvre lundi.", "2017-12-29", "day", "\nLe sommet s'ouvre lundi."),
        ("  date 2020-02\n", "2020-02", "month", "\n"),
    ],
)
def test_temporal_header_read(text: str, value: str, precision: str, rest: str) -> None:
    found = parse_header(text)
    assert found is not None
    date, end = found
    assert (date.value, date.precision) == (value, precision)
    assert text[end:] == rest
    assert "header" in date.how


@pytest.mark.parametrize(
    "text",
    ["Le ministre a parlé.", " date 2018-13 Texte", " date 2019-02-30 Texte", "Une date 2018-11 au milieu", ""],
)
def test_temporal_header_absent_or_invalid(text: str) -> None:
    assert parse_header(text) is None


# --- publication datelines ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Dernière mise à jour à 10h10 le 28/02\nLe ministre a parlé.", (None, 2, 28)),
        ("Publié le 12 mars 2019\nLe ministre a parlé.", (2019, 3, 12)),
        ("Mis à jour le 14/09 à 08h15\nTexte.", (None, 9, 14)),
        ("Publié le 12/03/2019 à 10h\nTexte.", (2019, 3, 12)),
        ("Le titre de l'article\n12 mars 2019 à 14h30\nTexte.", (2019, 3, 12)),
        ("mardi 5 novembre 2019, 18:05\nTexte.", (2019, 11, 5)),
        ("Publié le 1er avril 2021 à 9h\nTexte.", (2021, 4, 1)),
        ("Publiée le 3 févr. 2022\nTexte.", (2022, 2, 3)),
        ("Mis à jour le 2019-03-12T10:00\nTexte.", (2019, 3, 12)),
        ("Mis à jour le 13 mars 2019\nPublié le 12 mars 2019\nTexte.", (2019, 3, 12)),
    ],
)
def test_temporal_publication_line(text: str, expected: tuple[int | None, int, int]) -> None:
    found = find_publication_date(text)
    assert found is not None
    assert (found.year, found.month, found.day) == expected
    assert text[found.start : found.end].strip() == text[found.start : found.end]


def test_temporal_publication_line_span() -> None:
    text = "Un titre\nDernière mise à jour à 10h10 le 28/02\nLe texte."
    found = find_publication_date(text)
    assert found is not None
    assert text[found.start : found.end] == "Dernière mise à jour à 10h10 le 28/02"
    assert "no year" in found.how


@pytest.mark.parametrize(
    "text",
    [
        "Mis à jour il y a deux heures\nTexte.",
        "Le ministre s'est rendu le 12 mars 2019 à Ankara pour des entretiens.",
        "Aucune date ici.\nNi là.",
    ],
)
def test_temporal_publication_line_absent(text: str) -> None:
    assert find_publication_date(text) is None


def test_temporal_publication_line_dateparser_fallback() -> None:
    found = find_publication_date("Publié le 12-mars-2019\nTexte.")
    assert found is not None
    assert (found.year, found.month, found.day) == (2019, 3, 12)


@pytest.mark.parametrize(
    ("value", "expected", "precision"),
    [
        ("2018-11-02T10:00:00Z", "2018-11-02", "day"),
        ("2018-11", "2018-11", "month"),
        ("2 novembre 2018", "2018-11-02", "day"),
        ("02/11/2018", "2018-11-02", "day"),
        ("Fri, 02 Nov 2018 10:00:00 GMT", "2018-11-02", "day"),
    ],
)
def test_temporal_published_metadata(value: str, expected: str, precision: str) -> None:
    found = parse_published(value)
    assert found is not None
    assert (found.value, found.precision) == (expected, precision)


def test_temporal_published_metadata_unreadable() -> None:
    assert parse_published("inconnue") is None


# --- year inference ----------------------------------------------------------------------------

OFFICE_TEXT = (
    "Dernière mise à jour à 10h10 le 28/02\n"
    "Le chef du Pentagone s'est entretenu jeudi avec son homologue au sujet de la frontière."
)
PLAN_TEXT = (
    "Les deux délégations se sont réunies samedi à Moscou pour parler de la transition. "
    "Une conférence régionale est prévue pour début 2019, selon les organisateurs. "
    "Le 19 décembre courant, le gouvernement avait annoncé le départ de ses conseillers."
)


def test_temporal_infer_year_from_office() -> None:
    partial = find_publication_date(OFFICE_TEXT)
    year, how = infer_year(partial, OFFICE_TEXT, [ESPER])
    assert year == 2020
    assert "2019-07-23..2020-11-09" in how


def test_temporal_infer_year_from_current_month_and_plan() -> None:
    year, how = infer_year(None, PLAN_TEXT)
    assert year == 2018
    assert "courant" in how and "début 2019" in how
    assert current_month(PLAN_TEXT) == 12


def test_temporal_infer_year_plan_early_in_year_is_ambiguous() -> None:
    text = "Le 3 février courant, le ministre a parlé. Le sommet est prévu pour début 2019."
    year, how = infer_year(None, text)
    assert year is None
    assert "2018, 2019" in how


def test_temporal_infer_year_given() -> None:
    partial = find_publication_date("Publié le 12 mars 2019\nTexte.")
    assert infer_year(partial, "Texte.")[0] == 2019


@pytest.mark.parametrize(
    ("text", "offices"),
    [
        ("Le ministre a parlé jeudi.", []),
        ("Le pays veut réduire ses émissions d'ici 2025.", []),
        ("Dernière mise à jour le 28/02\nTexte.", [(dt.date(2018, 1, 1), dt.date(2020, 12, 31))]),
    ],
)
def test_temporal_infer_year_undecided(text: str, offices: list[tuple[dt.date, dt.date]]) -> None:
    year, how = infer_year(find_publication_date(text), text, offices)
    assert year is None
    assert how


def test_temporal_infer_year_past_mention_bounds_from_below() -> None:
    text = "Le 14 juillet courant, le traité a été signé. Il remplace l'accord conclu en mai 2016."
    offices = [(dt.date(2015, 1, 1), dt.date(2017, 12, 31))]
    year, _ = infer_year(None, text, offices)
    assert year is None  # 2016 and 2017 both fit
    offices = [(dt.date(2015, 1, 1), dt.date(2016, 12, 31))]
    assert infer_year(None, text, offices)[0] == 2016


def test_temporal_infer_year_conflicting_past_mention_dropped() -> None:
    text = (
        "Le 2 décembre courant, il l'a dit. Le vote est prévu pour fin janvier 2019. "
        "Les élections de 2019 approchent en 2019."
    )
    year, _ = infer_year(None, text)
    assert year == 2018


# --- finding expressions -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Le président a téléphoné jeudi à son homologue.", [("jeudi", "weekday")]),
        ("Jeudi dernier, la décision a été saluée.", [("Jeudi dernier", "weekday")]),
        ("Il se rendra lundi prochain à Rome.", [("lundi prochain", "weekday")]),
        ("Les combats ont repris hier soir.", [("hier", "relative_day")]),
        ("Il l'avait affirmé la veille.", [("la veille", "relative_day")]),
        ("Le lendemain, il a démissionné.", [("Le lendemain", "relative_day")]),
        ("Aujourd'hui, le port est fermé.", [("Aujourd'hui", "relative_day")]),
        ("Avant-hier, la foule a défilé.", [("Avant-hier", "relative_day")]),
        ("Il a parlé la semaine dernière.", [("la semaine dernière", "relative_period")]),
        ("Il a démissionné le mois dernier.", [("le mois dernier", "relative_period")]),
        ("L'an dernier, il a gagné.", [("L'an dernier", "relative_period")]),
        ("Les travaux lancés l'été dernier avancent.", [("l'été dernier", "relative_period")]),
        ("Le chantier a commencé plus tôt cette année.", [("plus tôt cette année", "relative_period")]),
        ("L'armée a frappé ces derniers jours.", [("ces derniers jours", "relative_period")]),
        ("Il a récemment rencontré le roi.", [("récemment", "relative_period")]),
        ("L'accord a été signé en juin.", [("en juin", "month")]),
        ("L'avion a été abattu en novembre 2015.", [("en novembre 2015", "month")]),
        ("Le rapport sera publié fin juin.", [("fin juin", "month")]),
        ("Les pourparlers reprendront mi-mars.", [("mi-mars", "month")]),
        ("Le scrutin aura lieu début 2019.", [("début 2019", "year")]),
        ("Le traité a été signé le 24 février.", [("le 24 février", "day_month")]),
        ("Les élections ont eu lieu le 7 octobre 2023.", [("le 7 octobre 2023", "day_month")]),
        ("Le 19 décembre courant, les troupes sont parties.", [("Le 19 décembre courant", "day_month")]),
        ("Le décret a été publié le 28/02.", [("le 28/02", "day_month")]),
        ("La loi a été votée le mardi 12 mars 2019.", [("le mardi 12 mars 2019", "day_month")]),
        ("La guerre a commencé en 2011.", [("en 2011", "year")]),
        ("Le pays est en guerre depuis mars 2011.", [("depuis mars 2011", "since")]),
        ("Le pays est en guerre depuis 2011.", [("depuis 2011", "since")]),
        ("Les forces progressent depuis plusieurs jours.", [("depuis plusieurs jours", "since")]),
        ("Le siège dure depuis le 3 mai.", [("depuis le 3 mai", "since")]),
        ("Des tirs ont eu lieu dans la nuit de mardi à mercredi.", [("dans la nuit de mardi à mercredi", "night")]),
        ("Le convoi est arrivé il y a trois jours.", [("il y a trois jours", "relative_day")]),
        ("Le gouvernement veut y parvenir d'ici 2025.", [("d'ici 2025", "year")]),
        ("Le gazoduc traverse la mer Noire depuis l'été 2016.", [("depuis l'été 2016", "since")]),
        (
            "Il a rencontré jeudi le ministre, qui était arrivé la veille.",
            [("jeudi", "weekday"), ("la veille", "relative_day")],
        ),
    ],
)
def test_temporal_find_expressions(sentence: str, expected: list[tuple[str, str]]) -> None:
    found = find_expressions(sentence)
    assert [(e.text, e.kind) for e in found] == expected
    for e in found:
        assert sentence[e.start : e.end] == e.text


@pytest.mark.parametrize(
    "sentence",
    [
        "Les navires croisent en mer Noire.",
        "Le carnaval du mardi gras a attiré la foule.",
        "Le ministre est arrivé à Marseille.",
        "La maison a été détruite.",
        "La sonde doit se poser sur Mars.",
        "Le général Juin commandait le corps expéditionnaire.",
        "Le cortège a remonté la rue du 4 Septembre.",
        "Le journal a été tiré en 2000 exemplaires.",
        "Le marché se tient chaque jeudi sur la place.",
        "Mais le pays a refusé, mardigras mis à part.",
        "Il a donné 12/5 comme score, puis 3.5 %.",
    ],
)
def test_temporal_find_expressions_forbidden(sentence: str) -> None:
    assert find_expressions(sentence) == []


def test_temporal_find_expressions_fields() -> None:
    (night,) = find_expressions("Une explosion a eu lieu dans la nuit de samedi à dimanche.")
    assert night.fields["weekday"] == 6
    (since,) = find_expressions("Le conflit dure depuis mars 2011.")
    assert since.fields["of"] == "month" and since.fields["year"] == 2011 and since.fields["month"] == 3
    (courant,) = find_expressions("Le 19 décembre courant, il est parti.")
    assert courant.fields["courant"] is True


# --- resolving ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "tense", "anchor", "value", "precision"),
    [
        # weekdays: on or before (past, present), on or after (future)
        ("Le ministre a parlé jeudi.", "past", "2020-02-28", "2020-02-27", "day"),
        ("Le ministre a annoncé mercredi sa démission.", "past", "2018-11-07", "2018-11-07", "day"),
        ("Il a parlé dimanche.", "present", "2018-11-07", "2018-11-04", "day"),
        ("Il doit effectuer lundi une visite à Rome.", "future", "2017-12-29", "2018-01-01", "day"),
        ("Il doit se rendre vendredi à Rome.", "future", "2017-12-29", "2017-12-29", "day"),
        ("Jeudi dernier, il l'a confirmé.", "past", "2018-12-29", "2018-12-20", "day"),
        ("Lundi dernier, il l'a confirmé.", "past", "2018-12-24", "2018-12-17", "day"),
        ("Il reviendra mardi prochain.", "future", "2018-11-02", "2018-11-06", "day"),
        ("Il est arrivé ce jeudi.", "past", "2018-11-09", "2018-11-08", "day"),
        ("Des tirs ont eu lieu dans la nuit de mardi à mercredi.", "past", "2018-11-02", "2018-10-31", "day"),
        # a month-precision anchor never gives a guessed day
        ("Le ministre a parlé jeudi.", "past", "2018-11", "2018-11", "month"),
        ("Il doit effectuer lundi une visite.", "future", "2017-12", "2017-12", "month"),
        ("Jeudi dernier, il l'a confirmé.", "past", "2018-12", "2018-12", "month"),
        ("Il l'avait dit la veille.", "past", "2018-12", "2018-12", "month"),
        ("Il a parlé jeudi.", "past", "2019", "2019", "year"),
        # days counted from the anchor
        ("Il l'avait dit la veille.", "past", "2016-12-01", "2016-11-30", "day"),
        ("Le lendemain, il est reparti.", "past", "2018-12-31", "2019-01-01", "day"),
        ("Hier, les combats ont repris.", "past", "2019-03-01", "2019-02-28", "day"),
        ("Les blindés sont arrivés il y a trois jours.", "past", "2019-03-02", "2019-02-27", "day"),
        # months and days of months, across year boundaries
        ("Ils s'étaient vus en décembre.", "past", "2019-01-15", "2018-12", "month"),
        ("Ils se verront en janvier.", "future", "2018-12-10", "2019-01", "month"),
        ("Ils s'étaient mis d'accord en juin.", "past", "2018-11", "2018-06", "month"),
        ("Ils se sont vus en novembre.", "past", "2018-11", "2018-11", "month"),
        ("Le sommet se tiendra en juin.", "future", "2018-11", "2019-06", "month"),
        ("Il a été élu fin juin.", "past", "2019-03", "2018-06", "month"),
        ("Le traité a été signé le 24 février.", "past", "2019-02-20", "2018-02-24", "day"),
        ("Le traité a été signé le 24 février.", "past", "2019-03-02", "2019-02-24", "day"),
        ("Le traité sera signé le 24 février.", "future", "2019-02-26", "2020-02-24", "day"),
        ("Il a été libéré le 28/02.", "past", "2020-03-05", "2020-02-28", "day"),
        ("Le 19 décembre courant, ils ont commencé le retrait.", "past", "2018-12", "2018-12-19", "day"),
        ("Il a été élu en mars dernier.", "past", "2019-03-10", "2018-03", "month"),
        ("Il a été élu le 5 mars dernier.", "past", "2019-03-20", "2019-03-05", "day"),
        # written years
        ("L'avion a été abattu en novembre 2015.", "past", "2017-12", "2015-11", "month"),
        ("Un sommet est prévu pour début 2019.", "future", "2018-12", "2019", "year"),
        ("La guerre a commencé en 2011.", "past", "2017-12", "2011", "year"),
        ("Le conflit dure depuis mars 2011.", "present", "2017-12", "2011-03", "month"),
        ("Les élections ont eu lieu le 7 octobre 2023.", "past", "2024-01-02", "2023-10-07", "day"),
        # periods counted from the anchor
        ("L'opération lancée l'été dernier continue.", "past", "2016-12-01", "2016", "year"),
        ("L'opération lancée l'été dernier continue.", "past", "2016-07-20", "2015", "year"),
        ("Il l'a annoncé la semaine dernière.", "past", "2018-12-29", "2018-12", "month"),
        ("Il l'a annoncé le mois dernier.", "past", "2019-01-03", "2018-12", "month"),
        ("Il a gagné l'an dernier.", "past", "2019-01-03", "2018", "year"),
        ("Le chantier a été lancé plus tôt cette année.", "past", "2017-12", "2017", "year"),
        ("L'armée a frappé ces derniers jours.", "past", "2018-11", "2018-11", "month"),
        ("Les forces avancent depuis plusieurs jours.", "present", "2016-11-30", "2016-11", "month"),
    ],
)
def test_temporal_resolve(sentence: str, tense: str, anchor: str, value: str, precision: str) -> None:
    found = _resolve_one(sentence, tense, anchor)
    assert found is not None
    assert (found.value, found.precision) == (value, precision), found.how
    assert found.how


@pytest.mark.parametrize(
    ("sentence", "tense", "anchor"),
    [
        ("L'opération lancée l'été dernier continue.", "past", "2016"),
        ("Le conflit dure depuis des années.", "present", "2016-11-30"),
        ("Il l'a annoncé le mois dernier.", "past", "2019"),
    ],
)
def test_temporal_resolve_undecidable(sentence: str, tense: str, anchor: str) -> None:
    assert _resolve_one(sentence, tense, anchor) is None


def test_temporal_resolve_explicit_years_say_so() -> None:
    for sentence in ("en novembre 2015", "le 7 octobre 2023", "en 2011", "depuis mars 2011"):
        (expr,) = find_expressions(f"Il l'a dit {sentence}.")
        value = resolve(expr, DateValue.of(2024), "past")
        assert value is not None and "explicit" in value.how


def test_temporal_resolve_rejects_unknown_tense() -> None:
    (expr,) = find_expressions("Il a parlé jeudi.")
    with pytest.raises(ValueError, match="tense"):
        resolve(expr, DateValue.of(2020, 2, 28), "conditional")


def test_temporal_seed_shapes_together() -> None:
    """A whole dateline-to-event chain: inferred year, then a weekday in a past clause."""
    partial = find_publication_date(OFFICE_TEXT)
    year, _ = infer_year(partial, OFFICE_TEXT, [ESPER])
    assert partial is not None and year is not None
    anchor = DateValue.of(year, partial.month, partial.day)
    (jeudi,) = find_expressions(OFFICE_TEXT.splitlines()[1])
    found = resolve(jeudi, anchor, "past")
    assert found is not None and found.value == "2020-02-27"


def test_rule_gates_never_hide_an_expression(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each rule runs only where its gate words occur: on sentences full of time expressions (and on
    the demo corpus), the gated scan finds exactly what running every rule finds."""
    import json
    import re
    from importlib.resources import files

    from dyade import temporal_rules

    sentences = [
        "Dans la nuit du 3 au 4 mars 2022, puis la nuit de lundi à mardi, des frappes ont visé la ville.",
        "Le 1er févr. 2021, le 12/05/2020 et le 2019-07-23, trois réunions ont eu lieu.",
        "Avant-hier, hier soir, aujourd'hui, après-demain, l'avant-veille, le surlendemain et cette nuit.",
        "Il y a trois jours, deux jours plus tôt, il y a six mois et cinq ans auparavant, rien.",
        "En début d'année, plus tôt dans l'année, l'an dernier, la semaine prochaine, ce mois-ci.",
        "À l'été 2016, cet hiver, au printemps dernier et l'automne prochain, les ÉTÉ.",
        "Récemment, ces derniers jours, au cours des dernières semaines, depuis des mois et depuis 2011.",
        "Mercredi matin, jeudi dernier, dès samedi, d'ici à 2030, à l'horizon 2025, mi-juin, fin août.",
        "L'accord signé en novembre 2015 et en Décembre, courant 2018 et au mois de mai.",
    ]
    demo = files("dyade") / "data" / "demo" / "articles.jsonl"
    for line in demo.read_text(encoding="utf-8").splitlines():
        sentences += re.split(r"(?<=[.!?»])\s+", json.loads(line)["text"])
    gated = [find_expressions(s) for s in sentences]
    monkeypatch.setattr(temporal_rules, "GATES", tuple(("",) for _ in temporal_rules.RULES))
    assert [find_expressions(s) for s in sentences] == gated
    assert sum(len(g) for g in gated) > 40  # the sentences do hold expressions of many kinds
