"""Build a Pipeline from Settings: load the shared resources once, hand each stage what it asks for."""

from __future__ import annotations

import atexit
import functools
import gc
import inspect
from typing import Any

from . import stages as _stages  # noqa: F401  (registers the built-in stages)
from .coder.lexicon import load_lexicon
from .config import Settings
from .errors import DyadeError
from .gazetteer import Gazetteer
from .kb import load_kb
from .pipeline import Pipeline
from .registry import get_stage
from .stages.language import LanguageSettings
from .stages.nlp import load_language


class Resources:
    """The heavy objects stages share (spaCy model, knowledge base, lexicon, gazetteer), loaded lazily."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._cache: dict[str, Any] = {}

    def get(self, name: str) -> Any:
        if name not in self._cache:
            self._cache[name] = getattr(self, f"_load_{name}")()
        return self._cache[name]

    def _load_nlp(self) -> Any:
        return load_language(self.settings.model)

    def _load_kb(self) -> Any:
        tokenizer = self.get("nlp").tokenizer
        return load_kb(lambda text: [t.text for t in tokenizer(text)])

    def _load_lexicon(self) -> Any:
        return load_lexicon()

    def _load_gazetteer(self) -> Any:
        return Gazetteer.load()


def build_pipeline(settings: Settings | None = None) -> Pipeline:
    """The configured pipeline; each stage's constructor parameters are filled by resource name."""
    settings = settings or Settings()
    resources = Resources(settings)
    built = []
    for name in settings.stages:
        factory = get_stage(name).factory
        params = inspect.signature(factory).parameters
        kwargs = {p: resources.get(p) for p in params if p in ("nlp", "kb", "lexicon", "gazetteer")}
        if "batch_size" in params:
            kwargs["batch_size"] = settings.batch_size
        if name.startswith("language.") and "settings" in params:
            kwargs["settings"] = language_settings(settings.language)
        built.append(factory(**kwargs))
    pipeline = Pipeline(built)
    _settle_heap()
    return pipeline


def _settle_heap() -> None:
    """The model, knowledge base, lexicon and gazetteer live as long as the process: move their half
    a million objects out of the cyclic collector's sight (`gc.freeze`), which otherwise walks them
    all at every full collection while articles are coded (about 15% of dyade's time, measured with
    `dyade bench`). Objects made later, documents included, are collected as usual; at exit they are
    handed back, so that extension modules (DuckDB's) are torn down as without it."""
    gc.collect()
    gc.freeze()
    _unfreeze_at_exit()


@functools.cache
def _unfreeze_at_exit() -> None:
    atexit.register(gc.unfreeze)


def language_settings(options: dict[str, Any]) -> LanguageSettings:
    """`[language]` in the settings (`expected = "fr"`, `min_confidence = 0.9`, ...), checked by name."""
    known = set(LanguageSettings.__dataclass_fields__)
    unknown = sorted(set(options) - known)
    if unknown:
        raise DyadeError(f"[language]: unknown setting(s) {', '.join(unknown)} (known: {', '.join(sorted(known))})")
    values = dict(options)
    if "candidates" in values:
        values["candidates"] = tuple(values["candidates"])
    expected = values.get("expected", LanguageSettings.expected)
    if "candidates" in values and expected not in values["candidates"]:
        values["candidates"] = (expected, *values["candidates"])
    return LanguageSettings(**values)
