"""A trigger's arguments: who acts and on whom, read from the parse around a verb or a noun.

`verb_args` reads a verb's subject (or a passive's agent) and its target slots (`a bombardé des
positions des YPG`, `s'est entretenu avec son homologue`); `noun_args` a noun's adjective, `par`
and `de` phrases or the subject of the verb it hangs on (`les frappes turques contre`, `a eu un
entretien avec`). Both fall back on word order where the parser hung a phrase elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from ..kb import fold
from ..model import Actor
from . import clause
from .args import (
    INTERACTIONS,
    PLACE_SLOTS,
    SPEECH_VERBS,
    Arguments,
    actors_of,
    source_tokens,
)
from .implied import act_of_force, author_of_object, authors_of
from .lexicon import Predicate
from .tokens import feature, sentence_bounds

EMBEDDED_TARGETS = {"THREATEN", "REJECT", "AGREE"}
EMBEDDED_SLOTS = ("avec", "contre", "a", "sur")  # the partner of the act threatened, refused or agreed
HOLD_VERBS = {"controler", "tenir", "occuper", "detenir"}
POSSESSIVES = {"leur", "leurs", "son", "sa", "ses", "notre", "nos"}
# Adjuncts whose noun's participants are the clause's subject: `ont convenu lors d'un entretien`.
PARTICIPANT_PREPS = {"lors", "pendant", "durant", "cours", "issue", "occasion"}
# `optimiste après ces discussions`: after a meeting, its participants; after an attack, not its author.
MEETING_PREPS = {"apres", "suite", "a"}
# `a décrété l'état d'urgence après des manifestations`: under a support verb, a noun in a time adjunct is
# what the subject answered, not what it did.
REACTION_PREPS = {"apres", "avant", "malgre", "depuis"}
PARTNER_SLOTS = {"contre", "avec", "entre", "envers"}  # prepositions that name a partner, never a place
# `ont manifesté devant l'ambassade de France, le Parlement`: a protest before the seat of an authority is
# aimed at it; before a university, a hospital or a firm (the protesters' own), that is only where it was.
AUTHORITY_SECTORS = {"GOV", "LEG", "JUD", "COP", "MIL", "SPY", "IGO"}


@dataclass
class Candidate:
    """A trigger with its predicate and the arguments found for it, before events are made."""

    trigger: Any
    pred: Predicate
    sources: list[Actor]
    targets: list[Actor]
    how: str
    fatalities: int | None = None


def verb_args(tok: Any, pred: Predicate, args: Arguments) -> Candidate | None:
    src_toks, patients, passive = source_tokens(tok, pred)
    host = clause.stranded_host(tok)
    if host is not None and not src_toks and not passive:  # `avaient bombardé Kharkiv et attaqué Odessa`
        src_toks, patients, passive = source_tokens(host, pred)
    how = "dep"
    if passive and pred.passive_source:
        src_toks, patients = patients, []
    sources = actors_of(src_toks, args)
    if not sources and not src_toks and not (passive and not pred.passive_source):
        sources, how = args.linear(tok, "subj", before=True), "linear"
    targets = actors_of(patients, args) if passive else []
    if not targets:
        targets = _slot_actors(tok, pred, args, nested=True) or actors_of(clause.stranded_objects(tok), args)
    if (cut := clause.stranded_after(tok)) is not None:  # `Odessa` is the second verb's
        targets = [t for t in targets if t.tok_start < cut]
    if not targets and pred.target and not (passive and patients):
        for slot in pred.target:
            targets = [a for a in args.linear(tok, slot, before=False) if a not in sources and _fills(slot, a)]
            if targets:
                how = how + "+linear" if how == "dep" else how
                break
    if not targets and pred.type in EMBEDDED_TARGETS:  # `a menacé de frapper la Corée du Sud`
        embedded = [x for x in tok.children if x.dep_ == "xcomp"]
        targets = actors_of([o for x in embedded for o in x.children if o.dep_ == "obj"], args)
        if not targets:  # `a menacé de rompre ses relations avec la Somalie`, `ses livraisons de gaz à l'Espagne`
            objects = [o for x in embedded for o in x.children if o.dep_ == "obj"]
            heads = embedded + objects + [n for o in objects for n in o.children if n.dep_ == "nmod"]
            targets = actors_of([o for h in heads for slot in EMBEDDED_SLOTS for o in args.slot(h, slot)], args)
    if pred.type == "ACCUSE" and (act := act_of_force(tok, args)) is not None:
        # `a condamné l'agression contre l'Ukraine`: its author is the one condemned, not its victim
        targets = _apart(authors_of(act, args), sources)
    if not targets and pred.type in ("ACCUSE", "REQUEST"):  # `a condamné ce tir`: the author of the shot
        targets = author_of_object(tok, args, sources)
    victims = patients or ([c for c in tok.children if c.dep_ == "obj"] if pred.fatal else [])
    fatalities = next((n for p in victims if (n := clause.count(p))), None) if pred.fatal else None
    targets = _apart(targets, sources)
    if not passive and (not sources or any(a.possessed and not a.country for a in sources)):
        sources = _possessor(src_toks, sources, tok, targets, args)  # `a affirmé que ses avions avaient frappé`
    if pred.symmetric and len(sources) == 1 and not targets:
        partner = _coordinated_before(sources[0], args)
        sources = [partner, *sources] if partner else sources
    if not targets and len(sources) >= 2 and _reflexive(tok):
        how += "+reciprocal"  # `l'Azerbaïdjan et l'Arménie se sont accusés`
    return Candidate(tok, pred, sources, targets, how, fatalities)


def _possessor(src_toks: list[Any], sources: list[Actor], tok: Any, targets: list[Actor],
               args: Arguments) -> list[Actor]:
    """`X a affirmé que ses avions avaient frappé`: a subject owned by a possessive (`ses`, `leurs`) in
    reported speech is the speaker's (its troops or its planes, named by no actor of their own), unless the
    speaker's state is the target (`Bogota a affirmé que le Venezuela avait ... et que ses avions avaient
    bombardé un village colombien`): then the subject of the clause before."""
    if not any(fold(c.text) in POSSESSIVES for t in src_toks for c in t.children if c.dep_ == "det"):
        return sources
    struck = {t.country for t in targets}
    owners = (args.reporter_for(tok, None), _previous_subject(tok, args))
    owner = next((o for o in owners if o is not None and o.country and o.country not in struck), None)
    if owner is None or owner.country is None:
        return sources
    if not sources:
        return [replace(owner)]  # a copy: the speaker stays the reporter
    country = owner.country
    return [replace(a, country=country, code=country + (a.sector or ""))
            if a.possessed and not a.country else a for a in sources]


def _previous_subject(tok: Any, args: Arguments) -> Actor | None:
    """The subject of the clause the trigger's clause is coordinated with, when it names a country."""
    verb = clause.governing_verb(tok)
    if verb is None or verb.dep_ != "conj" or verb.head.i == verb.i:
        return None
    subjects = actors_of([c for c in verb.head.children if c.dep_ == "nsubj"], args)
    return next((a for a in subjects if a.country), None)


def _reflexive(tok: Any) -> bool:
    return any(fold(c.text) in ("se", "s'") for c in tok.children)


def _slot_actors(tok: Any, pred: Predicate, args: Arguments, nested: bool) -> list[Actor]:
    """Actors in the first target slot that has any, looking one level down (`les avoirs de X`)."""
    for slot in pred.target:
        if slot == "subj":  # `Le Conseil a tenu une réunion à la demande d'Israël`: the Council is asked
            actors = _clause_subject(tok, pred, args)
            if actors:
                return actors
            continue
        # `des missiles sur l'Ukraine`; `a livré des armes à Kiev`: after `à` a capital is its government
        place = slot in PLACE_SLOTS or slot in ("sur", "vers", "contre", "a", "pres", "autour")
        found = args.slot(tok, slot)
        if nested and slot not in ("obj", "iobj"):
            found += [g for c in tok.children if c.dep_ in ("obj", "nmod", "obl:arg", "obl:mod", "acl") for g in args.slot(c, slot)]
        if nested and slot == "lieu" and not found:  # `a accepté une invitation à se rendre à Washington`
            found = [g for c in tok.children if c.dep_ == "obj" for x in c.children
                     if x.dep_ == "acl" and "Inf" in feature(x, "VerbForm") for g in args.slot(x, slot)]
        actors = [a for a in actors_of(found, args, place=place) if _fills(slot, a)]
        if actors:
            return actors
    return []


def _fills(slot: str, actor: Actor) -> bool:
    """Whether an actor found in a slot can be the target: before (`devant`) only an authority's seat."""
    return slot != "devant" or actor.kind != "agent" or actor.sector in AUTHORITY_SECTORS


def noun_args(tok: Any, pred: Predicate, args: Arguments) -> Candidate | None:
    """`les bombardements turcs contre des positions des YPG`, `le retrait des troupes américaines`."""
    sources: list[Actor] = []
    how = "dep"
    for slot in pred.source:
        if slot == "adj":
            sources = _adjective_actors(tok, args)
        elif slot in ("par", "de"):
            found = args.slot(tok, slot) + [g for c in tok.children if c.dep_ == "acl" for g in args.slot(c, slot)]
            sources = actors_of(found, args)
            if slot == "de" and pred.type == "RETREAT":  # `le retrait de Syrie`: a state after `de` is the origin
                sources = [a for a in sources if a.kind not in ("state", "capital")]
        elif slot == "subj":
            sources, how = _governor_subject(tok, pred, args), "mixed"
        if sources:
            break
    if not sources and "par" in pred.source:
        sources, how = _agent_after(tok, args), "linear"  # the parser hung `par X` on another verb
    if not sources and "subj" not in pred.source:
        sources, how = _governor_subject(tok, pred, args), "mixed"
    sources = [_owner(a, tok, pred, args) for a in sources]
    targets = _apart(_slot_actors(tok, pred, args, nested=True), sources)
    verb = clause.verb_above(tok)
    if not targets and verb is not None:
        targets = _apart(_light_verb_targets(verb, pred, args), sources)  # `a eu un entretien ... avec X`
    if not targets and tok.head.i != tok.i:
        targets = _apart(_hung_above(tok, pred, args), sources)
    if not targets and pred.type in ("ASSAULT", "COERCE", "THREATEN"):
        targets = _apart(_clause_objects(tok, args) or _held_by(tok, args), sources)  # `offensive visant à éliminer X`
    if not targets and pred.type == "ACCUSE" and len(args.context.forces) > args.context.forces_before:
        # `a tiré un missile ..., provoquant la condamnation de Tokyo`: of the act of force just told
        targets = _apart([args.context.forces[-1][1]], sources)
    if not targets and pred.type == "RETREAT":  # `le retrait des troupes russes de Syrie`
        targets = _apart([a for a in args.actors if a.prep == "de" and a.kind in ("state", "capital")
                          and tok.left_edge.i <= a.tok_start <= tok.right_edge.i and a.tok_start > tok.i], sources)[:1]
    if len(sources) == 2 and sources[0].kind == "compound" and not targets:
        return Candidate(tok, pred, sources[:1], sources[1:], "dep+compound")
    if pred.symmetric and not sources and len(targets) == 2:
        # `la guerre a éclaté entre l'armée tchadienne et les rebelles`: the two sides, of one country or two
        return Candidate(tok, pred, targets[:1], targets[1:], how + "+reciprocal")
    if not sources and not targets:
        return None
    return Candidate(tok, pred, sources, targets, how)


def _light_verb_targets(verb: Any, pred: Predicate, args: Arguments) -> list[Actor]:
    """Targets hung on the verb that governs a noun when the verb is a light verb, whose phrases are the
    noun's: a support verb (`a eu un entretien ... avec X`) or one of the entry's own verbs. Under an entry's
    own verb a partner phrase may hang one level down (`se sont mis en grève jeudi à Santiago contre le
    Pérou`, `contre` read under the place)."""
    lemma = fold(verb.lemma_)
    if not _light(lemma, pred, args):
        return []
    found = _slot_actors(verb, pred, args, nested=False)
    if found or lemma not in pred.verbs:
        return found
    slots = [slot for slot in pred.target if slot in PARTNER_SLOTS]
    return actors_of([g for c in verb.children if c.dep_.startswith(("obl", "nmod")) for slot in slots
                      for g in args.slot(c, slot)], args)


def _light(lemma: str, pred: Predicate, args: Arguments) -> bool:
    """A verb (by folded lemma) that lends a noun its phrases: a support verb or one of the entry's own verbs."""
    return lemma in args.support_verbs or lemma in pred.verbs


def _hung_above(tok: Any, pred: Predicate, args: Arguments) -> list[Actor]:
    """`à l'issue d'un entretien avec son homologue`, parsed with `avec son homologue` under `issue`: a
    target phrase of the noun's head that starts right where the noun's own phrase ends."""
    end = tok.right_edge.i
    for slot in pred.target:
        if slot in ("obj", "iobj"):
            continue
        found = [c for c in args.slot(tok.head, slot) if c.i > tok.i and c.left_edge.i == end + 1]
        actors = actors_of(found, args, place=slot in PLACE_SLOTS)
        if actors:
            return actors
    return []


def _agent_after(tok: Any, args: Arguments, window: int = 10) -> list[Actor]:
    """`la reconnaissance de Jérusalem ... par le président américain`: the first `par` actor after
    the noun, when no verb stands between."""
    for a in args.actors:
        if a.tok_start <= tok.i or a.tok_start - tok.i > window:
            continue
        if a.prep == "par" and args.usable(a):
            between = tok.doc[tok.i + 1 : a.tok_start]
            return [] if any(t.pos_ == "VERB" for t in between) else [a]
    return []


def _apart(targets: list[Actor], sources: list[Actor]) -> list[Actor]:
    """Targets that are not one of the sources (compared by where they stand in the text)."""
    taken = {(a.tok_start, a.country) for a in sources} | {(a.tok_start, None) for a in sources}
    return [t for t in targets if (t.tok_start, t.country) not in taken and (t.tok_start, None) not in taken]


def _adjective_actors(tok: Any, args: Arguments) -> list[Actor]:
    """Nationality adjectives of a noun (`les bombardements turcs`, `patrouilles turco-américaines`),
    from the parse or, when the parser hung them elsewhere, right after the noun."""
    found = [a for c in tok.children if c.dep_ in ("amod", "nmod", "appos") for a in args.by_token.get(c.i, [])
             if a.kind in ("adjective", "compound") and not a.prep]  # not `des consultations avec son homologue russe`
    if found:
        return found
    for t in tok.doc[tok.i + 1 : tok.i + 3]:
        hits = [a for a in args.by_token.get(t.i, []) if a.kind in ("adjective", "compound")]
        if hits:
            return hits
        if t.pos_ not in ("ADJ", "PUNCT"):
            break
    return []


def _owner(actor: Actor, tok: Any, pred: Predicate, args: Arguments) -> Actor:
    """`le retrait de leurs troupes`: troops whose owner is the subject of the governing verb."""
    if not actor.possessed or actor.country:
        return actor
    owners = [o for o in _governor_subject(tok, pred, args) if o.country]
    if not owners:
        return actor
    return replace(actor, country=owners[0].country, code=owners[0].country + (actor.sector or ""))


def _held_by(tok: Any, args: Arguments, window: int = 12) -> list[Actor]:
    """`la reconquête des quartiers contrôlés par l'opposition`: whoever holds the place attacked."""
    for t in tok.doc[tok.i + 1 : min(tok.i + window, sentence_bounds(tok)[1])]:
        if fold(t.lemma_) in HOLD_VERBS and "Part" in feature(t, "VerbForm"):
            for a in args.actors:
                if a.prep == "par" and 0 < a.tok_start - t.i <= 3 and args.usable(a):
                    return [a]
    return []


def _clause_objects(tok: Any, args: Arguments) -> list[Actor]:
    """Objects of the participle or infinitive clauses attached to a noun."""
    for child in tok.children:
        if child.dep_ != "acl":
            continue
        for verb in [child, *(c for c in child.children if c.dep_ in ("xcomp", "ccomp"))]:
            found = actors_of([c for c in verb.children if c.dep_ == "obj"], args)
            if found:
                return found
    return []


def _governor_subject(tok: Any, pred: Predicate, args: Arguments) -> list[Actor]:
    """The subject of the verb that governs a noun, when that subject acts the noun's event:
    a support verb (`la Turquie a mené des bombardements`), a participant adjunct (`ont convenu
    lors d'un entretien`), or a possessive (`progressent dans leur reconquête`)."""
    verb = clause.verb_above(tok)
    if verb is None or tok.dep_ == "nsubj":  # `des sanctions ont été imposées par X`: the passive's agent
        return []
    case = next((fold(c.text) for c in tok.children if c.dep_ in ("case", "fixed", "mark")), "")
    possessive = any(fold(c.text) in POSSESSIVES for c in tok.children if c.dep_ == "det")
    support = _light(fold(verb.lemma_), pred, args) and case not in REACTION_PREPS
    adjunct = case in PARTICIPANT_PREPS or (case in MEETING_PREPS and pred.type in INTERACTIONS)
    if not (support or possessive or adjunct):
        return []
    subj, _, passive = source_tokens(verb, pred)
    if not subj and fold(verb.lemma_) in SPEECH_VERBS:
        subj = [c for c in verb.children if c.dep_ in ("obj", "nsubj") and c.i > verb.i and c.i != tok.i]  # `a déclaré M. Lavrov`
    if passive and not subj:
        return []
    if not subj and support:
        return args.linear(verb, "subj", before=True)  # `Paris a de son côté annoncé l'expulsion`, misparsed
    return actors_of(subj, args, reporter=True)


def _clause_subject(tok: Any, pred: Predicate, args: Arguments) -> list[Actor]:
    """The subject of the verb that governs a noun (an adjunct's partner: `à la demande de`, `sous l'égide de`)."""
    verb = clause.verb_above(tok)
    if verb is None or tok.dep_.startswith("nsubj"):
        return []
    subj, _, passive = source_tokens(verb, pred)
    return [] if passive else actors_of(subj, args)


def _coordinated_before(actor: Actor, args: Arguments) -> Actor | None:
    """`Erdogan et Poutine s'entretiennent` when the parser hung `Erdogan` elsewhere: the actor
    right before `et`."""
    doc = args.sent.doc
    if actor.tok_start < 2 or fold(doc[actor.tok_start - 1].text) != "et":
        return None
    return next((a for a in args.actors if a.tok_end == actor.tok_start - 1 and args.usable(a)), None)
