"""Token columns of a parsed document: scan every token without making spaCy Token objects.

Each `doc[i]` or `for tok in span` builds a new Token object, and that costs more than the rules
that then read it. The coder scans whole sentences for the few tokens that can matter (lexicon
triggers, speech verbs), so it scans these integer columns (`Doc.to_array`, computed once per
document) and makes Tokens only for the tokens that pass.
"""

from __future__ import annotations

from typing import Any

from spacy.attrs import LEMMA, ORTH, POS

from ..kb import fold

MAX_CACHED = 1 << 17  # distinct lemmas folded before the cache starts again


class Columns:
    """Lemma, form and part-of-speech ids of every token of one spaCy Doc."""

    __slots__ = ("doc", "lemma", "orth", "pos")

    # StringStore ids are hashes of the strings, the same for every Doc: one cache for the process.
    _folded: dict[int, str] = {}

    def __init__(self, doc: Any) -> None:
        self.doc = doc
        rows = doc.to_array([LEMMA, ORTH, POS]).tolist() if len(doc) else []
        self.lemma: list[int] = [r[0] for r in rows]
        self.orth: list[int] = [r[1] for r in rows]
        self.pos: list[int] = [r[2] for r in rows]

    def folded_lemma(self, i: int) -> str:
        """`fold(doc[i].lemma_)`, without the Token."""
        key = self.lemma[i]
        found = self._folded.get(key)
        if found is None:
            if len(self._folded) > MAX_CACHED:
                self._folded.clear()
            found = self._folded[key] = fold(self.doc.vocab.strings[key])
        return found
