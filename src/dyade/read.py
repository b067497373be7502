"""Read articles from text files, JSONL, folders and stdin; bad input becomes a reported error, not a crash."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

from .errors import InputError
from .model import Article

logger = logging.getLogger(__name__)

TEXT_SUFFIXES = {".txt", ".text", ""}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
MAX_CHARS = 1_000_000

ReadResult = Article | InputError


def read_paths(paths: Iterable[str], *, max_chars: int = MAX_CHARS, stdin: IO[str] | None = None) -> Iterator[ReadResult]:
    """Yield an Article, or an InputError, for every article found under the given paths (`-` is stdin)."""
    for raw in paths:
        if raw == "-":
            yield from _read_stream(stdin or sys.stdin, "<stdin>", max_chars=max_chars)
            continue
        path = Path(raw)
        if path.is_dir():
            yield from _read_folder(path, max_chars=max_chars)
        elif path.exists():
            yield from read_file(path, max_chars=max_chars)
        else:
            yield InputError(str(path), "no such file or directory")


def _read_folder(folder: Path, *, max_chars: int) -> Iterator[ReadResult]:
    seen: set[Path] = set()
    try:
        entries = sorted(folder.rglob("*"))
    except OSError as exc:
        yield InputError(str(folder), f"cannot list folder ({exc.strerror or exc})")
        return
    for path in entries:
        if path.name.startswith(".") or path.is_dir():
            continue
        real = path.resolve()
        if real in seen:
            continue
        seen.add(real)
        if path.suffix.lower() in TEXT_SUFFIXES | JSONL_SUFFIXES:
            yield from read_file(path, max_chars=max_chars)


def read_file(path: Path, *, max_chars: int = MAX_CHARS) -> Iterator[ReadResult]:
    """Read one file: JSONL by suffix, otherwise one plain-text article named by the file's stem."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        yield InputError(str(path), f"cannot read ({exc.strerror or exc})")
        return
    text = _decode(data, str(path))
    if isinstance(text, InputError):
        yield text
        return
    if path.suffix.lower() in JSONL_SUFFIXES:
        yield from _read_jsonl_lines(text.splitlines(), str(path), max_chars=max_chars)
        return
    yield _text_article(text, path.stem, str(path), max_chars=max_chars)


def _read_stream(stream: IO[str], origin: str, *, max_chars: int) -> Iterator[ReadResult]:
    text = stream.read()
    if text.lstrip().startswith("{"):
        yield from _read_jsonl_lines(text.splitlines(), origin, max_chars=max_chars)
    else:
        yield _text_article(text, "stdin", origin, max_chars=max_chars)


def _decode(data: bytes, origin: str) -> str | InputError:
    if b"\x00" in data[:8192]:
        return InputError(origin, "binary file (NUL bytes), not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return InputError(origin, f"not UTF-8 (invalid byte at offset {exc.start})")


def _text_article(text: str, article_id: str, origin: str, *, max_chars: int) -> ReadResult:
    if not text.strip():
        return InputError(origin, "empty article (no text)")
    if len(text) > max_chars:
        return InputError(origin, f"article too long ({len(text)} characters, limit {max_chars})")
    return Article(id=article_id, text=text, origin=origin)


def _read_jsonl_lines(lines: list[str], origin: str, *, max_chars: int) -> Iterator[ReadResult]:
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{origin}:{number}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield InputError(where, f"not valid JSON ({exc.msg})")
            continue
        yield _json_article(obj, where, number, max_chars=max_chars)


def _json_article(obj: object, where: str, number: int, *, max_chars: int) -> ReadResult:
    if not isinstance(obj, dict):
        return InputError(where, "a JSONL line must be an object")
    text = obj.get("text")
    if not isinstance(text, str) or not text.strip():
        return InputError(where, "no `text` field (or it is empty)")
    if len(text) > max_chars:
        return InputError(where, f"article too long ({len(text)} characters, limit {max_chars})")
    article_id = obj.get("id")
    published = obj.get("published")
    return Article(
        id=str(article_id) if article_id not in (None, "") else f"line-{number}",
        text=text,
        published=str(published) if published else None,
        url=_opt_str(obj.get("url")),
        title=_opt_str(obj.get("title")),
        source=_opt_str(obj.get("source")),
        origin=where,
    )


def _opt_str(value: object) -> str | None:
    return str(value) if value not in (None, "") else None
