"""actors.v1: compose knowledge-base mentions into actors, resolved at the article's date.

`le secrétaire américain à la Défense Mark Esper` is one actor (title + adjective + person):
USA, MIL, Mark Esper. `le président russe` alone is whoever held that office on the date.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from ..coder.tokens import columns_of, view_of
from ..kb import Entry, KnowledgeBase, fold
from ..model import Actor, Document, Mention
from ..registry import stage

HEAD_KINDS = {"title", "agent", "state", "capital", "seat", "org", "person"}
# Tokens that may stand between the parts of one actor phrase.
GLUE = {"de", "du", "des", "d'", "la", "le", "l'", "les", ",", "m.", "mme", "mm.", "au", "a", "son", "sa", "-"}
POSSESSIVES = {"leur", "leurs", "son", "sa", "ses", "notre", "nos"}
HONORIFICS = {"m.", "mme", "mm.", "mr"}
COUNTRY_DETERMINERS = {"le", "du", "au", "ce"}  # `le pays`, `du pays`, `au pays`, `ce pays`: one named before
PARTS_OF_A_COUNTRY = {"nord", "sud", "est", "ouest", "centre", "nord-est", "nord-ouest", "sud-est", "sud-ouest",
                      "reste", "capitale", "region", "regions", "province", "provinces", "frontiere", "frontieres",
                      "ville", "villes", "territoire", "coeur", "bout", "interieur"}
PLACE_PREPS = {"a", "en", "dans"}  # a state named as a place: `au Niger`, `en Syrie`, `à Kiev`
PAIR_NOUNS = {
    "dirigeant", "dirigeants", "president", "presidents", "ministre", "ministres", "pays", "parties",
    "partie", "chefs", "gouvernements", "capitales", "homologues", "delegations", "armees", "leaders",
}
LOCATIVE = {"en", "dans", "vers", "depuis", "sur", "pres", "au-dessus"}
# Words that make `de` a locative preposition: `près de la Syrie`, `au large de la Libye`, `au-dessus du Golan`.
LOCATIVE_HEADS = {"pres": "pres", "au-dessus": "au-dessus", "large": "pres", "proximite": "pres", "abords": "pres",
                  "environs": "pres", "autour": "pres"}
MIL_WORDS = {"defense", "armees", "armee", "guerre", "militaire"}
COP_WORDS = {"interieur"}
# `le Conseil`, `la Commission`, `l'Alliance` after the organisation was named in full: short names of it.
SHORT_NAMES = {"conseil", "commission", "alliance", "agence", "organisation", "cour", "union", "assemblee",
               "tribunal", "mission"}
SHORT_NAME_DETERMINERS = {"le", "la", "l'", "du", "au"}
MAX_NAME_WORDS = 4  # a proper name given after (or before) an actor: `Tarek William Saab`
MAX_PHRASE_PARTS = 12  # no actor phrase has more mentions; repeated titles must not grow one without end


class _Phrase:
    """Mentions of one noun phrase, in text order; `end` is the token after the last of them."""

    __slots__ = ("end", "parts")

    def __init__(self, first: Mention) -> None:
        self.parts = [first]
        self.end = first.end

    @property
    def start(self) -> int:
        return self.parts[0].start

    def add(self, mention: Mention) -> None:
        self.parts.append(mention)
        self.end = max(self.end, mention.end)


@stage("actors.v1", requires=["doc.mentions", "doc.published"], assigns=["doc.actors"])
class ResolveActors:
    """Turn mentions into actors with code, country, sector and (when an individual) the person."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb

    def __call__(self, doc: Document) -> Document:
        day = _reference_day(doc)
        sdoc = view_of(doc.spacy_doc)  # plain-Python tokens
        actors: list[Actor] = []
        for phrase in _phrases(sdoc, doc.mentions):
            actors.extend(self._resolve(doc, sdoc, phrase, day))
        actors += _named_again(doc, sdoc, actors)
        actors += _surnames(doc, sdoc, actors)
        actors += _the_country(doc, sdoc, actors)
        actors += _short_names(doc, sdoc, actors)
        pairs = list(_pairs(doc, sdoc))
        covered = {i for p in pairs for i in range(p.tok_start, p.tok_end)}
        actors = [a for a in actors if not covered & set(range(a.tok_start, a.tok_end))] + pairs
        actors.sort(key=lambda a: (a.tok_start, a.tok_end))
        doc.actors = actors
        return doc

    def _resolve(self, doc: Document, sdoc: Any, phrase: _Phrase, day: dt.date) -> list[Actor]:
        entries = [(m, e) for m in phrase.parts for e in m.entries]
        adjectives = [e for _, e in entries if e.kind == "adjective"]
        heads = [e for _, e in entries if e.kind != "adjective"]
        if not heads:
            return self._adjective_actors(doc, sdoc, phrase, adjectives)
        country = _first(e.country for e in adjectives) or _complement_country(heads)
        if not country and all(e.kind == "agent" and not e.placed for e in heads):
            return []  # `une attaque de drones`: a weapon with no nationality says nothing of who used it
        title = _title(heads, country)
        if title and title.sector == "IGO" and not country:
            country = "IGO"  # `le secrétaire général de l'ONU`: an office of an organisation
        person, term_sector = self._person(heads, country, title, day)
        named = any(e.kind == "person" for e in heads)  # a name in the phrase beats the office holder
        if person and phrase.parts[0].kinds() <= {"agent"}:
            # `les forces loyales au président syrien Bachar al-Assad` are the army, not Assad.
            country = country or self._person_country(person, day)
            person, term_sector = None, None
        if person:
            country = country or self._person_country(person, day)
        elif title and country and not named and not _other_office(sdoc, phrase, self.kb):
            holders = self.kb.holders(country, title.key, day) if _title_fits(title, country) else []
            person = holders[0] if len(holders) == 1 else _newest(holders, self.kb, title.key, country)
        sector = term_sector or _sector(heads, sdoc, phrase)
        org = next((e for e in heads if e.kind == "org"), None)
        kind = "person" if person else heads[0].kind
        name = person or (org.name if org else None) or (self.kb.state_names.get(country or "") if kind in
                                                          ("state", "capital", "seat") else None)
        code = org.code if org else _code(country, sector)
        return [self._actor(doc, sdoc, phrase, code, country or (org.country if org else None),
                            sector or (org.sector if org else None), name, person, kind)]

    def _person(self, heads: list[Entry], country: str | None, title: Entry | None,
                day: dt.date) -> tuple[str | None, str | None]:
        """The person named in the phrase, and the sector of the office they held on `day`."""
        names = [e.key for e in heads if e.kind == "person"]
        if country:
            names = [n for n in names if country in self.kb.people[n].countries()] or names
        if not names:
            return None, None
        person = self.kb.people[names[0]]
        terms = [t for t in person.terms if t.covers(day)] or []
        if title:
            terms = [t for t in terms if t.office == title.key] or terms
        return person.name, (terms[0].sector if terms else None)

    def _person_country(self, name: str, day: dt.date) -> str | None:
        terms = self.kb.people[name].terms
        current = [t for t in terms if t.covers(day)]
        return (current or list(terms[-1:]))[0].country if terms else None

    def _adjective_actors(self, doc: Document, sdoc: Any, phrase: _Phrase, adjectives: list[Entry]) -> list[Actor]:
        kind = "compound" if len({e.country for e in adjectives}) > 1 else "adjective"
        seen: list[str] = []
        for e in adjectives:
            if e.country and e.country not in seen:
                seen.append(e.country)
        return [self._actor(doc, sdoc, phrase, c, c, None, self.kb.state_names.get(c), None, kind) for c in seen]

    def _actor(self, doc: Document, sdoc: Any, phrase: _Phrase, code: str | None, country: str | None,
               sector: str | None, name: str | None, person: str | None, kind: str) -> Actor:
        start = _extend_left(sdoc, phrase.start)
        o_start, o_end = doc.to_original(*sdoc.offsets(start, phrase.end))
        prev = preposition_before(sdoc, start)
        return Actor(code, country, sector, name, doc.article.text[o_start:o_end], o_start, o_end,
                     person=person, kind=kind, tok_start=start, tok_end=phrase.end, prep=prev,
                     possessed=_possessed(sdoc, start))


def _reference_day(doc: Document) -> dt.date:
    """The day offices are resolved at: the publication date, else the last day the offices of the
    people named allow, else today."""
    if doc.published:
        return doc.published.first_day()
    return doc.reference or dt.date.today()


def _phrases(sdoc: Any, mentions: list[Mention]) -> Iterator[_Phrase]:
    """Group mentions that belong to one noun phrase (title, adjective, complement, name)."""
    current: _Phrase | None = None
    for m in mentions:
        if current and _joins(sdoc, current, m):
            current.add(m)
            continue
        if current:
            yield current
        current = _Phrase(m)
    if current:
        yield current


def _joins(sdoc: Any, phrase: _Phrase, m: Mention) -> bool:
    if len(phrase.parts) >= MAX_PHRASE_PARTS:
        return False
    gap = sdoc[phrase.end : m.start]
    if len(gap) > 4 or _sentence_start_in(sdoc, phrase.end, m.start + 1):
        return False
    kinds = {k for p in phrase.parts for k in p.kinds()}
    new = m.kinds()
    if kinds & {"agent", "title"} and new == {"adjective"} and len(gap) <= 3 and all(
            t.pos_ in ("ADP", "DET", "NOUN") for t in gap):
        return True  # `la police des mœurs iranienne`, `le ministère des Affaires étrangères russe`
    if not all(fold(t.text) in GLUE or t.pos_ == "ADJ" for t in gap):
        return False
    words = {fold(t.text) for t in gap}
    if "," in words and words & HONORIFICS:
        return False  # `Devant la presse, M. Blinken a regretté`: a new subject, not an apposition
    if "person" in kinds and "person" in new:
        return False  # two people: `Erdogan et Poutine` never joins; `, Sergueï Lavrov` after a title does
    if kinds <= {"adjective"}:
        return bool(new & {"person", "adjective"}) and not any(fold(t.text) == "," for t in gap)
    if new <= {"state", "capital"} and (kinds & {"adjective"} or _possessed(sdoc, phrase.start)):
        return False  # `militaires américains de Syrie`, `leurs troupes de la Syrie`: a place, not a nationality
    if new <= {"state", "capital"} and {fold(t.text) for t in gap} & {"a", "au", "aux", "en"}:
        return False  # `des manifestants à Tripoli`: a place
    if kinds & {"title", "agent"}:
        return bool(new & {"adjective", "person", "state", "seat", "org", "capital", "title", "agent"}) and (
            "person" in new or not any(fold(t.text) == "," for t in gap))
    if kinds & {"state", "capital", "seat", "org"}:
        return bool(new & {"adjective"}) and not gap
    return False


def _sentence_start_in(sdoc: Any, start: int, end: int) -> bool:
    """A sentence starts among tokens [start, end): `any(t.is_sent_start for t in sdoc[start:end])`
    read from the token columns."""
    first = columns_of(sdoc).sent_start
    return any(first[i] == i for i in range(max(start, 0), min(end, len(first))))


def _possessed(sdoc: Any, start: int) -> bool:
    """`leurs troupes`: the owner is said elsewhere."""
    return start > 0 and columns_of(sdoc).folded_texts()[start - 1] in POSSESSIVES


def _extend_left(sdoc: Any, start: int) -> int:
    """Include `son homologue` / `le` style words right before the phrase in its text span."""
    words = columns_of(sdoc).folded_texts()
    while start > 0 and words[start - 1] in {"homologue", "homologues"}:
        start -= 1
    return start


def _named_again(doc: Document, sdoc: Any, actors: list[Actor]) -> list[Actor]:
    """`M. Wang`, `Mme Baerbock` after the full name (`le plus haut responsable de la diplomatie,
    Wang Yi`): the actor that name was first given to, at the new place."""
    words = columns_of(sdoc).folded_texts()
    covered = {i for a in actors for i in range(a.tok_start, a.tok_end)}
    found: list[Actor] = []
    for i in range(len(words) - 1):
        name = sdoc[i + 1]
        if words[i] not in HONORIFICS or i + 1 in covered or not name.text[:1].isupper():
            continue
        earlier = [a for a in actors if a.tok_end <= i and a.country and words[i + 1] in _name_words(a, sdoc, words)]
        if earlier:
            found.append(_restated(doc, sdoc, earlier[-1], i, i + 2, kind="person"))
    return found


def _surnames(doc: Document, sdoc: Any, actors: list[Actor]) -> list[Actor]:
    """`Saab a annoncé` after `le procureur général vénézuélien, Tarek William Saab`: a proper name given
    right after an actor with a country (or its person's name) names that actor again, wherever the
    knowledge base does not know the person."""
    words = columns_of(sdoc).folded_texts()
    introduced = sorted((a for a in actors if a.country and a.kind in ("person", "title", "agent")),
                        key=lambda a: a.tok_end)
    if not introduced:
        return []
    given: dict[str, list[tuple[int, Actor]]] = {}  # a name -> (where it was given, the actor), in text order
    runs: set[int] = set()  # the names where they are given are part of the first mention
    for actor in introduced:
        run = [*_name_run(sdoc, words, actor.tok_end), *_name_run_before(sdoc, words, actor.tok_start)]
        runs.update(run)
        for w in [words[j] for j in run] + [fold(w) for w in (actor.person or "").split() if len(w) > 2]:
            given.setdefault(w, []).append((actor.tok_end, actor))
    covered = {i for a in actors for i in range(a.tok_start, a.tok_end)} | runs
    found: list[Actor] = []
    last_end = 0
    for i in [i for i, w in enumerate(words) if w in given]:  # one look-up per word
        if i < last_end or i in covered or (i > 0 and words[i - 1] in HONORIFICS):
            continue
        tok = sdoc[i]
        actor = _given_before(given[words[i]], i)
        if actor is None or tok.pos_ not in ("PROPN", "NOUN", "X") or not tok.text[:1].isupper():
            continue
        end = i + 1
        while end < len(words) and end not in covered and words[end] in given and sdoc[end].text[:1].isupper():
            end += 1  # `Tarek William Saab` given again in full
        found.append(_restated(doc, sdoc, actor, i, end, kind="person"))
        last_end = end
    return found


def _given_before(places: list[tuple[int, Actor]], i: int) -> Actor | None:
    """The last actor a name was given to before token i (`places` is in text order)."""
    k = bisect.bisect_right(places, i, key=lambda p: p[0])
    return places[k - 1][1] if k else None


def _name_run(sdoc: Any, words: list[str], start: int) -> range:
    """The proper names right after an actor (`le chef de la diplomatie ghanéenne, Kwame Osei`)."""
    i = start + (start < len(words) and words[start] == ",")
    first = columns_of(sdoc).sent_start
    end = i
    while (end < min(len(words), i + MAX_NAME_WORDS) and first[end] != end and sdoc[end].text[:1].isupper()
           and len(words[end]) > 2 and sdoc[end].pos_ in ("PROPN", "NOUN", "ADJ", "X")):  # `Olushegun`, an adjective
        end += 1
    return range(i, end)


def _name_run_before(sdoc: Any, words: list[str], start: int) -> range:
    """The proper names right before an actor in apposition (`Tarek William Saab, le procureur général`)."""
    i = start - 1
    if i > 0 and words[i] in ("le", "la", "l'"):
        i -= 1
    if i < 1 or words[i] != ",":
        return range(0)
    first = columns_of(sdoc).sent_start
    end = begin = i
    while (begin > max(0, i - MAX_NAME_WORDS) and sdoc[begin - 1].text[:1].isupper() and len(words[begin - 1]) > 2
           and sdoc[begin - 1].pos_ in ("PROPN", "NOUN", "ADJ", "X")):
        begin -= 1
        if first[begin] == begin:
            break
    return range(begin, end)


def _the_country(doc: Document, sdoc: Any, actors: list[Actor]) -> list[Actor]:
    """`va retirer ses troupes du pays`, `son appui au pays`: the state named most often as a place
    (`au Niger`, `en Syrie`, `à Kiev`) before it, the latest of them on a tie. `le pays hôte`, `du pays
    voisin`, `les pays de la région` name no one in particular, `l'est du pays` a place: left alone."""
    words = columns_of(sdoc).folded_texts()
    covered = {i for a in actors for i in range(a.tok_start, a.tok_end)}
    found: list[Actor] = []
    for i in range(1, len(words)):
        if words[i] != "pays" or words[i - 1] not in COUNTRY_DETERMINERS or i in covered:
            continue
        if i > 1 and words[i - 2] in PARTS_OF_A_COUNTRY:
            continue  # `dans l'est du pays`: a place inside it, not the state
        nxt = sdoc[i + 1] if i + 1 < len(words) else None
        if nxt is not None and (nxt.pos_ == "ADJ" or (words[i + 1] in ("de", "d'", "du", "des")
                                                      and words[i + 2 : i + 3] != ["ici"])):
            continue
        places = [a for a in actors if a.tok_end <= i - 1 and a.kind in ("state", "capital") and a.prep in PLACE_PREPS
                  and a.country and len(a.country) == 3]
        if places:
            counts = Counter(a.country for a in places)
            best = max(counts.values())
            referent = next(a for a in reversed(places) if counts[a.country] == best)
            actor = _restated(doc, sdoc, referent, i - 1, i + 1, code=referent.country, sector=None, kind="state")
            contracted = {"du": "de", "au": "a"}.get(words[i - 1])  # `au pays` is a phrase under `à`
            found.append(replace(actor, prep=contracted) if contracted else actor)
    return found


def _short_names(doc: Document, sdoc: Any, actors: list[Actor]) -> list[Actor]:
    """`le Conseil`, `du Conseil`, `la Commission` with a capital and nothing after that names another body
    (`le Conseil constitutionnel`, `la Commission des droits de l'homme`): the last organisation named
    before whose name starts with that word (`le Conseil de sécurité de l'ONU`)."""
    words = columns_of(sdoc).folded_texts()
    found: list[Actor] = []
    covered: set[int] | None = None
    orgs = sorted((a for a in actors if a.kind == "org" and a.text), key=lambda a: a.tok_end)
    last: dict[str, Actor] = {}  # the first word of an organisation's name -> the last one named so far
    k = 0
    for i in [i for i, w in enumerate(words) if w in SHORT_NAMES and i > 0]:  # one look-up per word
        while k < len(orgs) and orgs[k].tok_end <= i:
            first_word = fold(orgs[k].text.split()[0])
            last[first_word.removeprefix("l'")] = orgs[k]
            k += 1
        if words[i] not in SHORT_NAMES or words[i - 1] not in SHORT_NAME_DETERMINERS or not sdoc[i].text[:1].isupper():
            continue
        if covered is None:
            covered = {j for a in actors for j in range(a.tok_start, a.tok_end)}
        nxt = sdoc[i + 1] if i + 1 < len(words) else None
        complement = nxt is not None and words[i + 1] in ("de", "du", "des", "d'") and not (
            i + 2 < len(words) and sdoc[i + 2].pos_ == "VERB")  # `au Conseil d'agir` is no `Conseil de ...`
        if i in covered or complement or (nxt is not None and nxt.pos_ in ("ADJ", "PROPN")):
            continue
        if words[i] in last:
            found.append(_restated(doc, sdoc, last[words[i]], i, i + 1))
    return found


def _restated(doc: Document, sdoc: Any, actor: Actor, start: int, end: int, **changes: Any) -> Actor:
    """`actor` named again at tokens [start, end) (`M. Wang`, `du pays`): its text, offsets and
    preposition there."""
    o_start, o_end = doc.to_original(*sdoc.offsets(start, end))
    return replace(actor, text=doc.article.text[o_start:o_end], start=o_start, end=o_end, tok_start=start,
                   tok_end=end, prep=preposition_before(sdoc, start), possessed=False, **changes)


def _name_words(actor: Actor, sdoc: Any, words: list[str]) -> set[str]:
    """The words of an actor's text, of its person's name (`Wang Yi` -> {wang, yi, ...}) and of the
    proper names right after it (`le chef de la diplomatie ghanéenne, Kwame Osei`)."""
    out = {fold(w) for w in f"{actor.text} {actor.person or ''}".replace(",", " ").split()}
    i = actor.tok_end + (actor.tok_end < len(words) and words[actor.tok_end] == ",")
    while i < len(words) and sdoc[i].pos_ == "PROPN":
        out.add(words[i])
        i += 1
    return out


def _pairs(doc: Document, sdoc: Any) -> Iterator[Actor]:
    """`les deux dirigeants`, `les deux pays`: a pair to be resolved by the event coder."""
    words = columns_of(sdoc).folded_texts()  # no Token object for every word
    for i in range(len(sdoc) - 1):
        if words[i] == "deux" and words[i + 1] in PAIR_NOUNS:
            tok = sdoc[i]
            o_start, o_end = doc.to_original(*sdoc.offsets(i, i + 2))
            prev = preposition_before(sdoc, tok.i)
            yield Actor(None, None, None, None, doc.article.text[o_start:o_end], o_start, o_end,
                        kind="pair", tok_start=tok.i, tok_end=tok.i + 2, prep=prev)


def preposition_before(sdoc: Any, start: int) -> str:
    """The preposition heading the phrase that starts at `start` (`avec son homologue` -> `avec`), or ``.
    `au-dessus du Golan`, `au large de la Libye` are places: the compound's locative (`au-dessus`, `pres`)."""
    i = start - 1
    while i >= 0 and start - i <= 4:
        tok = sdoc[i]
        word = fold(tok.text)
        if word in ("du", "de", "d'", "des") and i > 0 and fold(sdoc[i - 1].text) in LOCATIVE_HEADS:
            return LOCATIVE_HEADS[fold(sdoc[i - 1].text)]
        if word in ("au", "aux", "du", "des") and tok.pos_ == "ADP":
            return {"au": "a", "aux": "a", "du": "de", "des": "de"}[word]
        if tok.pos_ == "ADP" or word in ("selon", "par", "avec", "contre", "en", "dans", "a", "de", "d'"):
            return "de" if word == "d'" else word
        if tok.pos_ not in ("DET", "ADJ", "NUM") and word not in ("homologue", "homologues"):
            return ""
        i -= 1
    return ""


def _first(values: Iterator[str | None]) -> str | None:
    return next((v for v in values if v), None)


def _complement_country(heads: list[Entry]) -> str | None:
    return _first(e.country for e in heads if e.kind in ("state", "capital", "seat", "org") and e.country
                  and len(e.country) == 3 and e.country not in ("IGO", "IMG", "NGO"))


def _title(heads: list[Entry], country: str | None) -> Entry | None:
    """The title reading that fits the country: `le président iranien` is Iran's head of government."""
    titles = [e for e in heads if e.kind == "title"]
    own = [e for e in titles if country and country in e.countries]
    general = [e for e in titles if not e.countries]
    return (own or general or [None])[0]


def _other_office(sdoc: Any, phrase: _Phrase, kb: KnowledgeBase) -> bool:
    """`la présidente de la Chambre`, `le président du Conseil constitutionnel`: the title belongs
    to another body than the state, so no head of state is assigned."""
    titled = [p for p in phrase.parts if "title" in p.kinds()]
    end = titled[0].end if titled else phrase.end
    if end < len(sdoc) and "adjective" in {k for p in phrase.parts if p.start == end for k in p.kinds()}:
        end += 1  # `le président américain de ...`
    if end + 1 >= len(sdoc) or fold(sdoc[end].text) not in ("de", "du", "des", "d'"):
        return False
    nxt = sdoc[end + 1] if fold(sdoc[end + 1].text) not in ("la", "l'", "le", "les") else sdoc[min(end + 2, len(sdoc) - 1)]
    return nxt.pos_ in ("NOUN", "PROPN") and not kb.phrases.get((fold(nxt.text),))


def _newest(holders: list[str], kb: KnowledgeBase, office: str, country: str) -> str | None:
    """On a handover day two people hold the office: the one whose term starts that day."""
    if len(holders) != 2:
        return None
    starts = {h: max(t.start for t in kb.people[h].terms if t.office == office and t.country == country) for h in holders}
    return max(holders, key=lambda h: starts[h])


def _title_fits(title: Entry, country: str) -> bool:
    return not title.countries or country in title.countries


def _sector(heads: list[Entry], sdoc: Any, phrase: _Phrase) -> str | None:
    """The sector of the phrase's head noun (`les forces loyales au président` are MIL)."""
    words = set(columns_of(sdoc).folded_texts()[phrase.start : phrase.end])
    if words & MIL_WORDS and any(e.kind in ("title", "agent") for e in heads):
        return "MIL"
    if words & COP_WORDS and any(e.kind in ("title", "agent") for e in heads):
        return "COP"
    for e in heads:
        if e.kind in ("title", "agent", "seat", "capital", "org") and e.sector:
            return e.sector
    return None


def _code(country: str | None, sector: str | None) -> str | None:
    """CAMEO-style code: `TUR` + `MIL`; a sector alone when the country is unknown."""
    if country and country == sector:
        return country
    return (country or "") + (sector or "") or None
