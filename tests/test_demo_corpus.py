"""Checks on the demo corpus (json module only)."""

import datetime
import json
import re
from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parents[1] / "src" / "dyade" / "data" / "demo" / "articles.jsonl"
KEYS = {"id", "text", "published", "url", "title", "source"}


@pytest.fixture(scope="module")
def articles():
    out = []
    with open(CORPUS, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError as exc:  # pragma: no cover - failure path
                pytest.fail(f"line {n} is not valid JSON: {exc}")
    return out


def test_at_least_eight_articles(articles):
    assert len(articles) >= 8


def test_keys(articles):
    for a in articles:
        assert set(a) == KEYS, a.get("id")
        for k in KEYS:
            assert isinstance(a[k], str) and a[k].strip(), (a.get("id"), k)


def test_ids_unique(articles):
    ids = [a["id"] for a in articles]
    assert len(set(ids)) == len(ids)


def test_urls_unique_and_fake(articles):
    urls = [a["url"] for a in articles]
    assert len(set(urls)) == len(urls)
    for u in urls:
        assert re.fullmatch(r"https://demo\.dyade\.invalid/[\w/.-]+", u), u


def test_published_is_valid_date(articles):
    for a in articles:
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", a["published"]), a["id"]
        datetime.date.fromisoformat(a["published"])


def test_texts_long_enough(articles):
    for a in articles:
        assert len(a["text"]) >= 600, a["id"]


def _sentences(text):
    for s in re.split(r"(?<=[.!?»])\s+|\n+", text):
        s = re.sub(r"\s+", " ", s).strip().lower()
        if len(s) >= 20:
            yield s


def test_no_shared_sentence(articles):
    seen = {}
    for a in articles:
        for s in set(_sentences(a["text"])):
            assert s not in seen, f"{a['id']} and {seen[s]} share: {s!r}"
            seen[s] = a["id"]
