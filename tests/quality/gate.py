"""The quality gate: score golden sentences and the seeds, compare with the floors in baseline.json.

Lowering a floor is an explicit change to baseline.json, reviewed like code.
`python tests/quality/gate.py` prints the current figures (and `--write` records them as floors).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
GOLDEN_FILES = (HERE.parent / "golden" / "sentences.jsonl", HERE.parent / "golden" / "lexicon.jsonl")
BASELINE = HERE / "baseline.json"
FIELDS = ("type", "source", "target", "mode", "date", "negated", "modality", "reported_by", "fatalities", "symmetric")


def load_golden() -> list[dict[str, Any]]:
    """Every golden sentence: the hand-picked hard cases and the lexicon's sentences."""
    return [json.loads(line) for path in GOLDEN_FILES if path.exists()
            for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def view(rec: dict[str, Any]) -> dict[str, Any]:
    """The fields a golden expectation may name, from an event record."""
    return {
        "type": rec["plover"]["type"], "mode": rec["plover"]["mode"],
        "source": (rec.get("source") or {}).get("country"), "target": (rec.get("target") or {}).get("country"),
        "date": rec.get("event_date"), "negated": rec.get("negated"), "modality": rec.get("modality"),
        "reported_by": (rec.get("reported_by") or {}).get("country"), "fatalities": rec.get("fatalities"),
        "symmetric": rec.get("symmetric"),
    }


def matches(want: dict[str, Any], got: dict[str, Any]) -> bool:
    direct = all(got.get(k) == v for k, v in want.items() if k in FIELDS)
    if direct or not got.get("symmetric"):
        return direct
    swapped = dict(got, source=got["target"], target=got["source"])
    return all(swapped.get(k) == v for k, v in want.items() if k in FIELDS)


def score_golden(pipeline: Any) -> tuple[dict[str, float], list[str]]:
    """Precision over coded events (forbidden ones are errors), recall over expected events."""
    from dyade.model import Article

    expected = found = coded = wrong = 0
    problems: list[str] = []
    for case in load_golden():
        doc = pipeline(Article(id=case["id"], text=case["text"], published=case.get("published")))
        got = [view(e.to_record()) for e in doc.events if not e.negated or any(w.get("negated") for w in case["expect"])]
        coded += len(got)
        for want in case["expect"]:
            expected += 1
            if any(matches(want, g) for g in got):
                found += 1
            else:
                problems.append(f"{case['id']}: missed {want} in {got}")
        for bad in case["forbid"]:
            hits = [g for g in got if matches(bad, g)]
            wrong += len(hits)
            problems.extend(f"{case['id']}: forbidden {bad} coded as {h}" for h in hits)
    precision = 1 - wrong / coded if coded else 1.0
    recall = found / expected if expected else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"golden_precision": round(precision, 3), "golden_recall": round(recall, 3), "golden_f1": round(f1, 3)}, problems


DEMO_CORPUS = HERE.parents[1] / "src" / "dyade" / "data" / "demo" / "articles.jsonl"
DEMO_GOLD = HERE.parent / "golden" / "demo.gold.jsonl"


def score_seeds(pipeline: Any, shared: Path) -> dict[str, float]:
    """Run the shared scorer on the coder's output for the seeds."""
    return _score(pipeline, shared, shared / "seeds", shared / "eval" / "seeds.gold.jsonl", "seeds")


def score_demo(pipeline: Any, shared: Path) -> dict[str, float]:
    """The same scorer on the demo corpus against gold events coded by hand without the coder's output."""
    return _score(pipeline, shared, DEMO_CORPUS, DEMO_GOLD, "demo")


def _score(pipeline: Any, shared: Path, inputs: Path, gold: Path, prefix: str) -> dict[str, float]:
    from dyade.api import code_batch
    from dyade.read import read_paths

    articles = [a for a in read_paths([str(inputs)]) if not isinstance(a, Exception)]
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as out:
        for rec in code_batch(articles, pipeline):  # type: ignore[arg-type]
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")
    result = subprocess.run([sys.executable, str(shared / "eval" / "score.py"), str(gold), out.name, "--json"],
                            capture_output=True, text=True, check=True)
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    return {f"{prefix}_{k}": v for k, v in figures.items() if isinstance(v, (int, float)) and k != "system_events"}


def main(argv: list[str]) -> int:
    from dyade import build_pipeline

    pipeline = build_pipeline()
    figures, problems = score_golden(pipeline)
    shared = HERE.parents[2] / "shared"
    if (shared / "eval" / "score.py").exists():
        figures.update(score_seeds(pipeline, shared))
        figures.update(score_demo(pipeline, shared))
    print(json.dumps(figures, indent=2))
    for p in problems:
        print("  ", p)
    if "--write" in argv:
        BASELINE.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
