"""Shared fixtures: one real pipeline per test session (loading spaCy takes seconds)."""

from __future__ import annotations

from pathlib import Path

import pytest

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
