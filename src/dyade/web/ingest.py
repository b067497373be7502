"""POST /articles: parse a JSON or JSONL body into articles, code them, store events and texts."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from ..model import Article
from ..pipeline import Failure
from ..store.duckdb import BatchItem
from . import texts
from .db import WebDB
from .filters import BadRequest

logger = logging.getLogger(__name__)

MAX_ARTICLES = 100
MAX_ID = 200
MAX_CHARS = 200_000
OPTIONAL = ("published", "url", "title", "source")

# Turns articles into batch items: (article, records, "coded" | "skipped" | "error", reason);
# errors (a stage that raised) are reported to the client and not stored.
Coder = Callable[[list[Article]], list[BatchItem]]


def parse_articles(body: bytes, content_type: str) -> list[Article]:
    """The articles of a request body: a JSON object or array, or JSONL (one object per line)."""
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BadRequest(f"the body is not UTF-8 (invalid byte at offset {exc.start})") from None
    if not text.strip():
        raise BadRequest("the body is empty: send a JSON object, a JSON array or JSONL")
    objects: list[Any]
    if "json" in content_type and "jsonl" not in content_type and "ndjson" not in content_type:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise BadRequest(f"the body is not valid JSON ({exc.msg}, line {exc.lineno})") from None
        objects = data if isinstance(data, list) else [data]
    else:
        objects = []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                objects.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise BadRequest(f"line {number} is not valid JSON ({exc.msg})") from None
    if not objects:
        raise BadRequest("no article in the body")
    if len(objects) > MAX_ARTICLES:
        raise BadRequest(f"at most {MAX_ARTICLES} articles per request, not {len(objects)}")
    articles = [_article(obj, n) for n, obj in enumerate(objects, start=1)]
    ids = [a.id for a in articles]
    if len(set(ids)) != len(ids):
        raise BadRequest("two articles of the request have the same id")
    return articles


def _article(obj: Any, number: int) -> Article:
    """One article object, checked: `id` and `text` required, the other fields optional strings."""
    where = f"article {number}"
    if not isinstance(obj, dict):
        raise BadRequest(f"{where}: an article must be a JSON object")
    article_id, text = obj.get("id"), obj.get("text")
    if not isinstance(article_id, str) or not article_id.strip() or len(article_id) > MAX_ID:
        raise BadRequest(f"{where}: `id` must be a non-empty string of at most {MAX_ID} characters")
    if not isinstance(text, str) or not text.strip():
        raise BadRequest(f"{where}: `text` must be a non-empty string")
    if len(text) > MAX_CHARS:
        raise BadRequest(f"{where}: `text` is {len(text)} characters long; the limit is {MAX_CHARS}")
    extra: dict[str, str | None] = {}
    for key in OPTIONAL:
        value = obj.get(key)
        if value is not None and not isinstance(value, str):
            raise BadRequest(f"{where}: `{key}` must be a string")
        extra[key] = value or None
    return Article(id=article_id, text=text, origin=f"api:{article_id}", **extra)


def pipeline_coder(pipeline: Any, batch_size: int = 16) -> Coder:
    """A Coder running a dyade Pipeline (articles it cannot code are skipped or reported as errors)."""

    def code(articles: list[Article]) -> list[BatchItem]:
        """Run the pipeline over the articles."""
        items: list[BatchItem] = []
        for doc in pipeline.pipe(articles, batch_size=batch_size):
            if isinstance(doc, Failure):
                status = "skipped" if doc.skipped else "error"
                items.append((doc.article, [], status, doc.reason))
            else:
                items.append((doc.article, [e.to_record() for e in doc.events], "coded", None))
        return items

    return code


def code_and_store(db: WebDB, articles: list[Article], coder: Coder, coder_version: str) -> list[dict[str, Any]]:
    """Code the articles, store them with their events and texts; one summary per article."""
    items = coder(articles)
    storable = [item for item in items if item[2] != "error"]
    with db.write_lock:
        flags = db.store.add_batch(storable, coder_version)
        texts.save_texts(db.cursor(), [item[0] for item in storable])
        db.written()
    stored_ids = {item[0].id for item, flag in zip(storable, flags) if flag}
    written = [item[0].id in stored_ids for item in items]
    logger.info("POST /articles: %d article(s) coded, %d stored", len(items), len(stored_ids))
    return [
        {"id": article.id, "status": status, "skip_reason": reason, "events": len(records), "stored": stored,
         "event_ids": [r["event_id"] for r in records]}
        for (article, records, status, reason), stored in zip(items, written)
    ]
