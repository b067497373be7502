"""Targets the text implies without naming them: the people a state coerces at home, the government
protesters march against, the people of a place struck, the author of an act of force condemned."""

from __future__ import annotations

from typing import Any

from ..kb import fold
from ..model import Actor, Document
from .args import Arguments, actors_of
from .clause import direct_objects, stranded_after, verb_above
from .lexicon import Predicate

# Coercion a state mostly turns on its own people: with no one named (`749 arrestations`, `a instauré un
# couvre-feu`), the target is the people of the place, else of the source's state (filled by places.v1).
HOME_MODES = {"arrest", "censor", "curfew", "martial-law", "withhold"}
# Nouns for hostile conduct that name the last act of force told (`a dénoncé une escalade`), and nouns for
# its end (`a réclamé l'arrêt des exercices`).
HOSTILE_NOUNS = {"escalade", "provocation", "agression", "violation", "incursion", "intimidation"}
STOP_NOUNS = {"arret", "fin", "cessation", "suspension"}
VICTIM_CASES = {"contre", "sur", "vers", "a", "au", "aux", "en", "dans", "visant", "envers"}
# Protests against no one named are against the protesters' own government (PLOVER's default reading).
HOME_PROTESTS = {"demo", "riot", "obstruct", "strike"}
NO_STATE = {"IGO", "IMG", "NGO"}
# A verb's object that names people (`a arrêté une vingtaine de personnes`), not things (`détenir des avoirs`).
PEOPLE_NOUNS = {"personne", "individu", "suspect", "gens", "femme", "homme", "jeune", "enfant", "etudiant",
                "habitant", "citoyen", "membre", "militant", "manifestant", "opposant", "journaliste", "dissident",
                "activiste", "civil", "partisan", "protestataire", "emeutier", "responsable", "avocat", "religieux",
                "eleve", "ecolier", "otage", "villageois", "paysan", "passager", "fidele", "pecheur", "travailleur"}
CROWD_NOUNS = {"foule", "rassemblement", "manifestation", "cortege", "sit-in", "marche", "attroupement", "defile"}
GATHERED = CROWD_NOUNS | PEOPLE_NOUNS  # what a restriction falls on (`a dispersé la foule`)
# What praise of no one named may be about: the deal or step the parties told just before took
# (`a salué l'accord`, `un premier pas`), whose parties are its recipients.
DEAL_NOUNS = {"accord", "pas", "cessez-le-feu", "treve", "entente", "compromis", "avancee", "progres", "etape",
              "signature", "percee", "dialogue", "pourparlers", "negociation", "rapprochement", "reprise",
              "normalisation", "reconciliation", "deal", "pacte", "traite", "arrangement"}


def implied_target(doc: Document, pred: Predicate, mode: str | None, trigger: Any, source: Actor,
                   args: Arguments) -> Actor | None:
    """The target an event with a source and no target named implies, if any."""
    if _at_home(pred, mode, trigger, args):
        return _home_people(doc, trigger)
    if pred.type == "ASSAULT" and (place := _struck_place(trigger, pred, args)) is not None:
        return _home_people(doc, place)  # `a bombardé Stepanakert`: the people of the place struck
    if pred.type == "ASSAULT" and trigger.pos_ == "VERB" and any(
            fold(t.lemma_) in PEOPLE_NOUNS for o in _objects(trigger) for t in o.subtree if t.pos_ == "NOUN"):
        return _home_people(doc, trigger)  # `ont enlevé vingt élèves`: people of the place
    if pred.type == "PROTEST" and mode in HOME_PROTESTS:
        return _protested(trigger, args) or _home_government(doc, trigger, source)
    return None


def praised_parties(trigger: Any, pred: Predicate, sources: list[Actor], args: Arguments) -> list[Actor]:
    """`X et Y ont signé un accord ... Z a salué un premier pas`: praise of a deal or step with no one named
    is for the parties of the last agreement or meeting told, when the speaker was not one of them. With no
    such pair (or a party of it speaking) none: PLOVER codes a recipient only when it is clear."""
    pair = args.context.last_meeting
    if pred.type != "SUPPORT" or pair is None or trigger.pos_ != "VERB":
        return []
    if not any(c.dep_ in ("obj", "obl:arg") and c.pos_ == "NOUN" and fold(c.lemma_) in DEAL_NOUNS
               for c in trigger.children):
        return []
    own = {s.country for s in sources if s.country}
    if not own or any(p.country in own for p in pair):
        return []
    return list(pair)


def act_of_force(verb: Any, args: Arguments) -> Any | None:
    """The verb's object when it names an act of force (`l'offensive`, `les frappes`)."""
    return next((c for c in verb.children if c.dep_ == "obj" and c.pos_ == "NOUN"
                 and fold(c.lemma_) in args.context.force_nouns), None)


def authors_of(act: Any, args: Arguments) -> list[Actor]:
    """Who an act of force is by, as its phrase says (`l'attaque russe`, `les frappes du Hamas`), leaving out
    its victims and places (`contre l'Ukraine`, `sur Gaza`)."""
    for child in sorted(act.children, key=lambda c: c.i):
        if child.dep_ in ("det", "case", "punct") or _case_of(child) in VICTIM_CASES:
            continue
        found = actors_of([child], args)
        if found:
            return found
    return []


def author_of_object(tok: Any, args: Arguments, sources: list[Actor]) -> list[Actor]:
    """`Tokyo a condamné ce tir`, `a dénoncé une escalade`, `a réclamé l'arrêt des exercices`: an act of
    force named without its author points back to the last one of the article, whose source is the one
    accused or asked to stop (never the speaker's own state)."""
    forces = args.context.forces
    for obj in (c for c in tok.children if c.dep_ == "obj" and c.pos_ == "NOUN"):
        if actors_of([obj], args):
            continue  # `a condamné l'attaque du Hamas`: the author is named (not `contraire aux résolutions du Conseil`)
        noun = fold(obj.lemma_)
        if noun in STOP_NOUNS:  # `l'arrêt des exercices`: the exercises'
            inner = [c for c in obj.children if c.dep_ == "nmod" and c.pos_ == "NOUN"]
            noun = fold(inner[0].lemma_) if inner else ""
        author = args.context.author_of(noun) if noun else None
        if author is None and noun in HOSTILE_NOUNS and forces:
            author = forces[-1][1]
        if author is not None and not any(author.country == s.country for s in sources):
            return [author]
    return []


def _home_people(doc: Document, trigger: Any) -> Actor:
    """The unnamed people a state's coercion falls on (`749 arrestations`): civilians of a country that
    places.v1 fills from where it happened, else from the source's state; the trigger stands for them."""
    return _standing_in(doc, trigger, None, "CVL")


def _home_government(doc: Document, trigger: Any, source: Actor) -> Actor | None:
    """`des milliers de manifestants se sont rassemblés`: the government of the protesters' state (of the
    place where they marched, filled by places.v1, when the text does not say whose they are)."""
    if source.kind == "org" or source.country in NO_STATE:
        return None  # an organisation's members protest against no state in particular
    return _standing_in(doc, trigger, source.country, "GOV")


def _standing_in(doc: Document, trigger: Any, country: str | None, sector: str) -> Actor:
    """An actor the text does not name, at the place of the word that implies it (its original offsets), marked
    `implied` in the record so that a consumer does not read the trigger as the actor's name."""
    start, end = doc.to_original(trigger.idx, trigger.idx + len(trigger.text))
    return Actor(f"{country}{sector}" if country else None, country, sector, None, doc.article.text[start:end],
                 start, end, kind="agent", tok_start=trigger.i, tok_end=trigger.i + 1, implied=True)


def _struck_place(trigger: Any, pred: Predicate, args: Arguments) -> Any | None:
    """A proper name no actor covers in a target slot of an attack (`ses frappes sur Kharkiv`): a place."""
    verb = verb_above(trigger) if trigger.pos_ == "NOUN" else None
    heads = [trigger] + ([verb] if verb is not None and fold(verb.lemma_) in args.support_verbs else [])
    cut = stranded_after(trigger) if trigger.pos_ == "VERB" else None
    found = [c for head in heads for slot in (*pred.target, "sur") for c in args.slot(head, slot)]
    found += direct_objects(trigger) if trigger.pos_ == "VERB" else []  # `bombardé Kharkiv et attaqué Odessa`
    for c in found:  # `a intensifié ses frappes sur Kharkiv`, the place hung on the support verb
        if c.pos_ == "PROPN" and c.text[:1].isupper() and c.i not in args.by_token and (cut is None or c.i < cut):
            return c
    return None


def _protested(trigger: Any, args: Arguments) -> Actor | None:
    """`ont manifesté contre l'offensive israélienne`: whoever the event protested against belongs to."""
    for phrase in args.slot(trigger, "contre"):
        for t in phrase.subtree:
            found = [a for a in args.by_token.get(t.i, []) if a.country and args.usable(a)]
            if found:
                return found[0]
    return None


def _at_home(pred: Predicate, mode: str | None, trigger: Any, args: Arguments) -> bool:
    """Coercion whose unnamed target is the people at home: arrests of people (`749 arrestations`, `a arrêté
    des dizaines de personnes`), censorship, curfews, cuts, and restrictions on crowds (`a dispersé la foule`)."""
    if pred.type != "COERCE" or (mode not in HOME_MODES and mode != "restrict"):
        return False
    if trigger.pos_ != "VERB":
        return mode in HOME_MODES
    objects = _objects(trigger)
    if mode == "restrict":
        return any(fold(t.lemma_) in GATHERED for o in objects for t in o.subtree)
    return mode != "arrest" or not objects or any(
        fold(t.lemma_) in PEOPLE_NOUNS or any(a.kind == "agent" for a in args.by_token.get(t.i, []))
        for o in objects for t in o.subtree if t.pos_ == "NOUN")


def _objects(verb: Any) -> list[Any]:
    """A verb's objects, or in a relative clause its antecedent (`les avoirs qu'ils pourraient détenir`)."""
    objects = [c for c in verb.children if c.dep_ == "obj" and c.pos_ != "PRON"]
    clause_verb = verb.head if verb.dep_ == "xcomp" else verb
    if not objects and clause_verb.dep_ == "acl:relcl" and clause_verb.head.i != clause_verb.i:
        objects.append(clause_verb.head)
    return objects


def _case_of(tok: Any) -> str:
    return next((fold(c.text) for c in tok.children if c.dep_ in ("case", "mark")), "")
