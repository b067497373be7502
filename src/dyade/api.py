"""The Python API: code text into events, as objects, records or a DataFrame."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Any

from .build import build_pipeline
from .config import Settings
from .model import Article, Document, Event
from .pipeline import Failure, Pipeline

CODER_VERSION = "dyade-coder/0.1"


@functools.lru_cache(maxsize=1)
def default_pipeline() -> Pipeline:
    """The default pipeline, built once per process (Spark workers and tests may build their own)."""
    return build_pipeline(Settings())


def extract(text: str, *, published: str | None = None, id: str = "text", pipeline: Pipeline | None = None) -> list[Event]:
    """Code one French text into events.

    Args:
        text: the article text (may start with a ` date YYYY-MM` line).
        published: the publication date, `YYYY-MM-DD` (or `YYYY-MM`), if known.
        id: the article id used in the events' `article_id` and `event_id`.
        pipeline: a pipeline to use instead of the default one.

    Returns:
        The events, in text order.
    """
    doc = (pipeline or default_pipeline())(Article(id=id, text=text, published=published))
    return doc.events


def code_batch(articles: Iterable[Article], pipeline: Pipeline | None = None, batch_size: int = 16) -> list[dict[str, Any]]:
    """Code articles into event records (the contract of event-record.md): the one coding function
    that the CLI, the store and the Spark job share."""
    records: list[dict[str, Any]] = []
    for doc in (pipeline or default_pipeline()).pipe(articles, batch_size=batch_size):
        if isinstance(doc, Document):
            records.extend(e.to_record() for e in doc.events)
    return records


def events_frame(events: Iterable[Event | dict[str, Any]]) -> Any:
    """A pandas DataFrame with one flat row per event."""
    import pandas as pd

    from .output import flat_row

    return pd.DataFrame([flat_row(e.to_record() if isinstance(e, Event) else e) for e in events])


__all__ = ["CODER_VERSION", "Failure", "code_batch", "default_pipeline", "events_frame", "extract"]
