"""Shared fixtures: one real pipeline per test session (loading spaCy takes seconds)."""

from __future__ import annotations

import csv
import importlib.util
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType

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


@pytest.fixture(scope="session")
def load_api() -> ModuleType:
    """bench/load_api.py as a module (its store builder and request mix serve the API tests)."""
    path = Path(__file__).resolve().parents[1] / "bench" / "load_api.py"
    spec = importlib.util.spec_from_file_location("load_api", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["load_api"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def synthetic_store(load_api: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """4,000 synthetic mentions, as the load test's: actor filters seed the API's index, broad ones read
    its sort order."""
    path = tmp_path_factory.mktemp("synthetic") / "events.duckdb"
    load_api.build_store(path, 4000, 11)
    return path


@pytest.fixture(scope="module")
def open_web_db() -> Iterator[Callable[[Path], object]]:
    """Opens a store read-only for the API, its records cached as `dyade serve` does (`records=False`: not
    cached, every page from DuckDB); closed after the module."""
    from dyade.web.db import WebDB

    opened: list[WebDB] = []

    def open_(path: Path, *, records: bool = True, threads: int | None = 1) -> WebDB:
        db = WebDB(path, read_only=True, threads=threads)
        if records:
            db.load_records()
        opened.append(db)
        return db

    yield open_
    for db in opened:
        db.close()
