"""The Spark job against the local runner on one generated corpus: overhead, scaling, core-hours."""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from ..errors import DyadeError
from . import measure
from .corpus import write_corpus

BACKFILL = 20_000_000  # articles in the back-fill the extrapolation prices
SAMPLE_S = 0.5


class TreeMemory(threading.Thread):
    """Samples the resident memory of a process and its descendants (Linux /proc) until stopped."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_total_mb = 0.0
        self.peak_process_mb = 0.0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(SAMPLE_S):
            sizes = [_rss_mb(pid) for pid in _descendants(self.pid)]
            self.peak_total_mb = max(self.peak_total_mb, sum(sizes))
            self.peak_process_mb = max([self.peak_process_mb, *sizes])


def _descendants(root: int) -> list[int]:
    """The root and every process under it."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(entry))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


def _rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return 0.0


def child(master: str, corpus: str, output: str, stats_path: str, batch_size: int) -> None:
    """Run in a fresh process: start Spark, run the job, write its timings to `stats_path`."""
    from ..config import Settings
    from ..spark.job import run, session

    started = time.perf_counter()
    spark = session(master)
    session_s = time.perf_counter() - started
    try:
        stats = run(spark, [corpus], output, settings=Settings(batch_size=batch_size))
    finally:
        spark.stop()
    stats.update(session_s=round(session_s, 2), total_s=round(time.perf_counter() - started, 2))
    Path(stats_path).write_text(json.dumps(stats), encoding="utf-8")


def spark_run(cores: int, corpus: Path, folder: Path, batch_size: int) -> dict[str, Any]:
    """The Spark job with local[cores] in a fresh process: its timings and its memory."""
    stats_path = folder / f"spark-{cores}.json"
    code = (f"from dyade.scale.spark_bench import child; child({f'local[{cores}]'!r}, {str(corpus)!r}, "
            f"{str(folder / f'spark-out-{cores}')!r}, {str(stats_path)!r}, {batch_size})")
    env = {**os.environ, "PYSPARK_PYTHON": sys.executable, "SPARK_LOCAL_IP": "127.0.0.1"}
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", code], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    memory = TreeMemory(proc.pid)
    memory.start()
    _, err = proc.communicate()
    memory.done.set()
    memory.join()
    if proc.returncode != 0:
        raise DyadeError(f"the Spark run with local[{cores}] failed: {err.decode(errors='replace')[-2000:]}")
    stats: dict[str, Any] = json.loads(stats_path.read_text(encoding="utf-8"))
    stats.update(cores=cores, wall_s=round(time.perf_counter() - started, 2),
                 peak_total_rss_mb=round(memory.peak_total_mb), peak_process_rss_mb=round(memory.peak_process_mb))
    return stats


def local_run(workers: int, files: list[Path], folder: Path, batch_size: int) -> dict[str, Any]:
    """The local runner (worker processes, each with its own pipeline), timed from spawn to the last event."""
    started = time.perf_counter()
    result = measure.run("dyade", files, workers, batch_size, out_dir=folder)
    summary = result.summary()
    summary["wall_total_s"] = round(time.perf_counter() - started, 2)
    return summary


def run_spark_benchmark(articles: int = 500, cores: tuple[int, ...] = (1, 2), seed: int = 0,
                        batch_size: int = 16) -> dict[str, Any]:
    """Local runner and Spark job on the same corpus for every core count; the overhead and scaling figures."""
    with tempfile.TemporaryDirectory(prefix="dyade-spark-bench-") as tmp:
        folder = Path(tmp)
        files = write_corpus(folder / "corpus", articles, seed, per_file=max(1, articles // 10))
        local, spark = {}, {}
        for count in cores:
            local[count] = local_run(count, files, folder, batch_size)
            spark[count] = spark_run(count, folder / "corpus", folder, batch_size)
    return summarise(articles, local, spark, seed=seed, batch_size=batch_size)


def summarise(articles: int, local: dict[int, dict[str, Any]], spark: dict[int, dict[str, Any]],
              **corpus: Any) -> dict[str, Any]:
    """Overhead (Spark over local, same cores), scaling efficiency and the back-fill extrapolation."""
    rows = []
    for count in sorted(local):
        loc, spk = local[count], spark[count]
        rows.append({
            "cores": count, "local_wall_s": loc["wall_total_s"], "local_steady_articles_per_s": loc["articles_per_s"],
            "local_load_s": loc["load_s"], "spark_wall_s": spk["wall_s"], "spark_session_s": spk["session_s"],
            "spark_job_s": spk["code_s"], "spark_merge_s": spk.get("merge_s"),
            "spark_events": spk["events"], "local_events": loc["events"],
            "spark_articles_per_s": round(articles / spk["code_s"], 2),
            "overhead_ratio_job": round(spk["code_s"] / loc["wall_total_s"], 3),
            "overhead_ratio_wall": round(spk["wall_s"] / loc["wall_total_s"], 3),
            "spark_peak_total_rss_mb": spk["peak_total_rss_mb"],
            "spark_peak_process_rss_mb": spk["peak_process_rss_mb"],
        })
    result: dict[str, Any] = {"date": dt.date.today().isoformat(), "host": socket.gethostname(),
                              "cpus": os.cpu_count(), "corpus": {"articles": articles, **corpus}, "runs": rows}
    if 1 in local and len(local) > 1:
        top = max(local)
        result["scaling_efficiency"] = {
            "cores": top,
            "local": round(local[1]["wall_total_s"] / local[top]["wall_total_s"] / top, 3),
            "spark_job": round(spark[1]["code_s"] / spark[top]["code_s"] / top, 3),
        }
    result["extrapolation"] = extrapolate(rows)
    return result


def extrapolate(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Articles per core-hour and the core-hours of a back-fill, local and on Spark, from the largest run."""
    row = max(rows, key=lambda r: r["cores"])
    local_rate = row["local_steady_articles_per_s"] / row["cores"] * 3600
    # Spark's steady rate: its job time less the pipeline load every worker pays once (as measured locally).
    spark_rate = articles_rate(row) / row["cores"] * 3600
    return {
        "from_cores": row["cores"],
        "local_articles_per_core_hour": round(local_rate),
        "spark_articles_per_core_hour": round(spark_rate),
        "backfill_articles": BACKFILL,
        "backfill_core_hours_local": round(BACKFILL / local_rate) if local_rate else None,
        "backfill_core_hours_spark": round(BACKFILL / spark_rate) if spark_rate else None,
    }


def articles_rate(row: dict[str, Any]) -> float:
    """Spark's articles per second once its workers have built their pipelines."""
    steady = max(row["spark_job_s"] - row["local_load_s"], 1e-9)
    return float(row["spark_articles_per_s"] * row["spark_job_s"] / steady)


def markdown(result: dict[str, Any]) -> str:
    """The Spark comparison as Markdown, with the extrapolation in words."""
    lines = [f"# dyade on Spark against the local runner, {result['date']} on {result['host']}", "",
             f"{result['corpus']['articles']} generated articles (seed {result['corpus']['seed']}), "
             f"{result['cpus']} CPUs; Spark `local[n]` started fresh for each run.", "",
             "| cores | local wall (s) | Spark job (s) | Spark wall with start-up (s) | Spark/local (job) | "
             "Spark/local (wall) | Spark peak RSS, all processes (MB) |", "|---|---|---|---|---|---|---|"]
    for r in result["runs"]:
        lines.append(f"| {r['cores']} | {r['local_wall_s']:.1f} | {r['spark_job_s']:.1f} | {r['spark_wall_s']:.1f} | "
                     f"{r['overhead_ratio_job']:.2f} | {r['overhead_ratio_wall']:.2f} | "
                     f"{r['spark_peak_total_rss_mb']} |")
    eff = result.get("scaling_efficiency")
    if eff:
        lines += ["", f"Scaling efficiency from 1 to {eff['cores']} cores: local runner {eff['local']:.0%}, "
                      f"Spark job {eff['spark_job']:.0%}."]
    ex = result["extrapolation"]
    lines += ["", "## Extrapolation", "",
              f"At the measured steady rate ({ex['from_cores']} cores), dyade codes about "
              f"{ex['local_articles_per_core_hour']:,} articles per core-hour with the local runner and "
              f"{ex['spark_articles_per_core_hour']:,} on Spark. A back-fill of {ex['backfill_articles']:,} "
              f"articles then costs about {ex['backfill_core_hours_local']:,} core-hours locally, or "
              f"{ex['backfill_core_hours_spark']:,} core-hours on Spark (plus a few seconds of start-up per "
              "executor and one pipeline load, about 10-15 s, per executor Python worker).", ""]
    return "\n".join(lines) + "\n"
