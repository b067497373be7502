"""The Spark job: code articles with one dyade pipeline per executor Python worker, merge the mentions.

From the command line, `dyade spark INPUT... OUTPUT [--master local[*]]`; on a cluster, submit this file:

    spark-submit --master yarn --conf spark.pyspark.python=/opt/dyade/bin/python \\
        src/dyade/spark/job.py s3a://news/2019/ s3a://news/2020.parquet s3a://events/

Every executor's Python needs dyade and its spaCy model (`pip install 'dyade[spark]'`). INPUT is any
Spark-readable path: JSONL and text files (a folder is read recursively, as `dyade extract` reads
it; a text file's stem is its article id) or Parquet (`*.parquet`, or `--format parquet`) with a
`text` column and optional `id`, `published`, `url`, `title`, `source`. Spark adds no coding logic:
every article goes through `dyade.api.code_batch`. OUTPUT gets three folders:

- `events/`: one row per event mention, the columns of the store's `mentions` table (`record` is
  the JSON event record exactly as `dyade extract` writes it), Parquet partitioned by `month`;
- `merged/`: the mentions merged into events (`dyade.spark.merge`), partitioned by `month`;
- `skipped/`: the inputs that could not be read (`origin`, `error`), as JSON lines.

A JSONL or text file is read whole by one task (split JSONL files above a few hundred MB, or use
Parquet); the articles are then spread over `--partitions` tasks.
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import sys
import time
from collections.abc import Iterator
from typing import Any

import pyarrow as pa

from dyade.api import code_batch
from dyade.build import build_pipeline
from dyade.config import Settings, load_settings
from dyade.errors import DyadeError
from dyade.model import Article
from dyade.pipeline import Pipeline
from dyade.spark.inputs import ARTICLE_FIELDS, read_articles
from dyade.spark.merge import merge_events
from dyade.store.duckdb import MENTION_SCHEMA, mention_row

logger = logging.getLogger(__name__)

EVENT_ARROW = MENTION_SCHEMA.append(pa.field("month", pa.string()))
ARROW_BATCH = 64  # articles per Arrow batch handed to the coder, so memory stays flat
PARTITIONS_PER_CORE = 4

# The one process-level cache dyade allows: the pipeline of this executor Python worker, built on
# its first task and reused by the next ones (Spark reuses Python workers), keyed by its settings.
_PIPELINE: tuple[tuple[Any, ...], Pipeline] | None = None


def worker_pipeline(settings: Settings) -> tuple[Pipeline, bool]:
    """This process's pipeline for `settings`, built once; True when this call built it."""
    global _PIPELINE
    key = (settings.stages, settings.model, settings.batch_size)
    if _PIPELINE is not None and _PIPELINE[0] == key:
        return _PIPELINE[1], False
    started = time.perf_counter()
    _PIPELINE = (key, build_pipeline(settings))
    logger.info("pid %d: pipeline built in %.1f s", os.getpid(), time.perf_counter() - started)
    return _PIPELINE[1], True


def month_of(event_date: str | None) -> str | None:
    """The `YYYY-MM` partition of an event date; None when the date is missing or only a year."""
    return event_date[:7] if event_date and len(event_date) >= 7 else None


def event_row(record: dict[str, Any]) -> dict[str, Any]:
    """One `events` row: the store's mention row of the record, plus its month."""
    row = mention_row(record, record["article_id"])
    row["month"] = month_of(record.get("event_date"))
    return row


def code_articles(settings: Settings, builds: Any = None) -> Any:
    """A mapInArrow function: article rows in, event rows (EVENT_ARROW) out, through `code_batch`.

    `builds`, a Spark accumulator, counts the pipelines built: one per executor Python worker.
    """

    def code(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        pipeline, built = worker_pipeline(settings)  # a module function: pickled by reference, so cached
        if built and builds is not None:
            builds.add(1)
        for batch in batches:
            articles = [Article(**{name: row[name] for name in ARTICLE_FIELDS}) for row in batch.to_pylist()]
            records = code_batch(articles, pipeline=pipeline, batch_size=settings.batch_size)
            yield pa.RecordBatch.from_pylist([event_row(r) for r in records], schema=EVENT_ARROW)

    return code


def run(spark: Any, inputs: list[str], output: str, *, fmt: str = "auto", settings: Settings | None = None,
        partitions: int | None = None, merge: bool = True) -> dict[str, Any]:
    """Code every input article into OUTPUT/events, merge into OUTPUT/merged; returns counts and seconds."""
    from pyspark.sql import functions as F
    from pyspark.sql.pandas.types import from_arrow_schema

    settings = settings or Settings()
    out = output.rstrip("/")
    articles = read_articles(spark, inputs, fmt, settings.max_chars)
    good = articles.filter(F.col("error").isNull()).drop("error")
    count = partitions if partitions is not None else PARTITIONS_PER_CORE * spark.sparkContext.defaultParallelism
    if count > 0:
        good = good.repartition(count)
    stats: dict[str, Any] = {}
    builds = spark.sparkContext.accumulator(0)
    started = time.perf_counter()
    schema = from_arrow_schema(EVENT_ARROW)
    events = good.mapInArrow(code_articles(settings, builds), schema)
    events.write.mode("overwrite").partitionBy("month").parquet(f"{out}/events")
    stats["code_s"] = round(time.perf_counter() - started, 2)
    stats["pipelines_built"] = builds.value
    written = spark.read.schema(schema).parquet(f"{out}/events")  # `month` stays a string, never a date
    stats["events"] = written.count()
    if merge:
        started = time.perf_counter()
        merge_events(written).write.mode("overwrite").partitionBy("month").parquet(f"{out}/merged")
        stats["merge_s"] = round(time.perf_counter() - started, 2)
        stats["merged"] = spark.read.parquet(f"{out}/merged").count()
    skipped = articles.filter(F.col("error").isNotNull()).select("origin", "error")
    skipped.coalesce(1).write.mode("overwrite").json(f"{out}/skipped")
    stats["skipped"] = spark.read.schema("origin string, error string").json(f"{out}/skipped").count()
    return stats


def session(master: str | None = None, app_name: str = "dyade") -> Any:
    """A SparkSession; for a local master, the workers run this Python and Spark binds to localhost."""
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:
        raise DyadeError("the Spark job needs pyspark: pip install 'dyade[spark]'") from exc
    if not (shutil.which("java") or os.environ.get("JAVA_HOME")):
        raise DyadeError("Spark needs Java 17 or later (apt-get install openjdk-17-jre-headless)")
    if master is None or master.startswith("local"):
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    builder = SparkSession.builder.appName(app_name)
    if master:
        builder = builder.master(master).config("spark.ui.enabled", "false")
    spark = (builder.config("spark.sql.execution.arrow.maxRecordsPerBatch", str(ARROW_BATCH))
             .config("spark.ui.showConsoleProgress", "false").getOrCreate())
    spark.sparkContext.setLogLevel("WARN")
    return spark


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The job's arguments, shared by `dyade spark` and `spark-submit job.py`."""
    parser.add_argument("paths", nargs="+", metavar="INPUT... OUTPUT", help="input paths, then the output folder")
    parser.add_argument("--master", default=None, help="Spark master (default: spark-submit's, else local[*])")
    parser.add_argument("--format", dest="input_format", choices=["auto", "files", "parquet"], default="auto")
    parser.add_argument("--partitions", type=int, default=None,
                        help="coding tasks (default: 4 per core; 0 keeps the input's)")
    parser.add_argument("--no-merge", action="store_true", help="write the mentions only")


def run_cli(args: argparse.Namespace) -> int:
    """Run the job from parsed arguments; 1 when some input was skipped."""
    if len(args.paths) < 2:
        raise DyadeError("give at least one INPUT and the OUTPUT folder")
    *inputs, output = args.paths
    settings = load_settings(getattr(args, "config", None), getattr(args, "set", None))
    master = args.master or (None if "SPARK_ENV_LOADED" in os.environ else "local[*]")
    spark = session(master)
    try:
        stats = run(spark, inputs, output, fmt=args.input_format, settings=settings,
                    partitions=args.partitions, merge=not args.no_merge)
    finally:
        spark.stop()
    print(f"dyade spark: {stats.get('events', 0)} event mention(s) in {output}/events, "
          f"{stats.get('merged', '-')} merged event(s), {stats['skipped']} input(s) skipped; "
          f"{stats['pipelines_built']} pipeline(s) built in {stats['code_s']:.0f} s", file=sys.stderr)
    return 1 if stats["skipped"] else 0


def main(argv: list[str] | None = None) -> int:
    """The spark-submit entry point."""
    parser = argparse.ArgumentParser(prog="dyade-spark", description="Code French news with dyade on Spark.")
    add_arguments(parser)
    parser.add_argument("--config", help="a TOML settings file")
    parser.add_argument("--set", action="append", default=[], metavar="SECTION.KEY=VALUE")
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    try:
        return run_cli(parser.parse_args(argv))
    except DyadeError as exc:
        print(f"dyade spark: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    # Run as a file (spark-submit): call the installed module, so that the functions shipped to the
    # executors are pickled by reference and their pipeline cache lives in `dyade.spark.job`.
    from dyade.spark.job import main as installed_main

    sys.exit(installed_main())
