"""Spark inputs: JSONL, text files and Parquet as one DataFrame of articles, parsed by `dyade.read`."""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Iterator
from pathlib import PurePosixPath
from typing import Any

import pyarrow as pa

from dyade import read
from dyade.errors import InputError
from dyade.model import Article

logger = logging.getLogger(__name__)

ARTICLE_FIELDS = ("id", "text", "published", "url", "title", "source", "origin")
ARTICLE_ARROW = pa.schema([(name, pa.string()) for name in (*ARTICLE_FIELDS, "error")])
ARTICLE_DDL = ", ".join(f"{name} string" for name in ARTICLE_ARROW.names)
PARQUET_SUFFIX = ".parquet"


def suffix_pattern() -> str:
    """A regex for the file names `dyade.read` reads in a folder (text, JSONL and HTML suffixes, or none)."""
    suffixes = sorted(s for s in read.TEXT_SUFFIXES | read.JSONL_SUFFIXES | read.HTML_SUFFIXES if s)
    return r"(?i)(^|/)[^/]*?(" + "|".join(re.escape(s) for s in suffixes) + r")$|(^|/)[^/.]+$"


def articles_from_file(uri: str, data: bytes, max_chars: int = read.MAX_CHARS) -> Iterator[Article | InputError]:
    """The articles of one file's bytes, as `dyade.read.read_file` reads them: JSONL line by line, else one article."""
    name = PurePosixPath(uri.rsplit("/", 1)[-1])
    suffix = name.suffix.lower()
    handle = io.BytesIO(data)
    if suffix in read.JSONL_SUFFIXES:
        yield from read.read_jsonl(handle, uri, max_chars=max_chars)
    else:
        yield read._read_whole(handle, name.stem, uri, max_chars=max_chars, html=suffix in read.HTML_SUFFIXES)


def article_row(item: Article | InputError) -> dict[str, Any]:
    """One row of ARTICLE_ARROW: an article, or an input error (no id, `error` set)."""
    if isinstance(item, InputError):
        return {"origin": item.origin, "error": item.reason}
    return {name: getattr(item, name) for name in ARTICLE_FIELDS}


def files_to_articles(max_chars: int) -> Any:
    """A mapInArrow function: binaryFile rows (path, content) to article rows."""

    def parse(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            rows = [article_row(item) for path, content in zip(batch.column("path").to_pylist(),
                                                                batch.column("content").to_pylist(), strict=True)
                    for item in articles_from_file(path, content, max_chars)]
            yield pa.RecordBatch.from_pylist(rows, schema=ARTICLE_ARROW)

    return parse


def records_to_articles(max_chars: int) -> Any:
    """A mapInArrow function: Parquet rows (`text` and optional metadata) checked like JSONL lines."""

    def parse(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            rows = []
            for row in batch.to_pylist():
                number = row.pop("_row")
                origin = row.pop("_file") or "parquet"
                rows.append(article_row(read._json_article(row, f"{origin}#{number}", number, max_chars=max_chars)))
            yield pa.RecordBatch.from_pylist(rows, schema=ARTICLE_ARROW)

    return parse


def read_articles(spark: Any, inputs: list[str], fmt: str = "auto", max_chars: int = read.MAX_CHARS) -> Any:
    """One DataFrame (ARTICLE_DDL) of the articles and unreadable inputs under every input path.

    Args:
        spark: the SparkSession.
        inputs: Spark-readable paths: files, folders (read recursively) or globs.
        fmt: `auto` (Parquet when a path ends with `.parquet`), `files` (JSONL and text) or `parquet`.
        max_chars: the longest text accepted, as in `dyade.read`.
    """
    parquet = [p for p in inputs if fmt == "parquet" or (fmt == "auto" and p.rstrip("/").endswith(PARQUET_SUFFIX))]
    files = [p for p in inputs if p not in parquet]
    frames = []
    if files:
        from pyspark.sql import functions as F

        raw = (spark.read.format("binaryFile").option("recursiveFileLookup", "true").load(files)
               .filter(F.col("path").rlike(suffix_pattern())).select("path", "content"))
        frames.append(raw.mapInArrow(files_to_articles(max_chars), ARTICLE_DDL))
    if parquet:
        frames.append(_parquet_articles(spark, parquet, max_chars))
    result = frames[0]
    for frame in frames[1:]:
        result = result.unionByName(frame)
    return result


def _parquet_articles(spark: Any, paths: list[str], max_chars: int) -> Any:
    from pyspark.sql import functions as F

    raw = spark.read.parquet(*paths)
    columns = [F.col(c).cast("string").alias(c) if c in raw.columns else F.lit(None).cast("string").alias(c)
               for c in ("id", "text", "published", "url", "title", "source")]
    columns += [F.input_file_name().alias("_file"), F.monotonically_increasing_id().alias("_row")]
    return raw.select(*columns).mapInArrow(records_to_articles(max_chars), ARTICLE_DDL)
