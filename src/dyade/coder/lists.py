"""Lists of actors read from word order, where the parser breaks them.

`la France, l'Allemagne et l'Italie`, `de sept pays, l'Argentine, le Chili et le Pérou`, `plusieurs
pays, dont le Canada et l'Australie`: the parser often hangs the members of such lists on the wrong
head (an apposition of the first member, a relative clause of `dont`), so an event found for one
member or for the group noun would reach one country only. Each member stands for the whole list.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..model import Actor

MEMBER_KINDS = {"state", "capital", "person", "org", "seat", "title", "agent"}
GLUE = {",", "et", "ou", "le", "la", "l'", "les", "ainsi", "que"}
COORDINATORS = {"et", "ou"}
# What may introduce the members of a group noun after its comma: `plusieurs pays, dont la Chine`.
MARKERS = (("dont",), ("notamment",), ("parmi", "lesquels"), ("parmi", "lesquelles"), ("en", "particulier"),
           ("a", "savoir"), ("y", "compris"), ("tels", "que"), ("telles", "que"))
# Prepositions that an enumeration may leave out after its first member: `la condamnation de Tokyo, Séoul et
# Washington`; not the places' (`à Moscou, la Russie et la Chine ont`).
ELIDED_PREPS = {"de", "avec", "contre", "entre", "par", "pour", "aupres", "envers"}
# The word right before a group noun's first member: its comma, a marker's last word, or a determiner.
INTRODUCERS = {",", "le", "la", "l'", "les"} | {m[-1] for m in MARKERS}
MAX_GLUE = 3  # `, ainsi que la`
MAX_GROUP_PHRASE = 6  # words from a group noun to the comma before its members: `sept pays d'Amérique latine`


@dataclass
class Lists:
    """The lists of one sentence: each member's list, and the members of group nouns (by token)."""

    of_member: dict[int, list[Actor]] = field(default_factory=dict)  # id(actor) -> the list it belongs to
    of_noun: dict[int, list[Actor]] = field(default_factory=dict)  # token index of a group noun -> members


def find_lists(sent: Any, actors: list[Actor], words: list[str]) -> Lists:
    """Every list of two or more actors in a sentence, and every group noun followed by its members."""
    out = Lists()
    doc = sent.doc
    starts: dict[int, Actor] = {}
    for a in actors:
        if a.kind in MEMBER_KINDS and (a.country or a.kind == "org"):
            starts.setdefault(a.tok_start, a)
    if len(starts) < 2:
        return out
    first_verb: int | None = None
    for first in sorted(starts.values(), key=lambda a: a.tok_start):
        if id(first) in out.of_member:
            continue
        if first.tok_end < sent.end and words[first.tok_end] in GLUE:  # else no list goes on from here
            if first_verb is None:
                first_verb = next((k for k in range(sent.start, sent.end) if doc[k].pos_ in ("VERB", "AUX")), sent.end)
            members = _members(doc, sent, first, starts, words, first_verb < first.tok_start)
        else:
            members = [first]
        if len(members) >= 2:
            for m in members:
                out.of_member[id(m)] = members
        if first.tok_start - 1 > sent.start and words[first.tok_start - 1] in INTRODUCERS:
            _group_noun(doc, sent.start, first, members, words, out)
    return out


def _members(doc: Any, sent: Any, first: Actor, starts: dict[int, Actor], words: list[str],
             after_verb: bool) -> list[Actor]:
    """`first` and the actors that follow it joined by commas and `et`: `la Russie, la Chine et l'Iran`.
    A member that takes another preposition ends the list (`à Moscou, la Russie`), unless coordinated
    (`avec la Chine et la Russie`); after a verb, a member right before another verb is the subject of a
    new clause (`a condamné la Corée du Nord et la Chine a appelé`)."""
    members = [first]
    end = sent.end
    enumerated: bool | None = None
    i = first.tok_end
    while i < end:
        j = i
        while j < end and j - i < MAX_GLUE and words[j] in GLUE:
            j += 1
        glue = set(words[i:j])
        nxt = starts.get(j)
        if nxt is None or not glue & ({","} | COORDINATORS):
            break
        if nxt.prep != first.prep and nxt.prep == "" and not glue & COORDINATORS and enumerated is None:
            enumerated = _enumerated(first, j, end, starts, words)  # the same all along one list: asked once
        if nxt.prep != first.prep and not (nxt.prep == "" and (glue & COORDINATORS or enumerated)):
            break
        if after_verb and nxt.tok_end < end and doc[nxt.tok_end].pos_ in ("AUX", "VERB"):
            break
        members.append(nxt)
        i = nxt.tok_end
    return members


def _group_noun(doc: Any, start: int, first: Actor, members: list[Actor], words: list[str], out: Lists) -> None:
    """`à plusieurs pays de la région, dont la Biélorussie et l'Iran`, `de quatre pays voisins, l'Ouganda,
    la Tanzanie et le Rwanda`: the nouns of the phrase before the comma stand for the members after it."""
    i = first.tok_start
    while i > start and words[i - 1] in ("le", "la", "l'", "les"):
        i -= 1
    marked = False
    for marker in MARKERS:
        if tuple(words[max(start, i - len(marker)) : i]) == marker:
            i -= len(marker)
            marked = True
            break
    if i - 1 <= start or words[i - 1] != ",":
        return
    if not marked and (len(members) < 2 or (members[-1].tok_end < len(words)
                                            and doc[members[-1].tok_end].pos_ in ("AUX", "VERB"))):
        return  # without `dont`, only a list that is no clause's subject: `quatre pays voisins, l'Ouganda et ...`
    if marked and members[-1].tok_end < len(words) and doc[members[-1].tok_end].pos_ in ("AUX", "VERB"):
        return  # `plusieurs pays, dont la France fait partie`: a relative clause
    comma = i - 1
    for k in range(comma - 1, max(start, comma - MAX_GROUP_PHRASE) - 1, -1):
        tok = doc[k]
        if tok.pos_ in ("VERB", "AUX", "PUNCT"):
            break
        if tok.pos_ == "NOUN":
            out.of_noun.setdefault(k, members)


def _enumerated(first: Actor, j: int, end: int, starts: dict[int, Actor], words: list[str]) -> bool:
    """The actor at j continues an enumeration whose last member comes after `et`/`ou` (`de Tokyo, Séoul et
    Washington`), under a preposition an enumeration may leave out."""
    if first.prep not in ELIDED_PREPS:
        return False
    i = j
    while i in starts:
        k = starts[i].tok_end
        if k < end and words[k] in COORDINATORS:
            return True
        if k >= end or words[k] != ",":
            return False
        i = k + 1
        while i < end and words[i] in ("le", "la", "l'", "les"):
            i += 1
    return False
