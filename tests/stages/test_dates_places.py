"""Each event dated and placed from its own clause, relative to the article's date."""

from __future__ import annotations

from typing import Any

import pytest

from dyade.model import Article, Event


def events(pipeline: Any, text: str, published: str | None = None) -> list[Event]:
    return pipeline(Article(id="t", text=text, published=published)).events


@pytest.mark.issue(5)
@pytest.mark.parametrize(
    ("text", "published", "date", "precision"),
    [
        ("Le Maroc a rappelé mercredi son ambassadeur en Algérie.", "2021-08-27", "2021-08-25", "day"),
        (" date 2021-08\nLe Maroc a rappelé mercredi son ambassadeur en Algérie.", None, "2021-08", "month"),
        ("Le Maroc a rappelé en juin son ambassadeur en Algérie.", "2021-08-27", "2021-06", "month"),
        ("Le Maroc a rappelé en décembre son ambassadeur en Algérie.", "2022-01-05", "2021-12", "month"),
        ("Le Maroc a rappelé la veille son ambassadeur en Algérie.", "2021-08-27", "2021-08-26", "day"),
        ("Le Maroc a rappelé son ambassadeur en Algérie.", "2021-08-27", "2021-08-27", "day"),
    ],
)
def test_dates_event_date_from_its_clause(pipeline: Any, text: str, published: str | None, date: str, precision: str) -> None:
    sanction = [e for e in events(pipeline, text, published) if e.plover_type == "SANCTION"]
    assert sanction, text
    assert (sanction[0].event_date.value, sanction[0].event_date.precision) == (date, precision)


@pytest.mark.issue(5)
def test_dates_publication_year_inferred_from_offices(pipeline: Any) -> None:
    text = ("Dernière mise à jour à 09h00 le 12/03\n"
            "Le secrétaire américain à la Défense Mark Esper s'est entretenu mercredi avec son homologue japonais.")
    doc = pipeline(Article(id="t", text=text))
    assert doc.published and doc.published.value == "2020-03-12"
    assert "Esper" in doc.published.how or "office" in doc.published.how
    assert [e.event_date.value for e in doc.events if e.plover_type == "CONSULT"] == ["2020-03-11"]


@pytest.mark.issue(5)
@pytest.mark.parametrize(
    ("text", "place", "country", "precision"),
    [
        ("L'aviation russe a bombardé jeudi des positions rebelles à Idleb.", "Idleb", "SYR", None),
        ("L'armée malienne a attaqué des jihadistes dans la région de Mopti.", None, "MLI", None),
        ("Les troupes turques ont frappé des positions kurdes dans le nord de la Syrie.", "Syrie", "SYR", "region"),
        ("La police a arrêté des manifestants à Tripoli, au Liban.", None, "LBN", None),
    ],
)
def test_places_event_place_from_its_clause(pipeline: Any, text: str, place: str | None, country: str,
                                            precision: str | None) -> None:
    located = [e.location for e in events(pipeline, text, "2020-02-14") if e.location]
    assert located, text
    if place:
        assert located[0].name == place or located[0].text == place
    assert located[0].country == country
    if precision:
        assert located[0].precision == precision


@pytest.mark.issue(4)
@pytest.mark.parametrize(
    ("text", "place", "country"),
    [
        ("La police américaine a arrêté des manifestants en Caroline du Nord.", "Caroline du Nord", "USA"),
        ("Les troupes russes ont bombardé des villages en Ossétie du Sud.", "Ossétie du Sud", "GEO"),
        ("La police chilienne a dispersé des manifestants à Santiago du Chili.", "Santiago du Chili", "CHL"),
    ],
)
def test_places_name_with_du_is_resolved_whole(pipeline: Any, text: str, place: str, country: str) -> None:
    """`Caroline` alone is a town in Puerto Rico: a name joined by `du`/`de` is looked up whole first."""
    located = [e.location for e in events(pipeline, text, "2021-03-02") if e.location]
    assert located, text
    assert located[0].text == place
    assert located[0].country == country


@pytest.mark.parametrize(
    "text",
    [
        "La Corée du Nord a tiré un missile balistique vers la mer du Japon.",
        "L'Iran a arraisonné un pétrolier grec dans le golfe d'Oman.",
        "Des navires de guerre russes ont tiré sur un cargo ukrainien en mer d'Irlande.",
    ],
)
def test_places_a_sea_named_after_a_country_is_not_that_country(pipeline: Any, text: str) -> None:
    """`la mer du Japon` is no place in Japan: the event has no location rather than a wrong one."""
    coded = events(pipeline, text, "2023-06-01")
    assert coded, text
    assert all(e.location is None for e in coded), [(e.location.text, e.location.country) for e in coded if e.location]


def test_places_a_sea_keeps_the_place_of_a_port_named_with_it(pipeline: Any) -> None:
    """The rule is about the sea's own phrase: a city named in the same sentence still places the event."""
    coded = events(pipeline, "La marine russe a bombardé des entrepôts à Odessa, au bord de la mer Noire.", "2023-06-01")
    assert any(e.location and e.location.text == "Odessa" for e in coded)


@pytest.mark.issue(5)
@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("L'Iran a réaffirmé son soutien au Hamas à Téhéran.", "Téhéran"),  # not Hamm, in Germany
        ("Le Qatar a remis une aide financière au Hamas.", None),
        ("La Turquie a menacé la Suède de bloquer son adhésion à l'Otan.", None),  # not Otan Ayegbaju, Nigeria
    ],
)
def test_places_an_organisation_is_no_place(pipeline: Any, text: str, place: str | None) -> None:
    """`au Hamas`, `à l'Otan` are phrases of place in form only: the gazetteer is not asked for an
    organisation's or a person's name, so a namesake town never places the event."""
    coded = events(pipeline, text, "2023-10-20")
    assert coded, text
    assert [e.location.name if e.location else None for e in coded] == [place] * len(coded)


@pytest.mark.issue(5)
def test_places_no_invented_country_centre(pipeline: Any) -> None:
    placed = [e.location for e in events(pipeline, "Le Chili a condamné l'Argentine.", "2020-02-14")]
    assert placed and all(p is None for p in placed)


@pytest.mark.issue(5)
def test_places_dateline_for_diplomatic_events(pipeline: Any) -> None:
    text = "LE CAIRE - Le président égyptien a reçu mardi son homologue soudanais."
    placed = [e.location for e in events(pipeline, text, "2021-03-10") if e.plover_type == "CONSULT"]
    assert placed and placed[0] is not None and placed[0].country == "EGY"


@pytest.mark.issue(5)
def test_places_dateline_for_events_at_home_not_abroad(pipeline: Any) -> None:
    home = "DAKAR - La police a dispersé mardi des manifestants à coups de gaz lacrymogène."
    placed = [e.location for e in events(pipeline, home, "2021-03-10") if e.plover_type in ("COERCE", "ASSAULT")]
    assert placed and placed[0] is not None and placed[0].country == "SEN"
    abroad = "MOSCOU - L'armée russe a attaqué mardi l'armée ukrainienne."
    struck = [e for e in events(pipeline, abroad, "2022-05-10") if e.plover_type == "ASSAULT"]
    assert struck and all(e.location is None or e.location.country != "RUS" for e in struck)


@pytest.mark.issue(5)
def test_places_second_mention_of_an_event_takes_its_target_and_place(pipeline: Any) -> None:
    text = ("Le Canada a entamé mardi le retrait de ses soldats de la Lettonie. "
            "Ce retrait des soldats canadiens doit durer trois mois, selon Ottawa.")
    retreats = [e for e in events(pipeline, text, "2024-02-07") if e.plover_type == "RETREAT"]
    assert len(retreats) == 2
    assert all(e.target is not None and e.target.country == "LVA" for e in retreats)
    assert all(e.location is not None and e.location.country == "LVA" for e in retreats)


@pytest.mark.issue(5)
def test_dates_first_since_does_not_date_the_event(pipeline: Any) -> None:
    text = ("Le ministre indien des Affaires étrangères, premier chef de la diplomatie indienne à se rendre au "
            "Pakistan depuis 2015, a rencontré lundi son homologue pakistanais.")
    visits = [e for e in events(pipeline, text, "2023-05-10") if e.plover_type == "CONSULT"]
    assert visits and all(e.event_date is not None and e.event_date.value.startswith("2023") for e in visits)
    since = "L'Inde et le Pakistan négocient depuis 2015 un accord sur l'eau."
    talks = [e for e in events(pipeline, since, "2023-05-10")]
    assert any(e.event_date is not None and e.event_date.value == "2015" for e in talks)


@pytest.mark.issue(5)
def test_dates_since_after_a_prime_minister_still_dates(pipeline: Any) -> None:
    text = "Le Premier ministre indien négocie depuis 2015 un accord sur l'eau avec le Pakistan."
    talks = events(pipeline, text, "2023-05-10")
    assert talks and any(e.event_date is not None and e.event_date.value == "2015" for e in talks)
