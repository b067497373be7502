"""Actor resolution at the event's date: tables of (phrase in a sentence, date) -> expected actor."""

from __future__ import annotations

from typing import Any

import pytest

from dyade.model import Actor, Article


def actors_of(pipeline: Any, text: str, published: str) -> list[Actor]:
    return pipeline(Article(id="t", text=text, published=published)).actors


def find(actors: list[Actor], fragment: str) -> Actor:
    hits = [a for a in actors if fragment in a.text]
    assert hits, f"no actor with {fragment!r} in {[a.text for a in actors]}"
    return hits[0]


@pytest.mark.parametrize(
    ("text", "published", "fragment", "code", "person"),
    [
        ("Le président américain a parlé.", "2018-06-01", "président américain", "USAGOV", "Donald Trump"),
        ("Le président américain a parlé.", "2022-06-01", "président américain", "USAGOV", "Joe Biden"),
        ("Le président russe a parlé.", "2010-06-01", "président russe", "RUSGOV", "Dmitri Medvedev"),
        ("Le chef de la diplomatie turque a parlé.", "2019-10-01", "chef de la diplomatie", "TURGOV", "Mevlüt Cavusoglu"),
        ("Le ministre russe des Affaires étrangères a parlé.", "2020-05-05", "ministre russe", "RUSGOV", "Sergueï Lavrov"),
        ("Le secrétaire américain à la Défense a parlé.", "2020-02-28", "secrétaire américain", "USAMIL", "Mark Esper"),
        ("Le président iranien a parlé.", "2019-03-01", "président iranien", "IRNGOV", "Hassan Rohani"),
        ("M. Erdogan a parlé.", "2016-07-20", "Erdogan", "TURGOV", "Recep Tayyip Erdogan"),
        ("Vladimir Poutine a parlé.", "2017-12-08", "Poutine", "RUSGOV", "Vladimir Poutine"),
    ],
)
def test_actors_person_at_date(pipeline: Any, text: str, published: str, fragment: str, code: str, person: str) -> None:
    actor = find(actors_of(pipeline, text, published), fragment)
    assert (actor.code, actor.person) == (code, person)


def test_actors_office_outside_its_dates_is_not_assigned(pipeline: Any) -> None:
    """Mark Esper left the Pentagon in November 2020: in 2021 the title names his successor, not him."""
    actor = find(actors_of(pipeline, "Le secrétaire américain à la Défense a parlé.", "2021-06-01"), "secrétaire")
    assert actor.person not in (None, "Mark Esper")


def test_actors_title_of_another_body_is_not_the_head_of_state(pipeline: Any) -> None:
    actor = find(actors_of(pipeline, "La présidente de la Chambre américaine a parlé.", "2022-08-05"), "présidente")
    assert actor.person is None


@pytest.mark.parametrize(
    ("text", "fragment", "code", "country"),
    [
        ("Ankara a protesté.", "Ankara", "TURGOV", "TUR"),
        ("Le Kremlin a répondu.", "Kremlin", "RUSGOV", "RUS"),
        ("Le Pentagone a démenti.", "Pentagone", "USAMIL", "USA"),
        ("L'armée syrienne a avancé.", "armée syrienne", "SYRMIL", "SYR"),
        ("Le ministère turc de la Défense a annoncé la nouvelle.", "ministère turc", "TURMIL", "TUR"),
        ("Les forces loyales au président syrien avancent.", "forces loyales", "SYRMIL", "SYR"),
        ("Les Unités de protection du peuple (YPG) ont riposté.", "YPG", None, "SYR"),
        ("L'Otan a réagi.", "Otan", None, "IGO"),
        ("Le groupe Etat islamique a revendiqué l'attaque.", "Etat islamique", None, "IMG"),
    ],
)
def test_actors_codes_countries_sectors(pipeline: Any, text: str, fragment: str, code: str | None, country: str) -> None:
    actor = find(actors_of(pipeline, text, "2019-01-10"), fragment)
    assert actor.country == country
    if code:
        assert actor.code == code


def test_actors_compound_adjective_gives_both_states(pipeline: Any) -> None:
    actors = actors_of(pipeline, "Des patrouilles turco-américaines ont commencé.", "2018-11-02")
    assert {a.country for a in actors if a.kind == "compound"} == {"TUR", "USA"}


def test_actors_offsets_point_into_the_original_text(pipeline: Any) -> None:
    text = " date 2019-03\nLe  président\u00a0français a reçu « son homologue » allemand."
    for actor in actors_of(pipeline, text, None):  # type: ignore[arg-type]
        assert text[actor.start : actor.end] == actor.text


@pytest.mark.issue(3)
def test_actors_regions_of_the_world_are_no_actor(pipeline: Any) -> None:
    region = actors_of(pipeline, "Le Venezuela a rappelé ses diplomates d'Amérique latine et du Moyen-Orient.", "2024-07-29")
    assert "USA" not in {a.country for a in region}
    assert not [a for a in region if "Amérique" in a.text or "Orient" in a.text]
    america = actors_of(pipeline, "Le Venezuela a accusé l'Amérique de complot.", "2024-07-29")
    assert {a.country for a in america} == {"VEN", "USA"}


def test_actors_named_again_by_honorific_and_surname(pipeline: Any) -> None:
    """`M. Osei` after `le chef de la diplomatie ghanéenne, Kwame Osei`: the same actor (a name the
    knowledge base does not know); `M. Mensah`, never named in full, is no one."""
    text = ("Le chef de la diplomatie ghanéenne, Kwame Osei, est arrivé à Lomé. "
            "Selon la presse, M. Osei a rencontré le président togolais. M. Mensah n'a rien dit.")
    actors = actors_of(pipeline, text, "2024-02-01")
    again = find(actors, "M. Osei")
    assert (again.country, again.kind) == ("GHA", "person")
    assert text[again.start : again.end] == "M. Osei"
    assert not [a for a in actors if "Mensah" in a.text]


def test_actors_no_apposition_across_a_comma_before_an_honorific(pipeline: Any) -> None:
    actors = actors_of(pipeline, "Devant la presse, M. Erdogan a dénoncé les frappes.", "2019-10-10")
    assert find(actors, "Erdogan").code == "TURGOV"
    assert not [a for a in actors if "presse" in a.text and "Erdogan" in a.text]


def test_actors_the_country_is_the_state_named_as_a_place(pipeline: Any) -> None:
    """`du pays` after `au Niger`: Niger; `le pays hôte`, `l'est du pays` and a text with no state
    named as a place give no actor."""
    text = ("La France a rappelé son ambassadeur au Niger. Elle va retirer ses soldats du pays. "
            "Le pays hôte a protesté. Des combats ont eu lieu dans l'est du pays.")
    actors = actors_of(pipeline, text, "2023-09-25")
    country = [a for a in actors if a.text == "du pays"]
    assert [(a.code, a.kind) for a in country] == [("NER", "state")]
    assert text[country[0].start : country[0].end] == "du pays"
    assert not [a for a in actors if "pays" in a.text and a.text != "du pays"]
    assert not [a for a in actors_of(pipeline, "La France va retirer ses soldats du pays.", "2023-09-25") if "pays" in a.text]


@pytest.mark.issue(4)
def test_actors_short_name_of_an_organisation_named_before(pipeline: Any) -> None:
    text = ("Le Conseil de sécurité de l'ONU s'est réuni mardi. Le Chili a demandé au Conseil d'agir. "
            "Le Conseil constitutionnel chilien a siégé.")
    actors = actors_of(pipeline, text, "2023-05-10")
    short = [a for a in actors if a.text == "Conseil"]
    assert [a.code for a in short] == ["IGOUNOUSC"]
    assert not [a for a in actors if "constitutionnel" in a.text and a.code == "IGOUNOUSC"]


@pytest.mark.issue(4)
def test_actors_a_name_given_with_a_title_names_the_actor_again(pipeline: Any) -> None:
    text = ("Le ministre tchadien des Affaires étrangères, Abderaman Koulamallah, est arrivé à Khartoum. "
            "Koulamallah a rencontré le général soudanais.")
    actors = actors_of(pipeline, text, "2023-05-10")
    again = [a for a in actors if a.text == "Koulamallah"]
    assert again and again[-1].country == "TCD"
