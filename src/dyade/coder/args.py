"""Find a trigger's source and target actors: from the dependency parse first, by position when it fails."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Any

from ..kb import fold
from ..model import Actor
from .lexicon import Predicate
from .lists import find_lists
from .reporting import (
    ATTRIBUTION_WORDS,
    attributed,
    attribution_at,
    clause_reporter,
    speaker_above,
)
from .tokens import Columns, columns_of, feature

PREP_FORMS = {
    "a": {"a", "au", "aux"}, "de": {"de", "du", "des", "d'"}, "avec": {"avec"}, "contre": {"contre"},
    "sur": {"sur"}, "envers": {"envers"}, "aupres": {"aupres"}, "pour": {"pour"}, "vers": {"vers"},
    "entre": {"entre"}, "par": {"par"}, "en": {"en"}, "chez": {"chez"}, "visant": {"visant"},
    "devant": {"devant"}, "autour": {"autour"}, "pres": {"pres"}, "dans": {"dans"},
    "lieu": {"a", "au", "aux", "en", "dans", "vers", "chez"},
}
LOCATIVE = {"en", "dans", "vers", "depuis", "pres", "au-dessus", "sur"}
NOT_ARGUMENT = {"selon", "comme"}
SLOT_DEPS = {"obl", "nmod", "iobj", "obj", "advmod"}  # relations (before any `:subtype`) a slot phrase hangs by
PLACE_SLOTS = {"lieu", "en", "dans", "chez"}
MAX_AGENT_DISTANCE = 12
MAX_DEPTH = 2  # how deep inside a noun phrase an actor may stand and still be its referent  # a `par` phrase further away belongs to another clause, whatever the parser says
SPEECH_VERBS = {
    "declarer", "annoncer", "indiquer", "preciser", "ajouter", "affirmer", "rapporter", "confirmer", "assurer",
    "estimer", "souligner", "expliquer", "dire", "ecrire", "communiquer", "rappeler", "reconnaitre", "juger",
    "considerer", "faire savoir", "relever", "noter", "insister", "temoigner", "raconter", "informer", "signaler",
}
ETRE_VERBS = {"aller", "venir", "arriver", "partir", "entrer", "sortir", "descendre", "monter", "rentrer",
              "retourner", "revenir", "parvenir", "rester", "tomber", "passer", "intervenir", "accourir"}
AVOIR_FORMS = {"a", "ont", "avait", "avaient", "aura", "auront", "aurait", "auraient", "ait", "aient", "eu"}
SUBJECT_PRONOUNS = {"il": "sg", "elle": "sg", "ils": "pl", "elles": "pl"}
GOAL_NOUNS = {"destination", "encontre", "egard", "endroit", "adresse"}  # `à destination de`, `à l'encontre de`
SPEAKER_PRONOUNS = {"nous", "je", "j'"}
PRONOUN_GENDER = {"il": "Masc", "elle": "Fem", "ils": "Masc", "elles": "Fem"}
SALIENT_KINDS = {"state", "person", "title", "capital", "seat", "adjective", "agent", "compound", "org"}
RELATIVE_PRONOUNS = {"qui", "que", "lequel", "laquelle", "lesquels", "lesquelles", "dont"}
# `les deux dirigeants` names the parties of the last meeting or agreement, if there was one.
INTERACTIONS = {"CONSULT", "AGREE", "COOPERATE"}


@dataclass
class Context:
    """What the coder remembers across the sentences of one article (for `les deux dirigeants`, `il`)."""

    last_dyad: tuple[Actor, Actor] | None = None
    last_meeting: tuple[Actor, Actor] | None = None
    last_subject: Actor | None = None
    last_person: Actor | None = None
    # The subject actor of the sentence just read and its grammatical gender (`La Pologne` Fem): the first
    # reading of `il`/`elle` in the next sentence.
    previous_subject: tuple[Actor, str] | None = None
    forces: list[tuple[str, Actor]] = field(default_factory=list)  # (trigger lemma, source) of acts of force
    forces_before: int = 0  # how many of them came before the sentence being read
    force_nouns: frozenset[str] = frozenset()  # nouns that name one (`tir`, `attaque`): `a condamné ce tir`

    def author_of(self, noun: str) -> Actor | None:
        """The source of the last act of force that `noun` names (`tir` <- `a tiré`, `attaque` <- `l'attaque`),
        else of the last act of force when `noun` names one at all."""
        for lemma, source in reversed(self.forces):
            stem = lemma[:-2] if lemma.endswith(("er", "ir")) else lemma
            if noun == lemma or noun.startswith(stem) or lemma.startswith(noun):
                return source
        return self.forces[-1][1] if self.forces and noun in self.force_nouns else None
    salience: Counter[str] = field(default_factory=Counter)
    first_actor: dict[str, Actor] = field(default_factory=dict)

    def see(self, actor: Actor) -> None:
        if actor.country and actor.kind in SALIENT_KINDS:
            self.salience[actor.country] += 1
            self.first_actor.setdefault(actor.country, actor)

    def pair(self) -> tuple[Actor, Actor] | None:
        if self.last_meeting or self.last_dyad:
            return self.last_meeting or self.last_dyad
        top = [c for c, _ in self.salience.most_common(2)]
        return (self.first_actor[top[0]], self.first_actor[top[1]]) if len(top) == 2 else None


class Arguments:
    """Actors of one sentence, indexed by token, with the rules that pick a trigger's arguments."""

    def __init__(self, sent: Any, actors: list[Actor], context: Context,
                 support_verbs: frozenset[str] = frozenset(), event_nouns: frozenset[str] = frozenset(),
                 columns: Columns | None = None) -> None:
        self.sent = sent
        self.columns = columns if columns is not None else columns_of(sent.doc)
        self.actors = actors
        self.context = context
        self.support_verbs = support_verbs
        self.event_nouns = event_nouns
        self.by_token: dict[int, list[Actor]] = {}
        for actor in actors:
            for i in range(actor.tok_start, actor.tok_end):
                self.by_token.setdefault(i, []).append(actor)
        self.reporters = self._reporters()
        self.lists = find_lists(sent, actors, self.columns.folded_texts())
        self._lemmas: dict[int, set[str]] = {}
        self._cases: dict[int, str] = {}  # `_case` of the words `slot` looked at

    def parse_lemmas(self, tok: Any) -> set[str]:
        """The folded lemmas of the parser's sentence of a token, where its whole subtree stands (this
        sentence may be part of it: a line break cuts one): made on first use."""
        cols = self.columns
        start = cols.sent_start[tok.i]
        found = self._lemmas.get(start)
        if found is None:
            found = self._lemmas[start] = set(cols.folded_lemmas()[start : cols.sent_end[tok.i]])
        return found

    def usable(self, actor: Actor, place: bool = False, reporter: bool = False) -> bool:
        """An actor that can be a participant: not a reporter, not a place (`en Syrie`, `à Moscou`),
        unless the frame asks for a place (`se rendre à Ankara`) or the reporter (`a déclaré M. Lavrov`)."""
        if (id(actor) in self.reporters and not reporter) or actor.prep in NOT_ARGUMENT:
            return False
        if place:
            return True
        if actor.prep in LOCATIVE and actor.kind in ("state", "capital", "adjective"):
            return False
        return not (actor.kind == "capital" and actor.prep == "a")

    def of_token(self, tok: Any, place: bool = False, reporter: bool = False) -> list[Actor]:
        """Actors a nominal token stands for, following coordination (`la Russie et la Syrie`,
        `les présidents turc Erdogan et russe Poutine`), lists and relative pronouns (`qui`)."""
        found = self.with_lists(self._coordinated(tok, place, reporter), place, reporter)
        return [x for a in found for x in self.expand_many(a)]

    def _coordinated(self, tok: Any, place: bool, reporter: bool) -> list[Actor]:
        """The actors of a nominal and of the nominals coordinated with it."""
        clause = tok.head
        if fold(tok.text) in RELATIVE_PRONOUNS and clause.dep_.startswith(("acl", "advcl")) and clause.head.i != clause.i:
            head = clause.head
            # a relative clause hung on a verb: the noun right before `qui` (`les dirigeants du G7, qui ont`)
            tok = (_antecedent(tok) or head) if head.pos_ in ("VERB", "AUX") or clause.dep_ == "advcl" else head
        found = [a for a in self.by_token.get(tok.i, []) if self.usable(a, place, reporter)]
        if not any(a.country or a.kind == "org" or a.possessed for a in found):  # `ses soldats`: the owner's
            # `des responsables militaires des deux pays`: an agent of no country is that of its complement
            inner = self._in_subtree(tok, place, reporter)
            found = inner if not found or any(a.country or a.kind in ("org", "pair") for a in inner) else found
        span = {tok.i} | {i for a in found for i in range(a.tok_start, a.tok_end)}
        seen = {_identity(a) for a in found}
        for conj in (c for i in sorted(span) for c in tok.doc[i].children if c.dep_ == "conj" and c.i not in span
                     and c.pos_ in ("NOUN", "PROPN", "PRON", "X", "ADJ") and _plain_coordination(c, max(span))
                     and not self._new_subject(c, tok)):
            for a in self._coordinated(conj, place, reporter):
                if _identity(a) not in seen:
                    seen.add(_identity(a))
                    found.append(a)
        if not any(a.country or a.kind == "org" or a.possessed for a in found):
            found = self.lists.of_noun.get(tok.i, found)  # `à plusieurs pays, dont la Biélorussie et l'Iran`
        return found

    def _new_subject(self, conj: Any, tok: Any) -> bool:
        """`a condamné le tir de la Corée du Nord et la Chine a appelé ...`: a conjunct right before a verb
        is the subject of the next clause, unless the phrase it joins is a subject too."""
        end = max([conj.i + 1] + [a.tok_end for a in self.by_token.get(conj.i, [])])
        doc = tok.doc
        return end < self.sent.end and doc[end].pos_ in ("AUX", "VERB") and not tok.dep_.startswith("nsubj")

    def with_lists(self, actors: list[Actor], place: bool = False, reporter: bool = False) -> list[Actor]:
        """The actors and the other members of the lists they belong to (`la France, l'Allemagne et l'Italie`)."""
        if not self.lists.of_member:
            return actors
        out: list[Actor] = []
        seen: set[tuple[int, int, str | None, str]] = set()
        done: set[int] = set()  # lists already gone through: `Erdogan et Erdogan et ...` stays linear
        for a in actors:
            members = self.lists.of_member.get(id(a))
            if members is None or id(members) in done:
                members = [a]
            else:
                done.add(id(members))
            for m in members:
                if _identity(m) not in seen and (m is a or self.usable(m, place, reporter)):
                    seen.add(_identity(m))
                    out.append(m)
        return out

    def expand_many(self, actor: Actor) -> list[Actor]:
        """Anaphors to the actors they stand for: `les deux dirigeants` is the last dyad."""
        if actor.kind != "pair":
            return [actor]
        pair = self.context.pair()
        if not pair:
            return []
        return [replace(p, text=actor.text, start=actor.start, end=actor.end, kind="pair",
                        tok_start=actor.tok_start, tok_end=actor.tok_end) for p in pair]

    def _in_subtree(self, tok: Any, place: bool, reporter: bool) -> list[Actor]:
        """The first usable actor inside a nominal's subtree (at most two levels down: `des positions
        des YPG`, not `un essai contraire aux résolutions du Conseil`), not crossing a verb or a clause."""
        by_token = self.by_token
        for t in sorted((t for t in tok.subtree if t.i in by_token), key=lambda t: t.i):  # only words of actors
            if t.i == tok.i or _depth(t, tok) > MAX_DEPTH or _crosses_clause(t, tok) or self._under_event_noun(t, tok) \
                    or _through_dative(t, tok):
                continue
            hits = [a for a in self.by_token.get(t.i, []) if self.usable(a, place, reporter)]
            if hits:
                return hits[:2] if hits[0].kind == "compound" else hits[:1]
        return []

    def _under_event_noun(self, t: Any, top: Any) -> bool:
        """`s'engager au désarmement des combattants`: an event noun brings its own participants."""
        cur = t.head
        while cur.i != top.i and cur.head.i != cur.i:
            if cur.pos_ == "NOUN" and fold(cur.lemma_) in self.event_nouns:
                return True
            cur = cur.head
        return top.pos_ == "NOUN" and fold(top.lemma_) in self.event_nouns and top.dep_ not in ("nsubj", "nsubj:pass", "obj")

    def pronoun(self, tok: Any) -> list[Actor]:
        """`il`/`elle` as subject: the last subject actor (this sentence first); `ils`: the last dyad;
        `nous`/`je` in a quote: who says it (`« Nous mettons fin à ... », a déclaré le chef de l'Etat`)."""
        word = fold(tok.text)
        if word in SPEAKER_PRONOUNS:
            return [a for a in self.actors if id(a) in self.reporters][:1]
        number = SUBJECT_PRONOUNS.get(word)
        if number == "sg":
            before = [a for a in self.actors if a.tok_end <= tok.i and a.prep == "" and a.kind not in ("adjective", "pair")]
            if before:
                return [before[0]]
        previous = self.context.previous_subject
        if number == "sg" and previous and previous[1] in ("", PRONOUN_GENDER[fold(tok.text)]):
            return [previous[0]]  # `La Pologne a fermé sa frontière. Elle a aussi accusé Minsk`
        if number == "sg" and self.context.last_person:
            return [self.context.last_person]
        if number == "sg" and self.context.last_subject:
            return [self.context.last_subject]
        if number == "pl" and self.context.last_dyad:
            return list(self.context.last_dyad)
        return []

    def slot(self, head: Any, slot: str) -> list[Any]:
        """Dependents of `head` that fill a slot: `obj`, `iobj` or a preposition (`avec`, `contre`, `a`)."""
        if slot in ("obj", "iobj"):
            # `a bombardé des positions`: the parser sometimes reads the partitive `des` as a preposition
            return [c for c in head.children if c.dep_ == slot
                    or (slot == "obj" and c.dep_ == "obl:arg" and _case(c) in ("des", "du"))
                    or (slot == "obj" and _second_subject(c))]
        forms = PREP_FORMS.get(slot, {slot})
        out = []
        cases = self._cases
        for c in head.children:
            if c.dep_.split(":")[0] in SLOT_DEPS:
                case = cases.get(c.i)
                if case is None:
                    case = cases[c.i] = _case(c)  # asked for every slot of every trigger: once per word
                if case in forms:
                    out.append(c)
                    continue
            if c.pos_ == "ADV" and fold(c.text) in forms:  # `auprès de la Chine` parsed as an adverb
                out.extend(g for g in c.children if g.pos_ in ("NOUN", "PROPN"))
        return out

    def linear(self, trigger: Any, slot: str, before: bool) -> list[Actor]:
        """Fallback when the parse fails: the nearest usable actor before the trigger (a subject)
        or after it behind the slot's preposition (a target)."""
        doc = trigger.doc
        if before:
            cands = [a for a in self.actors if a.tok_end <= trigger.i and self.usable(a) and a.prep == ""]
            if not cands or trigger.i - cands[-1].tok_end > 8 or _verb_between(doc, cands[-1].tok_end, trigger.i):
                return []
            return [a for a in self.with_lists(cands[-1:]) if a.tok_end <= trigger.i]
        forms = {"", "le"} if slot == "obj" else PREP_FORMS.get(slot, {slot})
        place = slot in PLACE_SLOTS or slot in ("pres", "autour")  # `des exercices près de Taïwan`
        for a in self.actors:
            if a.tok_start > trigger.i and self.usable(a, place) and a.prep in forms:
                near = a.tok_start - trigger.i <= 10 and not _verb_between(doc, trigger.i + 1, a.tok_start)
                return self.with_lists([a], place) if near else []
        return []

    def _reporters(self) -> set[int]:
        """Actors who only report: `selon Washington`, `, a déclaré le Pentagone`."""
        out = {id(a) for a in self.actors if a.prep == "selon"}
        cols = self.columns
        texts, lemmas = cols.folded_texts(), cols.folded_lemmas()
        start, end = self.sent.start, self.sent.end
        if not ATTRIBUTION_WORDS.isdisjoint(texts[start:end]):
            for i in range(start, end):
                if texts[i] in ATTRIBUTION_WORDS and attribution_at(self.sent.doc, i, texts):  # `selon X`, `d'après X`
                    out.update(id(a) for a in attributed(self.sent.doc, i, self.by_token))
        if SPEECH_VERBS.isdisjoint(lemmas[start:end]):
            return out  # the columns spare a Token for every word that is no speech verb
        verb = cols.strings["VERB"]
        for i in range(start, end):
            if lemmas[i] not in SPEECH_VERBS or cols.pos[i] != verb:
                continue
            tok = self.sent.doc[i]
            if not _incise(tok):
                continue
            for child in tok.children:
                if child.dep_ in ("nsubj", "obj") and child.i > tok.i:
                    out.update(id(a) for a in self._own(child))
        return out

    def _own(self, tok: Any) -> list[Actor]:
        return self.by_token.get(tok.i, []) or [a for t in tok.subtree for a in self.by_token.get(t.i, [])][:1]

    def reporter_for(self, trigger: Any, source: Actor | None) -> Actor | None:
        """Who says it: the `selon` or inverted-speech actor of the trigger's clause, or the subject of the
        speech verb whose `que` clause holds it."""
        reporters = [a for a in self.actors if id(a) in self.reporters and a is not source]
        return clause_reporter(trigger, reporters) or speaker_above(trigger, SPEECH_VERBS, self._own, source)


def _identity(actor: Actor) -> tuple[int, int, str | None, str]:
    """One actor named at one place (copies of a pair share their span: the code tells them apart)."""
    return (actor.tok_start, actor.tok_end, actor.code, actor.kind)


def _antecedent(relative: Any) -> Any | None:
    """The noun or name right before a relative pronoun (a comma between): its antecedent."""
    k = relative.i - 1
    if k >= 0 and relative.doc[k].text == ",":
        k -= 1
    if k < 0:
        return None
    tok = relative.doc[k]
    if tok.pos_ == "ADJ" and tok.dep_ == "amod":  # `son homologue brésilien, qui`
        tok = tok.head
    return tok if tok.pos_ in ("NOUN", "PROPN") else None


def _depth(t: Any, top: Any) -> int:
    """How many heads up from t to top (a large number when top is not above t)."""
    depth, cur = 0, t
    while cur.i != top.i:
        if cur.head.i == cur.i or depth > MAX_DEPTH + 2:
            return 99
        cur, depth = cur.head, depth + 1
    return depth


def _verb_between(doc: Any, start: int, end: int) -> bool:
    """A verb (not an auxiliary) or a subordinator (`... et que Pékin`) between two positions: a clause boundary
    the fallback must not cross. A subordinator right at the start opens the trigger's own complement (`a
    regretté que Pékin ait refusé`)."""
    return any((t.pos_ == "VERB" and t.lemma_ not in ("avoir", "être")) or (t.pos_ == "SCONJ" and t.i > start)
               for t in doc[start:end])


def _incise(verb: Any) -> bool:
    """`..., a déclaré le Pentagone`: a speech verb after a comma (or a quote), its subject after it."""
    first = min([verb.i] + [c.i for c in verb.children if c.dep_.startswith("aux")])
    return first > 0 and verb.doc[first - 1].text in (",", "\"", "»", "-", ":")


def _plain_coordination(conj: Any, last: int) -> bool:
    """`la Russie et la Syrie`; not `son homologue axés sur Jérusalem et la Syrie`, where a preposition
    between the two says the parser attached the second noun to the wrong head."""
    between = conj.doc[last + 1 : conj.i]
    return len(between) <= 6 and not any(t.pos_ == "ADP" and t.head.i != conj.i for t in between)  # cheap test first


def _case(tok: Any) -> str:
    for c in tok.children:
        if c.dep_ in ("case", "mark") or (c.dep_ == "fixed" and c.i < tok.i):
            return fold(c.text)
    return ""


def _through_dative(t: Any, top: Any) -> bool:
    """t stands inside an `à` phrase of top's (`un essai contraire aux résolutions du Conseil`): not top's
    referent. A place right after `à` is (`des cibles au Yémen`), and so is the goal of `à destination de`."""
    cur = t
    while cur.i != top.i and cur.head.i != cur.i:
        if (cur.i != t.i and cur.dep_ in ("nmod", "obl", "obl:mod") and _case(cur) in ("a", "au", "aux")
                and fold(cur.text) not in GOAL_NOUNS):
            return True
        cur = cur.head
    return False


def _crosses_clause(t: Any, top: Any) -> bool:
    """True when t hangs under a verb or clause inside top's subtree; participles (`contrôlés par`) do not count."""
    cur = t
    while cur.i != top.i and cur.head.i != cur.i:
        participle = cur.dep_ == "acl" and "Part" in feature(cur, "VerbForm") and "Past" in feature(cur, "Tense")
        if (cur.pos_ in ("VERB", "AUX") and not participle) or cur.dep_ in ("acl:relcl", "ccomp", "advcl", "parataxis"):
            return True
        cur = cur.head
    return False


def source_tokens(trigger: Any, pred: Predicate) -> tuple[list[Any], list[Any], bool]:
    """(source tokens, patient tokens, passive) from the verb's own dependents or those it shares."""
    children = list(trigger.children)
    deps = {c.dep_ for c in children}
    words = columns_of(trigger.doc).folded_texts()
    pronominal = any(words[c.i] in ("se", "s'") for c in children)  # `se sont retirées`: not a passive
    # `Il a ensuite accusé l'Iran`, read with a passive subject: `avoir` and no `être` is the active voice
    active_past = "aux:tense" in deps and "aux:pass" not in deps and any(
        c.dep_ == "aux:tense" and words[c.i] in AVOIR_FORMS for c in children)
    # `sont descendus dans la rue`: verbs whose perfect takes `être` are active without a `par` agent
    motion = "obl:agent" not in deps and fold(trigger.lemma_) in ETRE_VERBS
    active_past = active_past or motion
    passive = ("aux:pass" in deps or "nsubj:pass" in deps) and not pronominal and not active_past
    if pronominal and "nsubj" not in deps:
        subj = [c for c in children if c.dep_ == "nsubj:pass"]
        if subj:
            return subj, [], False
    if passive:
        agents = [c for c in children if (c.dep_ == "obl:agent" or (c.dep_.startswith("obl") and _case(c) == "par"))
                  and abs(c.i - trigger.i) <= MAX_AGENT_DISTANCE]
        patients = [c for c in children if c.dep_ == "nsubj:pass"]
        cur = trigger
        while not patients and cur.dep_ in ("xcomp", "conj") and cur.head.i != cur.i:
            cur = cur.head  # `il doit être reçu`: the subject belongs to `doit`
            patients = [c for c in cur.children if c.dep_ in ("nsubj", "nsubj:pass")]
        return agents, patients, True
    # `les opérations soutenues par`; not `a pour sa part appelé les militaires`, a participle with an object
    # whose auxiliary the parser read as the main verb
    reduced = not any(d.startswith(("aux", "nsubj")) or d == "obj" for d in deps)
    participle = "Part" in feature(trigger, "VerbForm")
    if trigger.dep_ == "acl" and participle and reduced:
        return _reduced_agents(trigger), [trigger.head], True
    if trigger.dep_ in ("xcomp", "advcl") and participle and reduced and "obl:agent" in deps:
        # `a recensé 31 civils tués par la répression`: the civilians were killed, not by who counts them
        return _reduced_agents(trigger), _noun_before(trigger), True
    subj = _subjects(trigger, passive=active_past)
    cur = trigger
    while not subj and cur.dep_ in ("xcomp", "conj", "ccomp", "advcl") and cur.head.i != cur.i:
        cur = cur.head
        subj = _subjects(cur, passive=True)
    return subj, [], False


def _reduced_agents(participle: Any) -> list[Any]:
    """The `par` phrase of a participle, or one the parser hung on its adjunct (`pilonnée depuis des
    semaines par l'armée russe`)."""
    agents = [c for c in participle.children if _case(c) == "par"]
    return agents or [g for c in participle.children if c.dep_.startswith("obl") for g in c.children
                      if _case(g) == "par" and abs(g.i - participle.i) <= MAX_AGENT_DISTANCE]


def _noun_before(participle: Any) -> list[Any]:
    """The noun a detached participle follows (`un ballon chinois, abattu par`, `31 civils tués par`)."""
    doc, k = participle.doc, participle.i - 1
    if k > 0 and doc[k].pos_ == "PUNCT":
        k -= 1
    if k < 0:
        return []
    tok = doc[k]
    if tok.pos_ == "ADJ" and tok.dep_ == "amod":
        tok = tok.head
    return [tok] if tok.pos_ in ("NOUN", "PROPN", "ADJ") else []


def _second_subject(tok: Any) -> bool:
    """`Hichilema a critiqué le Malawi` read with two subjects: the one after the verb, when another
    stands before it, is its object."""
    verb = tok.head
    return (tok.dep_ == "nsubj" and tok.i > verb.i and verb.i != tok.i
            and any(c.dep_ == "nsubj" and c.i < verb.i for c in verb.children))


def _subjects(verb: Any, passive: bool = False) -> list[Any]:
    """A verb's subjects, including those the parser hung on its auxiliary (`La Cédéao a suspendu`)."""
    deps = ("nsubj", "nsubj:pass") if passive else ("nsubj",)
    subj = [c for c in verb.children if c.dep_ in deps and not _second_subject(c)]
    if not subj:
        subj = [g for c in verb.children if c.dep_.startswith("aux") for g in c.children if g.dep_ in deps]
    return subj


def actors_of(tokens: list[Any], args: Arguments, place: bool = False, reporter: bool = False) -> list[Actor]:
    """The actors the tokens stand for: pronouns resolved (`il`), nominals with their coordination and lists."""
    out: list[Actor] = []
    seen: set[tuple[int, int, str | None, str]] = set()
    for t in tokens:
        covered = t.i in args.by_token  # `Poutine` tagged as a pronoun is still Poutine
        personal = t.pos_ == "PRON" and not covered and fold(t.text) not in RELATIVE_PRONOUNS
        for a in args.pronoun(t) if personal else args.of_token(t, place, reporter):
            if _identity(a) not in seen:
                seen.add(_identity(a))
                out.append(a)
    return out
