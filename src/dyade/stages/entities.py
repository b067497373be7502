"""entities.v1: find knowledge-base phrases (states, adjectives, people, titles, organisations, agents)."""

from __future__ import annotations

from typing import Any

from ..coder.tokens import TokenView, columns_of, view_of
from ..kb import KnowledgeBase
from ..model import Document, Mention
from ..registry import stage

# Titles may carry the nationality adjective after their first word:
# `ministre russe des affaires étrangères`, `secrétaire américain à la défense`.
SPLITTABLE = {"title", "agent"}


@stage("entities.v1", requires=["doc.spacy_doc"], assigns=["doc.mentions"])
class FindEntities:
    """Longest-match look-up of every knowledge-base phrase, one hash look-up per token and length."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        # The longest phrase starting with each word: most words start none and cost one look-up.
        longest: dict[str, int] = {}
        for key in kb.phrases:
            longest[key[0]] = max(longest.get(key[0], 0), len(key))
        self.longest = longest
        # Words that start phrases but none of one word (`de`, `la`, `le`): the words that may follow them.
        # A match there needs one of these next, or an adjective (`ministre russe des ...`, `_split_title`).
        follow: dict[str, set[str]] = {}
        for key in kb.phrases:
            if len(key) > 1 and (key[0],) not in kb.phrases:
                follow.setdefault(key[0], set()).add(key[1])
        self.follow = {w: frozenset(nxt) for w, nxt in follow.items()}
        self.adjectives = frozenset(k[0] for k, entries in kb.phrases.items()
                                    if len(k) == 1 and any(e.kind == "adjective" for e in entries))

    def __call__(self, doc: Document) -> Document:
        sdoc = view_of(doc.spacy_doc)
        folded = columns_of(sdoc).folded_texts()  # no Token objects: faster
        text = doc.text
        mentions: list[Mention] = []
        i = 0
        size = len(folded)
        follow, adjectives = self.follow, self.adjectives
        while i < size:
            word = folded[i]
            if word not in self.longest or (word in follow and (i + 1 == size or (
                    folded[i + 1] not in follow[word] and folded[i + 1] not in adjectives))):
                i += 1
                continue
            found = self._match_at(sdoc, text, folded, i)
            if not found:
                i += 1
                continue
            mentions.extend(m for m in found if any(e.kind != "region" for e in m.entries))  # a region names no actor
            i = max(m.end for m in found)
        doc.mentions = mentions
        return doc

    def _match_at(self, sdoc: TokenView, text: str, folded: list[str], i: int) -> list[Mention]:
        phrases = self.kb.phrases
        limit = min(self.longest[folded[i]], len(folded) - i)
        best: list[Mention] = []
        for n in range(limit, 0, -1):
            entries = phrases.get(tuple(folded[i : i + n]))
            if entries and _plausible(sdoc, i, n, entries):
                best = [_mention(sdoc, text, i, i + n, entries)]
                break
        split = self._split_title(sdoc, text, folded, i, best[0].end - i if best else 0)
        return split or best

    def _split_title(self, sdoc: TokenView, text: str, folded: list[str], i: int, n: int) -> list[Mention]:
        """`ministre russe des affaires étrangères`: a title with an adjective after its first word."""
        adj = self.kb.phrases.get((folded[i + 1],)) if i + 1 < len(folded) else None
        if not adj or not any(e.kind == "adjective" for e in adj):
            return []
        limit = min(self.longest[folded[i]], len(folded) - i - 1)
        for size in range(limit, n, -1):
            key = (folded[i], *folded[i + 2 : i + 1 + size])
            entries = self.kb.phrases.get(key)
            if entries and any(e.kind in SPLITTABLE for e in entries):
                title = _mention(sdoc, text, i, i + 1 + size, tuple(e for e in entries if e.kind in SPLITTABLE))
                return [title, _mention(sdoc, text, i + 1, i + 2, adj)]
        return []


def _plausible(sdoc: Any, i: int, n: int, entries: tuple[Any, ...]) -> bool:
    """Single common words count only with the right part of speech (`général` the adjective is no agent)."""
    if n > 1:
        return True
    tok = sdoc[i]
    kinds = {e.kind for e in entries}
    if kinds <= {"agent", "title"}:
        return tok.pos_ in ("NOUN", "PROPN")
    if kinds == {"adjective"}:
        return tok.pos_ in ("ADJ", "NOUN", "PROPN", "VERB", "X")
    if kinds & {"state", "capital", "person", "org", "seat"} and tok.is_lower and len(tok.text) <= 4:
        return False  # short lowercase words (`ue`? `ei`?) only as written in capitals
    return True


def _mention(sdoc: TokenView, text: str, start: int, end: int, entries: tuple[Any, ...]) -> Mention:
    start_char, end_char = sdoc.offsets(start, end)
    return Mention(start, end, start_char, end_char, text[start_char:end_char], entries)
