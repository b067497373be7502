"""The plain-Python token view must read exactly what spaCy's Tokens say, for every token."""

from __future__ import annotations

import gc

import pytest

from dyade.coder.tokens import Columns, Tok, TokenView, feature, sentence_bounds, view_of
from dyade.model import Article

TEXT = (
    "Le président turc Recep Tayyip Erdogan s'est entretenu mardi par téléphone avec son homologue russe, "
    "qui lui a assuré que Moscou ne livrerait pas d'armes aux YPG.\n"
    "Dans la nuit, des frappes aériennes ont visé des positions kurdes près de Tal Abyad, a rapporté l'agence "
    "Anadolu, tandis que les deux dirigeants doivent se rencontrer à Sotchi."
)


@pytest.fixture(scope="module")
def parsed(pipeline):  # type: ignore[no-untyped-def]
    doc = pipeline(Article(id="t", text=TEXT))
    return doc.spacy_doc


def test_every_token_reads_as_spacy_does(parsed) -> None:  # type: ignore[no-untyped-def]
    view = view_of(parsed)
    assert len(view) == len(parsed) > 50
    for tok, sp in zip(view, parsed):
        assert isinstance(tok, Tok)
        assert (tok.i, tok.text, tok.lemma_, tok.pos_, tok.dep_, tok.idx) == (
            sp.i, sp.text, sp.lemma_, sp.pos_, sp.dep_, sp.idx)
        assert tok.head.i == sp.head.i
        assert [c.i for c in tok.children] == [c.i for c in sp.children]
        assert [t.i for t in tok.subtree] == [t.i for t in sp.subtree]
        assert (tok.left_edge.i, tok.right_edge.i) == (sp.left_edge.i, sp.right_edge.i)
        assert (tok.is_lower, tok.is_title) == (sp.is_lower, sp.is_title)
        assert tok.is_sent_start == bool(sp.is_sent_start) or tok.i == 0
        assert sentence_bounds(tok) == (sp.sent.start, sp.sent.end)
        assert feature(tok, "Tense") == str(sp.morph.get("Tense"))


def test_spans_and_offsets(parsed) -> None:  # type: ignore[no-untyped-def]
    view = view_of(parsed)
    bare = TokenView(parsed)  # not given the text: reads spaCy's
    for sent in parsed.sents:
        assert view.offsets(sent.start, sent.end) == (sent.start_char, sent.end_char)
        assert view.text_of(sent.start, sent.end) == sent.text == bare.text_of(sent.start, sent.end)
    assert [t.i for t in view[3:6]] == [3, 4, 5]


def test_one_view_per_doc_and_none_kept_after_it(pipeline) -> None:  # type: ignore[no-untyped-def]
    doc = pipeline(Article(id="u", text="La Russie a condamné les frappes.")).spacy_doc
    view = view_of(doc)
    assert view_of(doc) is view
    del doc
    gc.collect()
    with pytest.raises(ReferenceError):
        _ = view.spacy  # the view holds no strong reference to its Doc


@pytest.mark.parametrize("text", ["", "Oui", "Oui.", "Un. Deux !\nTrois quatre\n\ncinq", TEXT])
def test_columns_read_as_spacy_does(pipeline, text: str) -> None:  # type: ignore[no-untyped-def]
    nlp = pipeline.stages[pipeline.names.index("nlp.v1")].nlp
    doc = nlp(text)
    cols = Columns(doc)
    assert (cols.lemma, cols.orth, cols.pos) == ([t.lemma for t in doc], [t.orth for t in doc], [t.pos for t in doc])
    assert cols.sent_start == [t.sent.start for t in doc]
    assert cols.sent_end == [t.sent.end for t in doc]
