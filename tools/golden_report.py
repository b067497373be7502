"""Score one golden file (sentences with expected and forbidden events) and list what fails."""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from quality.gate import matches, view  # noqa: E402

from dyade import build_pipeline  # noqa: E402
from dyade.model import Article  # noqa: E402


def main(path: str) -> int:
    pipeline = build_pipeline()
    expected = found = forbidden = coded = 0
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        case = json.loads(line)
        doc = pipeline(Article(id=case["id"], text=case["text"], published=case.get("published")))
        got = [view(e.to_record()) for e in doc.events]
        coded += len(got)
        for want in case.get("expect", []):
            expected += 1
            if any(matches(want, g) for g in got):
                found += 1
            else:
                print(f"MISS {case['id']}: {want}\n     text: {case['text']}\n     got:  {got}")
        for bad in case.get("forbid", []):
            for g in got:
                if matches(bad, g):
                    forbidden += 1
                    print(f"FORBIDDEN {case['id']}: {bad} coded as {g}\n     text: {case['text']}")
    print(f"\nexpected {expected}, found {found} (recall {found / max(expected, 1):.3f}); "
          f"coded {coded}, forbidden hits {forbidden}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
