"""Fuzzing (hypothesis): no exception escapes the clean stage, the temporal rules, actor matching or
the JSONL reader, and every offset maps back into the original text."""

from __future__ import annotations

import io
import json
import os
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dyade import temporal
from dyade.errors import InputError
from dyade.model import Article, Document
from dyade.read import read_jsonl
from dyade.stages.actors import ResolveActors
from dyade.stages.clean import Clean
from dyade.stages.entities import FindEntities
from dyade.stages.published import PublicationDate

pytestmark = pytest.mark.issue(9)

SCALE = float(os.environ.get("DYADE_FUZZ_SCALE", "1"))  # e.g. 20 for a long hunt; CI runs the default
FUZZ = settings(max_examples=int(300 * SCALE), deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow])
SLOW_FUZZ = settings(max_examples=int(60 * SCALE), deadline=None, database=None,
                     suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

# Pieces that reach the interesting branches: boilerplate lines, quotes, apostrophes, datelines,
# time expressions, actor phrases, and characters that break naive code.
PIECES = [
    " date 2019-03", "© AFP", "Lire aussi", "Publié le", "Dernière mise à jour à 08h15 le 03/04", "Contenu partenaire",
    "«", "»", "“", "”", '"', "’", "'", "`", "d' ", "qu' ", "l’", "–", "—", "-", "\u00a0", "\u202f", "\u200b", "\t",
    "\n", "\n\n", "\r\n", " ", ".", ",", "?", ":", "12", "28", "mars", "décembre", "2019", "2020", "/", "lundi",
    "dernier", "prochain", "depuis", "il y a", "trois", "jours", "l'été", "début", "mi-", "fin", "la semaine dernière",
    "le lendemain", "hier", "dans la nuit de", "au", "Le président", "russe", "turc", "Vladimir Poutine",
    "Recep Tayyip Erdogan", "son homologue", "les deux dirigeants", "le ministre des Affaires étrangères",
    "Sergueï Lavrov", "la Turquie", "Ankara", "Moscou", "les forces", "de", "des", "et", "M.", "leurs troupes",
    "🙂", "\u202e", "ש", "ال", "\x00", "\x07", "\x85", "\u2028", "É", "ß", "ﬁ", "\ud7ff", "\U0001f1eb\U0001f1f7",
]
texts = st.one_of(
    st.text(max_size=400),
    st.lists(st.sampled_from(PIECES), max_size=60).map(" ".join),
    st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=5)), max_size=60).map("".join),
)


def check_offsets(doc: Document) -> None:
    """`offsets` has one entry per cleaned character plus the end; each within the original text, in order;
    letters and digits stand at their offset in the original."""
    original = doc.article.text
    assert len(doc.offsets) == len(doc.text) + 1
    assert all(0 <= o <= len(original) for o in doc.offsets)
    assert all(a <= b for a, b in zip(doc.offsets, doc.offsets[1:]))
    for i, ch in enumerate(doc.text):
        if ch.isalnum():
            assert original[doc.offsets[i]] == ch


@FUZZ
@given(texts)
def test_fuzz_clean_offsets_map_back(text: str) -> None:
    doc = Clean()(Document(Article(id="f", text=text)))
    check_offsets(doc)
    for removal in doc.removals:
        assert 0 <= removal.start <= removal.end <= len(text)


@FUZZ
@given(texts)
def test_fuzz_time_expressions(text: str) -> None:
    for expr in temporal.find_expressions(text):
        assert 0 <= expr.start < expr.end <= len(text)
        assert text[expr.start : expr.end] == expr.text


@settings(max_examples=int(150 * SCALE), deadline=None, database=None)
@given(texts)
def test_fuzz_publication_date_and_header(text: str) -> None:
    found = temporal.find_publication_date(text)
    if found is not None:
        assert 0 <= found.start <= found.end <= len(text)
        assert found.month is None or 1 <= found.month <= 12
    header = temporal.parse_header(text)
    if header is not None:
        assert 0 < header[1] <= len(text)


@pytest.fixture(scope="module")
def matcher(pipeline: Any) -> tuple[Any, Any, Any, Any]:
    """The session pipeline's model, entity, publication-date and actor stages (no model is loaded twice)."""
    entities = next(s for s in pipeline.stages if isinstance(s, FindEntities))
    published = next(s for s in pipeline.stages if isinstance(s, PublicationDate))
    actors = next(s for s in pipeline.stages if isinstance(s, ResolveActors))
    nlp = next(s.nlp for s in pipeline.stages if hasattr(s, "nlp"))
    return nlp, entities, published, actors


def code_actors(text: str, matcher: tuple[Any, Any, Any, Any], *, parse: bool) -> Document:
    """clean.v1, then the tokenizer alone (fast, no tags) or the whole model, entities.v1, published.v1, actors.v1."""
    nlp, entities, published, actors = matcher
    doc = Clean()(Document(Article(id="f", text=text)))
    doc.spacy_doc = nlp(doc.text) if parse else nlp.make_doc(doc.text)
    return actors(published(entities(doc)))  # type: ignore[no-any-return]


def check_actors(doc: Document) -> None:
    text = doc.article.text
    for actor in doc.actors:
        assert 0 <= actor.start <= actor.end <= len(text)
        assert text[actor.start : actor.end] == actor.text


@pytest.mark.slow
@SLOW_FUZZ
@given(text=texts)
def test_fuzz_actor_matching_on_tokens(text: str, matcher: Any) -> None:
    doc = code_actors(text, matcher, parse=False)
    check_offsets(doc)
    check_actors(doc)


@pytest.mark.slow
@settings(max_examples=int(25 * SCALE), deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(text=st.lists(st.sampled_from(PIECES), min_size=1, max_size=40).map(" ".join))
def test_fuzz_actor_matching_on_parsed_text(text: str, matcher: Any) -> None:
    check_actors(code_actors(text, matcher, parse=True))


@FUZZ
@given(st.binary(max_size=600))
def test_fuzz_jsonl_reader_on_bytes(data: bytes) -> None:
    for item in read_jsonl(io.BytesIO(data), "fuzz.jsonl"):
        assert isinstance(item, (Article, InputError))
        if isinstance(item, InputError):
            assert item.origin.startswith("fuzz.jsonl") and item.reason
        else:
            assert item.text.strip()
            item.text.encode("utf-8")  # whatever was read can be written out


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8,
)


@settings(max_examples=int(120 * SCALE), deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.fixed_dictionaries({"id": json_values, "text": st.one_of(texts, json_values)},
                                      optional={"published": json_values, "title": json_values}), max_size=8))
def test_fuzz_jsonl_reader_on_objects(rows: list[dict[str, Any]]) -> None:
    data = "\n".join(json.dumps(r) for r in rows).encode("utf-8", "surrogatepass")
    results = list(read_jsonl(io.BytesIO(data), "fuzz.jsonl"))
    assert len(results) == sum(1 for line in data.splitlines() if line.strip())
    for row, item in zip(rows, results):
        if isinstance(item, Article) and "<" not in row["text"]:
            assert len(item.text) == len(row["text"])  # surrogates replaced one for one
            item.text.encode("utf-8")
