"""Read articles from text, HTML and JSONL files, folders and stdin, streaming; bad input becomes a
reported error naming the file (and line), never a crash, and no article is loaded past its size limit."""

from __future__ import annotations

import errno
import io
import json
import logging
import os
import re
import stat
import sys
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, BinaryIO

from .errors import InputError
from .html import extract_page, looks_like_html
from .model import Article

logger = logging.getLogger(__name__)

TEXT_SUFFIXES = {".txt", ".text", ""}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
HTML_SUFFIXES = {".html", ".htm"}
MAX_CHARS = 1_000_000
SNIFF_BYTES = 8192
CHUNK_BYTES = 1 << 20
BYTES_PER_CHAR = 4  # UTF-8 spends at most 4 bytes on a character
JSON_BYTES_PER_CHAR = 6  # `\u00e9`: an ASCII-escaped JSON string spends up to 6 bytes on a character
HTML_BYTES_PER_CHAR = 10  # a page carries markup, scripts and menus around its text
LINE_OVERHEAD = 65536  # room for a JSONL line's other fields
MAX_CONTROL_SHARE = 0.05  # more control characters than this in the first bytes: not text
SURROGATES = re.compile(r"[\ud800-\udfff]")

ReadResult = Article | InputError


def read_paths(paths: Iterable[str], *, max_chars: int = MAX_CHARS, stdin: IO[str] | None = None) -> Iterator[ReadResult]:
    """Yield an Article, or an InputError, for every article found under the given paths (`-` is stdin)."""
    for raw in paths:
        if raw == "-":
            yield from read_stream(stdin or sys.stdin, "<stdin>", max_chars=max_chars)
            continue
        path = Path(raw)
        try:
            is_dir = stat.S_ISDIR(path.stat().st_mode)
        except (OSError, RuntimeError) as exc:
            yield InputError(str(path), _os_reason(exc))
            continue
        yield from (_read_folder(path, max_chars=max_chars) if is_dir else read_file(path, max_chars=max_chars))


def _os_reason(exc: BaseException) -> str:
    """Words for an OS error: the ones a user can act on are named."""
    code = getattr(exc, "errno", None)
    if code == errno.ENOENT:
        return "no such file or directory"
    if code == errno.ELOOP or isinstance(exc, RuntimeError):
        return "symlink loop (too many levels of symbolic links)"
    if code == errno.EACCES or isinstance(exc, PermissionError):
        return "permission denied"
    return f"cannot read ({getattr(exc, 'strerror', None) or exc})"


def _read_folder(folder: Path, *, max_chars: int) -> Iterator[ReadResult]:
    """Every readable file under `folder`, depth first in name order; symlinked folders are followed once."""
    seen_files: set[tuple[int, int]] = set()
    seen_dirs: set[tuple[int, int]] = set()
    stack: list[tuple[Iterator[Path], tuple[int, int]]] = []
    listing = _list_folder(folder, seen_dirs, ancestors=set())
    if isinstance(listing, InputError):
        yield listing
        return
    if listing is not None:
        stack.append(listing)
    while stack:
        entries, _ = stack[-1]
        path = next(entries, None)
        if path is None:
            stack.pop()
            continue
        try:
            st = path.stat()
        except (OSError, RuntimeError) as exc:
            yield InputError(str(path), "broken symlink" if path.is_symlink() and _missing(exc) else _os_reason(exc))
            continue
        if stat.S_ISDIR(st.st_mode):
            sub = _list_folder(path, seen_dirs, ancestors={k for _, k in stack})
            if isinstance(sub, InputError):
                yield sub
            elif sub is not None:
                stack.append(sub)
            continue
        if path.suffix.lower() not in TEXT_SUFFIXES | JSONL_SUFFIXES | HTML_SUFFIXES:
            logger.debug("%s: not an input suffix, ignored", path)
            continue
        if not stat.S_ISREG(st.st_mode):  # reading a FIFO would wait for a writer forever
            yield InputError(str(path), "not a regular file (a FIFO, socket or device)")
            continue
        if (st.st_dev, st.st_ino) in seen_files:
            continue  # the same file reached through a symlink
        seen_files.add((st.st_dev, st.st_ino))
        yield from read_file(path, max_chars=max_chars)


def _missing(exc: BaseException) -> bool:
    return getattr(exc, "errno", None) == errno.ENOENT


def _list_folder(
    folder: Path, seen: set[tuple[int, int]], *, ancestors: set[tuple[int, int]]
) -> tuple[Iterator[Path], tuple[int, int]] | InputError | None:
    """The folder's visible entries in name order; None for a folder already read; an error for a loop."""
    try:
        st = folder.stat()
        key = (st.st_dev, st.st_ino)
        if key in ancestors:
            return InputError(str(folder), "symlink loop (the folder contains itself)")
        if key in seen:
            logger.debug("%s: folder already read through another path", folder)
            return None
        seen.add(key)
        with os.scandir(folder) as scan:
            names = sorted(entry.name for entry in scan if not entry.name.startswith("."))
    except (OSError, RuntimeError) as exc:
        return InputError(str(folder), f"cannot list folder ({_os_reason(exc)})")
    return iter([folder / name for name in names]), key


def read_file(path: Path, *, max_chars: int = MAX_CHARS) -> Iterator[ReadResult]:
    """Read one file: JSONL line by line; HTML through trafilatura; otherwise one plain-text article."""
    suffix = path.suffix.lower()
    try:
        handle = open(path, "rb")  # noqa: SIM115 - closed below, after the last line is read
    except (OSError, RuntimeError) as exc:
        yield InputError(str(path), _os_reason(exc))
        return
    with handle:
        if suffix in JSONL_SUFFIXES:
            yield from read_jsonl(handle, str(path), max_chars=max_chars)
            return
        result = _read_whole(handle, path.stem, str(path), max_chars=max_chars, html=suffix in HTML_SUFFIXES)
    yield result


def read_stream(stream: IO[str] | IO[bytes], origin: str, *, max_chars: int = MAX_CHARS) -> Iterator[ReadResult]:
    """Read stdin (or any stream): JSONL when it starts with `{`, else one article (HTML or text)."""
    binary = _binary(stream)
    head = _peek(binary, SNIFF_BYTES).lstrip(b" \t\r\n\xef\xbb\xbf")
    if head.startswith(b"{"):
        yield from read_jsonl(binary, origin, max_chars=max_chars)
    else:
        yield _read_whole(binary, "stdin", origin, max_chars=max_chars, html=False)


def _binary(stream: IO[str] | IO[bytes]) -> BinaryIO:
    """The byte stream under a text stream (sys.stdin.buffer); a text-only stream (StringIO) is encoded whole."""
    buffer = getattr(stream, "buffer", None)
    if buffer is not None:
        return buffer  # type: ignore[no-any-return]
    if isinstance(stream, io.TextIOBase):
        return io.BytesIO(stream.read().encode("utf-8", "replace"))
    return stream  # type: ignore[return-value]


def _peek(handle: BinaryIO, size: int) -> bytes:
    peek = getattr(handle, "peek", None)
    if peek is not None:
        return bytes(peek(size)[:size])
    start = handle.tell()
    data = handle.read(size)
    handle.seek(start)
    return data


def _read_whole(handle: BinaryIO, article_id: str, origin: str, *, max_chars: int, html: bool) -> ReadResult:
    """One article from a whole file or stream, reading no more than its size limit allows."""
    limit = max_chars * (HTML_BYTES_PER_CHAR if html else BYTES_PER_CHAR) + 4
    try:
        data = handle.read(limit + 1)
    except OSError as exc:
        return InputError(origin, _os_reason(exc))
    if len(data) > limit:
        return InputError(origin, f"article too long (more than {limit} bytes; the limit is {max_chars} characters)")
    text = decode(data, origin)
    if isinstance(text, InputError):
        return text
    if html or looks_like_html(text):
        return _html_article(text, article_id, origin, max_chars=max_chars)
    return _text_article(text, article_id, origin, max_chars=max_chars)


def decode(data: bytes, origin: str) -> str | InputError:
    """Bytes to text: UTF-8 (or UTF-16 with a BOM); cp1252/Latin-1 with a warning; binary data is refused."""
    text = _to_text(data, origin)
    return text if isinstance(text, InputError) else _checked(text, origin)


def _to_text(data: bytes, origin: str) -> str | InputError:
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            return InputError(origin, "not text (a broken UTF-16 file)")
    if b"\x00" in data[:SNIFF_BYTES]:
        return InputError(origin, "binary file (NUL bytes), not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            return InputError(origin, f"not text (invalid UTF-8 at byte {exc.start}, and not cp1252/Latin-1 either)")
        logger.warning("%s: not UTF-8 (invalid byte at offset %d); decoded as cp1252/Latin-1", origin, exc.start)
        return text


def _checked(text: str, origin: str) -> str | InputError:
    """Refuse text that is mostly control characters (a binary file that happens to decode)."""
    head = text[:SNIFF_BYTES]
    controls = sum(1 for ch in head if ch not in "\t\n\r\f\v" and unicodedata.category(ch) == "Cc")
    if head and controls / len(head) > MAX_CONTROL_SHARE:
        return InputError(origin, f"binary file ({controls} control characters in the first {len(head)}), not text")
    return text


def _text_article(text: str, article_id: str, origin: str, *, max_chars: int) -> ReadResult:
    if not text.strip():
        return InputError(origin, "empty article (no text)")
    if len(text) > max_chars:
        return InputError(origin, f"article too long ({len(text)} characters, limit {max_chars})")
    return Article(id=article_id, text=_no_surrogates(text, origin), origin=origin)


def _html_article(html: str, article_id: str, origin: str, *, max_chars: int) -> ReadResult:
    page = extract_page(html, origin)
    if page is None:
        return InputError(origin, "HTML page with no article text")
    article = _text_article(page.text, article_id, origin, max_chars=max_chars)
    if isinstance(article, Article):
        article.published, article.title = page.published, page.title
    return article


def _no_surrogates(text: str, origin: str) -> str:
    """Lone surrogates (from `\\ud800` in JSON) cannot be written as UTF-8: each becomes U+FFFD."""
    if not SURROGATES.search(text):
        return text
    logger.warning("%s: lone surrogate characters replaced by U+FFFD", origin)
    return SURROGATES.sub("\ufffd", text)


def read_jsonl(handle: BinaryIO, origin: str, *, max_chars: int = MAX_CHARS) -> Iterator[ReadResult]:
    """One article per JSONL line, read line by line: a line longer than the limit is skipped unread."""
    if b"\x00" in _peek(handle, SNIFF_BYTES):
        yield InputError(origin, "binary file (NUL bytes), not JSONL")
        return
    limit = max_chars * JSON_BYTES_PER_CHAR + LINE_OVERHEAD
    number = 0
    while True:
        try:
            line = handle.readline(limit + 1)
        except OSError as exc:
            yield InputError(f"{origin}:{number + 1}", _os_reason(exc))
            return
        if not line:
            return
        number += 1
        if len(line) > limit and not line.endswith(b"\n"):
            size = len(line) + _skip_line(handle)
            yield InputError(f"{origin}:{number}", f"line too long ({size} bytes; the limit is {max_chars} characters)")
        elif line.strip():
            yield _jsonl_line(line, f"{origin}:{number}", number, max_chars=max_chars)


def _skip_line(handle: BinaryIO) -> int:
    """Read past the rest of an over-long line, a chunk at a time; the number of bytes skipped."""
    skipped = 0
    while chunk := handle.readline(CHUNK_BYTES):
        skipped += len(chunk)
        if chunk.endswith(b"\n"):
            break
    return skipped


def _jsonl_line(line: bytes, where: str, number: int, *, max_chars: int) -> ReadResult:
    text = line.decode("ascii") if line.isascii() else _to_text(line, where)  # JSON refuses raw controls itself
    if isinstance(text, InputError):
        return text
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        return InputError(where, f"not valid JSON ({exc.msg})")
    except (ValueError, RecursionError) as exc:  # numbers too long, nesting too deep
        return InputError(where, f"not valid JSON ({exc})")
    return _json_article(obj, where, number, max_chars=max_chars)


def _json_article(obj: object, where: str, number: int, *, max_chars: int) -> ReadResult:
    if not isinstance(obj, dict):
        return InputError(where, "a JSONL line must be an object")
    text = obj.get("text")
    if not isinstance(text, str) or not text.strip():
        return InputError(where, "no `text` field (or it is empty)")
    article_id = _opt_str(obj.get("id")) or f"line-{number}"
    if looks_like_html(text):
        article = _html_article(text, article_id, where, max_chars=max_chars)
    else:
        article = _text_article(text, article_id, where, max_chars=max_chars)
    if isinstance(article, InputError):
        return article
    article.published = _opt_str(obj.get("published")) or article.published
    article.title = _opt_str(obj.get("title")) or article.title
    article.url, article.source = _opt_str(obj.get("url")), _opt_str(obj.get("source"))
    return article


def _opt_str(value: object) -> str | None:
    return _no_surrogates(str(value), "metadata") if value not in (None, "") else None
