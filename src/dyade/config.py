"""Settings: packaged defaults < a user TOML file < `--set section.key=value`, validated once."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import DyadeError

DEFAULT_STAGES = (
    "clean.v1", "language.v1", "nlp.v1", "entities.v1", "published.v1", "actors.v1", "events.v1", "dates.v1",
    "places.v1",
)


@dataclass(frozen=True)
class Settings:
    """Everything a pipeline is built from."""

    stages: tuple[str, ...] = DEFAULT_STAGES
    model: str = "fr_core_news_md"
    batch_size: int = 16
    max_chars: int = 1_000_000
    language: dict[str, Any] = field(default_factory=dict)  # options of language.v1 ([language] in TOML)
    extra: dict[str, Any] = field(default_factory=dict)


def load_settings(path: str | Path | None = None, overrides: list[str] | None = None) -> Settings:
    """Read the defaults, then the user file, then the `section.key=value` overrides."""
    data = tomllib.loads(resources.files("dyade").joinpath("data", "default.toml").read_text("utf-8"))
    if path:
        try:
            _merge(data, tomllib.loads(Path(path).read_text("utf-8")))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise DyadeError(f"{path}: cannot read settings ({exc})") from exc
    for item in overrides or []:
        key, sep, value = item.partition("=")
        section, dot, name = key.partition(".")
        if not sep or not dot:
            raise DyadeError(f"--set {item!r}: expected section.key=value")
        data.setdefault(section, {})[name] = _parse_value(value)
    pipe, read = data.get("pipeline", {}), data.get("read", {})
    try:
        return Settings(
            stages=tuple(pipe.get("stages", DEFAULT_STAGES)), model=str(pipe.get("model", "fr_core_news_md")),
            batch_size=int(pipe.get("batch_size", 16)), max_chars=int(read.get("max_chars", 1_000_000)),
            language=dict(data.get("language", {})),
        )
    except (TypeError, ValueError) as exc:
        raise DyadeError(f"invalid settings: {exc}") from exc


def _merge(base: dict[str, Any], new: dict[str, Any]) -> None:
    for key, value in new.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            _merge(base[key], value)
        else:
            base[key] = value


def _parse_value(text: str) -> Any:
    try:
        return tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        return text
