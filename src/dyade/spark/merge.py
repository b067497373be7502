"""Merge event mentions into events with one groupBy: same PLOVER type, dyad and month.

The rule mirrors the store's (`dyade.store.merge`), coarsened to what a groupBy can do. Two
mentions are one event when they share the PLOVER type, the negation and the modality, the dyad
(actors compared by country, or by code or name when they have no country; a symmetric mention's
pair is sorted, so `TUR<>RUS` and `RUS<>TUR` meet) and the month (`event_date[:7]`; a year-only
date compares by year). As in the store, undated or untyped mentions stay events of their own.
The store is finer where a groupBy cannot follow: it nests dates (a day inside a month), checks
that places agree and that codes do not conflict, and lets a symmetric mention join a directed
one; here those mentions stay apart, so Spark's events are the store's or splits of them.
One shuffle, no pairwise comparison: linear in the number of mentions.
"""

from __future__ import annotations

from typing import Any

MERGED_COLUMNS = (
    "merged_id", "plover_type", "month", "actor_1", "actor_2", "symmetric", "negated", "modality", "event_date",
    "date_start", "date_end", "n_mentions", "n_articles", "cameo_code", "goldstein", "fatalities",
    "confidence", "representative_id", "event_ids", "article_ids",
)


def merge_key_columns(events: Any) -> Any:
    """The events with the merge key added: `actor_1`, `actor_2` (sorted when symmetric) and `date_key`."""
    from pyspark.sql import functions as F

    source = F.coalesce("source_country", "source_code", "source_name", F.lit("-"))
    target = F.coalesce("target_country", "target_code", "target_name", F.lit("-"))
    swap = F.col("symmetric") & (source > target)
    alone = F.col("event_date").isNull() | F.col("plover_type").isNull()
    return events.select(
        "*",
        F.when(swap, target).otherwise(source).alias("actor_1"),
        F.when(swap, source).otherwise(target).alias("actor_2"),
        F.when(alone, F.concat(F.lit("alone:"), "event_id"))
        .otherwise(F.substring("event_date", 1, 7)).alias("date_key"),
    )


def merge_events(events: Any) -> Any:
    """One row per merged event (MERGED_COLUMNS) from the mention rows the job wrote."""
    from pyspark.sql import functions as F

    keyed = merge_key_columns(events)
    key = ["plover_type", "negated", "modality", "actor_1", "actor_2", "date_key"]
    best = F.struct("confidence", "event_id")  # the representative mention: most confident, then highest id
    merged = keyed.groupBy(*key).agg(
        F.first("month", ignorenulls=True).alias("month"),
        F.max("symmetric").alias("symmetric"),
        F.min("date_start").alias("date_start"),
        F.max("date_end").alias("date_end"),
        F.max_by("event_date", best).alias("event_date"),
        F.count("*").alias("n_mentions"),
        F.countDistinct("article_id").alias("n_articles"),
        F.max_by("cameo_code", best).alias("cameo_code"),
        F.avg("goldstein").alias("goldstein"),
        F.max("fatalities").alias("fatalities"),
        F.max("confidence").alias("confidence"),
        F.max_by("event_id", best).alias("representative_id"),
        F.sort_array(F.collect_list("event_id")).alias("event_ids"),
        F.sort_array(F.collect_set("article_id")).alias("article_ids"),
    )
    ident = F.concat_ws("|", *[F.coalesce(F.col(c).cast("string"), F.lit("-")) for c in key])
    return merged.select(F.substring(F.sha1(ident), 1, 16).alias("merged_id"), *MERGED_COLUMNS[1:])
