"""The Pipeline: named stages over one Document, checked for order when built, streamed in batches."""

from __future__ import annotations

import gc
import logging
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from .coder.tokens import release_view
from .errors import PipelineError, SkipArticle
from .model import Article, Document
from .registry import get_stage

logger = logging.getLogger(__name__)

BATCH_STAGES = ("nlp.v1",)


@dataclass(frozen=True)
class Failure:
    """An article the pipeline did not code: `kind` is machine-readable, `reason` says why in words.

    `kind` is `error` when a stage raised (a bug, retried on the next run), or the reason of the
    SkipArticle a stage raised (`language`, `size`): a property of the article, stored as skipped.
    """

    article: Article
    reason: str
    kind: str = "error"

    @property
    def skipped(self) -> bool:
        """True when a stage chose to skip the article (not an error)."""
        return self.kind != "error"


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

    def pipe(
        self, articles: Iterable[Article], batch_size: int = 16, *, max_chars: int | None = None
    ) -> Iterator[Document | Failure]:
        """Code a stream of articles; an article that fails yields a Failure and the stream goes on.

        Articles longer than `max_chars` (when given) yield a Failure of kind `size` without being coded.
        """
        batch: list[Article | Failure] = []
        for article in articles:
            too_long = max_chars is not None and len(article.text) > max_chars
            batch.append(_too_long(article, max_chars) if too_long else article)  # type: ignore[arg-type]
            if len(batch) >= batch_size:
                yield from self._batch(batch)
                batch = []
        if batch:
            yield from self._batch(batch)

    def _batch(self, articles: list[Article | Failure]) -> Iterator[Document | Failure]:
        collecting = gc.isenabled()
        gc.disable()  # a batch makes some 100,000 objects that live until it is done: no collection meanwhile
        try:
            docs = self._stages(articles)
        finally:
            if collecting:
                gc.enable()
        yield from docs

    def _stages(self, articles: list[Article | Failure]) -> list[Document | Failure]:
        docs: list[Document | Failure] = [a if isinstance(a, Failure) else Document(a) for a in articles]
        for name, st in zip(self.names, self.stages):
            started = time.perf_counter()
            live = [d for d in docs if isinstance(d, Document)]
            if name in BATCH_STAGES and hasattr(st, "pipe"):
                try:
                    done = list(st.pipe(live))
                except Exception:  # noqa: BLE001 - one bad text must not cost the batch: retry one by one
                    done = [self._one(st, name, d) for d in live]
            else:
                done = [self._one(st, name, d) for d in live]
            results = iter(done)
            docs = [next(results) if isinstance(d, Document) else d for d in docs]
            for d in docs:
                if isinstance(d, Document):
                    d.done.append(name)
            self.timings[name] += time.perf_counter() - started
        for d in docs:
            if isinstance(d, Document) and d.spacy_doc is not None:
                release_view(d.spacy_doc)  # the stages are done with it (a later reader makes a new one)
        return docs

    @staticmethod
    def _one(st: Any, name: str, doc: Document) -> Document | Failure:
        try:
            out = st(doc)
        except SkipArticle as exc:
            logger.info("%s: skipped by %s: %s", doc.article.origin or doc.id, name, exc)
            return Failure(doc.article, str(exc), exc.reason)
        except Exception as exc:  # noqa: BLE001 - one article must never cost the batch
            logger.warning("%s: stage %s failed: %s", doc.article.origin or doc.id, name, exc)
            return Failure(doc.article, f"stage {name} failed: {exc}")
        if not isinstance(out, Document):
            raise PipelineError(f"stage {name} returned {type(out).__name__}, not a Document")
        return out


def _too_long(article: Article, max_chars: int) -> Failure:
    return Failure(article, f"size: article too long ({len(article.text)} characters, limit {max_chars})", "size")


def _check_order(names: list[str]) -> None:
    """Every stage's `requires` must be assigned by an earlier stage."""
    available = {"doc.article"}
    for name in names:
        spec = get_stage(name)
        missing = [r for r in spec.requires if r not in available]
        if missing:
            raise PipelineError(f"stage {name} requires {missing}, which no earlier stage assigns")
        available.update(spec.assigns)
