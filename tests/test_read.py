"""Reading inputs: every bad article is reported with file (and line) and the rest is read."""

from __future__ import annotations

import io
import json
from pathlib import Path

from dyade.errors import InputError
from dyade.model import Article
from dyade.read import read_paths


def split(results: list[Article | InputError]) -> tuple[list[Article], list[InputError]]:
    return [r for r in results if isinstance(r, Article)], [r for r in results if isinstance(r, InputError)]


def test_read_folder_of_text_files_uses_stems_and_skips_bad_ones(tmp_path: Path) -> None:
    (tmp_path / "a1.txt").write_text(" date 2018-11 Le Japon a protesté.", encoding="utf-8")
    (tmp_path / "empty.txt").write_text("  \n", encoding="utf-8")
    (tmp_path / "latin.txt").write_bytes("L'armée a tiré à l'aube.".encode("latin-1"))
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01\x02binary")
    articles, errors = split(list(read_paths([str(tmp_path)])))
    assert [a.id for a in articles] == ["a1", "latin"]  # Latin-1 is decoded, with a warning (issue 9)
    assert articles[1].text == "L'armée a tiré à l'aube."
    reasons = {Path(e.origin).name: e.reason for e in errors}
    assert "empty" in reasons["empty.txt"]
    assert "binary" in reasons["bin.txt"]


def test_read_jsonl_reports_bad_lines_with_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    lines = [
        json.dumps({"id": "x1", "text": "Le Kenya a envoyé des policiers.", "published": "2023-10-02", "url": "u"}),
        "{not json",
        json.dumps({"id": "x3", "title": "no text"}),
        json.dumps({"id": "x4", "text": "Le Qatar a reçu une délégation."}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    articles, errors = split(list(read_paths([str(path)])))
    assert [a.id for a in articles] == ["x1", "x4"]
    assert articles[0].published == "2023-10-02" and articles[0].url == "u"
    assert [e.origin for e in errors] == [f"{path}:2", f"{path}:3"]
    assert "JSON" in errors[0].reason and "text" in errors[1].reason


def test_read_stdin_plain_text_and_missing_path() -> None:
    results = list(read_paths(["-", "/nonexistent/file.txt"], stdin=io.StringIO("La Corée du Sud a protesté.")))
    articles, errors = split(results)
    assert articles[0].id == "stdin" and articles[0].text.startswith("La Corée")
    assert errors[0].reason == "no such file or directory"


def test_read_too_long_article_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "big.txt").write_text("mot " * 100, encoding="utf-8")
    articles, errors = split(list(read_paths([str(tmp_path / "big.txt")], max_chars=50)))
    assert not articles and "too long" in errors[0].reason
