"""Print, sentence by sentence, the actors and events dyade finds in a file (developer aid)."""

from __future__ import annotations

import sys

from dyade import build_pipeline
from dyade.read import read_paths


def main(paths: list[str]) -> None:
    pipeline = build_pipeline()
    deps = "--deps" in paths
    for article in read_paths([p for p in paths if not p.startswith("--")]):
        if isinstance(article, Exception):
            print(article)
            continue
        doc = pipeline(article)
        print(f"#### {doc.id} published={doc.published}")
        for s in doc.sentences:
            sent = doc.spacy_doc[s.tok_start : s.tok_end]
            print(f"\n[{s.index}] {sent.text}")
            if deps:
                print("   ", " ".join(f"{t.i}:{t.text}/{t.pos_}/{t.dep_}>{t.head.i}" for t in sent))
            for a in doc.actors:
                if s.tok_start <= a.tok_start < s.tok_end:
                    print(f"    actor {a.kind:9} {a.code!s:8} {a.country!s:4} {a.sector!s:4} prep={a.prep!r:8} {a.text!r} -> {a.name}")
            for e in doc.events:
                if e.sentence_index == s.index:
                    r = e.to_record()
                    print(f"    EVENT {e.plover_type}/{e.plover_mode} {e.cameo_code} "
                          f"{(e.source.code if e.source else None)} -> {(e.target.code if e.target else None)} "
                          f"sym={e.symmetric} date={r['event_date']} loc={(e.location.name if e.location else None)} "
                          f"mod={e.modality} neg={e.negated} bg={e.background} rep={(e.reported_by.code if e.reported_by else None)} "
                          f"rule={e.rule} trig={doc.spacy_doc[e.trigger_i].text}")


if __name__ == "__main__":
    main(sys.argv[1:])
