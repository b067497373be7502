"""Argument reading the golden sentences check only by country: sectors, reporters and places."""

from __future__ import annotations

from typing import Any

import pytest

from dyade.model import Article, Event


def code(pipeline: Any, text: str, published: str = "2024-03-10") -> list[Event]:
    return pipeline(Article(id="t", text=text, published=published)).events


@pytest.mark.parametrize("text", ["Des étudiants nigérians ont manifesté devant l'université de Lagos.",
                                  "Des étudiants ont manifesté devant l'université de Dakar."])
def test_arguments_protest_before_a_university_is_not_against_it(pipeline: Any, text: str) -> None:
    assert not [e for e in code(pipeline, text) if e.target is not None and e.target.sector == "EDU"]


def test_arguments_protest_with_no_one_named_is_against_the_government(pipeline: Any) -> None:
    events = code(pipeline, "Des étudiants nigérians ont manifesté devant l'université de Lagos.")
    assert any(e.plover_type == "PROTEST" and e.target and e.target.code == "NGAGOV" for e in events)


def test_arguments_protest_before_an_embassy_is_against_its_state(pipeline: Any) -> None:
    events = code(pipeline, "Des Ghanéens se sont rassemblés devant l'ambassade du Nigeria à Accra.")
    assert any(e.plover_type == "PROTEST" and e.target and e.target.country == "NGA" for e in events)


def test_arguments_reporter_without_country_takes_the_place(pipeline: Any) -> None:
    events = code(pipeline, "Des jihadistes ont tué neuf villageois dans l'est du Mali, a déclaré le maire de la ville.")
    kill = [e for e in events if e.plover_type == "ASSAULT"]
    assert kill and kill[0].reported_by is not None and kill[0].reported_by.country == "MLI"
    assert kill[0].source is not None and kill[0].source.sector != "GOV"  # the mayor reports, he does not act


def test_arguments_split_region_name_is_one_place(pipeline: Any) -> None:
    events = code(pipeline, "La police a dispersé des manifestants au KwaZulu-Natal.")
    assert events and events[0].location is not None and events[0].location.name == "KwaZulu-Natal"
