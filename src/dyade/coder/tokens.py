"""Token columns of a parsed document: scan every token without making spaCy Token objects.

Each `doc[i]` or `for tok in span` builds a new Token object, and that costs more than the rules
that then read it. The coder scans whole sentences for the few tokens that can matter (lexicon
triggers, speech verbs), so it scans these integer columns (`Doc.to_array`, computed once per
document) and makes Tokens only for the tokens that pass.

Two Token properties are slow enough to matter on their own: `tok.sent` walks the sentence on
every call, and `tok.morph.get(...)` parses the feature string on every call. `sentence_bounds`
and `feature` answer the same from the columns and from a cache per morphology.
"""

from __future__ import annotations

from typing import Any
from weakref import WeakKeyDictionary

from ..kb import fold

MAX_CACHED = 1 << 17  # distinct lemmas (or morphology features) cached before the cache starts again

_BY_DOC: WeakKeyDictionary[Any, Columns] = WeakKeyDictionary()
# StringStore ids and morphology keys are hashes of the strings, the same for every Doc: one cache each.
_FOLDED: dict[int, str] = {}
_FEATURES: dict[tuple[int, str], str] = {}


class Columns:
    """Lemma, form and part-of-speech ids, and sentence bounds, of every token of one spaCy Doc.

    It keeps no reference to the Doc (only to its StringStore): `columns_of` caches it under a weak
    reference to the Doc, which a reference back would keep alive for ever.
    """

    __slots__ = ("_texts", "lemma", "orth", "pos", "sent_end", "sent_start", "strings")

    def __init__(self, doc: Any) -> None:
        self.strings = doc.vocab.strings
        rows = doc.to_array(["LEMMA", "ORTH", "POS", "SENT_START"]).tolist() if len(doc) else []
        self.lemma: list[int] = [r[0] for r in rows]
        self.orth: list[int] = [r[1] for r in rows]
        self.pos: list[int] = [r[2] for r in rows]  # symbol ids: `strings["VERB"]` is the id of VERB
        # `tok.is_sent_start` is True where the flag is 1; `doc.sents` cuts the text at those tokens.
        cuts = [i for i, r in enumerate(rows) if r[3] == 1 and i > 0] + [len(rows)]
        self.sent_start: list[int] = []  # for each token, the first token of its sentence
        self.sent_end: list[int] = []  # and the token after its last
        start = 0
        for end in cuts:
            self.sent_start.extend([start] * (end - start))
            self.sent_end.extend([end] * (end - start))
            start = end
        self._texts: list[str] | None = None

    def folded_lemma(self, i: int) -> str:
        """`fold(doc[i].lemma_)`, without the Token."""
        return _fold_id(self.strings, self.lemma[i])


    def folded_texts(self) -> list[str]:
        """`fold(tok.text)` for every token (made on first use)."""
        if self._texts is None:
            self._texts = [_fold_id(self.strings, key) for key in self.orth]
        return self._texts


def _fold_id(strings: Any, key: int) -> str:
    """`fold` of the string with StringStore id `key`, cached by id."""
    found = _FOLDED.get(key)
    if found is None:
        if len(_FOLDED) > MAX_CACHED:
            _FOLDED.clear()
        found = _FOLDED[key] = fold(strings[key])
    return found


def columns_of(doc: Any) -> Columns:
    """The columns of a Doc, made on first use and kept as long as the Doc lives."""
    found = _BY_DOC.get(doc)
    if found is None:
        found = _BY_DOC[doc] = Columns(doc)
    return found


def sentence_bounds(tok: Any) -> tuple[int, int]:
    """`(tok.sent.start, tok.sent.end)`, from the columns of the token's Doc."""
    cols = columns_of(tok.doc)
    return cols.sent_start[tok.i], cols.sent_end[tok.i]


def feature(tok: Any, name: str) -> str:
    """`str(tok.morph.get(name))` (`"['Past']"`, `"[]"`), parsed once per morphology in the process."""
    key = (tok.morph.key, name)
    found = _FEATURES.get(key)
    if found is None:
        if len(_FEATURES) > MAX_CACHED:
            _FEATURES.clear()
        found = _FEATURES[key] = str(tok.morph.get(name))
    return found
