"""Clause-level facts about a trigger: tense, negation, modality, cumulative tolls, numbers."""

from __future__ import annotations

from typing import Any

from ..kb import fold
from .tokens import columns_of, feature, sentence_bounds

NEGATORS = {"pas", "jamais", "aucun", "aucune", "rien", "guere", "point", "nullement", "ni"}
PLAN_VERBS = {"devoir", "aller", "prevoir", "compter", "envisager", "projeter", "entendre", "vouloir",
              "souhaiter", "esperer", "promettre", "s'appreter", "appreter", "programmer",
              "pret", "dispose", "disposer", "determine", "resolu"}  # `s'est dit prêt à rencontrer`: a will, not a meeting
HYPOTHETICAL_VERBS = {"pouvoir", "risquer", "menacer"}
PLAN_WORDS = {"prevu", "prevue", "prevus", "prevues", "programme", "programmee", "attendu", "attendue"}
BARE_OBJECT_DEPS = {"nmod", "xcomp", "obl:arg", "obl:mod"}  # relations the parser gives an object it misreads
TOLL_HEADS = {"nombre", "bilan", "total", "chiffre"}
QUOTES = {"«", "»", "\"", "“", "”"}
MAX_EPITHET_DISTANCE = 16  # how far after `a qualifié` the `de « ... »` naming its object may stand
NUMBERS = {
    "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8,
    "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "treize": 13, "quatorze": 14, "quinze": 15, "seize": 16,
    "vingt": 20, "trente": 30, "quarante": 40, "cinquante": 50, "soixante": 60, "cent": 100, "mille": 1000,
    "dizaine": 10, "vingtaine": 20, "centaine": 100,
}


def verb_group(tok: Any) -> list[Any]:
    """The trigger and its auxiliaries."""
    return [tok, *(c for c in tok.children if c.dep_.startswith("aux"))]


def tense(tok: Any) -> str:
    """`past`, `present` or `future` for the clause of a verb trigger (nouns take their governing verb,
    unless a past participle of their own says when: `l'attaque menée le 7 octobre`)."""
    if tok.pos_ in ("NOUN", "PROPN") and any(
            c.dep_ == "acl" and "Part" in feature(c, "VerbForm") and "Past" in feature(c, "Tense")
            for c in tok.children):
        return "past"
    verb = governing_verb(tok) or tok
    if planned_by(verb):
        return "future"
    group = verb_group(verb)
    morphs = " ".join([feature(t, "Tense") for t in group] + [feature(t, "Mood") for t in group])
    if "Fut" in morphs:
        return "future"
    if len(group) > 1 or verb.dep_.startswith("aux") or "Past" in morphs or "Imp" in morphs:
        return "past"  # (the group's words after the verb are its auxiliaries)
    return "present"


def pluperfect(tok: Any) -> bool:
    """`s'étaient mis d'accord`, `avait été jugée`: an auxiliary in the imperfect."""
    verb = governing_verb(tok) or tok
    return any(c.dep_.startswith("aux") and "Imp" in feature(c, "Tense") for c in verb.children)


def governing_verb(tok: Any, depth: int = 4) -> Any | None:
    """The nearest verb at or above a token in the parse."""
    cur = tok
    for _ in range(depth):
        if cur.pos_ in ("VERB", "AUX") and cur.dep_ not in ("amod",):
            return cur
        if cur.head.i == cur.i:
            return None
        cur = cur.head
    return None


def verb_above(tok: Any) -> Any | None:
    """The verb that governs a noun (`a mené des frappes`), none for the root."""
    return governing_verb(tok.head) if tok.head.i != tok.i else None


def direct_objects(verb: Any) -> list[Any]:
    """A verb's objects, also those the parser read as another relation with no preposition (`attaqué
    Mykolaïv` as `nmod`, `bombardé Omdourman` as `xcomp`), and those of a stranded coordinated verb."""
    own = [c for c in verb.children if c.dep_ == "obj" or (
        c.dep_ in BARE_OBJECT_DEPS and c.i > verb.i and not any(g.dep_ in ("case", "mark") for g in c.children))]
    return own + stranded_objects(verb)


def stranded_host(verb: Any) -> Any | None:
    """`avaient bombardé Kharkiv et attaqué Odessa`, parsed with `attaqué` coordinated to `Kharkiv` and
    `Odessa` hung on `bombardé`: the earlier verb whose object the second verb was hung on, which holds
    its subject and its own object."""
    head = verb.head
    if verb.dep_ != "conj" or head.pos_ not in ("NOUN", "PROPN") or head.head.i == head.i:
        return None
    host = head.head
    return host if host.pos_ == "VERB" and host.i < verb.i and head.dep_ in ("obj", "xcomp", "obl:mod", "obl:arg") else None


def stranded_objects(verb: Any) -> list[Any]:
    """The objects of a stranded verb's host that follow the verb: its own (`Odessa` of `attaqué`)."""
    host = stranded_host(verb)
    return [] if host is None else [c for c in host.children if c.dep_ == "obj" and c.i > verb.i]


def stranded_after(verb: Any) -> int | None:
    """Where the second of two coordinated verbs stands when the parser hung it on this verb's object:
    the objects after it are that verb's, not this one's."""
    for obj in verb.children:
        for c in obj.children if obj.dep_ in ("obj", "xcomp", "obl:mod", "obl:arg") else ():
            if c.dep_ == "conj" and c.pos_ == "VERB" and stranded_host(c) is verb:
                return c.i
    return None


def planned_by(verb: Any) -> Any | None:
    """The planning verb (`doit effectuer`, `va rencontrer`) or word (`prévu`) above a verb, if any."""
    head = verb.head
    cols = columns_of(verb.doc)
    if verb.dep_ in ("xcomp", "ccomp", "obj") and cols.folded_lemmas()[head.i] in PLAN_VERBS:
        return head
    words = cols.folded_texts()
    for child in verb.children:
        if words[child.i] in PLAN_WORDS:
            return child
    if words[verb.i] in PLAN_WORDS:
        return verb
    return None


def modality(tok: Any) -> str:
    """`planned`, `hypothetical` or `asserted`."""
    verb = governing_verb(tok) or tok
    head = verb.head
    if verb.dep_ in ("xcomp", "ccomp") and fold(head.lemma_) in HYPOTHETICAL_VERBS and head.pos_ in ("VERB", "AUX"):
        return "hypothetical"
    if "Cnd" in feature(verb, "Mood") or any("Cnd" in feature(c, "Mood") for c in verb.children
                                                   if c.dep_.startswith("aux")):
        return "planned" if verb.dep_ in ("ccomp", "parataxis") or head.i != verb.i else "hypothetical"
    if planned_by(verb) or tense(verb) == "future" or purpose(verb):
        return "planned"
    return "asserted"


def purpose(verb: Any) -> bool:
    """`s'est rendu à Moscou pour rencontrer Lavrov`, `afin de s'entretenir`: an infinitive of purpose says
    what was meant to happen, not that it did (`pour avoir attaqué`, a participle, is a reason)."""
    if "Inf" not in feature(verb, "VerbForm"):
        return False
    words = columns_of(verb.doc).folded_texts()
    return any(c.dep_ in ("mark", "case") and (words[c.i] == "pour" or (
        words[c.i] in ("de", "d'") and c.i > 0 and words[c.i - 1] == "afin")) for c in verb.children)


def negated(tok: Any) -> bool:
    """`n'ont pas convenu`, `n'a débouché sur aucun accord`, `ni ... ni`."""
    verb = governing_verb(tok) or tok
    words = columns_of(verb.doc).folded_texts()
    start, end = sentence_bounds(verb)
    window = words[max(start, verb.i - 6) : min(end, verb.i + 6)]
    has_ne = "ne" in window or "n'" in window
    sans = verb.i > 0 and words[verb.i - 1] == "sans"
    return (has_ne and not NEGATORS.isdisjoint(window)) or sans


def cumulative(tok: Any) -> bool:
    """`le nombre de militaires tués`, `portant à 18 le nombre`: a toll, not a new event."""
    cols = columns_of(tok.doc)
    lemmas = cols.folded_lemmas()
    if lemmas[tok.head.i] in TOLL_HEADS or lemmas[tok.head.head.i] in TOLL_HEADS:
        return True
    before = cols.folded_texts()[max(0, tok.i - 5) : tok.i]
    return "nombre" in before or "bilan" in before


def count(tok: Any) -> int | None:
    """The number attached to a noun (`deux soldats`, `18 civils`, `une dizaine de personnes`)."""
    for child in tok.children:
        if child.dep_ in ("nummod", "det", "amod") and (value := parse_number(child.text)) is not None:
            return value
    head = tok.head
    if fold(tok.text) and head.i != tok.i and fold(head.text) in ("dizaine", "vingtaine", "centaine"):
        return parse_number(head.text)
    return None


def parse_number(text: str) -> int | None:
    """`deux` -> 2, `18` -> 18, `300.000` -> 300000; anything else -> None."""
    word = fold(text)
    if word in NUMBERS and word not in ("un", "une"):
        return NUMBERS[word]
    digits = word.replace(".", "").replace(" ", "").replace("\u202f", "")
    return int(digits) if digits.isdigit() and len(digits) < 9 else None


def epithets(tok: Any, cols: Any) -> set[str]:
    """Words right after `de`/`d'` (a quote between allowed) in the trigger's clause, however long the name
    before them: what `a qualifié le dirigeant nord-coréen Kim Jong-un de « tyran »` calls its object."""
    texts, lemmas = cols.folded_texts(), cols.folded_lemmas()
    end = min(tok.i + MAX_EPITHET_DISTANCE, sentence_bounds(tok)[1])
    out: set[str] = set()
    for k in range(tok.i + 2, end):
        before = k - 2 if texts[k - 1] in QUOTES else k - 1
        if texts[before] in ("de", "d'") and texts[k] not in QUOTES:
            out.update((texts[k], lemmas[k]))
    return out
