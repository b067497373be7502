"""Peak memory of `dyade extract` over large JSONL batches: streaming keeps it flat as the batch grows.

Generates JSONL files of short French articles, runs `dyade extract` on each in its own process and
reports that process's peak RSS (from wait4) and an RSS sample every half second.

    .venv/bin/python bench/memory_bench.py                 # 10k and 100k articles (clean + language),
                                                           # 500 and 2,000 through the full pipeline
    .venv/bin/python bench/memory_bench.py --light 1000 --full 0   # a quick check
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
LIGHT_STAGES = '["clean.v1", "language.v1"]'
SENTENCES = [
    "Le président {a} a reçu {d} à {c} son homologue {b}, a annoncé la présidence.",
    "Les forces {a}s ont bombardé {d} des positions rebelles près de {c}, selon une ONG.",
    "Le ministre {a} des Affaires étrangères s'est entretenu {d} par téléphone avec son homologue {b}.",
    "{C} a condamné {d} les frappes menées contre des civils et appelé à un cessez-le-feu.",
]
ADJ = ["turc", "russe", "iranien", "américain", "français", "syrien", "égyptien", "malien"]
DAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
CITIES = ["Ankara", "Moscou", "Téhéran", "Washington", "Paris", "Damas", "Le Caire", "Bamako"]


def write_corpus(path: Path, n: int) -> int:
    """Write n short articles (two or three sentences each, 250-400 characters); returns the file size."""
    with path.open("w", encoding="utf-8") as out:
        for i in range(n):
            parts = []
            for k in range(2 + i % 2):
                a, b = ADJ[(i + k) % len(ADJ)], ADJ[(i * 7 + k + 3) % len(ADJ)]
                c = CITIES[(i * 3 + k) % len(CITIES)]
                template = SENTENCES[(i + k) % len(SENTENCES)]
                parts.append(template.format(a=a, b=b, c=c, C=c, d=DAYS[(i + k) % 7]))
            parts.append(f"Dépêche {i}.")
            row = {"id": f"bench-{i:06d}", "published": f"2019-{1 + i % 12:02d}-{1 + i % 28:02d}", "text": " ".join(parts)}
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    return path.stat().st_size


def rss_kib(pid: int) -> int:
    """The resident set size of a running process, in KiB (0 once it has exited)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def run(corpus: Path, stages: str | None) -> dict[str, object]:
    """Run `dyade extract` once; its peak RSS (wait4), RSS samples, wall time and events written."""
    command = [sys.executable, "-m", "dyade", "extract", str(corpus), "--format", "jsonl"]
    if stages:
        command += ["--set", f"pipeline.stages={stages}"]
    samples: list[int] = []
    started = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen(command, stdout=out, stderr=subprocess.PIPE)
        stop = threading.Event()

        def sample() -> None:
            while not stop.wait(0.5):
                samples.append(rss_kib(proc.pid))

        thread = threading.Thread(target=sample, daemon=True)
        thread.start()
        assert proc.stderr is not None
        err = proc.stderr.read()
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        stop.set()
        thread.join()
        out.seek(0)
        events = sum(1 for _ in out)
    seconds = time.perf_counter() - started
    if proc.returncode not in (0, 1):
        raise SystemExit(f"dyade failed ({proc.returncode}): {err.decode()[-2000:]}")
    quarter = [max(samples[: max(1, len(samples) * q // 4)] or [0]) // 1024 for q in (1, 2, 3, 4)]
    return {"peak_rss_mib": round(usage.ru_maxrss / 1024, 1), "rss_by_quarter_mib": quarter,
            "seconds": round(seconds, 1), "events": events, "exit": proc.returncode}


def main() -> None:
    """Run every batch size asked for and write bench/results/memory.{json,md}."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--light", type=int, nargs="*", default=[10_000, 100_000],
                        help="batch sizes for clean.v1 + language.v1 (no spaCy)")
    parser.add_argument("--full", type=int, nargs="*", default=[500, 2_000], help="batch sizes for the full pipeline")
    parser.add_argument("--out", type=Path, default=HERE / "results" / "memory.json")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for label, sizes, stages in (("clean+language", args.light, LIGHT_STAGES), ("full pipeline", args.full, None)):
            for n in [s for s in sizes if s > 0]:
                corpus = Path(tmp) / f"corpus-{n}.jsonl"
                size = write_corpus(corpus, n)
                result = run(corpus, stages)
                rows.append({"pipeline": label, "articles": n, "jsonl_mib": round(size / 2**20, 1), **result})
                print(json.dumps(rows[-1]), flush=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    meta = {"python": platform.python_version(), "machine": platform.machine(), "cpus": os.cpu_count(),
            "command": "dyade extract CORPUS.jsonl --format jsonl [--set pipeline.stages=" + LIGHT_STAGES + "]"}
    args.out.write_text(json.dumps({"meta": meta, "runs": rows}, indent=2) + "\n", encoding="utf-8")
    table = ["| pipeline | articles | JSONL MiB | peak RSS MiB | running peak RSS at 1/4, 1/2, 3/4, end of the run (MiB) | seconds | events |",
             "| --- | ---: | ---: | ---: | --- | ---: | ---: |"]
    table += [f"| {r['pipeline']} | {r['articles']:,} | {r['jsonl_mib']} | {r['peak_rss_mib']} | "
              f"{' / '.join(map(str, r['rss_by_quarter_mib']))} | {r['seconds']} | {r['events']:,} |" for r in rows]
    args.out.with_suffix(".md").write_text("\n".join(table) + "\n", encoding="utf-8")
    print("\n".join(table))


if __name__ == "__main__":
    main()
