"""dates.v1: date every event from the time expressions attached to its clause, relative to the
article's date and the clause's tense; mark events recalled from long before as background."""

from __future__ import annotations

import datetime as dt
from typing import Any

from .. import temporal
from ..coder.clause import governing_verb
from ..coder.tokens import TokenView, sentence_bounds, view_of
from ..kb import fold
from ..model import DateValue, Document, Event
from ..registry import stage

MAX_CLIMB = 4
SAME_TIME = {"lorsque", "quand", "lorsqu'", "pendant", "tandis"}
BACKGROUND_DAYS = 60
FIRST = {"premier", "premiere", "premiers", "premieres"}
FIRST_WINDOW = 14
TITLES = {"ministre", "secretaire", "vice-premier", "adjoint"}


@stage("dates.v1", requires=["doc.events", "doc.published"], assigns=["event.event_date", "event.background"])
class DateEvents:
    """Give each event its own date; with no expression, the article's date at its own precision."""

    def __call__(self, doc: Document) -> Document:
        sdoc = doc.spacy_doc
        view = view_of(sdoc)
        by_sentence: dict[int, list[Event]] = {}
        for event in doc.events:
            by_sentence.setdefault(event.sentence_index, []).append(event)
        for sentence in doc.sentences:
            events = by_sentence.get(sentence.index, [])
            if not events:
                continue
            start, end = view.offsets(sentence.tok_start, sentence.tok_end)
            text = doc.text[start:end]  # the Span's text, without making its Tokens
            exprs = [(e, _token_at(sdoc, view, start + e.start)) for e in temporal.find_expressions(text)]
            for event in sorted(events, key=lambda e: e.trigger_i):
                self._date(doc, view[event.trigger_i], event, exprs, events)
        return doc

    def _date(self, doc: Document, trigger: Any, event: Event, exprs: list[tuple[Any, Any]],
              siblings: list[Event]) -> None:
        anchors = _anchors(trigger)
        attached = [(e, tok) for e, tok in exprs if tok is not None and _attached(tok, anchors)]
        attached = [(e, tok) for e, tok in attached if e.kind != "since" or not _first_since(tok)]
        published = doc.published
        if attached and published:
            expr = attached[0][0]
            anchor = published
            if expr.kind == "relative_day" and ("veille" in expr.text or "lendemain" in expr.text):
                dated = [s.event_date for s in siblings if s is not event and s.event_date and s.trigger_i < event.trigger_i]
                anchor = dated[-1] if dated else published
            value = temporal.resolve(expr, anchor, event.tense)
            if value is not None:
                event.event_date = value
                event.background = event.background or expr.kind == "since" or _long_before(value, published)
                return
        if attached and not published:
            value = temporal.resolve(attached[0][0], DateValue.of(dt.date.today().year), event.tense)
            if value is not None and value.precision != "day" and "explicit" in value.how:
                event.event_date = value
                return
        if published:
            event.event_date = DateValue(published.value, published.precision, "article date")


def _token_at(sdoc: Any, view: TokenView, char: int) -> Any | None:
    span = sdoc.char_span(char, char + 1, alignment_mode="expand")
    return view[span.start] if span is not None and len(span) else None


def _anchors(trigger: Any) -> set[int]:
    """The trigger, its governing verb, and the verb it complements (`doit effectuer`)."""
    out = {trigger.i}
    verb = governing_verb(trigger)
    if verb is not None:
        out.add(verb.i)
        if verb.dep_ in ("xcomp", "ccomp") and verb.head.i != verb.i:
            out.add(verb.head.i)
        marks = {fold(c.text) for c in verb.children if c.dep_ in ("mark", "fixed")}
        if verb.dep_ == "advcl" and marks & SAME_TIME:
            out.add(verb.head.i)  # `en août 2008, lorsque la Russie avait envahi`: the time is shared
    return out


def _attached(tok: Any, anchors: set[int]) -> bool:
    cur = tok
    for _ in range(MAX_CLIMB):
        if cur.i in anchors:
            return True
        if cur.head.i == cur.i:
            return False
        cur = cur.head
    return cur.i in anchors


def _first_since(tok: Any) -> bool:
    """`le premier chef de la diplomatie américaine à se rendre en Chine depuis 2018`, `pour la
    première fois depuis 2011`: `depuis` measures the gap before an event; it does not date it.
    Read on the words before `depuis` (the parser often hangs the `à` clause on another noun)."""
    doc = tok.doc
    window = range(max(sentence_bounds(tok)[0], tok.i - FIRST_WINDOW), tok.i)
    return any((fold(doc[i].lemma_) in FIRST or fold(doc[i].text) in FIRST)
               and fold(doc[i + 1].text) not in TITLES for i in window)  # `le Premier ministre` is a title


def _long_before(value: DateValue, published: DateValue) -> bool:
    return (published.first_day() - value.last_day()).days > BACKGROUND_DAYS
