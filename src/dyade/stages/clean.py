"""clean.v1: drop boilerplate lines and headline blocks, normalise quotes and spaces, keep an offset map."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Document, Removal
from ..registry import stage
from ..textmap import MappedText

HEADER = re.compile(r"\A\s*date\s+\d{4}-\d{2}(?:-\d{2})?[ \t]*")
# Words that make a line boilerplate wherever they stand in it; every other pattern is anchored at the
# line's start.
SOCIAL = ("wechat", "code qr", "qr code", "suivez-nous", "abonnez-vous", "partager sur", "newsletter")
RIGHTS = "tous droits réservés"
ANYWHERE = (*SOCIAL, RIGHTS)
# Whole lines that carry no news: reason -> pattern (matched against the stripped line).
BOILERPLATE = {
    "copyright": re.compile(rf"^(©|\(c\)\s|copyright\b|{RIGHTS})|{RIGHTS}\W*$", re.I),
    "partner": re.compile(r"^(contenu (partenaire|sponsorisé)|publi-?reportage|publicité)\W*$", re.I),
    "dateline": re.compile(r"^(dernière mise à jour|mis à jour|publié|modifié) (le |à |:)", re.I),
    "social": re.compile("|".join(map(re.escape, SOCIAL)), re.I),
    "related": re.compile(r"^(lire aussi|à lire aussi|a lire aussi|voir aussi|sur le même sujet)\b", re.I),
}
# Whether a line can be boilerplate at all (most lines are not), in two cheap looks: the patterns tried at
# its first character only, then the words of ANYWHERE in its lower case. The patterns then say which.
ANY_BOILERPLATE = re.compile("|".join(f"(?:{p.pattern})" for p in BOILERPLATE.values()), re.IGNORECASE)
DATELINE_DASH = re.compile(r"\A([A-ZÀ-Ý][A-ZÀ-Ý' ]{1,30}(?:,[^\n\-–—]{0,30})?)\s+[-–—]\s+")
# Quote marks go; French ones take the blanks around them along (see `_quotes`).
QUOTE_MARKS = re.compile(r"[«»“”„\"]")
APOSTROPHES = re.compile(r"[’‘`´ʼ]")
# `l' Etat`, `qu' il`: the blank after an elided word goes. The pattern starts with the apostrophe (a
# fast scan); `_elision` checks the word before it.
APOSTROPHE_GAP = re.compile(r"'\s+")
ELIDED = re.compile(r"(?<!\w)(?:[dDlLjJnNsScCmMtT]|[qQ]u|[lL]orsqu|[pP]uisqu)\Z")
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
        mapped.replace(_quotes(mapped.text))
        mapped.sub(APOSTROPHE_GAP, _elision)
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


def _quotes(text: str) -> list[tuple[int, int, str]]:
    """Edits that drop every quote mark: a French or curly one with the blanks before and after it,
    which collapse to one space (to none where it had no blank on either side); a straight `"` alone."""
    edits = []
    last = 0
    for m in QUOTE_MARKS.finditer(text):
        start, end = m.start(), m.end()
        if text[start] != '"':
            while start > last and text[start - 1].isspace():
                start -= 1
            while end < len(text) and text[end].isspace():
                end += 1
        blank = text[start].isspace() or text[end - 1].isspace()
        edits.append((start, end, " " if blank else ""))
        last = end
    return edits


def _elision(match: re.Match[str]) -> str:
    """`'` and the blanks after it -> `'` after an elided word (`l'`, `qu'`, `lorsqu'`); unchanged elsewhere."""
    s = match.start()
    return "'" if ELIDED.search(match.string, max(0, s - 8), s) else match.group(0)


def _lines(text: str, start: int) -> list[tuple[int, int]]:
    """Non-empty lines as (start, end) spans, without their line breaks."""
    spans = []
    for m in re.finditer(r"[^\n]+", text[start:]):
        if m.group(0).strip():
            spans.append((start + m.start(), start + m.end()))
    return spans


def _line_reason(line: str) -> str | None:
    stripped = line.strip()
    if not ANY_BOILERPLATE.match(stripped):
        low = stripped.lower()
        if not any(word in low for word in ANYWHERE):
            return None
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
