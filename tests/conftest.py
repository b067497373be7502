"""Shared fixtures: one real pipeline per test session (loading spaCy takes seconds)."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[1] / "src" / "dyade" / "data"
SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.fixture(scope="session")
def pipeline():  # type: ignore[no-untyped-def]
    from dyade import build_pipeline

    return build_pipeline()


@pytest.fixture(scope="session")
def shared() -> Path:
    """The ../shared folder (seeds, gold, scorer); tests that need it skip where it is absent."""
    if not (SHARED / "eval" / "score.py").exists():
        pytest.skip("../shared is not present")
    return SHARED


@pytest.fixture(scope="session")
def data_csv() -> Callable[[str], tuple[list[str], list[dict[str, str]]]]:
    """Read a packaged CSV data file as it is on disk: (header, rows), without dyade's loaders."""

    def read(name: str) -> tuple[list[str], list[dict[str, str]]]:
        with open(DATA / name, encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            rows = list(reader)
            return list(reader.fieldnames or []), rows

    return read
