"""Tests for merging mentions into real-world events (store schema version 2)."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from dyade.model import Article
from dyade.store import Store
from dyade.store import duckdb as store_module
from dyade.store import merge as merging
from dyade.store.rows import MENTION_SCHEMA, frame, mention_row

ANKARA = {"name": "Ankara", "country": "TUR", "admin1": "68", "precision": "city", "geonames_id": 323786,
          "lat": 39.92, "lon": 32.85}
MOSCOU = {"name": "Moscou", "country": "RUS", "admin1": "48", "precision": "city", "geonames_id": 524901,
          "lat": 55.75, "lon": 37.62}
TURQUIE = {"name": "Turquie", "country": "TUR", "admin1": None, "precision": "country", "geonames_id": 298795,
           "lat": 39.0, "lon": 35.0}


def actor(code: str | None) -> dict[str, Any] | None:
    """An actor whose country is the first three letters of its code."""
    if code is None:
        return None
    return {"code": code, "country": code[:3], "sector": code[3:] or None, "name": f"nom {code}",
            "text": code, "start": 0, "end": 3}


def rec(
    article_id: str,
    n: int = 0,
    *,
    kind: str = "CONSULT",
    source: str | None = "TURGOV",
    target: str | None = "RUSGOV",
    date: str | None = "2020-03-05",
    symmetric: bool | None = None,
    place: dict[str, Any] | None = None,
    negated: bool = False,
    modality: str = "asserted",
    version: str = "v1",
) -> dict[str, Any]:
    """A hand-built event record following event-record.md."""
    quad, goldstein = {"CONSULT": (1, 1.0), "ACCUSE": (3, -2.0), "ASSAULT": (4, -10.0), "AID": (2, 7.0)}[kind]
    return {
        "event_id": f"{article_id}-{version}-{n}",
        "article_id": article_id,
        "event_date": date,
        "date_precision": {4: "year", 7: "month", 10: "day"}.get(len(date or "")),
        "source": actor(source),
        "target": actor(target),
        "symmetric": kind == "CONSULT" if symmetric is None else symmetric,
        "plover": {"type": kind, "mode": "phone" if kind == "CONSULT" else None},
        "cameo": {"code": "041", "root": "04", "quad_class": quad, "goldstein": goldstein},
        "location": None if place is None else dict(place, text=place["name"]),
        "fatalities": None,
        "negated": negated,
        "modality": modality,
        "background": False,
        "reported_by": None,
        "evidence": {"text": f"Phrase de {article_id}.", "start": 0, "end": 12},
        "rule": "test",
        "confidence": 0.8,
    }


def art(article_id: str, published: str = "2020-03-06", source: str | None = "agence", text: str | None = None) -> Article:
    """An article whose text is unique to its id unless given."""
    return Article(id=article_id, text=text or f"Texte de l'article {article_id}.", published=published,
                   source=source, url=f"https://{source or 'x'}.example/{article_id}", origin="test")


def item(article_id: str, *records: dict[str, Any], **kwargs: Any) -> tuple[Article, list[dict[str, Any]], str, None]:
    """A batch item: the article and its records."""
    return (art(article_id, **kwargs), list(records), "coded", None)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """A fresh writable store."""
    with Store(tmp_path / "events.duckdb") as opened:
        yield opened


def phone_call_batch() -> list[tuple[Article, list[dict[str, Any]], str, None]]:
    """Twenty articles on one Erdogan-Putin phone call, told in every way a coder may code it."""
    items = []
    for i in range(20):
        reverse = i % 2 == 1
        date = "2020-03-05" if i < 15 else ("2020-03" if i < 18 else "2020")
        place = ANKARA if i in (3, 7) else (TURQUIE if i == 4 else None)
        source, target = ("RUSGOV", "TURGOV") if reverse else ("TURGOV", "RUSGOV")
        if i == 9:
            source = "RUS"  # a less precise code of the same actor
        items.append(item(f"a{i:02d}", rec(f"a{i:02d}", source=source, target=target, date=date, place=place),
                          published=f"2020-03-{5 + i % 4:02d}", source=f"journal{i % 6}"))
    return items


def test_store_merge_twenty_articles_one_event(store: Store) -> None:
    store.add_batch(phone_call_batch(), "v1")
    [event] = store.query_merged()
    assert (event["n_mentions"], event["n_articles"], event["n_sources"]) == (20, 20, 6)
    assert (event["event_date"], event["date_precision"]) == ("2020-03-05", "day")
    assert event["location"]["name"] == "Ankara" and event["location"]["geonames_id"] == 323786
    assert (event["first_seen"], event["last_seen"]) == ("2020-03-05", "2020-03-08")
    assert event["symmetric"] is True and event["plover"] == {"type": "CONSULT", "mode": "phone"}
    assert {event["source"]["code"], event["target"]["code"]} == {"TURGOV", "RUSGOV"}
    assert store.stats()["events"] == 1 and store.stats()["mentions"] == 20
    full = store.event(event["event_id"])
    assert full is not None and len(full["mentions"]) == 20
    assert all(m["evidence"]["text"].startswith("Phrase de") for m in full["mentions"])
    assert set(full["articles"]) == {f"a{i:02d}" for i in range(20)}
    assert store.event("E-unknown") is None


PAIRS = [  # (first record kwargs, second record kwargs, number of events)
    ({}, {}, 1),
    ({}, {"date": "2020-03-06"}, 2),
    ({}, {"date": "2020-03"}, 1),
    ({}, {"date": "2020-04"}, 2),
    ({"date": "2020-03"}, {"date": "2020"}, 1),
    ({}, {"date": None}, 2),  # undated mentions stay events of their own
    ({"date": None}, {"date": None}, 2),
    ({}, {"kind": "ACCUSE"}, 2),
    ({}, {"source": "RUSGOV", "target": "TURGOV"}, 1),  # symmetric: either direction
    ({"kind": "ACCUSE"}, {"kind": "ACCUSE", "source": "RUSGOV", "target": "TURGOV"}, 2),
    ({"kind": "ACCUSE"}, {"kind": "ACCUSE", "source": "RUSGOV", "target": "TURGOV", "symmetric": True}, 1),
    ({}, {"source": "TUR"}, 1),
    ({}, {"source": "TURMIL"}, 2),
    ({}, {"target": None}, 2),
    ({"place": ANKARA}, {"place": ANKARA}, 1),
    ({"place": ANKARA}, {}, 1),
    ({"place": ANKARA}, {"place": MOSCOU}, 2),
    ({"place": ANKARA}, {"place": TURQUIE}, 1),
    ({"place": MOSCOU}, {"place": TURQUIE}, 2),
    ({}, {"negated": True}, 2),
    ({}, {"modality": "planned"}, 2),
]


@pytest.mark.parametrize(("one", "two", "expected"), PAIRS)
def test_store_merge_pairs(store: Store, one: dict[str, Any], two: dict[str, Any], expected: int) -> None:
    store.add_batch([item("a1", rec("a1", **one)), item("a2", rec("a2", **two))], "v1")
    events = store.query_merged()
    assert len(events) == expected
    assert sum(e["n_mentions"] for e in events) == 2


def test_store_merge_keeps_most_precise_date_and_place(store: Store) -> None:
    store.add_batch([
        item("a1", rec("a1", date="2020", place=TURQUIE)),
        item("a2", rec("a2", date="2020-03")),
        item("a3", rec("a3", date="2020-03-05", place=ANKARA)),
    ], "v1")
    [event] = store.query_merged()
    assert (event["event_date"], event["date_precision"], event["location"]["name"]) == ("2020-03-05", "day", "Ankara")


def test_store_merge_coarse_mention_joins_largest_event(store: Store) -> None:
    store.add_batch([
        item("a1", rec("a1", date="2020-03-05")),
        item("a2", rec("a2", date="2020-03-09")),
        item("a3", rec("a3", date="2020-03-09")),
        item("a4", rec("a4", date="2020-03")),
    ], "v1")
    counts = {e["event_date"]: e["n_mentions"] for e in store.query_merged()}
    assert counts == {"2020-03-05": 1, "2020-03-09": 3}


def _snapshot(store: Store) -> tuple[list[dict[str, Any]], list[tuple[Any, ...]]]:
    """The merged events and every mention's link, for comparing stores."""
    links = store.execute("SELECT event_id, merged_event_id FROM mentions ORDER BY event_id").fetchall()
    return store.query_merged(), links


def test_store_merge_same_article_twice_changes_nothing(store: Store) -> None:
    store.add_batch(phone_call_batch(), "v1")
    before = _snapshot(store)
    assert store.add_batch(phone_call_batch(), "v1") == [False] * 20
    # the same text under another id is a duplicate, not a 21st mention
    copy = phone_call_batch()[0]
    assert store.add_batch([(art("copy", text=copy[0].text), [rec("copy")], "coded", None)], "v1") == [False]
    assert _snapshot(store) == before


def test_store_merge_recoding_replaces_mentions_and_remerges(store: Store) -> None:
    store.add_batch([item("a1", rec("a1")), item("a2", rec("a2"))], "v1")
    assert [e["n_mentions"] for e in store.query_merged()] == [2]
    store.add_batch([item("a2", rec("a2", kind="ASSAULT", version="v2"))], "v2")
    events = {e["plover"]["type"]: e["n_mentions"] for e in store.query_merged()}
    assert events == {"CONSULT": 1, "ASSAULT": 1}
    orphans = store.execute("SELECT count(*) FROM mentions WHERE merged_event_id NOT IN (SELECT event_id FROM events)")
    assert orphans.fetchone() == (0,)


def test_store_merge_does_not_depend_on_order_or_batches(tmp_path: Path) -> None:
    items = phone_call_batch() + [item(f"b{i}", rec(f"b{i}", date=f"2020-03-{1 + i % 3:02d}")) for i in range(9)]
    snapshots = []
    for seed in range(3):
        shuffled = items[:]
        random.Random(seed).shuffle(shuffled)
        with Store(tmp_path / f"s{seed}.duckdb") as store:
            for start in range(0, len(shuffled), 4 + seed):
                store.add_batch(shuffled[start:start + 4 + seed], "v1")
            snapshots.append(_snapshot(store))
    assert snapshots[0] == snapshots[1] == snapshots[2]
    assert [e["n_mentions"] for e in snapshots[0][0]] == [3, 3, 3, 20]


def test_store_merge_deferred_then_merged(tmp_path: Path) -> None:
    with Store(tmp_path / "now.duckdb") as now, Store(tmp_path / "later.duckdb") as later:
        now.add_batch(phone_call_batch(), "v1")
        later.add_batch(phone_call_batch(), "v1", merge=False)
        assert later.pending() > 0 and later.stats()["events"] == 0
        assert later.merge() == 1
        assert later.pending() == 0
        assert _snapshot(later) == _snapshot(now)
        assert later.merge(full=True) == 1
        assert _snapshot(later) == _snapshot(now)


def test_store_merge_query_merged_filters(store: Store) -> None:
    store.add_batch(phone_call_batch() + [
        item("c1", rec("c1", kind="ASSAULT", source="SYRMIL", target="TURMIL", date="2020-02-27", symmetric=False)),
        item("c2", rec("c2", kind="ASSAULT", source="SYRMIL", target="TURMIL", date="2020-02-27", symmetric=False)),
        item("c3", rec("c3", kind="AID", source="USAGOV", target="SYRREB", date="2019-05", negated=True)),
    ], "v1")

    def types(events: list[dict[str, Any]]) -> list[str]:
        return [e["plover"]["type"] for e in events]

    assert types(store.query_merged()) == ["AID", "ASSAULT", "CONSULT"]
    assert types(store.query_merged(actor="TUR")) == ["ASSAULT", "CONSULT"]
    assert types(store.query_merged(dyad=("TUR", "SYR"))) == ["ASSAULT"]
    assert types(store.query_merged(dyad=("RUS", "TUR"), since="2020-03", until="2020-03")) == ["CONSULT"]
    assert types(store.query_merged(plover_type="aid")) == ["AID"]
    assert types(store.query_merged(include_negated=False)) == ["ASSAULT", "CONSULT"]
    assert types(store.query_merged(limit=1)) == ["AID"]
    assert [e["n_mentions"] for e in store.query_merged(actor="SYRMIL")] == [2]
    # the mention records are still there, exactly as written
    assert len(store.query_events(actor="TUR")) == 22
    assert store.query_events(actor="USA") == [rec("c3", kind="AID", source="USAGOV", target="SYRREB", date="2019-05",
                                                   negated=True)]


def test_store_merge_blocking_is_not_all_pairs(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = 0
    accepts = merging.Cluster.accepts

    def counting(self: merging.Cluster, mention: merging.Mention) -> bool:
        nonlocal calls
        calls += 1
        return accepts(self, mention)

    monkeypatch.setattr(merging.Cluster, "accepts", counting)
    # 4000 mentions of one dyad and type on 365 different days of one year: one block
    mentions = [
        merging.Mention(f"m{i}", "CONSULT|RUS|TUR|2021", "CONSULT", False, "asserted", True, ("TUR", "TURGOV"),
                        ("RUS", "RUSGOV"), 18628 + i % 365, 18628 + i % 365, 2021 * 12 + (i % 365) // 31, None)
        for i in range(4000)
    ]
    clusters = merging.cluster(mentions)
    assert len(clusters) == 365
    assert calls < 2 * len(mentions)  # all pairs would be 8 million


def _v1_store(path: Path, monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """A store at schema version 1 holding the phone call batch; returns its records."""
    records = [records[0] for _, records, _, _ in phone_call_batch()]
    with monkeypatch.context() as patch:
        patch.setattr(store_module, "SCHEMA_VERSION", 1)
        with Store(path) as old:
            assert old.version == 1
            v1_columns = MENTION_SCHEMA.names[: MENTION_SCHEMA.names.index("record") + 1]
            rows = [{k: v for k, v in mention_row(r, r["article_id"]).items() if k in v1_columns} for r in records]
            arts = [{"id": r["article_id"], "text_hash": r["article_id"], "n_chars": 1, "status": "coded",
                     "coder_version": "v1", "published": "2020-03-06", "source": "agence",
                     "ingested_at": dt.datetime(2020, 3, 6)} for r in records]
            for table, data in (("articles", arts), ("mentions", rows)):
                schema = store_module.ARTICLE_SCHEMA if table == "articles" else MENTION_SCHEMA
                old._con.register("v1_rows", frame(data, pa.schema([schema.field(name) for name in data[0]])))
                old._con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM v1_rows")
                old._con.unregister("v1_rows")
    return records


def test_store_merge_migrates_v1_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "v1.duckdb"
    records = _v1_store(path, monkeypatch)
    with Store(path) as store:
        assert store.version == 3
        [event] = store.query_merged()
        assert event["n_mentions"] == 20 and event["location"]["name"] == "Ankara"
        blocks = store.execute("SELECT event_id, merge_block FROM mentions ORDER BY event_id").fetchall()
        assert blocks == sorted((r["event_id"], mention_row(r, r["article_id"])["merge_block"]) for r in records)
        assert store.execute("SELECT count(*) FROM mentions WHERE location_precision = 'city'").fetchone() == (2,)
        assert sorted(store.query_events(), key=lambda r: r["event_id"]) == records
