"""CI fails when the coder's quality falls below the floors pinned in baseline.json."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from .gate import BASELINE, score_demo, score_golden, score_seeds

FLOORS = json.loads(BASELINE.read_text(encoding="utf-8"))


def test_gate_golden_sentences(pipeline: Any) -> None:
    figures, problems = score_golden(pipeline)
    for key in ("golden_precision", "golden_recall", "golden_f1"):
        assert figures[key] >= FLOORS[key], f"{key} {figures[key]} < floor {FLOORS[key]}:\n" + "\n".join(problems)


@pytest.mark.parametrize("key", ["seeds_f1", "seeds_dyad_recall", "seeds_date_accuracy", "seeds_location_accuracy"])
def test_gate_seeds(pipeline: Any, shared: Path, key: str, seed_figures: dict[str, float]) -> None:
    assert seed_figures[key] >= FLOORS[key], f"{key} {seed_figures[key]} < floor {FLOORS[key]}"


@pytest.fixture(scope="module")
def seed_figures(pipeline: Any, shared: Path) -> dict[str, float]:
    return score_seeds(pipeline, shared)


@pytest.mark.parametrize("key", ["demo_f1", "demo_precision", "demo_recall"])
def test_gate_demo_corpus(pipeline: Any, shared: Path, key: str, demo_figures: dict[str, float]) -> None:
    """Hand-coded gold for the demo corpus, coded without looking at dyade's output: closer to a held-out set."""
    assert demo_figures[key] >= FLOORS[key], f"{key} {demo_figures[key]} < floor {FLOORS[key]}"


@pytest.fixture(scope="module")
def demo_figures(pipeline: Any, shared: Path) -> dict[str, float]:
    return score_demo(pipeline, shared)
