"""places.v1: place every event where its clause says it happened (`à Idleb`, `dans le nord de la
Syrie`), else at the dateline for diplomatic events, else nowhere: no invented country centres."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from ..coder.clause import direct_objects
from ..coder.tokens import columns_of, view_of
from ..gazetteer import Gazetteer
from ..kb import KnowledgeBase, fold
from ..model import Actor, Document, Event, Place
from ..registry import stage
from .events import NEEDS_TARGET

LOCATIVE = {"a", "au", "aux", "dans", "en", "pres", "au-dessus", "autour", "vers", "sur"}
PLACE_HEADS = {
    "quartier", "quartiers", "province", "ville", "region", "nord", "sud", "est", "ouest", "nord-ouest",
    "nord-est", "sud-ouest", "sud-est", "centre", "banlieue", "environs", "peripherie", "frontiere", "cote",
    "territoire", "localite", "village", "faubourg", "abords", "gouvernorat", "oblast",
}
REGION_HEADS = {"nord", "sud", "est", "ouest", "nord-ouest", "nord-est", "sud-ouest", "sud-est", "centre", "frontiere"}
HEAD_WORDS = PLACE_HEADS | REGION_HEADS
PRECISION_RANK = {"city": 3, "admin1": 2, "region": 1, "country": 0}
# A sea, gulf or strait named after a country is no place in that country: `vers la mer du Japon`.
WATERS = {"mer", "golfe", "detroit", "ocean", "baie", "canal", "manche"}
NEAR_WORDS = {"pres", "autour", "proche", "loin", "au-dessus", "abords", "environs", "large", "long", "lisiere"}
DATELINE = re.compile(r"^\s*([A-ZÀ-Ý][A-ZÀ-Ý' -]{2,40}?)\s*(?:[-–—(,]|\n)")
DIPLOMATIC = {"CONSULT", "AGREE", "SUPPORT", "REQUEST", "ACCUSE", "REJECT", "THREATEN", "SANCTION", "CONCEDE"}
MAX_CLIMB = 6
# Actors whose names never stand for a place, whatever the gazetteer holds (`Otan` is also a Nigerian town).
NOT_PLACES = {"org", "person"}
NAME_LINKS = {"du", "de", "des", "d'"}  # inside a place name between capitalised words
INTERNAL_TYPES = {"COERCE", "SANCTION", "PROTEST"}  # acts mostly aimed at the source's own state or people
# Agents with no country of their own take the country where they act: the same for students, farmers,
# workers and doctors (`des étudiants ont manifesté à Téhéran`) as for the police or the rebels.
DOMESTIC_SECTORS = {"REB", "OPP", "CVL", "COP", "REF", "JUD", "LEG", "UAF", "GOV", "MIL", "BUS", "MED",
                    "EDU", "AGR", "LAB", "HLH", None}


@stage("places.v1", requires=["doc.events"], assigns=["event.location"])
class PlaceEvents:
    """Resolve each event's place through the packaged gazetteer and the state names of the knowledge base."""

    def __init__(self, kb: KnowledgeBase, gazetteer: Gazetteer) -> None:
        self.kb = kb
        self.gazetteer = gazetteer
        gazetteer.index  # noqa: B018 - build the name index now (about 0.7 s), not inside the first batch

    def __call__(self, doc: Document) -> Document:
        sdoc = view_of(doc.spacy_doc)  # plain-Python tokens
        countries = _article_countries(doc.actors)
        dateline = self._dateline(doc, countries)
        named = {i for a in doc.actors if a.kind in NOT_PLACES for i in range(a.tok_start, a.tok_end)}
        phrases = [p for p in _place_phrases(sdoc) if p[0].i not in named]  # `son adhésion à l'Otan`: no place
        sent_of = columns_of(sdoc).sent_start  # the first token of each token's sentence
        by_sentence: dict[int, list[Any]] = {}  # an event looks only at its own sentence's phrases
        for phrase in phrases:
            by_sentence.setdefault(sent_of[phrase[0].i], []).append(phrase)
        focus = _focus_country(doc.actors)
        self._cache: dict[int, Place | None] = {}
        for event in doc.events:
            here = by_sentence.get(sent_of[event.trigger_i], [])
            event.location = self._event_place(doc, event, here, countries, sent_of)
            if event.location is None and dateline and (event.plover_type in DIPLOMATIC or _at_home(event, dateline)):
                event.location = replace(dateline)
            where = event.location.country if event.location and event.location.country else focus
            event.source = _fill_country(event.source, where)
            event.target = _fill_country(event.target, _target_country(event, where))
            event.reported_by = _fill_country(event.reported_by, where)  # `a déclaré le maire de la ville`
        _corefer(doc.events)
        doc.events = [e for e in doc.events if _dyad_known(e)]
        return doc

    def _event_place(self, doc: Document, event: Event, phrases: list[Any], countries: list[str],
                     sent_of: list[int]) -> Place | None:
        trigger = view_of(doc.spacy_doc)[event.trigger_i]
        best: tuple[int, int, Place] | None = None
        for head, prep in phrases:
            if sent_of[head.i] != sent_of[trigger.i] or not _allowed(prep, event):
                continue
            steps = _distance(head, trigger)
            if steps is None:
                continue
            place = self._resolve(doc, head, countries)
            if place:
                rank = (PRECISION_RANK.get(place.precision, 0), -steps)
                if best is None or rank > best[:2]:
                    best = (rank[0], rank[1], place)  # the most precise place attached to the clause
        if best:
            return best[2]
        place = self._relative_where(doc, trigger, phrases, countries, sent_of)
        if place:
            return place
        target = event.target
        visited = event.plover_mode == "visit" and target is not None and target.prep in ("a", "en", "au", "aux")
        attacked = event.plover_type in ("ASSAULT", "COERCE") and target is not None and target.kind == "state"
        if target and (target.kind == "capital" or ((visited or attacked) and target.kind == "state")):
            return self._resolve_text(doc, target.text, countries, target)  # `a bombardé l'Ukraine`: in Ukraine
        if event.plover_type in ("ASSAULT", "COERCE", "MOBILIZE"):
            for obj in (c for c in direct_objects(trigger) if c.pos_ == "PROPN"):  # `et attaqué Odessa`
                place = self._resolve(doc, obj, countries)  # `ont bombardé Stepanakert`: the place attacked
                if place:
                    return place
        return None

    def _relative_where(self, doc: Document, trigger: Any, phrases: list[Any], countries: list[str],
                        sent_of: list[int]) -> Place | None:
        """`en Turquie, où il doit être reçu`: a clause opened by `où` happens at the place before it."""
        clause = [trigger, trigger.head, trigger.head.head]
        if not any(fold(c.text) == "ou" and c.text.lower() == "où" for v in clause for c in v.children):
            return None
        before = [h for h, kind in phrases if kind == "loc" and h.i < trigger.i and sent_of[h.i] == sent_of[trigger.i]]
        return self._resolve(doc, before[-1], countries) if before else None

    def _resolve(self, doc: Document, head: Any, countries: list[str]) -> Place | None:
        """The place a locative phrase names (resolved once per phrase and article)."""
        if head.i not in self._cache:
            self._cache[head.i] = self._resolve_phrase(doc, head, countries)
        place = self._cache[head.i]
        return replace(place) if place else None

    def _resolve_phrase(self, doc: Document, head: Any, countries: list[str]) -> Place | None:
        """The place a locative phrase names: its proper nouns first, then the whole phrase."""
        if fold(head.text) in WATERS or (fold(head.head.text) in WATERS and head.head.i != head.i):
            return None  # `en mer de Chine méridionale`, `dans le golfe d'Oman`: no point in a country
        names = _proper_names(head)
        region = fold(head.text) in REGION_HEADS
        shown = head.doc.text_of(head.left_edge.i, head.right_edge.i + 1) if region else None
        for name in names:
            place = self._resolve_text(doc, name, countries, None, shown)
            if place:
                return place
        return None

    def _resolve_text(self, doc: Document, text: str, countries: list[str], actor: Actor | None,
                      shown: str | None = None) -> Place | None:
        state = self._state(text)
        if state:
            place = self.gazetteer.country_place(state, self.kb.state_names.get(state, text), shown or text)
            if shown:  # `dans le nord de la Syrie`: part of a country, no invented point
                place.precision, place.lat, place.lon = "region", None, None
            return place
        place = self.gazetteer.lookup(text, countries)
        if place and shown:
            place.text = shown
        return place

    def _state(self, text: str) -> str | None:
        key = tuple(fold(w) for w in re.findall(r"[\w'-]+", text) if fold(w) not in ("le", "la", "les", "l'"))
        for entry in self.kb.phrases.get(key, ()):
            if entry.kind == "state":
                return entry.key
        return None

    def _dateline(self, doc: Document, countries: list[str]) -> Place | None:
        m = DATELINE.match(doc.text)
        if not m:
            return None
        return self.gazetteer.lookup(m.group(1).strip().title(), countries)


def _place_phrases(sdoc: Any) -> list[tuple[Any, str]]:
    """(head token, kind) of every place phrase: `loc` (`à Idleb`, `dans le nord de la Syrie`),
    `of_place` (`les quartiers Est d'Alep`) or `de` (`de Syrie`, a retreat's origin)."""
    out = []
    for i in _place_heads(sdoc):
        tok = sdoc[i]
        case = next((fold(c.text) for c in tok.children if c.dep_ == "case" or (
            c.dep_ == "dep" and (c.pos_ == "ADP" or fold(c.text) in ("a", "en", "dans")))), "")  # `A Erevan,` at a sentence start
        near = tok.i > 1 and fold(sdoc[tok.i - 2].text) in NEAR_WORDS or tok.i > 2 and fold(sdoc[tok.i - 3].text) in NEAR_WORDS
        if case in LOCATIVE or (case in ("de", "d'", "du", "des") and near):
            out.append((tok, "loc"))  # `à Idleb`, `près de Tal Abyad`, `aux abords de Gaza`
        elif case in ("de", "d'", "du", "des"):
            after_place = fold(tok.head.text) in PLACE_HEADS or (
                tok.pos_ == "PROPN" and any(fold(t.text) in PLACE_HEADS for t in sdoc[max(0, tok.i - 4) : tok.i]))
            out.append((tok, "of_place" if after_place else "de"))  # `les quartiers Est d'Alep`
    return out


def _place_heads(sdoc: Any) -> list[int]:
    """Indexes of the tokens that may head a place phrase: proper nouns, or heads like `nord`,
    `province`. Read from the token columns: no Token object for the other words."""
    cols = columns_of(sdoc)
    names = {cols.strings["PROPN"], cols.strings["X"]}
    noun = cols.strings["NOUN"]
    texts = cols.folded_texts()  # folded once per word id in the process
    return [i for i, pos in enumerate(cols.pos) if pos in names or (pos == noun and texts[i] in HEAD_WORDS)]


def _allowed(kind: str, event: Event) -> bool:
    """`de` names a place only after a place noun (`quartiers Est d'Alep`) or as a retreat's origin."""
    return kind != "de" or event.plover_type == "RETREAT"


def _proper_names(head: Any) -> list[str]:
    """`la province rebelle d'Idleb` -> [`Idleb`]; `Ras al-Aïn` stays whole; `la Caroline du Sud` is tried
    whole before its parts (`Caroline` alone is a town in Puerto Rico)."""
    tokens = sorted(head.subtree, key=lambda t: t.i)
    return _joined_names(tokens + _name_tail(tokens[-1])) + _name_runs(head, tokens)


def _name_tail(last: Any) -> list[Any]:
    """The rest of a name the parser hung elsewhere (`en Nouvelle-Galles du Sud`, `au Nouveau-Mexique` with
    `-Galles`, `du Sud` or `-Mexique` on the verb): linked capitalised words right after the phrase."""
    doc = last.doc
    words = list(doc[last.i + 1 : min(len(doc), last.i + 12)])
    k = 0
    while (nxt := _next_name(words, k - 1)) is not None:
        k = nxt + 1
    return words[:k]


def _next_name(tokens: list[Any], k: int) -> int | None:
    """Where the capitalised word that continues the name at tokens[k] stands, after one to three linking
    words or split-off hyphens in a row (`Caroline du Sud`, `Colombie-Britannique`, `Rhénanie-du-Nord`)."""
    end = k + 1
    while end < len(tokens) and end - k <= 3 and (tokens[end].text == "-" or fold(tokens[end].text) in NAME_LINKS):
        end += 1
    contiguous = end < len(tokens) and tokens[end].i - (tokens[k].i if k >= 0 else tokens[0].i - 1) == end - k
    return end if end > k + 1 and contiguous and tokens[end].text[:1].isupper() else None


def _joined_names(tokens: list[Any]) -> list[str]:
    """Names of several capitalised words joined by `du`, `de`, `des`, `d'` or hyphens the tokenizer split off
    (`Caroline du Sud`, `Nouvelle-Galles du Sud`, `Colombie-Britannique`)."""
    out: list[str] = []
    k = 0
    while k < len(tokens):
        end = k
        while tokens[end].text[:1].isupper() and (nxt := _next_name(tokens, end)) is not None:
            end = nxt
        if end > k:
            out.append(tokens[0].doc.text_of(tokens[k].i, tokens[end].i + 1))
        k = end + 1
    return out


def _name_runs(head: Any, tokens: list[Any]) -> list[str]:
    """Runs of proper nouns in a place phrase."""
    names: list[str] = []
    run: list[Any] = []
    for tok in tokens + [None]:
        if tok is not None and (tok.pos_ in ("PROPN", "X") or (run and tok.text in ("-", "al", "el"))
                                or (tok.is_title and tok.pos_ == "NOUN" and tok.i > 0 and not tok.is_sent_start)):
            run.append(tok)
            continue
        if run:
            names.append(head.doc.text_of(run[0].i, run[-1].i + 1))
            run = []
    if fold(head.text) in PLACE_HEADS:
        return names
    return names or [head.text]


def _distance(tok: Any, trigger: Any) -> int | None:
    """Steps up the parse from a place phrase to the trigger or the verb above it, if close enough."""
    targets = {trigger.i, trigger.head.i}
    cur = tok
    for steps in range(MAX_CLIMB + 1):
        if cur.i in targets:
            return steps
        if cur.head.i == cur.i or (cur.dep_ == "conj" and cur.pos_ == "VERB"):
            return None  # `a riposté et que ses avions ont frappé au Liban`: the place of the other clause
        cur = cur.head
    return None


def _corefer(events: list[Event]) -> None:
    """One event named twice in an article (`le retrait de leurs troupes de la Syrie`, later `le
    retrait annoncé des militaires américains`): a mention without a target or a place takes them
    from the other mentions of the same type and source, when those all agree and the dates fit."""
    groups: dict[tuple[str, str, bool], list[Event]] = {}
    for e in events:
        if e.source is not None and not e.negated:
            groups.setdefault((e.plover_type, _who(e.source), e.background), []).append(e)
    for group in groups.values():
        for e in group:
            others = [o for o in group if o is not e and _dates_fit(o, e)]
            if not others:
                continue
            if e.target is None and not e.symmetric:
                targets = {_who(o.target) if o.target else None for o in others}
                if len(targets) == 1 and None not in targets:
                    e.target = replace(others[0].target)
            if e.location is None:
                same = [o for o in others if _who(o.target) == _who(e.target)]
                places = {(o.location.name, o.location.precision) if o.location else None for o in same}
                if same and len(places) == 1 and None not in places:
                    e.location = replace(same[0].location)


def _at_home(event: Event, dateline: Place) -> bool:
    """`NIAMEY - La police a dispersé les manifestants`: an event among the dateline's own
    country's actors happened there; a strike abroad datelined at home did not."""
    countries = {a.country for a in (event.source, event.target) if a is not None and a.country}
    return countries <= {dateline.country}  # `la police a dispersé la foule`: no country named, at home


def _who(actor: Actor | None) -> str:
    return (actor.code or actor.country or "") if actor else ""


def _dates_fit(a: Event, b: Event) -> bool:
    """Same day, or one date within the other's coarser precision; a date that is only the
    article's (nothing in the clause) fits any."""
    x = a.event_date.value if a.event_date and a.event_date.how != "article date" else None
    y = b.event_date.value if b.event_date and b.event_date.how != "article date" else None
    return not x or not y or x.startswith(y) or y.startswith(x)


def _dyad_known(event: Event) -> bool:
    """After filling, an agent still without a country (`le gouvernement`, nowhere said) is dropped,
    and so is an event left without the party its type needs."""
    for side in ("source", "target"):
        actor = getattr(event, side)
        if actor is not None and not actor.country and actor.kind != "org":
            setattr(event, side, None)
    if event.source is None and event.target is None:
        return False
    if event.source and event.target and (event.source.code or event.source.country) == (
            event.target.code or event.target.country):
        return False  # `Netanyahu a réuni son cabinet`: one actor, no dyad
    return event.target is not None or event.plover_type not in NEEDS_TARGET or event.symmetric


def _fill_country(actor: Actor | None, country: str | None) -> Actor | None:
    """`les rebelles`, `la milice` with no country: the country where the event happened."""
    if actor is None or actor.country or actor.sector not in DOMESTIC_SECTORS or not country:
        return actor
    return replace(actor, country=country, code=country + (actor.sector or ""))


def _target_country(event: Event, where: str | None) -> str | None:
    """The country of a target agent with none: a protest's (`des dockers grecs en grève contre le
    gouvernement`) is the protesters' own, wherever they march; other events' the place's."""
    own = _own_country(event)
    return (own or where) if event.plover_type == "PROTEST" else (where or own)


def _own_country(event: Event) -> str | None:
    """`La Biélorussie a condamné un opposant`: arrests, bans and sentences fall on the source's own
    people when nothing says where, and protests on its own government (a military strike on `des
    rebelles` may be abroad: not filled this way)."""
    src = event.source
    if event.plover_type in INTERNAL_TYPES and src is not None and src.country and len(src.country) == 3:
        return src.country
    return None


def _focus_country(actors: list[Actor]) -> str | None:
    """The state the article is about: the one most often named as a place (`en Syrie`, `à Idleb`)."""
    counts: dict[str, int] = {}
    for a in actors:
        if a.country and len(a.country) == 3 and a.kind in ("state", "capital") and a.prep in LOCATIVE | {"de"}:
            counts[a.country] = counts.get(a.country, 0) + 1
    return max(counts, key=lambda c: counts[c]) if counts else None


def _article_countries(actors: list[Actor]) -> list[str]:
    """The article's states, most named first; a state named outright counts more than a capital
    named as a place (`à Tripoli, au Liban` is about Lebanon)."""
    counts: dict[str, int] = {}
    for a in actors:
        if not a.country or len(a.country) != 3:
            continue
        weight = 2 if a.kind == "state" else 0 if a.kind == "capital" and a.prep in LOCATIVE else 1
        counts[a.country] = counts.get(a.country, 0) + weight
    return sorted((c for c in counts if counts[c]), key=lambda c: -counts[c])
