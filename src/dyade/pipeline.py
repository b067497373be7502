"""The Pipeline: named stages over one Document, checked for order when built, streamed in batches."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from .errors import PipelineError
from .model import Article, Document
from .registry import get_stage

logger = logging.getLogger(__name__)

BATCH_STAGES = ("nlp.v1",)


@dataclass(frozen=True)
class Failure:
    """An article the pipeline could not code, and why."""

    article: Article
    reason: str


class Pipeline:
    """Stages in order; `pipe` streams articles through them in batches (the parser runs on a batch)."""

    def __init__(self, stages: list[Any]) -> None:
        self.stages = stages
        self.names = [getattr(s, "stage_name", type(s).__name__) for s in stages]
        self.timings: dict[str, float] = dict.fromkeys(self.names, 0.0)  # seconds spent per stage, for bench/
        _check_order(self.names)

    def __call__(self, article: Article) -> Document:
        """Code one article; errors propagate."""
        doc = Document(article)
        for name, st in zip(self.names, self.stages):
            doc = st(doc)
            if not isinstance(doc, Document):
                raise PipelineError(f"stage {name} returned {type(doc).__name__}, not a Document")
            doc.done.append(name)
        return doc

    def pipe(self, articles: Iterable[Article], batch_size: int = 16) -> Iterator[Document | Failure]:
        """Code a stream of articles; an article that fails yields a Failure and the stream goes on."""
        batch: list[Article] = []
        for article in articles:
            batch.append(article)
            if len(batch) >= batch_size:
                yield from self._batch(batch)
                batch = []
        if batch:
            yield from self._batch(batch)

    def _batch(self, articles: list[Article]) -> Iterator[Document | Failure]:
        docs: list[Document | Failure] = [Document(a) for a in articles]
        for name, st in zip(self.names, self.stages):
            started = time.perf_counter()
            live = [d for d in docs if isinstance(d, Document)]
            if name in BATCH_STAGES and hasattr(st, "pipe"):
                try:
                    done = list(st.pipe(live))
                except Exception:  # one bad text must not cost the batch: retry one by one
                    done = [self._one(st, name, d) for d in live]  # type: ignore[misc]
            else:
                done = [self._one(st, name, d) for d in live]
            results = iter(done)
            docs = [next(results) if isinstance(d, Document) else d for d in docs]
            for d in docs:
                if isinstance(d, Document):
                    d.done.append(name)
            self.timings[name] += time.perf_counter() - started
        yield from docs

    @staticmethod
    def _one(st: Any, name: str, doc: Document) -> Document | Failure:
        try:
            out = st(doc)
        except Exception as exc:  # noqa: BLE001 - one article must never cost the batch
            logger.warning("%s: stage %s failed: %s", doc.article.origin or doc.id, name, exc)
            return Failure(doc.article, f"stage {name} failed: {exc}")
        if not isinstance(out, Document):
            raise PipelineError(f"stage {name} returned {type(out).__name__}, not a Document")
        return out


def _check_order(names: list[str]) -> None:
    """Every stage's `requires` must be assigned by an earlier stage."""
    available = {"doc.article"}
    for name in names:
        spec = get_stage(name)
        missing = [r for r in spec.requires if r not in available]
        if missing:
            raise PipelineError(f"stage {name} requires {missing}, which no earlier stage assigns")
        available.update(spec.assigns)
