"""The stage registry: stages register under a stable, versioned name; config refers to that name."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import entry_points
from typing import Any, TypeVar

from .errors import PipelineError

T = TypeVar("T")


@dataclass(frozen=True)
class StageSpec:
    """A registered stage: its factory and what it needs and adds to the Document."""

    name: str
    factory: Callable[..., Any]
    requires: tuple[str, ...]
    assigns: tuple[str, ...]


_STAGES: dict[str, StageSpec] = {}


def stage(name: str, *, requires: list[str], assigns: list[str]) -> Callable[[T], T]:
    """Class decorator: register a stage factory under `name` (e.g. `"clean.v1"`)."""

    def register(factory: T) -> T:
        _STAGES[name] = StageSpec(name, factory, tuple(requires), tuple(assigns))  # type: ignore[arg-type]
        factory.stage_name = name  # type: ignore[attr-defined]
        return factory

    return register


def get_stage(name: str) -> StageSpec:
    """The spec registered under `name`, looking in the `dyade.stages` entry-point group as well."""
    if name not in _STAGES:
        for ep in entry_points(group="dyade.stages"):
            if ep.name == name:
                ep.load()
    if name not in _STAGES:
        raise PipelineError(f"unknown stage {name!r}; registered: {', '.join(sorted(_STAGES))}")
    return _STAGES[name]


def registered() -> list[str]:
    """Names of the stages registered so far."""
    return sorted(_STAGES)
