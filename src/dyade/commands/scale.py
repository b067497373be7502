"""`dyade bench`, `dyade corpus` and `dyade spark`: measuring dyade and running it on Apache Spark."""

from __future__ import annotations

import argparse
import datetime as dt
import socket
import sys
from pathlib import Path
from typing import Any

from ..errors import DyadeError


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add the scale commands to the CLI."""
    p = sub.add_parser("bench", help="measure dyade against bare spaCy on a generated corpus")
    p.add_argument("--articles", type=int, default=1000, help="corpus size (default 1000)")
    p.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="worker process counts (default 1 2)")
    p.add_argument("--batch-size", type=int, default=16)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", default="bench/results", help="folder for <date>-<host>.json and .md")
    p.add_argument("--no-n-process", action="store_true", help="skip bare spaCy with its own n_process")
    p.add_argument("--rounds", type=int, default=1,
                   help="measure each configuration this many times, spaCy and dyade in turn; keep the fastest")
    p.add_argument("--no-interleaved", action="store_true",
                   help="skip the ratio measured with spaCy and dyade taking turns batch by batch in one process")
    p.add_argument("--profile", type=int, metavar="N", help="instead, profile dyade on N articles (pyinstrument)")
    p.add_argument("--spark", action="store_true", help="instead, Spark against the local runner (--workers: cores)")
    p.set_defaults(func=bench_cli)

    p = sub.add_parser("corpus", help="write the generated benchmark corpus as JSONL files")
    p.add_argument("folder", metavar="FOLDER")
    p.add_argument("--articles", type=int, default=1000)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--per-file", type=int, default=1000, help="articles per JSONL file")
    p.set_defaults(func=corpus_cli)

    from ..spark.job import add_arguments, run_cli

    p = sub.add_parser("spark", parents=[common], help="code inputs on Apache Spark into Parquet (needs dyade[spark])")
    add_arguments(p)
    p.set_defaults(func=run_cli)


def bench_cli(args: argparse.Namespace) -> int:
    """Run the benchmark (or the profile) and write its results under --out."""
    from ..scale.bench import profile, run_benchmark
    from ..scale.report import markdown, write_results

    if args.articles < 1 or any(w < 1 for w in args.workers) or args.batch_size < 1:
        raise DyadeError("--articles, --workers and --batch-size must be positive")
    out = Path(args.out)
    if args.profile:
        text = profile(args.profile, args.batch_size, args.seed)
        out.mkdir(parents=True, exist_ok=True)
        path = out / f"profile-{dt.date.today().isoformat()}.txt"
        path.write_text(text, encoding="utf-8")
        print(text)
        print(f"dyade bench: profile written to {path}", file=sys.stderr)
        return 0
    if args.spark:
        return _spark_bench(args, out)
    print(f"dyade bench: {args.articles} articles, workers {args.workers}, batch {args.batch_size} on "
          f"{socket.gethostname()}; this takes a while", file=sys.stderr)
    result = run_benchmark(args.articles, sorted(set(args.workers)), args.batch_size, args.seed,
                           spacy_n_process=not args.no_n_process, rounds=max(1, args.rounds),
                           interleaved=not args.no_interleaved)
    json_path, md_path = write_results(result, out)
    print(markdown(result))
    print(f"dyade bench: results written to {json_path} and {md_path}", file=sys.stderr)
    return 0


def _spark_bench(args: argparse.Namespace, out: Path) -> int:
    """Measure the Spark job against the local runner and write `<date>-<host>-spark.json` and `.md`."""
    import json

    from ..scale.spark_bench import markdown, run_spark_benchmark

    print(f"dyade bench: Spark against the local runner, {args.articles} articles, cores {args.workers}",
          file=sys.stderr)
    result = run_spark_benchmark(args.articles, tuple(sorted(set(args.workers))), args.seed, args.batch_size)
    out.mkdir(parents=True, exist_ok=True)
    stem = out / f"{result['date']}-{result['host']}-spark"
    Path(f"{stem}.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    text = markdown(result)
    Path(f"{stem}.md").write_text(text, encoding="utf-8")
    print(text)
    print(f"dyade bench: results written to {stem}.json and {stem}.md", file=sys.stderr)
    return 0


def corpus_cli(args: argparse.Namespace) -> int:
    """Write the corpus, streamed, as JSONL files."""
    from ..scale.corpus import write_corpus

    files = write_corpus(Path(args.folder), args.articles, args.seed, args.per_file)
    print(f"dyade corpus: {args.articles} articles in {len(files)} file(s) under {args.folder}", file=sys.stderr)
    return 0
