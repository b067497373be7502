"""The parse stage's own pieces: the column ruler must set exactly what spaCy's AttributeRuler sets."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from dyade.stages.nlp import ColumnLemmatizer, ColumnRuler, load_language

ODD_TEXTS = ["", " ", "\n\n  \t x", "Un  \n\n deux\t\ttrois .  \u00a0 quatre", "  \n", "Oui.\n\n\nNon !"]
ATTRS = ["ORTH", "LEMMA", "POS", "TAG", "DEP", "HEAD", "MORPH", "SENT_START", "IS_SPACE"]


@pytest.fixture(scope="module")
def stock():  # type: ignore[no-untyped-def]
    return load_language(stock=True)


def _same(a, b) -> bool:  # type: ignore[no-untyped-def]
    return a.to_bytes() == b.to_bytes() and (a.to_array(ATTRS) == b.to_array(ATTRS)).all()


def test_column_ruler_replaces_the_models_ruler(pipeline, stock) -> None:  # type: ignore[no-untyped-def]
    nlp = pipeline.stages[pipeline.names.index("nlp.v1")].nlp
    assert type(nlp.get_pipe("attribute_ruler")) is ColumnRuler
    assert type(stock.get_pipe("attribute_ruler")) is not ColumnRuler
    assert type(nlp.get_pipe("lemmatizer")) is ColumnLemmatizer
    assert not ColumnLemmatizer.fits(stock.get_pipe("attribute_ruler"))
    assert nlp.pipe_names == stock.pipe_names


def test_column_components_docs_equal_spacys(pipeline, stock) -> None:  # type: ignore[no-untyped-def]
    """Byte for byte, on the demo corpus and on texts full of blanks (the whitespace patterns)."""
    nlp = pipeline.stages[pipeline.names.index("nlp.v1")].nlp
    demo = resources.files("dyade").joinpath("data", "demo", "articles.jsonl").read_text("utf-8").splitlines()
    texts = [json.loads(line)["text"] for line in demo if line.strip()][:30] + ODD_TEXTS
    spaces = 0
    for a, b in zip(nlp.pipe(texts), stock.pipe(texts)):
        assert _same(a, b), a.text[:80]
        spaces += sum(t.is_space for t in a)
    assert spaces >= 5  # the whitespace patterns did apply


def test_column_ruler_order_and_late_attributes(stock) -> None:  # type: ignore[no-untyped-def]
    """Patterns that set MORPH, LEMMA or DEP after TAG/POS ones, IN and NOT_IN: same result as spaCy's
    ruler given the same patterns, in the same order (a later pattern wins)."""
    import spacy

    patterns = [
        {"patterns": [[{"POS": "NOUN"}]], "attrs": {"TAG": "N"}},
        {"patterns": [[{"POS": {"IN": ["NOUN", "PROPN"]}}]], "attrs": {"MORPH": "Number=Sing", "TAG": "M"}},
        {"patterns": [[{"POS": "NOUN"}]], "attrs": {"TAG": "NN", "POS": "PROPN"}},
        {"patterns": [[{"DEP": {"NOT_IN": ["det", "case"]}, "IS_SPACE": False}]], "attrs": {"LEMMA": "x"}},
        {"patterns": [[{"TAG": "DET"}]], "attrs": {"DEP": "dep"}},
    ]
    base = spacy.blank("fr", vocab=stock.vocab)
    ruler = base.add_pipe("attribute_ruler")
    ruler.add_patterns(patterns)
    column = ColumnRuler.compile(base.vocab, patterns)
    assert column is not None
    for text in ["Le ministre turc a reçu son homologue russe à Ankara.", *ODD_TEXTS]:
        parsed = list(stock.pipe([text], disable=["attribute_ruler", "lemmatizer"]))[0]
        a, b = column(parsed.copy()), ruler(parsed.copy())
        assert _same(a, b), text


@pytest.mark.parametrize("pattern", [
    {"patterns": [[{"POS": "DET"}, {"POS": "NOUN"}]], "attrs": {"TAG": "X"}},  # two tokens
    {"patterns": [[{"LOWER": "le"}]], "attrs": {"TAG": "X"}},  # a column it does not read
    {"patterns": [[{"POS": "NOUN"}]], "attrs": {"TAG": "X"}, "index": 1},
    {"patterns": [[{"POS": {"REGEX": "N.*"}}]], "attrs": {"TAG": "X"}},
])
def test_column_ruler_declines_what_it_cannot_match(stock, pattern) -> None:  # type: ignore[no-untyped-def]
    assert ColumnRuler.compile(stock.vocab, [pattern]) is None


def test_line_breaks_start_sentences_as_the_token_loop_did(stock) -> None:  # type: ignore[no-untyped-def]
    """The break finder reads token ids; the plain loop over Tokens is the reference."""
    from dyade.stages.nlp import _line_breaks

    texts = ["Titre\nUn texte. Suite\n\nAutre paragraphe\n", "\n", "a\nb", "Sans saut de ligne.", "x \n \n y\t\nz"]
    for text in texts:
        doc, ref = stock.make_doc(text), stock.make_doc(text)
        _line_breaks(doc)
        for tok in ref[:-1]:
            if "\n" in tok.text:
                ref[tok.i + 1].is_sent_start = True
        assert [t.is_sent_start for t in doc] == [t.is_sent_start for t in ref], text
    doc = _line_breaks(stock.make_doc("a\nb"))
    assert [t.text for t in doc] == ["a", "\n", "b"] and doc[2].is_sent_start


def test_column_lemmatizer_keeps_lemmas_already_set(stock) -> None:  # type: ignore[no-untyped-def]
    """As spaCy's does when it does not overwrite: a lemma set before it (by a ruler) stays."""
    lemmatizer = ColumnLemmatizer(stock.get_pipe("lemmatizer"))
    text = "Les ministres ont signé des accords."
    before = list(stock.pipe([text], disable=["lemmatizer"]))[0]
    before[1].lemma_ = "MINISTRE"
    ours, theirs = lemmatizer(before.copy()), stock.get_pipe("lemmatizer")(before.copy())
    assert [t.lemma_ for t in ours] == [t.lemma_ for t in theirs]
    assert ours[1].lemma_ == "MINISTRE" and ours[3].lemma_ == "signer"


def _affix_calls(nlp, text: str) -> int:  # type: ignore[no-untyped-def]
    """How many chunks the tokenizer splits by its regexes on a second reading of `text` (cached ones: none)."""
    tokenizer = nlp.tokenizer
    search, calls = tokenizer.prefix_search, []
    tokenizer.prefix_search = lambda chunk: calls.append(chunk) or search(chunk)  # flushes the cache
    try:
        nlp.make_doc(text)
        calls.clear()
        nlp.make_doc(text)
        return len(calls)
    finally:
        tokenizer.prefix_search = search


def test_tokenizer_caches_words_after_a_line_break(pipeline, stock) -> None:  # type: ignore[no-untyped-def]
    """spaCy's tokenizer stops caching a text's chunks at its first special case, and a lone line break
    is one; dyade's drops the no-op whitespace cases, so a paragraph after a line break is found in the
    cache on the next reading, while a real special case (`M.`) keeps its own behaviour."""
    nlp = pipeline.stages[pipeline.names.index("nlp.v1")].nlp
    text = "Premier paragraphe sans rien.\nLes ministres des Affaires étrangères ont signé un accord, jeudi."
    assert _affix_calls(stock, text) > 5  # spaCy: every word after the line break is split again
    assert _affix_calls(nlp, text) == 0
    after_title = "M. Dupont a parlé.\nLes ministres ont signé."
    assert _affix_calls(nlp, after_title) > 0  # still spaCy's rule after a real special case
    assert "\u00a0" in nlp.tokenizer.rules and "\n" not in nlp.tokenizer.rules  # a no-break space has a NORM
    texts = [text, after_title, "a\tb\n\nc \n d", " \nx", "\t", "Un  deux"] + ODD_TEXTS
    for a, b in zip(nlp.pipe(texts), stock.pipe(texts)):
        assert _same(a, b), repr(a.text)
