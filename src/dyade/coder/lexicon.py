"""The predicate lexicon (`data/predicates.fr.yaml`) and the CAMEO code table (`data/cameo.csv`)."""

from __future__ import annotations

import csv
import io
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from importlib import resources
from types import MappingProxyType
from typing import Any

import yaml

from ..errors import DataFileError
from ..kb import fold

PREPOSITIONS = {
    "obj", "iobj", "avec", "contre", "a", "de", "sur", "envers", "aupres", "pour", "vers", "entre", "par", "lieu",
    "en", "chez", "visant", "devant", "autour", "pres", "dans",
    "subj",  # a noun's target is the subject of its clause: `à la demande d'Israël`, `sous l'égide de l'UA`
}
SOURCE_SLOTS = {"subj", "adj", "par", "de", "obj"}


@dataclass(frozen=True)
class Mode:
    """A cue in the clause that refines the event: `téléphone` -> CONSULT/phone, CAMEO 041."""

    cues: frozenset[str]
    mode: str | None
    cameo: str | None


@dataclass(frozen=True)
class Predicate:
    """One lexicon entry: a French predicate, its frame and what it codes."""

    id: str
    lemma: str
    pos: str
    type: str
    cameo: str
    mode: str | None
    target: tuple[str, ...]
    source: tuple[str, ...]
    se: bool
    needs: frozenset[str]  # words that must occur among the trigger's dependents or right after it
    verbs: frozenset[str]  # light verbs for nouns; empty: the noun codes on its own
    symmetric: bool
    agentless: bool  # may be coded with no source (`tués par une frappe aérienne`)
    passive_source: bool  # in the passive the subject is the source (`Lavrov est attendu en Turquie`)
    fatal: bool  # the patient's number gives fatalities
    modes: tuple[Mode, ...]
    target_required: bool
    target_kinds: frozenset[str] = frozenset()  # the entry fits only with a target of these kinds (`org`)


@dataclass(frozen=True)
class CameoCode:
    """A CAMEO code with its quad class, Goldstein value and PLOVER type and mode."""

    code: str
    root: str
    name: str
    goldstein: float
    quad_class: int
    plover_type: str
    plover_mode: str | None


@dataclass(frozen=True)
class Lexicon:
    """Predicates indexed by (folded lemma, part of speech), and the CAMEO table."""

    by_lemma: Mapping[tuple[str, str], tuple[Predicate, ...]]
    cameo: Mapping[str, CameoCode]
    support_verbs: frozenset[str] = frozenset()  # verbs whose subject acts the event noun they govern

    def event_nouns(self, types: Collection[str] | None = None) -> frozenset[str]:
        """The nouns of the lexicon, or those with an entry of one of `types`."""
        return frozenset(lemma for (lemma, pos), entries in self.by_lemma.items()
                         if pos == "NOUN" and (types is None or any(e.type in types for e in entries)))

    def lookup(self, lemma: str, pos: str) -> tuple[Predicate, ...]:
        """Entries by folded lemma, but a word's own accents must be its entry's: `marché` (a market) is no
        `marche` (a march), while `etat` written without its accent is still `état`."""
        found = self.by_lemma.get((fold(lemma), pos), ())
        if found and not lemma.isascii():
            found = tuple(p for p in found if _accents_agree(lemma.lower(), p.lemma.lower()))
        return found

    def code(self, code: str) -> CameoCode:
        if code in self.cameo:
            return self.cameo[code]
        return self.cameo[code[:3]] if code[:3] in self.cameo else self.cameo[code[:2]]


def load_lexicon(predicates_yaml: str | None = None, cameo_csv: str | None = None,
                 support_csv: str | None = None) -> Lexicon:
    """Load the lexicon from package data, or from the given texts (tests)."""
    data = resources.files("dyade").joinpath("data")
    stext = support_csv if support_csv is not None else data.joinpath("support_verbs.fr.csv").read_text("utf-8")
    support = frozenset(fold(row["lemma"]) for row in csv.DictReader(io.StringIO(stext)) if row.get("lemma"))
    ptext = predicates_yaml if predicates_yaml is not None else data.joinpath("predicates.fr.yaml").read_text("utf-8")
    ctext = cameo_csv if cameo_csv is not None else data.joinpath("cameo.csv").read_text("utf-8")
    cameo = _load_cameo(ctext)
    index: dict[tuple[str, str], list[Predicate]] = {}
    raw = yaml.safe_load(ptext) or []
    for number, item in enumerate(raw, start=1):
        pred = _predicate(item, f"predicates.fr.yaml entry {number}", cameo)
        index.setdefault((fold(pred.lemma), pred.pos), []).append(pred)
    # The most specific entry is tried first: `appeler` + `à` (a request) before a bare `appeler`.
    ordered = {k: tuple(sorted(v, key=lambda p: -(len(p.needs) + bool(p.verbs) + p.se + bool(p.target_kinds))))
               for k, v in index.items()}
    return Lexicon(MappingProxyType(ordered), MappingProxyType(cameo), support)


def _accents_agree(word: str, entry: str) -> bool:
    """Every accented letter of `word` is the entry's letter at that place (a letter without its accent
    agrees with any); words whose letters do not line up (`œ`, elisions) agree."""
    if len(word) != len(entry):
        return True
    return all(a == b or a.isascii() for a, b in zip(word, entry))


def _load_cameo(text: str) -> dict[str, CameoCode]:
    table = {}
    for row in csv.DictReader(io.StringIO(text)):
        table[row["code"]] = CameoCode(
            row["code"], row["root"], row.get("name", ""), float(row["goldstein"]), int(row["quad_class"]),
            row.get("plover_type") or "", row.get("plover_mode") or None)
    return table


def _predicate(item: Any, where: str, cameo: Mapping[str, CameoCode]) -> Predicate:
    if not isinstance(item, dict) or "lemma" not in item or "cameo" not in item:
        raise DataFileError(f"{where}: needs at least `lemma` and `cameo`")
    code = str(item["cameo"])
    if code not in cameo:
        raise DataFileError(f"{where}: unknown CAMEO code {code!r}")
    ptype = item.get("type") or cameo[code].plover_type
    pos = item.get("pos", "VERB")
    target = tuple(item.get("target", ["obj"] if pos == "VERB" else ["contre"]))
    source = tuple(item.get("source", ["subj"] if pos == "VERB" else ["adj", "par"]))
    bad = [s for s in target if s not in PREPOSITIONS] + [s for s in source if s not in SOURCE_SLOTS]
    if bad:
        raise DataFileError(f"{where}: unknown slot(s) {bad}")
    modes = tuple(Mode(frozenset(fold(c) for c in m.get("cues", [])), m.get("mode"), str(m["cameo"]) if m.get("cameo") else None)
                  for m in item.get("modes", []))
    return Predicate(
        id=item.get("id") or f"{ptype}/{item['lemma']}",
        lemma=item["lemma"], pos=pos, type=ptype, cameo=code,
        mode=item.get("mode", cameo[code].plover_mode), target=target, source=source,
        se=bool(item.get("se", False)), needs=frozenset(fold(w) for w in item.get("needs", [])),
        verbs=frozenset(fold(w) for w in item.get("verbs", [])), symmetric=bool(item.get("symmetric", False)),
        agentless=bool(item.get("agentless", False)), passive_source=bool(item.get("passive_source", False)), fatal=bool(item.get("fatal", False)), modes=modes,
        target_required=bool(item.get("target_required", False)),
        target_kinds=frozenset(item.get("target_kinds", [])),
    )
