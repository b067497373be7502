"""Benchmark of the event store: ingest throughput, merge time, size on disk and query latency.

    .venv/bin/python bench/store_bench.py --mentions 200000
    .venv/bin/python bench/store_bench.py --mentions 1000000
    .venv/bin/python bench/store_bench.py --mentions 2000000 --mentions-per-event 1   # > 1M merged events

Synthetic mention records (as `dyade extract` writes them) go through Store.add_batch with the
merge deferred, then Store.merge() merges them all; a last batch of 64 articles is stored with
merge=True, as `dyade ingest` does. The articles report events drawn from a pool of
mentions / --mentions-per-event real-world events, skewed towards a few big stories, so fewer
merged events come out than the pool holds. Dyad + month queries are timed on the store as
loaded (mentions in arrival order), then again after Store.optimize() has rewritten both tables
in date order (same queries, same process). Results go to bench/results/store-N.json (N the
number of mentions; --name changes it) and a Markdown table on standard output.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
import zlib
from pathlib import Path
from typing import Any

import duckdb

from dyade.model import Article
from dyade.store import Store

COUNTRIES = ["TUR", "RUS", "SYR", "USA", "FRA", "DEU", "GBR", "IRN", "IRQ", "ISR", "PSE", "EGY", "SAU", "UKR",
             "CHN", "JPN", "IND", "PAK", "AFG", "LBN", "JOR", "QAT", "ARE", "LBY", "TUN", "DZA", "MAR", "MLI",
             "NER", "TCD", "NGA", "ETH", "SOM", "KEN", "SDN", "YEM", "ITA", "ESP", "BEL", "POL"]
SECTORS = ["GOV", "MIL", "", "REB", "OPP", "CVL"]
TYPES = [("CONSULT", "040", 1, 1.0, True), ("AGREE", "030", 1, 4.0, True), ("SUPPORT", "050", 1, 3.5, False),
         ("COOPERATE", "060", 2, 6.0, True), ("AID", "070", 2, 7.0, False), ("REQUEST", "020", 1, 3.0, False),
         ("ACCUSE", "112", 3, -2.0, False), ("REJECT", "120", 3, -4.0, False), ("THREATEN", "130", 3, -4.4, False),
         ("PROTEST", "140", 3, -6.5, False), ("SANCTION", "160", 4, -4.0, False), ("ASSAULT", "190", 4, -10.0, False)]
START = dt.date(2015, 1, 1)
DAYS = 8 * 365
PER_ARTICLE = 8
WRITE_BATCH = 500  # articles per add_batch in the bulk load


def real_events(n: int, rng: random.Random) -> list[dict[str, Any]]:
    """The pool of real-world events the synthetic articles report (skewed towards a few dyads)."""
    events = []
    for i in range(n):
        one = COUNTRIES[min(int(rng.paretovariate(1.2)) - 1, len(COUNTRIES) - 1)]
        two = rng.choice([c for c in COUNTRIES if c != one])
        kind = TYPES[rng.randrange(len(TYPES))]
        day = START + dt.timedelta(days=rng.randrange(DAYS))
        city = rng.choice([None, None, f"{one} ville {rng.randrange(3)}", f"{two} ville {rng.randrange(3)}"])
        events.append({"i": i, "one": one + rng.choice(SECTORS), "two": two + rng.choice(SECTORS), "kind": kind,
                       "day": day, "city": city})
    return events


def actor(code: str) -> dict[str, Any]:
    return {"code": code, "country": code[:3], "sector": code[3:] or None, "name": f"nom {code}", "text": code,
            "start": 0, "end": 3}


def mention(event: dict[str, Any], article_id: str, n: int, rng: random.Random) -> dict[str, Any]:
    """One record reporting the event, with the date precision and place an article may give."""
    kind, code, quad, goldstein, symmetric = event["kind"]
    roll = rng.random()
    day = event["day"]
    date, precision = ((day.isoformat(), "day") if roll < 0.75 else
                       (day.isoformat()[:7], "month") if roll < 0.93 else (str(day.year), "year"))
    source, target = event["one"], event["two"]
    if symmetric and rng.random() < 0.5:
        source, target = target, source
    place = None
    if event["city"] and rng.random() < 0.6:
        country = event["city"][:3]
        place = {"name": event["city"], "text": event["city"], "country": country, "admin1": "01",
                 "lat": 10.0, "lon": 20.0, "geonames_id": zlib.crc32(event["city"].encode()) % 10**7, "precision": "city"}
    return {
        "event_id": f"{article_id}-{n}", "article_id": article_id, "event_date": date, "date_precision": precision,
        "source": actor(source), "target": actor(target), "symmetric": symmetric,
        "plover": {"type": kind, "mode": None}, "cameo": {"code": code, "root": code[:2], "quad_class": quad,
                                                           "goldstein": goldstein},
        "location": place, "fatalities": None, "negated": rng.random() < 0.03, "modality": "asserted",
        "background": False, "reported_by": None,
        "evidence": {"text": f"Phrase {n} de l'article {article_id} sur l'événement {event['i']}.", "start": 0,
                     "end": 60},
        "rule": "bench", "confidence": 0.8,
    }


def articles(first: int, count: int, pool: list[dict[str, Any]], rng: random.Random) -> list[Any]:
    """Batch items for articles first..first+count, each reporting PER_ARTICLE events of the pool."""
    items = []
    for number in range(first, first + count):
        article_id = f"bench-{number:08d}"
        published = (START + dt.timedelta(days=rng.randrange(DAYS))).isoformat()
        article = Article(id=article_id, text=f"Article de banc d'essai {number}.", published=published,
                          source=f"journal{number % 37}", url=f"https://journal{number % 37}.example/{number}")
        picks = [pool[int(len(pool) * rng.random() ** 1.5)] for _ in range(PER_ARTICLE)]  # a few big stories
        items.append((article, [mention(e, article_id, n, rng) for n, e in enumerate(picks)], "coded", None))
    return items


class Clock:
    """Wall and CPU seconds summed over the `with` blocks it times (the CPU time counts DuckDB's threads)."""

    def __init__(self) -> None:
        self.wall = self.cpu = 0.0
        self._start = (0.0, 0.0)

    def __enter__(self) -> Clock:
        self._start = (time.perf_counter(), time.process_time())
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall += time.perf_counter() - self._start[0]
        self.cpu += time.process_time() - self._start[1]


def latencies(store: Store, dyads: list[tuple[str, str]], rng: random.Random, n: int,
              merged: bool) -> tuple[list[float], list[float]]:
    """Wall and CPU milliseconds of n queries filtered by a dyad and a month."""
    wall, cpu = [], []
    query = store.query_merged if merged else store.query_events
    for _ in range(n):
        month = (START + dt.timedelta(days=rng.randrange(DAYS))).isoformat()[:7]
        dyad = rng.choice(dyads)
        with Clock() as clock:
            query(dyad=dyad, since=month, until=month)
        wall.append(clock.wall * 1000)
        cpu.append(clock.cpu * 1000)
    return wall, cpu


def percentile(values: list[float], share: float) -> float:
    """The value below which `share` of the values fall (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _spread(wall: list[float], cpu: list[float]) -> dict[str, float]:
    """p50 and p99 of the wall and CPU times, in milliseconds."""
    return {"p50": round(percentile(wall, 0.5), 2), "p99": round(percentile(wall, 0.99), 2),
            "cpu_p50": round(percentile(cpu, 0.5), 2), "cpu_p99": round(percentile(cpu, 0.99), 2)}


def run(n_mentions: int, db: Path, queries: int, seed: int, per_event: float = 4.0) -> dict[str, Any]:
    """Load, merge, measure, optimize, measure again; returns the figures."""
    rng = random.Random(seed)
    n_articles = n_mentions // PER_ARTICLE
    pool = real_events(max(1, round(n_mentions / per_event)), rng)
    load = Clock()
    with Store(db) as store:
        for first in range(0, n_articles - 64, WRITE_BATCH):
            items = articles(first, min(WRITE_BATCH, n_articles - 64 - first), pool, rng)
            with load:
                store.add_batch(items, "bench", merge=False)
        with Clock() as merge:
            store.merge()
        last = articles(n_articles - 64, 64, pool, rng)
        with Clock() as incremental:
            store.add_batch(last, "bench", merge=True)
        stats = store.stats()
        biggest = store.execute("SELECT max(n_mentions) FROM events").fetchall()[0][0]
    duckdb.connect(str(db)).close()  # checkpointed on close: the size is the file's
    size = db.stat().st_size
    with Store(db, read_only=True) as store:
        dyads = [tuple(row) for row in store.execute(
            "SELECT source_country, target_country FROM events GROUP BY ALL ORDER BY count(*) DESC LIMIT 50").fetchall()]
        before = query_figures(store, dyads, random.Random(seed + 1), queries)
    with Store(db) as store, Clock() as optimize:
        store.optimize()
    duckdb.connect(str(db)).close()
    with Store(db, read_only=True) as store:
        after = query_figures(store, dyads, random.Random(seed + 1), queries)  # the same queries as before
    return {
        "mentions": stats["mentions"], "articles": stats["articles"], "events": stats["events"],
        "largest_event_mentions": biggest,
        "ingest_mentions_per_s": round(stats["mentions"] / load.wall),
        "ingest_mentions_per_cpu_s": round(stats["mentions"] / load.cpu),
        "merge_s": round(merge.wall, 2),
        "merge_cpu_s": round(merge.cpu, 2),
        "incremental_batch_64_articles_s": round(incremental.wall, 3),
        "incremental_batch_64_articles_cpu_s": round(incremental.cpu, 3),
        "db_bytes": size,
        "db_mb_per_million_mentions": round(size / 2**20 / (stats["mentions"] / 1e6), 1),
        "db_mb_per_million_events": round(size / 2**20 / (stats["events"] / 1e6), 1),
        "mentions_per_event_drawn": per_event,
        "query_rows_per_dyad_month": after["rows"],
        "query_merged_dyad_month_ms": after["merged"],
        "query_mentions_dyad_month_ms": after["mentions"],
        "optimize_s": round(optimize.wall, 2),
        "optimize_cpu_s": round(optimize.cpu, 2),
        "db_bytes_after_optimize": db.stat().st_size,
        "before_optimize": {"query_merged_dyad_month_ms": before["merged"],
                            "query_mentions_dyad_month_ms": before["mentions"]},
    }


def query_figures(store: Store, dyads: list[tuple[str, str]], rng: random.Random, n: int) -> dict[str, Any]:
    """Latency of n dyad + month queries on the merged events, then n on the mentions (same rng: same queries)."""
    state = rng.getstate()
    merged_ms, merged_cpu = latencies(store, dyads, rng, n, merged=True)
    rng.setstate(state)
    mention_ms, mention_cpu = latencies(store, dyads, rng, n, merged=False)
    rng.setstate(state)
    rows = []
    for _ in range(min(n, 20)):  # how many rows such a query returns, for scale
        month = (START + dt.timedelta(days=rng.randrange(DAYS))).isoformat()[:7]
        dyad = rng.choice(dyads)
        rows.append((len(store.query_merged(dyad=dyad, since=month, until=month)),
                     len(store.query_events(dyad=dyad, since=month, until=month))))
    return {"merged": _spread(merged_ms, merged_cpu), "mentions": _spread(mention_ms, mention_cpu),
            "rows": {"merged_mean": round(statistics.fmean(r[0] for r in rows), 1),
                     "mentions_mean": round(statistics.fmean(r[1] for r in rows), 1)}}


def markdown(result: dict[str, Any]) -> str:
    """The figures as a Markdown table."""
    q, m = result["query_merged_dyad_month_ms"], result["query_mentions_dyad_month_ms"]
    old = result["before_optimize"]
    oq, om = old["query_merged_dyad_month_ms"], old["query_mentions_dyad_month_ms"]
    rows = [
        ("mentions / articles / merged events", f"{result['mentions']:,} / {result['articles']:,} / {result['events']:,}"),
        ("largest event", f"{result['largest_event_mentions']:,} mentions"),
        ("ingest (merge deferred), wall / CPU",
         f"{result['ingest_mentions_per_s']:,} / {result['ingest_mentions_per_cpu_s']:,} mentions/s"),
        ("merge of all mentions, wall / CPU", f"{result['merge_s']} / {result['merge_cpu_s']} s"),
        ("one 64-article batch with merge, wall / CPU",
         f"{result['incremental_batch_64_articles_s']} / {result['incremental_batch_64_articles_cpu_s']} s"),
        ("DB size", (f"{result['db_bytes'] / 2**20:.0f} MiB ({result['db_mb_per_million_mentions']} MiB per million "
                     f"mentions, {result['db_mb_per_million_events']} per million events)")),
        ("optimize (both tables rewritten in date order), wall / CPU",
         f"{result['optimize_s']} / {result['optimize_cpu_s']} s, file {result['db_bytes_after_optimize'] / 2**20:.0f} MiB"),
        ("merged events by dyad + month, as loaded: p50 / p99 (CPU p50 / p99)",
         f"{oq['p50']} / {oq['p99']} ms ({oq['cpu_p50']} / {oq['cpu_p99']} ms)"),
        ("merged events by dyad + month, optimized: p50 / p99 (CPU p50 / p99)",
         f"{q['p50']} / {q['p99']} ms ({q['cpu_p50']} / {q['cpu_p99']} ms)"),
        ("mentions by dyad + month, as loaded: p50 / p99 (CPU p50 / p99)",
         f"{om['p50']} / {om['p99']} ms ({om['cpu_p50']} / {om['cpu_p99']} ms)"),
        ("mentions by dyad + month, optimized: p50 / p99 (CPU p50 / p99)",
         f"{m['p50']} / {m['p99']} ms ({m['cpu_p50']} / {m['cpu_p99']} ms)"),
        ("rows per query (mean: merged events / mentions)",
         f"{result['query_rows_per_dyad_month']['merged_mean']} / {result['query_rows_per_dyad_month']['mentions_mean']}"),
    ]
    return "\n".join(["| measure | value |", "|---|---|", *(f"| {a} | {b} |" for a, b in rows)])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mentions", type=int, default=200_000)
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument("--mentions-per-event", type=float, default=4.0,
                        help="mentions per real-world event of the pool the articles report (1: as many events)")
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--name", help="result file name without .json (default store-MENTIONS)")
    parser.add_argument("--out", default=str(Path(__file__).parent / "results"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        result = run(args.mentions, Path(tmp) / "bench.duckdb", args.queries, args.seed, args.mentions_per_event)
    result.update(command=" ".join([Path(sys.executable).name, *sys.argv]), date=dt.date.today().isoformat(),
                  cpus=os.cpu_count(), load_average=os.getloadavg()[0], python=platform.python_version(),
                  duckdb=duckdb.__version__)
    out = Path(args.out) / f"{args.name or f'store-{args.mentions}'}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(markdown(result))
    print(f"\nload average at the end: {result['load_average']:.1f} on {result['cpus']} CPUs "
          "(wall times grow with it; CPU times much less)")
    print(f"\n(written to {out})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
