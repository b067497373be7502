"""Who reports an event: the `selon X` or `, a indiqué X` of its own clause, or the speaker whose
`que` clause it stands in (`X a affirmé que ... et que ...`, `..., ajoutant que ...`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..kb import fold
from ..model import Actor
from .clause import governing_verb

# Links a clause may climb to reach the speech verb it depends on: coordinated clauses (`que A et que B`)
# and adjuncts (`..., ajoutant que`) share the speaker of the clause they hang on.
CLIMB_LINKS = {"conj", "advcl", "ccomp", "xcomp"}
REPORTED_LINKS = {"ccomp", "xcomp"}  # the last step: the content of a speech verb
MAX_CLIMB = 6
MAX_ATTRIBUTION = 12  # how far after `selon` its phrase may name who speaks (`selon des témoins cités par X`)


ATTRIBUTION_WORDS = {"selon", "apres"}  # the words `attribution_at` may say yes to


def attribution_at(doc: Any, i: int, texts: list[str]) -> bool:
    """Token i opens an attribution: `selon`, or `après` in `d'après`."""
    return texts[i] == "selon" or (texts[i] == "apres" and i > 0 and texts[i - 1] == "d'")


def attributed(doc: Any, i: int, by_token: dict[int, list[Actor]]) -> list[Actor]:
    """The actors of the phrase an attribution opens: `selon des sources diplomatiques turques` is Turkey
    speaking, `d'après l'armée américaine` the US military, `selon des témoins cités par Reuters` Reuters."""
    tok = doc[i]
    head = tok.head.head if tok.dep_ == "fixed" else tok.head  # `d'après`: `après` hangs on `d'`
    if head.i <= i or head.i - i > MAX_ATTRIBUTION:
        return []
    end = i + 1  # the phrase ends at the first punctuation: `Selon X, les jihadistes ...` (often parsed as `X et eux`)
    while end < min(len(doc), i + MAX_ATTRIBUTION + 1) and doc[end].pos_ != "PUNCT":
        end += 1
    return [a for k in range(i + 1, end) if _under(doc[k], head) for a in by_token.get(k, []) if a.tok_end <= end]


def _under(tok: Any, head: Any, steps: int = 4) -> bool:
    """tok is head or hangs under it within a few steps (bounded: no walk over a whole sentence's subtree)."""
    for _ in range(steps + 1):
        if tok.i == head.i:
            return True
        if tok.head.i == tok.i:
            return False
        tok = tok.head
    return False


def clause_reporter(trigger: Any, reporters: list[Actor]) -> Actor | None:
    """Of the sentence's `selon`/inverted-speech reporters (in text order), the one that governs the trigger:
    the first after it (a trailing `selon X` covers what comes before it), else the last before it
    (`Selon Kiev, ...`). `A, selon X, et B, selon Y`: A is X's, B is Y's."""
    after = next((a for a in reporters if a.tok_start > trigger.i), None)
    return after if after is not None else (reporters[-1] if reporters else None)


def speaker_above(trigger: Any, speech_verbs: set[str], own: Callable[[Any], list[Actor]],
                  source: Actor | None) -> Actor | None:
    """The subject of the speech verb whose `que` clause holds the trigger, climbing coordinated and adjunct
    clauses (`a affirmé que le Hezbollah avait tiré ... et que ses avions avaient frappé ...`) and speech
    verbs with no subject of their own (`..., ajoutant que`); None at a clause that is not reported speech."""
    cur = governing_verb(trigger) or trigger
    for _ in range(MAX_CLIMB):
        head = cur.head
        if head.i == cur.i or cur.dep_ not in CLIMB_LINKS:
            return None
        if cur.dep_ in REPORTED_LINKS and fold(head.lemma_) in speech_verbs:
            for c in head.children:
                if c.dep_ == "nsubj":
                    found = own(c)
                    return found[0] if found and found[0] is not source else None
        cur = head
    return None
