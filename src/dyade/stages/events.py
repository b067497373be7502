"""events.v1: code predicates and their arguments into PLOVER/CAMEO events, one per source-target pair."""

from __future__ import annotations

import bisect
import hashlib
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from ..coder import clause
from ..coder.args import INTERACTIONS, SUBJECT_PRONOUNS, Arguments, Context
from ..coder.frames import Candidate, noun_args, verb_args
from ..coder.implied import implied_target, praised_parties
from ..coder.lexicon import Lexicon, Predicate
from ..coder.tokens import Columns, columns_of, feature, view_of
from ..kb import fold
from ..model import Actor, Document, Event
from ..registry import stage

# Nouns that make the event noun under them unreal: `un exercice de bombardement`, `le risque d'attaque`.
NOT_EVENT_HEADS = {"exercice", "simulation", "risque", "crainte", "peur", "projet", "plan", "scenario",
                   "hypothese", "possibilite", "capacite", "droit", "menace", "spectre", "perspective"}
FORCE = {"ASSAULT", "MOBILIZE", "COERCE"}  # acts whose author `a condamné ce tir` accuses
# Dyadic by nature: without a second party these say nothing an analyst can use.
NEEDS_TARGET = {"SUPPORT", "REQUEST", "SANCTION", "AID", "CONCEDE", "COERCE",
                "CONSULT", "AGREE", "COOPERATE"}
# The content of these is not an event of its own: `ont convenu de coordonner`, `a exhorté X à respecter`.
FRAMING = {"AGREE", "REQUEST", "THREATEN", "REJECT", "ACCUSE", "SANCTION", "RETREAT"}  # `a suspendu son aide`: no aid
STANCES = {"SUPPORT", "COOPERATE"}  # relations, which a relative clause in the present describes
PARTICIPLE_ENDINGS = ("e", "es", "ee", "ees", "i", "is", "ie", "ies", "u", "us", "ue", "ues")
CONFIDENCE = {"dep": 0.85, "mixed": 0.7, "linear": 0.55}  # by how the arguments were found; 0.5 otherwise
MAX_NEEDS_DISTANCE = 8  # how far into the object's phrase an entry's required words may stand
MAX_CACHED_WORDS = 1 << 17  # (lemma, form, tag) keys whose lexicon entries are remembered


@stage("events.v1", requires=["doc.actors", "doc.sentences"], assigns=["doc.events"])
class CodeEvents:
    """Find predicates from the lexicon in each sentence and turn them into events."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self.support_verbs = lexicon.support_verbs
        self.event_nouns = lexicon.event_nouns()
        self.force_nouns = lexicon.event_nouns(FORCE)
        self._entry_cache: dict[tuple[int, int, int], tuple[str, tuple[Predicate, ...]]] = {}
        from .places import DOMESTIC_SECTORS  # here: places.v1 imports this module

        self.placed_sectors = DOMESTIC_SECTORS  # the sectors of agents places.v1 gives a country

    def __call__(self, doc: Document) -> Document:
        sdoc = doc.spacy_doc
        context = Context(force_nouns=self.force_nouns)
        events: list[Event] = []
        ordered = sorted(doc.actors, key=lambda a: a.tok_start)  # already in this order: a sentence is a slice
        starts = [a.tok_start for a in ordered]
        cols = columns_of(sdoc)
        view = view_of(sdoc)  # the rules walk the parse as plain-Python tokens
        triggers = self._triggers(cols)
        for sentence in doc.sentences:
            sent = view.span(sentence.tok_start, sentence.tok_end)
            actors = ordered[bisect.bisect_left(starts, sent.start) : bisect.bisect_left(starts, sent.end)]
            context.forces_before = len(context.forces)
            seen: set[tuple[str, str | None, str | None]] = set()  # (type/mode, source, target)
            first = bisect.bisect_left(triggers, (sent.start,))
            here = triggers[first : bisect.bisect_left(triggers, (sent.end,), first)]
            if here:  # the sentence's actors by token, its reporters and lists: only where a trigger may use them
                args = Arguments(sent, actors, context, self.support_verbs, self.event_nouns, cols)
                for cand in self._candidates(here, args, doc, sentence.index):
                    for event in self._events(doc, sentence.index, cand, args):
                        # One event per type, mode and dyad and sentence: `a expulsé l'ambassadeur et a rappelé le
                        # sien` is two (expel, withdraw), `un entretien ... se sont entretenus` one.
                        key = (f"{event.plover_type}/{event.plover_mode}", _key(event.source), _key(event.target))
                        if key in seen or (event.symmetric and (key[0], key[2], key[1]) in seen):
                            continue
                        seen.add(key)
                        events.append(event)
                        _remember(context, event, fold(view[event.trigger_i].lemma_))
            for actor in actors:
                context.see(actor)
            subject_of = _subject_of(view, actors)
            if subject_of is not None or not _pronoun_subject(view, sent):
                context.previous_subject = subject_of  # `... Il a ... Elle a ...`: a pronoun keeps the topic
            subject = subject_of[0] if subject_of else None
            if subject and subject.person:
                context.last_person = subject  # `il` in the next sentence
        doc.events = events
        return doc

    def _candidates(self, triggers: list[tuple[int, str, tuple[Predicate, ...]]], args: Arguments, doc: Document,
                    index: int) -> Iterator[Candidate]:
        framing: set[int] = set()
        taken: set[int] = set()
        for cand in self._raw_candidates(triggers, args):
            if cand.pred.type in FRAMING:
                framing.add(cand.trigger.i)
            nested = cand.trigger.dep_ == "nmod" and cand.trigger.head.i in taken
            taken.add(cand.trigger.i)
            if _framed(cand.trigger, framing) or nested:  # `un accord de cessez-le-feu`: one event
                doc.rejected.append((index, f"{cand.pred.id} at {cand.trigger.text!r}: the content of another event"))
                continue
            yield cand

    def _raw_candidates(self, triggers: list[tuple[int, str, tuple[Predicate, ...]]],
                        args: Arguments) -> Iterator[Candidate]:
        """Every trigger (of one sentence) with the first lexicon entry that fits and finds arguments."""
        sdoc = args.sent.doc
        for i, pos, entries in triggers:
            tok = sdoc[i]
            if pos == "VERB?":
                if not any(c.dep_.startswith("aux") for c in tok.children):
                    continue
                pos = "VERB"
            if pos == "NOUN" and (tok.dep_ == "obl:agent" or fold(tok.head.lemma_) in NOT_EVENT_HEADS):
                continue  # `tués par une frappe aérienne`, `un exercice de bombardement`: no event of its own
            if clause.cumulative(tok) or any(a.kind == "org" for a in args.by_token.get(tok.i, [])):
                continue  # `le Front de libération du peuple du Tigré` names a group, not a release
            near: set[str] | None = None  # the words an entry's `needs` may name, made once per trigger
            for pred in entries:
                if pred.needs and near is None:
                    near = _near_words(tok)
                if pos == "VERB" and pred.type in STANCES and _describes(tok):
                    break  # `Ankara, qui défend les rebelles`: what an actor is, not what it did
                if _fits(tok, pred, near) and not _transitive_use(tok, pred):
                    cand = verb_args(tok, pred, args) if pos == "VERB" else noun_args(tok, pred, args)
                    if cand and pred.target_kinds and not any(t.kind in pred.target_kinds for t in cand.targets):
                        continue  # `s'est retiré de la Cédéao` leaves an organisation; `de Syrie`, a country
                    if cand:
                        yield cand
                        break  # entries are ordered most specific first: one reading per trigger

    def _triggers(self, columns: Columns) -> list[tuple[int, str, tuple[Predicate, ...]]]:
        """(index, lexicon part of speech, entries) of every token of a document that has entries, in
        text order. Most tokens have none, and every word was looked up before: one pass over the ids."""
        out = []
        for i, hit in enumerate(map(self._entry_cache.get, zip(columns.lemma, columns.orth, columns.pos))):
            if hit is None:
                hit = self._lexicon_entries(columns, i)  # a word not seen yet in this process
            if hit[1]:
                out.append((i, hit[0], hit[1]))
        return out

    def _lexicon_entries(self, columns: Columns, i: int) -> tuple[str, tuple[Predicate, ...]]:
        """The lexicon part of speech and entries for token i, from its ids alone.

        Looked up once per (lemma, form, tag) in the process: the same words recur in every article,
        and all but a few of them are no trigger at all.
        """
        key = (columns.lemma[i], columns.orth[i], columns.pos[i])
        found = self._entry_cache.get(key)
        if found is None:
            strings = columns.strings
            tag = strings[key[2]]
            pos = "NOUN" if tag in ("NOUN", "PROPN") else "VERB" if tag in ("VERB", "AUX", "ADJ") else ""
            found = (pos, _entries(self.lexicon, strings[key[0]], strings[key[1]], pos) if pos else ())
            if pos == "NOUN" and not found[1] and fold(strings[key[1]]).endswith(PARTICIPLE_ENDINGS):
                # `a téléphoné` tagged as a noun: the verb's entries, used if an auxiliary says it is one
                found = ("VERB?", _entries(self.lexicon, strings[key[0]], strings[key[1]], "VERB"))
            if len(self._entry_cache) > MAX_CACHED_WORDS:
                self._entry_cache.clear()
            self._entry_cache[key] = found
        return found

    def _events(self, doc: Document, index: int, cand: Candidate, args: Arguments) -> Iterator[Event]:
        pred = cand.pred
        if not cand.targets and pred.type == "SUPPORT":  # `a salué l'accord`: its parties, if told just before
            cand.targets = praised_parties(cand.trigger, pred, cand.sources, args)
        pairs = _pairs(cand, pred, args.context)
        code = _mode_code(cand.trigger, pred, args)
        sentence = doc.sentences[index]
        evidence = doc.article.text[sentence.orig_start : sentence.orig_end]
        for src, tgt, symmetric in pairs:
            if src is not None and tgt is not None and tgt.kind == "pair" and tgt.country == src.country:
                continue  # `entre les armées des deux pays`: the source is one of the two
            tgt = _people_of_place(pred, src, tgt)
            if tgt is None and src is not None and (src.country or src.sector in self.placed_sectors):
                # (a source places.v1 cannot give a country to, `des étudiants`, would leave half a dyad)
                tgt = implied_target(doc, pred, code[1], cand.trigger, src, args)
            why = _reject(pred, _known(src), _known(tgt))
            if why:
                doc.rejected.append((index, f"{pred.id} at {cand.trigger.text!r}: {why}"))
                continue
            src, tgt = _known(src), _known(tgt)
            if src and tgt and _key(src) == _key(tgt):
                tgt = None  # `a déployé des policiers dans Nairobi`: one actor, no target
            yield self._event(doc, sentence, evidence, cand, code, src, tgt, symmetric, args)

    def _event(self, doc: Document, sentence: Any, evidence: str, cand: Candidate, code: tuple[str, str | None],
               src: Actor | None, tgt: Actor | None, symmetric: bool, args: Arguments) -> Event:
        cameo = self.lexicon.code(code[0])
        trig = cand.trigger
        t_start, t_end = doc.to_original(trig.idx, trig.idx + len(trig.text))
        how = cand.how
        confidence = CONFIDENCE.get(how.split("+")[0], 0.5)
        if any(a and a.kind == "pair" for a in (src, tgt)):
            confidence -= 0.1
        reporter = args.reporter_for(trig, src)  # asked once: it also decides `background`
        ident = f"{doc.id}|{sentence.index}|{_span(src)}|{_span(tgt)}|{cameo.code}|{t_start}"
        eid = hashlib.sha1(ident.encode())
        return Event(
            event_id=eid.hexdigest()[:16], article_id=doc.id, sentence_index=sentence.index,
            plover_type=cand.pred.type or cameo.plover_type, plover_mode=code[1], cameo_code=cameo.code,
            cameo_root=cameo.root, quad_class=cameo.quad_class, goldstein=cameo.goldstein,
            source=src, target=tgt, symmetric=symmetric, evidence_text=evidence,
            evidence_start=sentence.orig_start, evidence_end=sentence.orig_end, trigger_start=t_start,
            trigger_end=t_end, rule=f"{cand.pred.id}:{how}", confidence=max(0.1, confidence),
            fatalities=cand.fatalities, negated=clause.negated(trig), modality=clause.modality(trig),
            background=clause.pluperfect(trig) and not reporter, reported_by=reporter, trigger_i=trig.i,
            tense=clause.tense(trig),
        )


def _subject_of(view: Any, actors: list[Actor]) -> tuple[Actor, str] | None:
    """The first actor of a sentence that is a subject, with the gender of its head word (`` when unknown)."""
    for a in actors:
        if a.kind in ("adjective", "pair") or not (a.country or a.kind == "org"):
            continue
        root = _root(view, a.tok_start, a.tok_end)
        if root.dep_ in ("nsubj", "nsubj:pass"):
            gender = feature(root, "Gender")
            return a, "Fem" if "Fem" in gender else "Masc" if "Masc" in gender else ""
    return None


def _pronoun_subject(view: Any, sent: Any) -> bool:
    """The sentence's subject is `il`, `elle`, `ils` or `elles`."""
    words = view.columns.folded_texts()
    if SUBJECT_PRONOUNS.keys().isdisjoint(words[sent.start : sent.end]):
        return False  # most sentences: no such word at all
    return any(words[k] in SUBJECT_PRONOUNS and view[k].dep_ == "nsubj" for k in range(sent.start, sent.end))


def _root(view: Any, start: int, end: int) -> Any:
    """`Span.root` on the plain-Python tokens: of the tokens whose head is outside, the nearest to the root."""
    outside = [t for t in (view[k] for k in range(start, end)) if not start <= t.head.i < end or t.head.i == t.i]
    if len(outside) == 1:
        return outside[0]
    return min(outside, key=_depth_of) if outside else view[start]


def _depth_of(tok: Any) -> int:
    depth = 0
    while tok.head.i != tok.i and depth < 50:
        tok, depth = tok.head, depth + 1
    return depth


def _entries(lexicon: Lexicon, lemma: str, text: str, pos: str) -> tuple[Predicate, ...]:
    """Lexicon entries for a token, by lemma, by form, or (for participles tagged as adjectives,
    `a gelé` read as ADJ) by the infinitive the participle comes from."""
    found = lexicon.lookup(lemma, pos) or lexicon.lookup(text, pos)
    if found or pos != "VERB":
        return found
    word = fold(text)
    for ending, infinitive in (("ees", "er"), ("ee", "er"), ("es", "er"), ("e", "er"), ("ies", "ir"), ("is", "ir"), ("ie", "ir"), ("i", "ir")):
        if word.endswith(ending):
            found = lexicon.lookup(word[: -len(ending)] + infinitive, pos)
            if found:
                return found
    return ()


def _framed(tok: Any, framing: set[int]) -> bool:
    """A predicate inside the complement of an agreement, request, threat or sanction (`convenu de
    coordonner`, `a suspendu son aide et son appui`)."""
    cur = tok
    for _ in range(5):
        nominal_conj = cur.dep_ == "conj" and cur.pos_ in ("NOUN", "PROPN")
        if (cur.dep_ not in ("xcomp", "ccomp", "obj", "acl", "nmod") and not nominal_conj) or cur.head.i == cur.i:
            return False
        cur = cur.head
        if cur.i in framing:
            return True
    return False


def _fits(tok: Any, pred: Predicate, near: set[str] | None) -> bool:
    """The lexical conditions of an entry: reflexive `se`, required words (among `near`), light verbs for nouns."""
    if pred.se and not any(fold(c.text) in ("se", "s'") for c in tok.children) and not (
            tok.i > 0 and fold(tok.doc[tok.i - 1].text) in ("se", "s'")):
        return False
    if pred.needs and not (near is not None and pred.needs <= near):
        return False
    if pred.verbs:
        verb = clause.verb_above(tok)
        if verb is None or fold(verb.lemma_) not in pred.verbs:
            return False
    return True


def _describes(verb: Any) -> bool:
    """A relative clause in the simple present (`qui soutient le régime`) characterises its antecedent."""
    return (verb.dep_ == "acl:relcl" and "Pres" in feature(verb, "Tense") and "Ind" in feature(verb, "Mood")
            and not any(c.dep_.startswith("aux") for c in verb.children))


def _transitive_use(tok: Any, pred: Predicate) -> bool:
    """`ont manifesté leur joie`: a protest verb that takes no object, used with one, says something else."""
    return (pred.type == "PROTEST" and pred.pos == "VERB" and "obj" not in pred.target and not pred.needs
            and any(c.dep_ == "obj" and c.pos_ == "NOUN" and any(d.dep_ == "det" for d in c.children)
                    for c in tok.children))  # not `ont défilé mercredi`, read as an object


def _near_words(tok: Any) -> set[str]:
    """Lemmas and forms of a trigger's dependents, of the next four words, and of its object's phrase (or
    its passive subject's) up to 8 words away (`a condamné trois opposants à huit années de prison`)."""
    cols = columns_of(tok.doc)
    texts = cols.folded_texts()
    at = [c.i for c in tok.children]
    at += range(tok.i + 1, min(tok.i + 5, len(texts)))
    for c in tok.children:
        if c.dep_ in ("obj", "obl:arg", "nsubj:pass"):  # a passive's subject is its object
            at += [t.i for t in c.subtree if abs(t.i - tok.i) <= MAX_NEEDS_DISTANCE]
    lemmas = cols.folded_lemmas()
    return {texts[i] for i in at} | {lemmas[i] for i in at} | clause.epithets(tok, cols)


def _pairs(cand: Candidate, pred: Predicate, context: Context) -> list[tuple[Actor | None, Actor | None, bool]]:
    """Source-target pairs: one per target; reciprocal subjects (`X et Y se sont entretenus`) make one."""
    sources, targets = _one_per_code(cand.sources), _distinct(cand.targets)
    coordinated = len(sources) >= 2 and not targets and pred.type in INTERACTIONS and cand.how.startswith("dep")
    reciprocal = pred.symmetric or cand.how.endswith(("compound", "reciprocal")) or coordinated
    if reciprocal and len(sources) >= 2:  # `Washington et Pékin ... entre leurs armées`: their own, no one else
        targets = [t for t in targets if t.country or not t.possessed]
    if reciprocal and not sources and len(targets) >= 2:
        return [(targets[0], targets[1], True)]  # `les discussions entre Poutine et Erdogan`
    if reciprocal and not targets and len(sources) >= 2:
        return [(sources[0], sources[1], True)]
    if pred.symmetric and len(sources) + len(targets) == 1:
        other = _counterpart((sources or targets)[0], context)  # `le Kremlin a confirmé l'entretien`
        if other:
            return [((sources or targets)[0], other, True)]
    if reciprocal and targets and sources:
        return [(s, t, True) for s in sources[:1] for t in targets]
    return [(s, t, False) for s in (sources or [None]) for t in (targets or [None])]


def _one_per_code(actors: list[Actor]) -> list[Actor]:
    """Sources that differ: `Erdogan et Erdogan et ...` is one (the events would be one anyway)."""
    seen: set[str | None] = set()
    out = []
    for a in actors:
        if _key(a) not in seen or _key(a) is None:
            seen.add(_key(a))
            out.append(a)
    return out


def _distinct(actors: list[Actor]) -> list[Actor]:
    """One actor per country: `Jérusalem comme capitale d'Israël` is one target."""
    out: list[Actor] = []
    for a in actors:
        if not a.country or all(a.country != b.country for b in out):
            out.append(a)
    return out


def _counterpart(actor: Actor, context: Context) -> Actor | None:
    """The other party of the last meeting, when this actor was one of its two."""
    pair = context.last_meeting
    if not pair or not actor.country:
        return None
    countries = [p.country for p in pair]
    if actor.country in countries:
        return pair[1 - countries.index(actor.country)]
    return None


def _mode_code(tok: Any, pred: Predicate, args: Arguments) -> tuple[str, str | None]:
    """A cue near the trigger refines code and mode (`par téléphone`, `frappe aérienne`): among the
    lemmas of its subtree and the forms and lemmas of the words around it."""
    if not pred.modes:
        return pred.cameo, pred.mode
    cols = args.columns
    near = range(max(0, tok.i - 4), min(tok.i + 8, len(cols.lemma)))
    lemmas = cols.folded_lemmas()
    words = set(cols.folded_texts()[near.start : near.stop])
    words.update(lemmas[near.start : near.stop])
    in_sentence = args.parse_lemmas(tok)
    if any(mode.cues & in_sentence for mode in pred.modes):  # the subtree is in the sentence: only then walk it
        words.update([lemmas[t.i] for t in tok.subtree])
    for mode in pred.modes:
        if mode.cues & words:
            return mode.cameo or pred.cameo, mode.mode
    return pred.cameo, pred.mode


def _people_of_place(pred: Predicate, src: Actor | None, tgt: Actor | None) -> Actor | None:
    """`Le gouvernement kényan a instauré un couvre-feu à Nairobi`: coercion at a capital of the
    source's own state falls on its people (KEN), not on the government the capital stands for."""
    if (pred.type == "COERCE" and src is not None and tgt is not None and tgt.kind == "capital"
            and tgt.prep in ("a", "en", "dans") and _key(src) == _key(tgt)):
        return replace(tgt, code=tgt.country, sector=None)
    return tgt


def _reject(pred: Predicate, src: Actor | None, tgt: Actor | None) -> str | None:
    """Why a source-target pair cannot be an event, or None when it can."""
    if src is None and tgt is None:
        return "no actor with a known country"
    if src is None and not pred.agentless:
        return "no source"
    if tgt is None and (pred.target_required or pred.type in NEEDS_TARGET):
        return "no target"
    if src and tgt and _key(src) == _key(tgt) and pred.type in NEEDS_TARGET:
        return f"source and target are the same actor ({_key(src)})"
    return None


def _known(actor: Actor | None) -> Actor | None:
    """An actor is usable when it has a country or is an organisation; `les dirigeants` alone is not."""
    if actor is None or actor.country or actor.kind == "org" or (actor.kind == "agent" and actor.sector):
        return actor
    return None


def _span(actor: Actor | None) -> str:
    return f"{actor.start}-{actor.end}-{actor.country}" if actor else "-"


def _key(actor: Actor | None) -> str | None:
    return (actor.code or actor.country) if actor else None


def _remember(context: Context, event: Event, lemma: str) -> None:
    src, tgt = event.source, event.target
    if src and tgt and src.country and tgt.country and src.country != tgt.country:
        context.last_dyad = (src, tgt)
        if event.plover_type in INTERACTIONS or event.symmetric:  # `ont signé un accord` (SUPPORT) too
            context.last_meeting = (src, tgt)
    if src and src.kind != "pair" and event.plover_type in FORCE and not event.negated and event.modality == "asserted":
        context.forces.append((lemma, src))
    if src and src.kind != "pair":
        context.last_subject = src
        if src.person:
            context.last_person = src
