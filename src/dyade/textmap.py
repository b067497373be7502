"""Text edits that remember, for every character kept, where it stood in the original text."""

from __future__ import annotations

import re
from collections.abc import Callable


class MappedText:
    """A text under edit, with `offsets[i]` the original index of character i (plus one end sentinel)."""

    __slots__ = ("offsets", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.offsets = list(range(len(text) + 1))

    def sub(self, pattern: re.Pattern[str], repl: str | Callable[[re.Match[str]], str]) -> int:
        """Replace every match; replacement characters map to the match's start. Returns the count."""
        return self.replace([(m.start(), m.end(), repl if isinstance(repl, str) else repl(m))
                             for m in pattern.finditer(self.text)])

    def replace(self, edits: list[tuple[int, int, str]]) -> int:
        """Replace the given non-overlapping [start, end) spans, in text order, by their strings."""
        if not edits:
            return 0
        pieces: list[str] = []
        offs: list[int] = []
        last = 0
        for start, end, new in edits:
            pieces.append(self.text[last:start])
            offs.extend(self.offsets[last:start])
            pieces.append(new)
            offs.extend(_spread(self.offsets, start, end, len(new)))
            last = end
        pieces.append(self.text[last:])
        offs.extend(self.offsets[last:])
        self.text = "".join(pieces)
        self.offsets = offs
        return len(edits)

    def delete_spans(self, spans: list[tuple[int, int]]) -> None:
        """Drop the given [start, end) spans of the current text."""
        if not spans:
            return
        keep_text: list[str] = []
        keep_offs: list[int] = []
        last = 0
        for start, end in sorted(spans):
            if start < last:
                start = last
            keep_text.append(self.text[last:start])
            keep_offs.extend(self.offsets[last:start])
            last = max(last, end)
        keep_text.append(self.text[last:])
        keep_offs.extend(self.offsets[last:])
        self.text = "".join(keep_text)
        self.offsets = keep_offs


def _spread(offsets: list[int], start: int, end: int, size: int) -> list[int]:
    """Original offsets for `size` replacement characters of the match [start, end)."""
    if size == end - start:
        return offsets[start:end]
    return [offsets[min(start + k, end - 1)] if end > start else offsets[start] for k in range(size)]
