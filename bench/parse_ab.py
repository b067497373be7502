"""Parse cost in one process, batch by batch in alternation: bare spaCy against dyade's parse.

    .venv/bin/python bench/parse_ab.py                 # 144 generated articles, 2 passes
    .venv/bin/python bench/parse_ab.py --articles 320 --passes 3

`dyade bench` runs bare spaCy and dyade in separate processes, one after the other, so a machine
whose speed drifts (two shared virtual cores drift by 10-20% within minutes) moves their ratio.
This script loads both models in one process and parses each batch of 16 articles with each in
turn (the order flips every batch), adding up CPU time per configuration:

- `stock/raw`: spaCy's components on the raw text (the benchmark's baseline);
- `stock/clean`: the same on dyade's cleaned text;
- `dyade/clean`: dyade's model (attribute ruler and lemmatizer on the Doc's columns) on the cleaned
  text, `nlp.pipe` only;
- `dyade/stage`: dyade's whole parse stage on those texts (the token view and sentences too).

It prints milliseconds of CPU per article; nothing is written.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path
from typing import Any

from dyade.build import build_pipeline
from dyade.coder.tokens import release_view
from dyade.config import Settings
from dyade.model import Document
from dyade.scale import measure
from dyade.scale.corpus import write_corpus
from dyade.stages.nlp import load_language

BATCH = 16


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=144)
    parser.add_argument("--passes", type=int, default=2)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        files = write_corpus(Path(tmp), args.articles, seed=args.seed)
        articles = list(measure.read_articles(files))
    pipeline = build_pipeline(Settings(batch_size=BATCH))
    at = pipeline.names.index("nlp.v1")
    stage = pipeline.stages[at]
    stock = load_language(stock=True)
    docs = [Document(a) for a in articles]
    for st in pipeline.stages[:at]:  # clean and language identification
        docs = [st(d) for d in docs]
    raw, clean = [a.text for a in articles], [d.text for d in docs]

    def parse(model: Any, texts: list[str]) -> None:
        for _ in model.pipe(texts, batch_size=BATCH):
            pass

    def parse_stage(batch: list[Document]) -> None:
        for doc in stage.pipe(batch):
            release_view(doc.spacy_doc)

    runs = {
        "stock/raw": lambda k: parse(stock, raw[k : k + BATCH]),
        "stock/clean": lambda k: parse(stock, clean[k : k + BATCH]),
        "dyade/clean": lambda k: parse(stage.nlp, clean[k : k + BATCH]),
        "dyade/stage": lambda k: parse_stage(docs[k : k + BATCH]),
    }
    spent = dict.fromkeys(runs, 0.0)
    for p in range(args.passes):
        for k in range(0, len(articles), BATCH):
            order = list(runs) if (k // BATCH + p) % 2 == 0 else list(reversed(runs))
            for name in order:
                started = time.process_time()
                runs[name](k)
                spent[name] += time.process_time() - started
    n = args.passes * len(articles)
    for name, seconds in spent.items():
        print(f"{name:12s} {1000 * seconds / n:6.1f} ms of CPU per article")


if __name__ == "__main__":
    main()
