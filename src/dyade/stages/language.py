"""language.v1: identify the article's language offline (py3langid) and skip articles not in French."""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass
from typing import Any

from ..errors import SkipArticle
from ..model import Document
from ..registry import stage

logger = logging.getLogger(__name__)

# The languages the identifier chooses among. Restricting the model to the languages a French news
# feed actually mixes in makes it sharper: French texts full of Turkish, Russian or English names
# stay French (with all 140 of its languages a list of names comes out as Guianese Creole).
CANDIDATES = ("fr", "en", "es", "de", "it", "pt", "nl", "ar", "ru", "tr", "zh", "ja", "fa", "uk", "pl")


@dataclass(frozen=True)
class LanguageSettings:
    """Options of the language stage."""

    expected: str = "fr"
    candidates: tuple[str, ...] = CANDIDATES
    min_confidence: float = 0.9  # below this the article is kept: unsure is not a reason to lose it
    min_letters: int = 40  # shorter texts (a headline, a table of numbers) are not judged
    sample_chars: int = 500  # read this many characters from the start, middle and end (1,500 in all:
    # the identifier is sure of a French article by then, and its cost grows with every character)
    quick_chars: int = 150  # a first look at 3 x 150 characters; the full sample only when it is unsure
    quick_sure: float = 0.9999  # how sure the first look must be to stand (a clear article is at 1.0)


@functools.lru_cache(maxsize=4)
def load_identifier(candidates: tuple[str, ...] = CANDIDATES) -> Any:
    """The py3langid identifier restricted to `candidates`, loaded once per process (about 0.6 s)."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier  # type: ignore[import-untyped]

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(candidates))
    return identifier


def sample(text: str, size: int) -> str:
    """Up to three slices of `size` characters (start, middle, end): long texts cost the same as short."""
    if len(text) <= 3 * size:
        return text
    middle = len(text) // 2 - size // 2
    return "\n".join((text[:size], text[middle : middle + size], text[-size:]))


def identify(text: str, settings: LanguageSettings | None = None) -> tuple[str | None, float]:
    """The most likely language of `text` and its probability; (None, 0.0) for texts too short to judge."""
    settings = settings or LanguageSettings()
    part = sample(text, settings.sample_chars)
    if not _has_letters(part, settings.min_letters):
        return None, 0.0
    identifier = load_identifier(tuple(settings.candidates))
    quick = sample(text, settings.quick_chars)
    if len(quick) < len(part):  # the identifier's cost grows with every character: a short look first
        lang, prob = identifier.classify(quick)
        if prob >= settings.quick_sure:
            return str(lang), float(prob)
    lang, prob = identifier.classify(part)
    return str(lang), float(prob)


def _has_letters(text: str, count: int) -> bool:
    """At least `count` letters in `text` (read only as far as needed)."""
    for ch in text:
        if ch.isalpha():
            count -= 1
            if count <= 0:
                return True
    return count <= 0


@stage("language.v1", requires=["doc.text"], assigns=["doc.language"])
class DetectLanguage:
    """Set `doc.language`; raise SkipArticle("language") when the text is surely in another language."""

    def __init__(self, settings: LanguageSettings | None = None) -> None:
        self.settings = settings or LanguageSettings()
        load_identifier(tuple(self.settings.candidates))  # load now, not inside the first batch

    def __call__(self, doc: Document) -> Document:
        lang, prob = identify(doc.text, self.settings)
        if lang is None or prob < self.settings.min_confidence:
            doc.language = None
            if lang is not None:
                doc.notes.append(f"language unsure ({lang}, p={prob:.2f}): coded as {self.settings.expected}")
            return doc
        doc.language = lang
        if lang != self.settings.expected:
            raise SkipArticle("language", f"written in {lang!r} (p={prob:.2f}), not {self.settings.expected!r}")
        return doc
