"""Text that breaks parsers goes through the real pipeline without crashing or hanging, with bounded output."""

from __future__ import annotations

import random
import time
from typing import Any

import pytest

from dyade.model import Article, Document
from dyade.pipeline import Failure

pytestmark = [pytest.mark.issue(9), pytest.mark.slow]

SENTENCE = ("Le président turc Recep Tayyip Erdogan a reçu lundi à Ankara son homologue russe Vladimir Poutine, "
            "a annoncé la présidence turque.")
WORDS = ["le", "la", "les", "de", "des", "du", "président", "ministre", "russe", "turc", "Ankara", "Moscou", "a",
         "annoncé", "reçu", "frappé", "rencontré", "armée", "syrienne", "Idleb", "lundi", "mardi", "contre", "avec"]
SECONDS = 60  # far above the few seconds each case takes: only a hang (or a quadratic blow-up) fails


def _cases() -> dict[str, str]:
    rnd = random.Random(9)
    controls = [chr(c) for c in (*range(32), 0x7F, 0x85, 0x2028, 0x2029, 0xFEFF, 0x200B)]
    rows = "\n".join(" | ".join(f"{rnd.randint(0, 99_999):>6}" for _ in range(8)) + " | 12,5 %" for _ in range(800))
    emoji = ["🙂", "🇫🇷", "👨‍👩‍👧‍👦", "🔥", "\u200d", "🏳️‍🌈", "\ufe0f"]
    return {
        "long_sentence_no_punctuation": " ".join(rnd.choice(WORDS) for _ in range(4000)),
        "table_of_numbers": f"{SENTENCE}\n{rows}\n{SENTENCE}",
        "emoji": " ".join(w + rnd.choice(emoji) for w in SENTENCE.split()) * 30,
        "right_to_left": (f"{SENTENCE} الرئيس التركي رجب طيب أردوغان \u202e שלום עולם \u202c\u200f {SENTENCE}\n") * 20,
        "control_characters": "".join(ch + (rnd.choice(controls) if rnd.random() < 0.1 else "") for ch in SENTENCE * 30),
        "10000_repeated_names": "Vladimir Poutine " * 10_000,
        "3000_names_in_sentences": "Vladimir Poutine a rencontré Erdogan à Ankara. " * 3_000,
        "2000_repeated_titles": "le ministre turc des Affaires étrangères " * 2_000 + "a reçu son homologue.",
        "3000_coordinated_names": " et ".join(["Recep Tayyip Erdogan"] * 3_000) + " ont condamné la Russie.",
        "one_giant_word": "Erdogan" * 20_000,
        "only_punctuation": ".,;:!?«»()[]-–—'\"" * 2_000,
    }


CASES = _cases()


def check_offsets(doc: Document) -> None:
    """Actors and evidence point into the original text, at the words they name."""
    text = doc.article.text
    for actor in doc.actors:
        assert 0 <= actor.start <= actor.end <= len(text)
        assert text[actor.start : actor.end] == actor.text
    for event in doc.events:
        assert 0 <= event.evidence_start <= event.evidence_end <= len(text)


@pytest.mark.parametrize("name", sorted(CASES))
def test_robustness_hostile_text_is_coded_in_bounded_time_and_output(name: str, pipeline: Any) -> None:
    text = CASES[name]
    started = time.perf_counter()
    out = list(pipeline.pipe([Article(id=name, text=text, published="2019-05-06")]))
    elapsed = time.perf_counter() - started
    assert elapsed < SECONDS, f"{name}: {elapsed:.1f} s"
    [doc] = out
    if isinstance(doc, Failure):
        assert doc.kind == "language", doc.reason  # a stage that raised would be a bug
        return
    assert len(doc.offsets) == len(doc.text) + 1
    assert len(doc.events) <= len(text) // 20 + 4  # output grows with the text, no faster
    check_offsets(doc)
    for event in doc.events:
        record = event.to_record()
        assert record["evidence"]["text"] and len(record["evidence"]["text"]) <= len(text)


def test_robustness_hostile_texts_in_one_batch_do_not_cost_each_other(pipeline: Any) -> None:
    names = ["emoji", "control_characters", "right_to_left", "only_punctuation"]
    articles = [Article(id=n, text=CASES[n], published="2019-05-06") for n in names]
    articles.append(Article(id="plain", text=SENTENCE, published="2019-05-06"))
    out = list(pipeline.pipe(articles, batch_size=8))
    assert [o.article.id if isinstance(o, Failure) else o.id for o in out] == [*names, "plain"]
    plain = out[-1]
    assert isinstance(plain, Document) and plain.events
