"""Token columns of a parsed document: scan every token without making spaCy Token objects.

Each `doc[i]` or `for tok in span` builds a new Token object, and that costs more than the rules
that then read it. The coder scans whole sentences for the few tokens that can matter (lexicon
triggers, speech verbs), so it scans these integer columns (`Doc.to_array`, computed once per
document) and makes Tokens only for the tokens that pass.

Two Token properties are slow enough to matter on their own: `tok.sent` walks the sentence on
every call, and `tok.morph.get(...)` parses the feature string on every call. `sentence_bounds`
and `feature` answer the same from the columns and from a cache per morphology.

The argument finders walk the parse (heads, children, subtrees) many times per trigger: for them
`view_of` makes one plain-Python `Tok` per token with the attributes they read (`text`, `lemma_`,
`dep_`, `pos_`, `head`, `children`...), under the same names as spaCy's, so that the same rules run
on either.
"""

from __future__ import annotations

import gc
import weakref
from itertools import repeat
from typing import Any
from weakref import WeakKeyDictionary

import numpy as np

from ..kb import fold

MAX_CACHED = 1 << 17  # distinct lemmas (or morphology features) cached before the cache starts again

_BY_DOC: WeakKeyDictionary[Any, Columns] = WeakKeyDictionary()
# StringStore ids and morphology keys are hashes of the strings, the same for every Doc: one cache each.
_FOLDED: dict[int, str] = {}
_FEATURES: dict[tuple[int, str], str] = {}
_STRINGS: dict[int, str] = {}


class Columns:
    """Lemma, form and part-of-speech ids, and sentence bounds, of every token of one spaCy Doc.

    It keeps no reference to the Doc (only to its StringStore): `columns_of` caches it under a weak
    reference to the Doc, which a reference back would keep alive for ever.
    """

    __slots__ = ("_lemmas", "_texts", "lemma", "orth", "pos", "sent_end", "sent_start", "strings")

    def __init__(self, doc: Any) -> None:
        self.strings = doc.vocab.strings
        n = len(doc)
        rows = doc.to_array(["LEMMA", "ORTH", "POS", "SENT_START"]) if n else np.zeros((0, 4), dtype=np.uint64)
        self.lemma: list[int] = rows[:, 0].tolist()
        self.orth: list[int] = rows[:, 1].tolist()
        self.pos: list[int] = rows[:, 2].tolist()  # symbol ids: `strings["VERB"]` is the id of VERB
        # `tok.is_sent_start` is True where the flag is 1; `doc.sents` cuts the text at those tokens.
        flags = rows[:, 3].astype(np.int64)  # 1, -1 (no start) or 0 (not set), as uint64 in the array
        flags[:1] = 1
        starts = np.flatnonzero(flags == 1)
        lengths = np.diff(np.append(starts, n))
        self.sent_start: list[int] = np.repeat(starts, lengths).tolist()  # for each token, its sentence's first
        self.sent_end: list[int] = np.repeat(starts + lengths, lengths).tolist()  # and the token after its last
        self._texts: list[str] | None = None
        self._lemmas: list[str] | None = None

    def folded_lemma(self, i: int) -> str:
        """`fold(doc[i].lemma_)`, without the Token."""
        return _fold_id(self.strings, self.lemma[i])

    def folded_texts(self) -> list[str]:
        """`fold(tok.text)` for every token (made on first use)."""
        if self._texts is None:
            self._texts = _folded(self.strings, self.orth)
        return self._texts

    def folded_lemmas(self) -> list[str]:
        """`fold(tok.lemma_)` for every token (made on first use)."""
        if self._lemmas is None:
            self._lemmas = _folded(self.strings, self.lemma)
        return self._lemmas


def _folded(strings: Any, keys: list[int]) -> list[str]:
    """`_fold_id` of every id: one map over the cache, the long way only for ids not seen yet."""
    out: list[Any] = list(map(_FOLDED.get, keys))
    if None in out:
        out = [_fold_id(strings, key) if found is None else found for key, found in zip(keys, out)]
    return out


def _fold_id(strings: Any, key: int) -> str:
    """`fold` of the string with StringStore id `key`, cached by id."""
    found = _FOLDED.get(key)
    if found is None:
        if len(_FOLDED) > MAX_CACHED:
            _FOLDED.clear()
        found = _FOLDED[key] = fold(strings[key])
    return found


def columns_of(doc: Any) -> Columns:
    """The columns of a Doc (or of a TokenView's Doc), made on first use and kept as long as the Doc lives."""
    if type(doc) is TokenView:
        return doc.columns
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
    key = (tok.morph_key if type(tok) is Tok else tok.morph.key, name)
    found = _FEATURES.get(key)
    if found is None:
        if len(_FEATURES) > MAX_CACHED:
            _FEATURES.clear()
        found = _FEATURES[key] = str(tok.morph.get(name))
    return found


class Tok:
    """One token of a TokenView: spaCy's Token attributes that the rules read, as plain attributes."""

    __slots__ = ("children", "dep_", "doc", "head", "i", "idx", "lemma_", "morph_key", "pos_", "text")

    def __init__(self, doc: TokenView, i: int, text: str, lemma: str, pos: str, dep: str, idx: int, morph: int) -> None:
        self.doc, self.i, self.text, self.lemma_, self.pos_, self.dep_, self.idx = doc, i, text, lemma, pos, dep, idx
        self.morph_key = morph
        self.head: Tok = self
        self.children: tuple[Tok, ...] = ()

    @property
    def subtree(self) -> tuple[Tok, ...]:
        """The token and its descendants in the order of `Token.subtree` (text order for a projective parse),
        made once per token: the rules ask for the same phrases many times."""
        subtrees = self.doc.subtrees
        found = subtrees.get(self.i)
        if found is None:
            out: list[Tok] = []
            _collect(self, out)
            found = subtrees[self.i] = tuple(out)
        return found

    @property
    def left_edge(self) -> Tok:
        return self.doc[self.doc.spacy[self.i].left_edge.i]

    @property
    def right_edge(self) -> Tok:
        return self.doc[self.doc.spacy[self.i].right_edge.i]

    @property
    def morph(self) -> Any:
        return self.doc.spacy[self.i].morph

    @property
    def is_lower(self) -> bool:
        return self.text.islower()

    @property
    def is_title(self) -> bool:
        return self.text.istitle()

    @property
    def is_sent_start(self) -> bool:
        return self.doc.columns.sent_start[self.i] == self.i

    def __repr__(self) -> str:
        return self.text


def _collect(tok: Tok, out: list[Tok]) -> None:
    """Left subtrees, the token, right subtrees: one list, no generator per level."""
    for child in tok.children:
        if child.i < tok.i:
            _collect(child, out)
    out.append(tok)
    for child in tok.children:
        if child.i > tok.i:
            _collect(child, out)


class TokenView:
    """Every token of a parsed Doc as a `Tok`, heads and children linked: made once per Doc by `view_of`.

    Indexing gives a Tok (an int) or a list of Toks (a slice); `span(start, end)` stands for `doc[start:end]`
    where only `start`, `end` and `doc` are read.
    """

    __slots__ = ("__weakref__", "_spacy", "_text", "columns", "subtrees", "tokens")

    def __init__(self, doc: Any, text: str | None = None) -> None:
        self._spacy = weakref.ref(doc)  # the view is cached under a weak reference to the Doc: no cycle
        self._text = text  # the parsed text, when the caller has it (spaCy's `Doc.text` rebuilds it)
        self.columns = cols = columns_of(doc)
        self.subtrees: dict[int, tuple[Tok, ...]] = {}  # by token, made on first use (`Tok.subtree`)
        n = len(doc)
        if not n:
            self.tokens: list[Tok] = []
            return
        rows = doc.to_array(["HEAD", "DEP", "IDX", "MORPH"])
        heads = (rows[:, 0].astype(np.int64) + np.arange(n)).tolist()  # HEAD is the offset to the head
        strings = cols.strings
        collecting = gc.isenabled()
        gc.disable()  # some 1,500 new objects per document: no collection in the middle of making them
        try:
            self.tokens = tokens = list(map(
                Tok, repeat(self, n), range(n), _names(strings, cols.orth), _names(strings, cols.lemma),
                _names(strings, cols.pos), _names(strings, rows[:, 1].tolist()), rows[:, 2].tolist(),
                rows[:, 3].tolist()))
            children: dict[int, list[Tok]] = {}
            for tok, h in zip(tokens, heads):
                if h != tok.i:
                    tok.head = tokens[h]
                    children.setdefault(h, []).append(tok)
            for h, kids in children.items():
                tokens[h].children = tuple(kids)
        finally:
            if collecting:
                gc.enable()

    @property
    def spacy(self) -> Any:
        """The spaCy Doc (for the rare attribute a Tok does not copy)."""
        doc = self._spacy()
        if doc is None:
            raise ReferenceError("the spaCy Doc of this TokenView is gone")
        return doc

    def __getitem__(self, key: int | slice) -> Any:
        return self.tokens[key]

    def __len__(self) -> int:
        return len(self.tokens)

    def span(self, start: int, end: int) -> SpanView:
        return SpanView(self, start, end)

    def text_of(self, start: int, end: int) -> str:
        """`doc[start:end].text` of a non-empty span (spaCy's `Doc.text` makes a Token per word and joins
        them at each call: it is read at most once, and not at all when the view was given the text)."""
        if self._text is None:
            self._text = self.spacy.text
        first, last = self.offsets(start, end)
        return self._text[first:last]

    def offsets(self, start: int, end: int) -> tuple[int, int]:
        """`(span.start_char, span.end_char)` of the non-empty span `doc[start:end]`."""
        last = self.tokens[end - 1]
        return self.tokens[start].idx, last.idx + len(last.text)


class SpanView:
    """Tokens start to end of a TokenView (what the coder reads of a sentence Span)."""

    __slots__ = ("doc", "end", "start")

    def __init__(self, doc: TokenView, start: int, end: int) -> None:
        self.doc, self.start, self.end = doc, start, end


_VIEWS: WeakKeyDictionary[Any, TokenView] = WeakKeyDictionary()


def view_of(doc: Any, text: str | None = None) -> TokenView:
    """The TokenView of a spaCy Doc, made on first use (with the parsed `text`, when given) and kept as
    long as the Doc lives."""
    found = _VIEWS.get(doc)
    if found is None:
        found = _VIEWS[doc] = TokenView(doc, text)
    return found


def release_view(doc: Any) -> None:
    """Drop the TokenView of a Doc whose stages are done, breaking its cycles (token <-> head, token ->
    view) so that its objects go back at once instead of waiting for, and slowing, the cyclic collector."""
    view = _VIEWS.pop(doc, None)
    if view is None:
        return
    for tok in view.tokens:
        tok.head = tok.children = tok.doc = None  # type: ignore[assignment]
    view.tokens = []
    view.subtrees = {}


def _names(strings: Any, keys: list[int]) -> list[str]:
    """The strings of StringStore ids, through a cache shared by every Doc."""
    out: list[Any] = list(map(_STRINGS.get, keys))
    if all(out):  # the usual case: every word seen before (an empty string only takes the long way)
        return out
    for k, found in enumerate(out):
        if found is None:
            if len(_STRINGS) > MAX_CACHED:
                _STRINGS.clear()
            out[k] = _STRINGS[keys[k]] = strings[keys[k]]
    return out
