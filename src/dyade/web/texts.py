"""Article texts for the web views: a side table `article_texts` the store itself does not keep."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path

import duckdb

from ..model import Article
from ..read import read_paths
from ..store.duckdb import text_hash

logger = logging.getLogger(__name__)

_TABLE = (
    "CREATE TABLE IF NOT EXISTS article_texts ("
    "id VARCHAR PRIMARY KEY, text_hash VARCHAR NOT NULL, text VARCHAR NOT NULL)"
)


def ensure_table(con: duckdb.DuckDBPyConnection) -> None:
    """Create the side table when it is missing."""
    con.execute(_TABLE)


def save_texts(con: duckdb.DuckDBPyConnection, articles: Iterable[Article]) -> int:
    """Store (or replace) the texts of these articles; returns how many were written."""
    rows = [(a.id, text_hash(a.text), a.text) for a in articles]
    if rows:
        con.executemany("INSERT OR REPLACE INTO article_texts VALUES (?, ?, ?)", rows)
    return len(rows)


def article_text(con: duckdb.DuckDBPyConnection, article_id: str) -> str | None:
    """The text of a stored article, when the side table holds the very text that was coded."""
    row = con.execute(
        "SELECT t.text FROM article_texts t JOIN articles a ON a.id = t.id AND a.text_hash = t.text_hash "
        "WHERE t.id = ?", [article_id],
    ).fetchone()
    return str(row[0]) if row else None


def load_texts(con: duckdb.DuckDBPyConnection, paths: Iterable[str]) -> int:
    """Read input files and keep the texts of the stored articles they hold (same id, same text)."""
    wanted = {row[0]: (row[1], row[2]) for row in con.execute("SELECT id, text_hash, n_chars FROM articles").fetchall()}
    found: list[Article] = []
    for item in read_paths(list(paths)):
        if not isinstance(item, Article):
            logger.warning("cannot read %s: %s", item.origin, item.reason)
            continue
        if wanted.get(item.id) == (text_hash(item.text), len(item.text)):
            found.append(item)
    return save_texts(con, found)


def fill_from_origins(con: duckdb.DuckDBPyConnection) -> int:
    """Find the texts still missing in the files the articles were ingested from, when still there."""
    rows = con.execute(
        "SELECT DISTINCT a.origin FROM articles a LEFT JOIN article_texts t ON t.id = a.id "
        "WHERE t.id IS NULL AND a.origin IS NOT NULL"
    ).fetchall()
    files = sorted({_origin_file(row[0]) for row in rows})
    existing = [name for name in files if name and Path(name).is_file()]
    if not existing:
        return 0
    count = load_texts(con, existing)
    logger.info("found %d article text(s) in %d input file(s)", count, len(existing))
    return count


def _origin_file(origin: str) -> str:
    """The file part of an origin (`path:line` for JSONL, `path` otherwise)."""
    head, sep, tail = origin.rpartition(":")
    return head if sep and tail.isdigit() else origin
