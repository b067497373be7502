"""`dyade bench`: bare spaCy against dyade end to end on one generated corpus, then DuckDB ingest."""

from __future__ import annotations

import datetime as dt
import logging
import platform
import socket
import tempfile
import time
from pathlib import Path
from typing import Any

from ..errors import DyadeError
from . import measure
from .corpus import write_corpus

logger = logging.getLogger(__name__)

RATIO_GOAL = 0.85
CODER_GOAL = 0.15  # issue 4: the event coder's stages, as a share of the parse's own time
RSS_GOAL_MB = 1024.0


def run_benchmark(articles: int, workers: list[int], batch_size: int = 16, seed: int = 0,
                  spacy_n_process: bool = True, work_dir: Path | None = None, rounds: int = 1,
                  interleaved: bool = True) -> dict[str, Any]:
    """Measure every configuration on one corpus; returns the JSON-ready result.

    Args:
        articles: corpus size.
        workers: worker-process counts to measure (each worker builds its own pipeline once).
        batch_size: `nlp.pipe` / `Pipeline.pipe` batch size, the same for both.
        seed: corpus seed.
        spacy_n_process: also measure bare spaCy with its own `n_process` = max(workers).
        work_dir: where the corpus and outputs go (a temporary folder by default).
        rounds: how many times to measure each configuration, spaCy and dyade taking turns; the
            figures are each configuration's fastest round (on shared cores a burst of other work
            slows one run by 10% or more; the fastest round is the closest to the code's own cost).
        interleaved: also measure the ratio in one process where bare spaCy and dyade take turns batch
            by batch (`measure.interleaved`): a machine whose speed drifts then slows both alike.
    """
    with tempfile.TemporaryDirectory(prefix="dyade-bench-", dir=work_dir) as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        files = write_corpus(folder / "corpus", articles, seed)
        corpus_s = time.perf_counter() - started
        runs: list[dict[str, Any]] = []
        for round_ in range(1, rounds + 1):
            for count in workers:
                runs.append({**measure.run("spacy", files, count, batch_size).summary(), "round": round_})
                runs.append({**measure.run("dyade", files, count, batch_size, out_dir=folder).summary(),
                             "round": round_})
        if spacy_n_process and max(workers) > 1:
            runs.append(measure.run("spacy", files, 1, batch_size, n_process=max(workers)).summary())
        ingest = None
        if 1 in workers:
            ingest = measure.ingest(files, folder / "events-1-0.jsonl", folder / "bench.duckdb")
        turns = measure.interleaved(files, batch_size) if interleaved else None
    result = summarise(runs, ingest, articles=articles, seed=seed, corpus_s=corpus_s, batch_size=batch_size,
                       rounds=rounds)
    result["interleaved"] = turns
    return result


def summarise(runs: list[dict[str, Any]], ingest: dict[str, Any] | None, **corpus: Any) -> dict[str, Any]:
    """The headline figures (ratio, throughput, memory, stage shares) over the detailed runs."""
    by_key: dict[tuple[str, int, int], dict[str, Any]] = {}
    for r in runs:  # with several rounds, each configuration's fastest
        key = (r["mode"], r["workers"], r["n_process"])
        if key not in by_key or r["articles_per_s"] > by_key[key]["articles_per_s"]:
            by_key[key] = r
    for r in runs:
        r["kept"] = r is by_key[(r["mode"], r["workers"], r["n_process"])]
    ratio, rate, tokens = {}, {}, {}
    for (mode, count, _), run in by_key.items():
        base = by_key.get(("spacy", count, 1))
        if mode == "dyade" and base:
            ratio[str(count)] = round(run["articles_per_s"] / base["articles_per_s"], 3)
            rate[str(count)] = run["articles_per_s"]
            tokens[str(count)] = run["tokens_per_s"]
    dyade_runs = [r for k, r in by_key.items() if k[0] == "dyade"]
    one = next((r for r in dyade_runs if r["workers"] == 1), dyade_runs[0] if dyade_runs else None)
    peak = max((mb for r in runs for mb in r["peak_rss_mb"]), default=0.0)
    shares = one["stage_shares"] if one else {}
    parse = {}  # ms per article spent parsing: bare spaCy, and dyade's own parse stage (1 worker)
    if ("spacy", 1, 1) in by_key:
        parse["spacy"] = round(1000 / by_key[("spacy", 1, 1)]["articles_per_s"], 1)
    if one and shares.get("nlp.v1"):
        parse["dyade"] = round(shares["nlp.v1"] * 1000 / one["articles_per_s"], 1)
    return {
        "date": dt.date.today().isoformat(),
        "host": socket.gethostname(),
        "machine": _machine(),
        "corpus": {**corpus, "generator": "dyade.scale.corpus (bench/sentences.fr.tsv)"},
        "ratio_vs_spacy": ratio,
        "ratio_goal": RATIO_GOAL,
        "articles_per_s": rate,
        "tokens_per_s": tokens,
        "peak_rss_mb": round(peak, 1),
        "peak_rss_goal_mb": RSS_GOAL_MB,
        "stage_shares": shares,
        # the event coder's stages over the time of dyade's parse (issue 4's goal) ...
        "event_coder_share_of_parse": round(sum(shares.get(k, 0.0) for k in measure.CODER_STAGES) / shares["nlp.v1"], 3)
        if shares.get("nlp.v1") else None,
        # ... and everything dyade does besides parsing and reading its input (cleaning, language, writing too)
        "coder_share_of_parse": round((1 - shares["nlp.v1"] - shares.get("read", 0.0)) / shares["nlp.v1"], 3)
        if shares.get("nlp.v1") else None,
        "coder_goal": CODER_GOAL,
        "parse_ms_per_article": parse,
        "scaling": _scaling(by_key),
        "ingest": ingest,
        "runs": runs,
    }


def _scaling(by_key: dict[tuple[str, int, int], dict[str, Any]]) -> dict[str, Any]:
    """Speed-up and efficiency of the largest worker count over one worker, per mode."""
    out: dict[str, Any] = {}
    for mode in ("spacy", "dyade"):
        counts = sorted(c for m, c, n in by_key if m == mode and n == 1)
        if len(counts) < 2 or counts[0] != 1:
            continue
        one, many = by_key[(mode, 1, 1)], by_key[(mode, counts[-1], 1)]
        speedup = many["articles_per_s"] / one["articles_per_s"]
        out[f"{mode}_workers"] = {"workers": counts[-1], "speedup": round(speedup, 3),
                                  "efficiency": round(speedup / counts[-1], 3)}
    n_procs = [k for k in by_key if k[0] == "spacy" and k[2] > 1]
    if n_procs and ("spacy", 1, 1) in by_key:
        key = n_procs[0]
        speedup = by_key[key]["articles_per_s"] / by_key[("spacy", 1, 1)]["articles_per_s"]
        out["spacy_n_process"] = {"n_process": key[2], "speedup": round(speedup, 3),
                                  "efficiency": round(speedup / key[2], 3)}
    return out


def _machine() -> dict[str, Any]:
    import os

    from importlib.metadata import version

    try:
        load = os.getloadavg()[0]
    except OSError:
        load = None
    return {"cpus": os.cpu_count(), "python": platform.python_version(), "spacy": version("spacy"),
            "platform": platform.platform(), "load_avg_1min_at_end": load}


def profile(articles: int = 200, batch_size: int = 16, seed: int = 0, top: int = 60) -> str:
    """Profile dyade end to end in this process (pyinstrument): top functions by self time, then the call tree."""
    try:
        from pyinstrument import Profiler
        from pyinstrument.renderers import ConsoleRenderer
    except ImportError as exc:
        raise DyadeError("profiling needs pyinstrument: pip install pyinstrument") from exc
    from ..build import build_pipeline
    from ..config import Settings

    pipeline = build_pipeline(Settings(batch_size=batch_size))
    with tempfile.TemporaryDirectory(prefix="dyade-profile-") as tmp:
        files = write_corpus(Path(tmp), articles, seed)
        profiler = Profiler(interval=0.002)
        profiler.start()
        for _ in pipeline.pipe(measure.read_articles(files), batch_size):
            pass
        profiler.stop()
    session = profiler.last_session
    assert session is not None
    tree = ConsoleRenderer(unicode=False, color=False, show_all=False).render(session)
    flat = ConsoleRenderer(unicode=False, color=False, flat=True).render(session)
    shares = {k: round(v, 2) for k, v in pipeline.timings.items()}
    head = f"dyade profile: {articles} articles, batch {batch_size}, pyinstrument; stage seconds {shares}\n"
    return (head + "\n== top functions by self time ==\n" + _head(flat, top)
            + "\n== call tree ==\n" + _head(tree, 3 * top))


def _head(text: str, lines: int) -> str:
    return "\n".join(text.splitlines()[:lines]) + "\n"
