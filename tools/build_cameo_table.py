#!/usr/bin/env python3
"""Build dyade's CAMEO/PLOVER code tables.

Reads two reference files (not shipped with dyade):

* ``cameo-codes.csv`` -- every CAMEO code with its name and Goldstein value;
* ``CAMEO2PLOVER-2021.txt`` -- the CAMEO -> PLOVER (type, mode, context) table,

checks the PLOVER modes against ``PLOVER_MANUAL.tex`` and writes

* ``src/dyade/data/cameo.csv``  (code,root,name,goldstein,quad_class,plover_type,plover_mode)
* ``src/dyade/data/plover.csv`` (type,quad_class,modes,description_fr)

Only facts are taken from the references (codes, short names, Goldstein values,
PLOVER types and modes); descriptions, usage notes and examples are ignored.
The output files are committed; dyade never reads /work/shared at runtime.

Usage::

    python tools/build_cameo_table.py [--ref DIR] [--out DIR]
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_REF = Path("/work/shared/reference")
DEFAULT_OUT = REPO / "src" / "dyade" / "data"

# ---------------------------------------------------------------------------
# PLOVER types: quad class and modes, as defined in the PLOVER manual
# (Draft 0.8+). Types without a mode table in the manual have no modes.
#
# Quad class: the manual's per-type sections and its "Summary of event
# categories" put SANCTION in MATERIAL CONFLICT (4); one summary table lists it
# under verbal conflict. We follow the per-type section (4), which also agrees
# with CAMEO root 16 (REDUCE RELATIONS) being material conflict.
# ---------------------------------------------------------------------------
PLOVER: dict[str, tuple[int, list[str], str]] = {
    "AGREE": (1, [],
              "Exprimer l'intention de coopérer : promesse, offre ou engagement futur, y compris la promesse de signer un accord."),
    "CONSULT": (1, ["visit", "third-party", "multilateral", "phone"],
                "Consultations et rencontres : visites, réception d'un dirigeant, réunions sur un terrain tiers ou multilatérales, entretiens téléphoniques."),
    "SUPPORT": (1, [],
                "Soutien diplomatique non matériel : éloge, approbation, reconnaissance, signature ou ratification d'un accord."),
    "CONCEDE": (1, [],
                "Concession verbale sans effet matériel immédiat : annonce d'un retrait ou d'un cessez-le-feu, levée promise de restrictions, excuses."),
    "COOPERATE": (2, [],
                  "Coopération matérielle mutuelle : échanges économiques, manœuvres militaires conjointes, entraide judiciaire, partage de renseignements."),
    "AID": (2, [],
            "Aide matérielle au profit du destinataire : aide financière, militaire (livraisons d'armes), humanitaire, octroi de l'asile."),
    "RETREAT": (2, ["withdraw", "release", "disarm", "ceasefire", "access", "resign"],
                "Recul matériel effectif : retrait de troupes, libération de prisonniers, désarmement, cessez-le-feu appliqué, accès accordé, démission."),
    "REQUEST": (3, ["assist", "change", "yield", "meet"],
                "Demandes, appels, exigences et injonctions verbales adressés à un tiers."),
    "ACCUSE": (3, ["disapprove", "investigate", "allege"],
               "Désapprobation, condamnation, accusation formelle ou informelle, plainte en justice ou ouverture d'une enquête."),
    "REJECT": (3, ["assist", "change", "yield", "meet"],
               "Refus ou rejet d'une demande, d'une proposition, d'une négociation, d'une médiation ou d'un accord."),
    "THREATEN": (3, ["restrict", "arrest", "relations", "expel", "territory", "violence"],
                 "Menaces et mises en garde assorties de conséquences graves : sanctions, rupture, expulsion, recours à la force."),
    "PROTEST": (4, ["demo", "riot", "strike", "hunger", "boycott", "obstruct", "vandalize"],
                "Contestation collective menée par des civils : manifestations, émeutes, grèves, grèves de la faim, boycotts, blocages."),
    "SANCTION": (4, ["convict", "expel", "withdraw", "discontinue"],
                 "Réduction des relations : sanctions, rupture des liens, expulsion ou rappel de diplomates, suspension d'une aide, condamnation en justice."),
    "MOBILIZE": (4, ["troops", "weapons", "police", "militia"],
                 "Démonstration de force sans violence : mobilisation ou mise en alerte de troupes, d'armements, de policiers ou de milices."),
    "COERCE": (4, ["seize", "restrict", "censor", "curfew", "martial-law", "arrest", "deport",
                   "withhold", "misinformation", "cyber"],
               "Coercition sans violence physique : arrestations, saisies, restrictions des libertés, couvre-feu, état d'urgence, expulsion d'individus, cyberattaques."),
    "ASSAULT": (4, ["abduct", "beat", "torture", "sexual", "targeted", "destroy", "primitive",
                    "firearms", "explosives", "suicide-attack", "aerial", "drone", "heavy-weapons",
                    "crowd-control", "unconventional"],
                "Usage délibéré de la force : combats, bombardements, frappes aériennes, attentats, assassinats, enlèvements."),
}

# ---------------------------------------------------------------------------
# Corrections to the 2021 conversion table, each checked against the manual.
# code -> (plover_type, plover_mode, reason)
# ---------------------------------------------------------------------------
OVERRIDES: dict[str, tuple[str, str, str]] = {
    "0813": ("CONCEDE", "", "081-083 are CONCEDE; the manual lists lifting curfews under CONCEDE"),
    "0814": ("CONCEDE", "", "081-083 are CONCEDE; easing emergency rule is a verbal concession"),
    "0842": ("RETREAT", "", "'return' is commented out of the manual's RETREAT modes"),
    "085": ("RETREAT", "", "'ease' is no longer a PLOVER mode"),
    "0874": ("RETREAT", "withdraw", "retreat = 'withdraw forces from an area' (manual), not 'disarm'"),
    "105": ("REQUEST", "yield", "demand that target yields -> 'yield' mode"),
    "116": ("SANCTION", "convict", "manual: finding guilty or liable is SANCTION 'convict'"),
    "124": ("REJECT", "yield", "decline to yield -> 'yield' mode"),
    "1241": ("REJECT", "yield", "easing sanctions is 'yield' in the manual"),
    "1242": ("REJECT", "yield", "easing curfews/dissent is 'yield' in the manual"),
    "132": ("THREATEN", "restrict", "'ban' is not a THREATEN mode; 'restrict' covers bans"),
    "1321": ("THREATEN", "restrict", "'political' is not a THREATEN mode"),
    "1322": ("THREATEN", "restrict", "'restrict' covers banning parties or individuals"),
    "163": ("SANCTION", "discontinue", "manual: international sanctions are SANCTION 'discontinue'"),
    "1712": ("ASSAULT", "destroy", "'seize' is not an ASSAULT mode; destroying property is 'destroy'"),
    "1722": ("COERCE", "restrict", "'ban' is not a COERCE mode; 'restrict' covers political bans"),
    "175": ("ASSAULT", "", "'pro_autocracy' is a context, not a mode"),
    "183": ("ASSAULT", "explosives", "generic non-military bombing; suicide attacks are 1831"),
    "185": ("ASSAULT", "targeted", "'assassinate' was replaced by 'targeted'"),
    "186": ("ASSAULT", "targeted", "'assassinate' was replaced by 'targeted'"),
    "195": ("ASSAULT", "aerial", "aerial weapons -> 'aerial' mode"),
    "200": ("ASSAULT", "", "'massacre' is commented out of the manual's modes"),
    "201": ("ASSAULT", "", "'cleansing' is commented out of the manual's modes"),
    "202": ("ASSAULT", "targeted", "'targeted' includes deliberate mass killings"),
    "203": ("ASSAULT", "", "'cleansing' is commented out of the manual's modes"),
}

ROOT_QUAD = {**{f"{r:02d}": 1 for r in range(1, 6)},
             **{f"{r:02d}": 2 for r in range(6, 9)},
             **{f"{r:02d}": 3 for r in range(9, 14)},
             **{f"{r:02d}": 4 for r in range(14, 21)}}

MOJIBAKE = {"\u201a\u00c4\u00f4": "'", "\u201a\u00c4\u00f2": "'", "\u201a\u00c4\u00fa": '"',
            "\u201a\u00c4\u00f9": '"', "\u201a\u00c4\u00ec": "-", "\ufffd": ""}


def clean_name(name: str) -> str:
    for bad, good in MOJIBAKE.items():
        name = name.replace(bad, good)
    name = re.sub(r"\s+", " ", name).strip()
    if name.isupper():  # cue-category names are in capitals
        name = name.capitalize()
    return name[:1].upper() + name[1:]


def read_conversion(path: Path) -> dict[str, tuple[str, str]]:
    """CAMEO code -> (PLOVER type, raw mode); first entry wins on duplicates."""
    out: dict[str, tuple[str, str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        m = re.match(r"^(\d{2,4}):\s*(.*)$", line)
        if not m:
            continue
        fields = [f.strip() for f in m.group(2).split(",")]
        ptype = fields[0].upper()
        mode = fields[1] if len(fields) > 1 else ""
        out.setdefault(m.group(1), (ptype, mode))
    return out


def manual_modes(path: Path) -> dict[str, list[str]]:
    """Mode tables of the PLOVER manual: type -> modes (commented rows skipped)."""
    tex = path.read_text(encoding="utf-8")
    out: dict[str, list[str]] = {}
    for block in re.findall(r"\\begin\{table\}(.*?)\\end\{table\}", tex, flags=re.S):
        cap = re.search(r"\\caption\{(.*?)\}\s*\n", block)
        if not cap or "modes" not in cap.group(1):
            continue
        types = [t for t in PLOVER if re.search(rf"\b{t}\b", cap.group(1))]
        modes = []
        for row in block.splitlines():
            row = row.strip()
            m = re.match(r"^([a-z][a-z_-]*)\s*&", row)
            if m and m.group(1) != "name":
                modes.append(m.group(1))
        for t in types:
            out[t] = modes
    # REJECT shares REQUEST's table ("These modes are shared with REJECT")
    if "REQUEST" in out and "REJECT" not in out:
        out["REJECT"] = out["REQUEST"]
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ref", type=Path, default=DEFAULT_REF)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = ap.parse_args(argv)

    # 1. check our PLOVER mode lists against the manual
    found = manual_modes(args.ref / "PLOVER_MANUAL.tex")
    for ptype, (_, modes, _) in PLOVER.items():
        if sorted(found.get(ptype, [])) != sorted(modes):
            sys.exit(f"{ptype}: manual modes {found.get(ptype)} != {modes}")

    conv = read_conversion(args.ref / "CAMEO2PLOVER-2021.txt")

    with open(args.ref / "cameo-codes.csv", encoding="utf-8", errors="replace", newline="") as fh:
        cameo = sorted(csv.DictReader(fh), key=lambda r: int(r["order"]))

    rows = []
    for r in cameo:
        code = r["code"].strip()
        if not re.fullmatch(r"\d{2,4}", code):
            sys.exit(f"bad CAMEO code {code!r}")
        root = code[:2]
        if r["root_code"] != root:
            sys.exit(f"{code}: root_code {r['root_code']} != {root}")
        ptype, mode = conv.get(code, ("", ""))
        if code in OVERRIDES:
            ptype, mode, _why = OVERRIDES[code]
        if ptype and ptype not in PLOVER:
            sys.exit(f"{code}: unknown PLOVER type {ptype}")
        if mode and mode not in PLOVER[ptype][1]:
            sys.exit(f"{code}: mode {mode!r} is not a {ptype} mode; add an override")
        gold = float(r["goldstein"])
        if not -10 <= gold <= 10:
            sys.exit(f"{code}: goldstein {gold} out of range")
        rows.append({
            "code": code, "root": root, "name": clean_name(r["name"]),
            "goldstein": f"{gold:.1f}", "quad_class": ROOT_QUAD[root],
            "plover_type": ptype, "plover_mode": mode,
        })

    args.out.mkdir(parents=True, exist_ok=True)
    fields = ["code", "root", "name", "goldstein", "quad_class", "plover_type", "plover_mode"]
    with open(args.out / "cameo.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=fields, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)

    with open(args.out / "plover.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["type", "quad_class", "modes", "description_fr"])
        for ptype, (quad, modes, desc) in PLOVER.items():
            w.writerow([ptype, quad, "|".join(modes), desc])

    dropped = sum(1 for r in rows if not r["plover_type"])
    print(f"cameo.csv: {len(rows)} codes ({dropped} without PLOVER type); "
          f"plover.csv: {len(PLOVER)} types -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
