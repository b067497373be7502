"""published.v1: the article's publication date, from metadata, a header line or a dateline,
with the year inferred when the text leaves it out (offices of the people named, `courant`)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from .. import temporal
from ..kb import KnowledgeBase
from ..model import DateValue, Document
from ..registry import stage

ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


@stage("published.v1", requires=["doc.mentions"], assigns=["doc.published"])
class PublicationDate:
    """Set `doc.published` (a DateValue with precision and how it was found) or leave it None."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb

    def __call__(self, doc: Document) -> Document:
        doc.published = self._find(doc)
        if doc.published is None:
            doc.reference = _latest_common_day(self.office_intervals(doc))
        if doc.published and doc.published.how:
            doc.notes.append(f"publication date {doc.published.value}: {doc.published.how}")
        return doc

    def _find(self, doc: Document) -> DateValue | None:
        article = doc.article
        if article.published and (m := ISO.match(article.published.strip())):
            year, month, day = (int(g) if g else None for g in m.groups())
            return DateValue.of(year, month, day, how="metadata `published`")  # type: ignore[arg-type]
        header = temporal.parse_header(article.text)
        if header:
            value = header[0]
            return DateValue(value.value, value.precision, value.how or "header line")
        partial = temporal.find_publication_date(article.text)
        if partial and partial.year:
            return DateValue.of(partial.year, partial.month, partial.day, how=partial.how)
        year, how = temporal.infer_year(partial, article.text, self.office_intervals(doc))
        if year is None:
            return None
        month = partial.month if partial else temporal.current_month(article.text)
        day = partial.day if partial else None
        return DateValue.of(year, month, day if month else None, how=how)

    def office_intervals(self, doc: Document) -> list[tuple[dt.date, dt.date]]:
        """When each person named held the office the text gives them (or any office they held)."""
        out = []
        sdoc: Any = doc.spacy_doc
        for i, m in enumerate(doc.mentions):
            for entry in m.entries:
                if entry.kind != "person":
                    continue
                terms = self.kb.people[entry.key].terms
                titled = _title_before(doc.mentions, i, sdoc)
                chosen = [t for t in terms if t.office in titled] or list(terms)
                start = min(t.start for t in chosen)
                end = max((t.end or dt.date.today()) for t in chosen)
                out.append((start, end))
        return out


def _latest_common_day(intervals: list[tuple[dt.date, dt.date]]) -> dt.date | None:
    """The last day inside every interval (the people named all in office), if there is one."""
    if not intervals:
        return None
    first = max(lo for lo, _ in intervals)
    last = min(hi for _, hi in intervals)
    return last if first <= last else None


def _title_before(mentions: list[Any], i: int, sdoc: Any) -> set[str]:
    """Offices named by a title right before mention i (`le secrétaire américain à la Défense Mark Esper`)."""
    offices: set[str] = set()
    for prev in reversed(mentions[max(0, i - 3) : i]):
        if mentions[i].start - prev.end > 3:
            break
        offices.update(e.key for e in prev.entries if e.kind == "title")
    return offices
