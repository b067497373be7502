"""clean.v1: drop boilerplate lines and headline blocks, normalise quotes and spaces, keep an offset map."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Document, Removal
from ..registry import stage
from ..textmap import MappedText

HEADER = re.compile(r"\A\s*date\s+\d{4}-\d{2}(?:-\d{2})?[ \t]*")
# Whole lines that carry no news: reason -> pattern (matched against the stripped line).
BOILERPLATE = {
    "copyright": re.compile(r"^(©|\(c\)\s|copyright\b|tous droits réservés)|tous droits réservés\W*$", re.I),
    "partner": re.compile(r"^(contenu (partenaire|sponsorisé)|publi-?reportage|publicité)\W*$", re.I),
    "dateline": re.compile(r"^(dernière mise à jour|mis à jour|publié|modifié) (le |à |:)", re.I),
    "social": re.compile(r"wechat|code qr|qr code|suivez-nous|abonnez-vous|partager sur|newsletter", re.I),
    "related": re.compile(r"^(lire aussi|à lire aussi|a lire aussi|voir aussi|sur le même sujet)\b", re.I),
}
DATELINE_DASH = re.compile(r"\A([A-ZÀ-Ý][A-ZÀ-Ý' ]{1,30}(?:,[^\n\-–—]{0,30})?)\s+[-–—]\s+")
QUOTES = re.compile(r"\s*[«»“”„]\s*|(?<=\w)\"(?=\w)|\"")
APOSTROPHES = re.compile(r"[’‘`´ʼ]")
APOSTROPHE_GAP = re.compile(r"(?<=\b[dDlLjJnNsScCmMtT]')\s+|(?<=\b[qQ]u')\s+|(?<=\b[lL]orsqu')\s+|(?<=\b[pP]uisqu')\s+")
# Runs of blanks become one space. A lone space is already that, so it is not matched: articles have
# thousands, and each match costs the offset map a splice.
SPACES = re.compile(r"[ \t\u00a0\u202f\u2009\u200b]{2,}|[\t\u00a0\u202f\u2009\u200b]")
DASHES = re.compile(r"[–—]")
LINE_BREAKS = re.compile(r"[ \t]*\n[\s]*")
TERMINAL = re.compile(r"[.!»\"”:;)]\s*$")
MIN_HEADLINE_BLOCK = 3


@dataclass(frozen=True)
class CleanSettings:
    """Options of the clean stage."""

    min_headline_block: int = MIN_HEADLINE_BLOCK


@stage("clean.v1", requires=[], assigns=["doc.text", "doc.offsets", "doc.removals"])
class Clean:
    """Turn the raw article text into the text the parser sees, recording what was dropped and why."""

    def __init__(self, settings: CleanSettings | None = None) -> None:
        self.settings = settings or CleanSettings()

    def __call__(self, doc: Document) -> Document:
        mapped = MappedText(doc.article.text)
        removals = self._drop_lines(mapped)
        mapped.sub(DATELINE_DASH, lambda m: m.group(1) + "\n")  # `MOSCOU - La Russie`: a dateline, not a subject
        mapped.sub(APOSTROPHES, "'")
        mapped.sub(QUOTES, _quote_repl)
        mapped.sub(APOSTROPHE_GAP, "")
        mapped.sub(DASHES, "-")
        mapped.sub(SPACES, " ")
        mapped.sub(LINE_BREAKS, "\n")
        _strip(mapped)
        doc.text = mapped.text
        doc.offsets = mapped.offsets
        doc.removals = removals
        return doc

    def _drop_lines(self, mapped: MappedText) -> list[Removal]:
        text = mapped.text
        removals: list[Removal] = []
        header = HEADER.match(text)
        if header:
            removals.append(Removal(0, header.end(), "header"))
        lines = _lines(text, header.end() if header else 0)
        flagged = [_line_reason(text[s:e]) for s, e in lines]
        headline_like = [_is_headline(text[s:e]) for s, e in lines]
        for idx in _headline_block(flagged, headline_like, self.settings.min_headline_block):
            flagged[idx] = flagged[idx] or "headline_block"
        for (start, end), reason in zip(lines, flagged):
            if reason:
                removals.append(Removal(start, end, reason))
        mapped.delete_spans([(r.start, r.end) for r in removals])
        return removals


def _quote_repl(match: re.Match[str]) -> str:
    """A quote mark disappears; the spaces around it collapse to one (or none before punctuation)."""
    s = match.group(0)
    return " " if s[:1].isspace() or s[-1:].isspace() else ""


def _lines(text: str, start: int) -> list[tuple[int, int]]:
    """Non-empty lines as (start, end) spans, without their line breaks."""
    spans = []
    for m in re.finditer(r"[^\n]+", text[start:]):
        if m.group(0).strip():
            spans.append((start + m.start(), start + m.end()))
    return spans


def _line_reason(line: str) -> str | None:
    stripped = line.strip()
    for reason, pattern in BOILERPLATE.items():
        if pattern.search(stripped):
            return reason
    return None


def _is_headline(line: str) -> bool:
    """A short line with no closing punctuation, or a short question: the shape of a headline."""
    stripped = line.strip()
    if len(stripped) > 180:
        return False
    return not TERMINAL.search(stripped) or stripped.endswith("?")


def _headline_block(flagged: list[str | None], headline_like: list[bool], min_block: int) -> list[int]:
    """Indexes of lines inside runs of `min_block` or more headline-like lines (boilerplate lines join runs)."""
    chosen: list[int] = []
    run: list[int] = []
    for idx, (reason, like) in enumerate(zip(flagged, headline_like)):
        if like or (reason and run):
            run.append(idx)
            continue
        chosen.extend(_close_run(run, flagged, min_block))
        run = []
    chosen.extend(_close_run(run, flagged, min_block))
    return chosen


def _close_run(run: list[int], flagged: list[str | None], min_block: int) -> list[int]:
    headlines = [i for i in run if not flagged[i]]
    return run if len(headlines) >= min_block else []


def _strip(mapped: MappedText) -> None:
    text = mapped.text
    lead = len(text) - len(text.lstrip())
    trail = len(text) - len(text.rstrip())
    spans = [(0, lead)] if lead else []
    if trail:
        spans.append((len(text) - trail, len(text)))
    mapped.delete_spans(spans)
