"""Benchmark runs: bare spaCy and dyade end to end in worker processes, then DuckDB ingest."""

from __future__ import annotations

import json
import logging
import multiprocessing as mp
import resource
import time
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from queue import Empty
from typing import Any

from ..errors import DyadeError, InputError
from ..model import Article

logger = logging.getLogger(__name__)
# The event coder: the stages after the parse, which find actors and code, date and place events (issue 4's
# speed goal is their time against the parse's).
CODER_STAGES = ("entities.v1", "published.v1", "actors.v1", "events.v1", "dates.v1", "places.v1")

INGEST_BATCH = 64  # articles per Store.add_batch call, as `dyade ingest` does
POLL_S = 5.0  # how often the parent checks that no worker died
BARRIER_S = 900.0  # the longest a worker waits for the others to load their model


@dataclass
class WorkerResult:
    """What one worker process measured."""

    worker: int
    articles: int = 0
    tokens: int = 0
    events: int = 0
    failures: int = 0
    load_s: float = 0.0
    start: float = 0.0  # time.perf_counter() (system-wide on Linux) after the start barrier
    end: float = 0.0
    peak_rss_mb: float = 0.0  # this process, plus spaCy's own child processes when n_process > 1
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage, with `read` and `write`


@dataclass
class RunResult:
    """One configuration (mode, workers, n_process) over the whole corpus."""

    mode: str  # `spacy` (the bare model) or `dyade` (end to end)
    workers: int
    n_process: int
    batch_size: int
    results: list[WorkerResult]

    @property
    def wall_s(self) -> float:
        """From the common start to the last worker's end (model loading excluded)."""
        return max(r.end for r in self.results) - min(r.start for r in self.results)

    def summary(self) -> dict[str, Any]:
        """The figures the report needs, JSON-ready."""
        articles = sum(r.articles for r in self.results)
        tokens = sum(r.tokens for r in self.results)
        wall = self.wall_s or 1e-9
        return {
            "mode": self.mode, "workers": self.workers, "n_process": self.n_process, "batch_size": self.batch_size,
            "articles": articles, "tokens": tokens, "events": sum(r.events for r in self.results),
            "failures": sum(r.failures for r in self.results), "wall_s": round(wall, 3),
            "articles_per_s": round(articles / wall, 2), "tokens_per_s": round(tokens / wall, 1),
            "load_s": round(max(r.load_s for r in self.results), 2),
            "peak_rss_mb": [round(r.peak_rss_mb, 1) for r in self.results],
            "stage_shares": stage_shares(self.results) if self.mode == "dyade" else {},
        }


def stage_shares(results: list[WorkerResult]) -> dict[str, float]:
    """Each stage's share of the workers' busy time; `other` is what no stage accounts for."""
    busy = sum(r.end - r.start for r in results) or 1e-9
    totals: dict[str, float] = {}
    for r in results:
        for name, seconds in r.timings.items():
            totals[name] = totals.get(name, 0.0) + seconds
    shares = {name: round(seconds / busy, 4) for name, seconds in totals.items()}
    shares["other"] = round(max(0.0, 1.0 - sum(shares.values())), 4)
    return shares


def peak_rss_mb(children: bool = False) -> float:
    """Peak resident memory of this process (or of its largest waited-for child), in MB."""
    who = resource.RUSAGE_CHILDREN if children else resource.RUSAGE_SELF
    return resource.getrusage(who).ru_maxrss / 1024.0  # Linux reports kilobytes


def read_articles(files: list[Path], worker: int = 0, workers: int = 1) -> Iterator[Article]:
    """The corpus articles through `dyade.read`, every `workers`-th one from `worker` on."""
    from ..read import read_paths

    index = 0
    for item in read_paths([str(f) for f in files]):
        if isinstance(item, InputError):
            logger.warning("%s", item)
            continue
        if index % workers == worker:
            yield item
        index += 1


class _Timed:
    """An iterator that adds the time spent producing its items to `timings[name]`."""

    def __init__(self, items: Iterable[Any], timings: dict[str, float], name: str) -> None:
        self.items = iter(items)
        self.timings = timings
        self.name = name
        timings.setdefault(name, 0.0)

    def __iter__(self) -> _Timed:
        return self

    def __next__(self) -> Any:
        started = time.perf_counter()
        try:
            return next(self.items)
        finally:
            self.timings[self.name] += time.perf_counter() - started


def spacy_worker(files: list[Path], worker: int, workers: int, batch_size: int, n_process: int,
                 barrier: Any, queue: Any) -> None:
    """The baseline: the model as dyade loads it (no NER, dyade's sentence boundaries) but with spaCy's own
    attribute ruler, `nlp.pipe` over the raw texts."""
    from ..stages.nlp import load_language

    result = WorkerResult(worker)
    started = time.perf_counter()
    nlp = load_language(stock=True)
    result.load_s = time.perf_counter() - started
    barrier.wait()
    result.start = time.perf_counter()
    texts = (a.text for a in read_articles(files, worker, workers))
    for doc in nlp.pipe(texts, batch_size=batch_size, n_process=n_process):
        result.articles += 1
        result.tokens += len(doc)
    result.end = time.perf_counter()
    result.peak_rss_mb = peak_rss_mb() + (peak_rss_mb(children=True) if n_process > 1 else 0.0)
    queue.put(asdict(result))


def dyade_worker(files: list[Path], worker: int, workers: int, batch_size: int, out_path: Path,
                 barrier: Any, queue: Any) -> None:
    """dyade end to end: read, every stage, event records written as JSONL to `out_path`."""
    from ..build import build_pipeline
    from ..config import Settings
    from ..model import Document

    result = WorkerResult(worker)
    started = time.perf_counter()
    pipeline = build_pipeline(Settings(batch_size=batch_size))
    result.load_s = time.perf_counter() - started
    timings: dict[str, float] = {"write": 0.0}
    barrier.wait()
    result.start = time.perf_counter()
    with out_path.open("w", encoding="utf-8") as out:
        for doc in pipeline.pipe(_Timed(read_articles(files, worker, workers), timings, "read"), batch_size):
            if not isinstance(doc, Document):
                result.failures += 1
                continue
            written = time.perf_counter()
            for event in doc.events:
                out.write(json.dumps(event.to_record(), ensure_ascii=False) + "\n")
            timings["write"] += time.perf_counter() - written
            result.articles += 1
            result.events += len(doc.events)
            result.tokens += len(doc.spacy_doc) if doc.spacy_doc is not None else 0
    result.end = time.perf_counter()
    result.timings = {**pipeline.timings, **timings}
    result.peak_rss_mb = peak_rss_mb()
    queue.put(asdict(result))


def interleaved_worker(files: list[Path], batch_size: int, queue: Any) -> None:
    """Bare spaCy and dyade end to end in one process, taking turns batch by batch (the order flips every
    batch): a machine whose speed drifts slows both alike. Puts (spaCy seconds, dyade seconds, articles,
    dyade's seconds per stage)."""
    from ..build import build_pipeline
    from ..config import Settings
    from ..model import Document
    from ..stages.nlp import load_language

    pipeline = build_pipeline(Settings(batch_size=batch_size))
    nlp = load_language(stock=True)
    articles = list(read_articles(files))
    spent = {"spacy": 0.0, "dyade": 0.0}

    def bare(batch: list[Article]) -> None:
        for _ in nlp.pipe([a.text for a in batch], batch_size=batch_size):
            pass

    def dyade(batch: list[Article]) -> None:
        for doc in pipeline.pipe(batch, batch_size):
            if isinstance(doc, Document):
                for event in doc.events:
                    json.dumps(event.to_record(), ensure_ascii=False)  # what the end-to-end run writes

    turns = {"spacy": bare, "dyade": dyade}
    for k in range(0, len(articles), batch_size):
        batch = articles[k : k + batch_size]
        for name in (("spacy", "dyade") if (k // batch_size) % 2 == 0 else ("dyade", "spacy")):
            started = time.perf_counter()
            turns[name](batch)
            spent[name] += time.perf_counter() - started
    queue.put((spent["spacy"], spent["dyade"], len(articles), dict(pipeline.timings)))


def interleaved(files: list[Path], batch_size: int) -> dict[str, Any]:
    """The dyade/spaCy ratio measured by `interleaved_worker` in a fresh process, with the time of dyade's
    parse stage (`parse_s`) and of its event coder's stages (`coder_s`, `CODER_STAGES`) in the same turns."""
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=interleaved_worker, args=(files, batch_size, queue), name="dyade-bench-interleaved")
    proc.start()
    spacy_s, dyade_s, articles, stages = _gather(queue, [proc])[0]
    coder_s = sum(stages.get(name, 0.0) for name in CODER_STAGES)
    return {"articles": articles, "spacy_s": round(spacy_s, 2), "dyade_s": round(dyade_s, 2),
            "ratio": round(spacy_s / dyade_s, 3) if dyade_s else None,
            "parse_s": round(stages.get("nlp.v1", 0.0), 2), "coder_s": round(coder_s, 2),
            "coder_vs_spacy": round(coder_s / spacy_s, 3) if spacy_s else None,
            "coder_vs_dyade_parse": round(coder_s / stages["nlp.v1"], 3) if stages.get("nlp.v1") else None}


def run(mode: str, files: list[Path], workers: int, batch_size: int, *, n_process: int = 1,
        out_dir: Path | None = None) -> RunResult:
    """Run one configuration in fresh worker processes (spawned, so memory is each worker's own)."""
    ctx = mp.get_context("spawn")
    barrier, queue = ctx.Barrier(workers, timeout=BARRIER_S), ctx.Queue()
    procs = []
    for worker in range(workers):
        if mode == "spacy":
            args: tuple[Any, ...] = (files, worker, workers, batch_size, n_process, barrier, queue)
            target: Any = spacy_worker
        elif mode == "dyade" and out_dir is not None:
            args = (files, worker, workers, batch_size, out_dir / f"events-{workers}-{worker}.jsonl", barrier, queue)
            target = dyade_worker
        else:
            raise DyadeError(f"unknown benchmark mode {mode!r} (or no output folder)")
        procs.append(ctx.Process(target=target, args=args, name=f"dyade-bench-{mode}-{worker}"))
    for proc in procs:
        proc.start()
    results = _collect(queue, procs)
    logger.info("%s x%d: %d articles", mode, workers, sum(r.articles for r in results))
    return RunResult(mode, workers, n_process, batch_size, sorted(results, key=lambda r: r.worker))


def _collect(queue: Any, procs: list[Any]) -> list[WorkerResult]:
    """Every worker's result; a worker that dies first stops the run instead of hanging it."""
    return [WorkerResult(**r) for r in _gather(queue, procs)]


def _gather(queue: Any, procs: list[Any]) -> list[Any]:
    """What each worker puts on the queue; a worker that dies first stops the run instead of hanging it."""
    results: list[Any] = []
    while len(results) < len(procs):
        try:
            results.append(queue.get(timeout=POLL_S))
        except Empty:
            dead = [p for p in procs if p.exitcode]
            if dead:
                for proc in procs:
                    proc.kill()
                raise DyadeError(f"benchmark worker {dead[0].name} failed (exit code {dead[0].exitcode})") from None
    for proc in procs:
        proc.join()
    return results


def ingest(files: list[Path], events_path: Path, db_path: Path) -> dict[str, Any]:
    """Store the corpus and its coded events (a one-worker run's output, in corpus order) in DuckDB."""
    from ..api import CODER_VERSION
    from ..store import Store

    seconds = 0.0
    articles = events = 0
    with Store(db_path) as store, events_path.open(encoding="utf-8") as lines:
        parsed = (json.loads(line) for line in lines)
        pending = next(parsed, None)
        batch: list[tuple[Article, list[dict[str, Any]], str, str | None]] = []
        for article in read_articles(files):
            records = []
            while pending is not None and pending["article_id"] == article.id:
                records.append(pending)
                pending = next(parsed, None)
            batch.append((article, records, "coded", None))
            articles, events = articles + 1, events + len(records)
            if len(batch) >= INGEST_BATCH:
                seconds += _timed_add(store, batch, CODER_VERSION)
                batch = []
        if batch:
            seconds += _timed_add(store, batch, CODER_VERSION)
        stats = store.stats()
    return {"articles": articles, "events": events, "seconds": round(seconds, 3),
            "articles_per_s": round(articles / (seconds or 1e-9), 1),
            "events_per_s": round(events / (seconds or 1e-9), 1),
            "stored_mentions": stats.get("mentions", 0), "peak_rss_mb": round(peak_rss_mb(), 1)}


def _timed_add(store: Any, batch: list[Any], coder_version: str) -> float:
    started = time.perf_counter()
    store.add_batch(batch, coder_version)
    return time.perf_counter() - started
