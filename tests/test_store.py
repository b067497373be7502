"""Tests for the DuckDB store: idempotent ingest, duplicates, re-coding, filters, atomic batches."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from dyade.errors import DyadeError
from dyade.model import Article
from dyade.store import SCHEMA_VERSION, ReadOnlyStoreError, Store, StoreError
from dyade.store import duckdb as store_module


def actor(code: str | None) -> dict[str, Any] | None:
    """An actor object whose country is the first three letters of its code."""
    if code is None:
        return None
    return {
        "code": code, "country": code[:3], "sector": code[3:] or None,
        "name": code, "text": code, "start": 0, "end": 3,
    }


def record(
    article_id: str,
    n: int,
    *,
    source: str | None = "TURGOV",
    target: str | None = "RUSGOV",
    kind: str = "CONSULT",
    date: str | None = "2020-02-27",
    negated: bool = False,
    version: str = "v1",
) -> dict[str, Any]:
    """A hand-built event record following event-record.md."""
    precision = {4: "year", 7: "month", 10: "day"}.get(len(date or ""))
    return {
        "event_id": f"{article_id}-{version}-{n}",
        "article_id": article_id,
        "event_date": date,
        "date_precision": precision,
        "source": actor(source),
        "target": actor(target),
        "symmetric": kind == "CONSULT",
        "plover": {"type": kind, "mode": "phone" if kind == "CONSULT" else None},
        "cameo": {"code": "041", "root": "04", "quad_class": 1, "goldstein": 1.0},
        "location": {
            "name": "Ankara", "text": "Ankara", "country": "TUR", "admin1": None,
            "lat": 39.92, "lon": 32.85, "geonames_id": 323786, "precision": "city",
        },
        "fatalities": None,
        "negated": negated,
        "modality": "asserted",
        "background": False,
        "reported_by": actor("USAMIL"),
        "evidence": {"text": "Phrase é.", "start": 0, "end": 9, "trigger": {"start": 2, "end": 5}},
        "date_how": "weekday",
        "rule": "test",
        "confidence": 0.9,
    }


def art(article_id: str, text: str | None = None) -> Article:
    """An article whose text is unique to its id unless given."""
    return Article(id=article_id, text=text or f"Texte de l'article {article_id}.", published="2020-02-28", origin="test")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """A fresh writable store on a temporary path."""
    with Store(tmp_path / "sub" / "events.duckdb") as opened:
        yield opened


def ids(records: list[dict[str, Any]]) -> list[str]:
    return [r["event_id"] for r in records]


def test_create_and_schema_version(tmp_path: Path) -> None:
    path = tmp_path / "new" / "store.duckdb"
    with Store(path) as store:
        assert store.version == SCHEMA_VERSION == 3
        assert store.stats() == {"coded": 0, "skipped": 0, "articles": 0, "mentions": 0, "events": 0}
    assert path.exists()
    with Store(path) as store:  # reopening does not migrate again
        assert store.version == 3
        assert store._con.execute("SELECT count(*) FROM schema_version").fetchone() == (3,)


def test_record_round_trip(store: Store) -> None:
    recs = [record("a1", 0), record("a1", 1, kind="ASSAULT", source=None)]
    assert store.add_article(art("a1"), recs, coder_version="v1") is True
    assert store.query_events() == recs
    assert store.stats() == {"coded": 1, "skipped": 0, "articles": 1, "mentions": 2, "events": 2}
    frame = store.query_frame()
    assert list(frame["event_id"]) == ["a1-v1-0", "a1-v1-1"]
    assert frame.loc[0, "source_country"] == "TUR" and frame.loc[0, "lat"] == pytest.approx(39.92)
    assert "record" not in frame.columns


def test_same_article_twice_changes_nothing(store: Store) -> None:
    store.add_article(art("a1"), [record("a1", 0)], coder_version="v1")
    before = (store.stats(), list(store.articles()))
    assert store.add_article(art("a1"), [record("a1", 0), record("a1", 1)], coder_version="v1") is False
    assert (store.stats(), list(store.articles())) == before


def test_same_text_under_another_id_is_skipped(store: Store) -> None:
    store.add_article(art("a1", "Même texte."), [record("a1", 0)], coder_version="v1")
    assert store.add_article(art("a2", "  Même\ntexte. "), [record("a2", 0)], coder_version="v1") is False
    assert [a["id"] for a in store.articles()] == ["a1"]
    assert ids(store.query_events()) == ["a1-v1-0"]


def test_new_coder_version_replaces_mentions(store: Store) -> None:
    store.add_article(art("a1"), [record("a1", 0), record("a1", 1)], coder_version="v1")
    assert store.add_article(art("a1"), [record("a1", 0, version="v2")], coder_version="v2") is True
    assert ids(store.query_events()) == ["a1-v2-0"]
    assert [a["coder_version"] for a in store.articles()] == ["v2"]


def test_changed_text_replaces_mentions(store: Store) -> None:
    store.add_article(art("a1", "Premier texte."), [record("a1", 0)], coder_version="v1")
    assert store.add_article(art("a1", "Texte corrigé."), [record("a1", 5)], coder_version="v1") is True
    assert ids(store.query_events()) == ["a1-v1-5"]
    # the old text is free again: another article may now carry it
    assert store.add_article(art("a2", "Premier texte."), [], coder_version="v1") is True


def test_skipped_article(store: Store) -> None:
    assert store.add_article(art("s1"), [], coder_version="v1", status="skipped", skip_reason="language") is True
    assert store.stats()["skipped"] == 1
    [row] = store.articles()
    assert (row["status"], row["skip_reason"], row["n_chars"]) == ("skipped", "language", len(art("s1").text))
    with pytest.raises(StoreError):
        store.add_article(art("s2"), [record("s2", 0)], coder_version="v1", status="skipped")
    with pytest.raises(StoreError):
        store.add_article(art("s3"), [], coder_version="v1", status="done")


def _filled(store: Store) -> None:
    store.add_batch(
        [
            (art("a1"), [record("a1", 0, source="TURGOV", target="RUSGOV", date="2018-11-27")], "coded", None),
            (art("a2"), [record("a2", 0, source="RUS", target="TURMIL", kind="ASSAULT", date="2018-11")], "coded", None),
            (art("a3"), [record("a3", 0, source="USAGOV", target="SYRREB", kind="AID", date="2019")], "coded", None),
            (art("a4"), [record("a4", 0, source="SYRGOV", target=None, kind="ASSAULT", date=None, negated=True)], "coded", None),
            (art("a5"), [record("a5", 0, source="IRNGOV", target="TURGOV", date="2018-12-02")], "coded", None),
        ],
        "v1",
    )


def test_filter_actor(store: Store) -> None:
    _filled(store)
    assert ids(store.query_events(actor="TUR")) == ["a2-v1-0", "a1-v1-0", "a5-v1-0"]
    assert ids(store.query_events(actor="turmil")) == ["a2-v1-0"]  # code prefix, case-insensitive
    assert ids(store.query_events(actor="SYR")) == ["a3-v1-0", "a4-v1-0"]
    with pytest.raises(StoreError):
        store.query_events(actor=" ")


def test_filter_dyad_both_directions(store: Store) -> None:
    _filled(store)
    both = ["a2-v1-0", "a1-v1-0"]
    assert ids(store.query_events(dyad=("TUR", "RUS"))) == both
    assert ids(store.query_events(dyad=("RUS", "TUR"))) == both
    assert ids(store.query_events(dyad=("RUSGOV", "TUR"))) == ["a1-v1-0"]
    assert store.query_events(dyad=("TUR", "USA")) == []


def test_filter_type_negation_limit(store: Store) -> None:
    _filled(store)
    assert ids(store.query_events(plover_type="ASSAULT")) == ["a2-v1-0", "a4-v1-0"]
    assert ids(store.query_events(plover_type="assault", include_negated=False)) == ["a2-v1-0"]
    assert ids(store.query_events(limit=2)) == ["a2-v1-0", "a1-v1-0"]
    assert len(store.query_frame(plover_type="ASSAULT")) == 2
    # with filters, the rows are found by rowid and joined back: order and limit still apply to the result
    assert ids(store.query_events(actor="TUR", limit=2)) == ["a2-v1-0", "a1-v1-0"]
    assert ids(store.query_events(actor="TUR", limit=0)) == []
    assert list(store.query_frame(actor="TUR")["event_id"]) == ["a2-v1-0", "a1-v1-0", "a5-v1-0"]
    assert list(store.query_frame(actor="TUR", limit=1)["event_id"]) == ["a2-v1-0"]


def test_filter_dates_overlap(store: Store) -> None:
    _filled(store)
    # a coarse date is the period it covers: `2018-11` overlaps since=2018-11-15, `2019` overlaps 2019-06
    assert ids(store.query_events(since="2018-11-15")) == ["a2-v1-0", "a1-v1-0", "a5-v1-0", "a3-v1-0"]
    assert ids(store.query_events(since="2018-11-28")) == ["a2-v1-0", "a5-v1-0", "a3-v1-0"]
    assert ids(store.query_events(since="2018-12")) == ["a5-v1-0", "a3-v1-0"]
    assert ids(store.query_events(until="2018-11-26")) == ["a2-v1-0"]
    assert ids(store.query_events(since="2018-11", until="2018-11")) == ["a2-v1-0", "a1-v1-0"]
    assert ids(store.query_events(since="2019-06-01", until="2019-06-30")) == ["a3-v1-0"]
    assert ids(store.query_events(since="2018", until="2018")) == ["a2-v1-0", "a1-v1-0", "a5-v1-0"]
    # undated events never match a date filter
    assert "a4-v1-0" not in ids(store.query_events(since="1900"))
    for bad in ("2018-13", "18-11", "2018/11/01", "2018-02-30"):
        with pytest.raises(StoreError):
            store.query_events(since=bad)


def test_broken_batch_leaves_nothing(store: Store) -> None:
    store.add_batch([(art("a1"), [record("a1", 0)], "coded", None)], "v1")
    broken = record("b2", 0)
    del broken["event_id"]
    with pytest.raises(StoreError, match="event_id"):
        store.add_batch([(art("b1"), [record("b1", 0)], "coded", None), (art("b2"), [broken], "coded", None)], "v1")
    assert [a["id"] for a in store.articles()] == ["a1"]
    assert ids(store.query_events()) == ["a1-v1-0"]


def test_failure_inside_transaction_rolls_back(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    store.add_article(art("a1"), [record("a1", 0)], coder_version="v1")
    real_insert = Store._insert

    def failing_insert(self: Store, table: str, frame: Any) -> None:
        if table == "mentions":
            raise RuntimeError("crash after the articles were inserted")
        real_insert(self, table, frame)

    monkeypatch.setattr(Store, "_insert", failing_insert)
    with pytest.raises(RuntimeError):
        store.add_batch(
            [(art("a1"), [record("a1", 0, version="v2")], "coded", None), (art("b1"), [record("b1", 0)], "coded", None)],
            "v2",
        )
    assert [(a["id"], a["coder_version"]) for a in store.articles()] == [("a1", "v1")]
    assert ids(store.query_events()) == ["a1-v1-0"]


def test_bad_values_raise_store_error(store: Store) -> None:
    wrong_type = record("c1", 0)
    wrong_type["cameo"]["quad_class"] = "one"
    bad_date = record("c2", 0, date="2020-02-31")
    foreign = record("other", 0)
    for item, rec in (("c1", wrong_type), ("c2", bad_date), ("c3", foreign)):
        with pytest.raises(StoreError):
            store.add_article(art(item), [rec], coder_version="v1")
    assert store.stats()["articles"] == 0


def test_event_id_of_another_article_is_refused(store: Store) -> None:
    store.add_article(art("a1"), [record("a1", 0)], coder_version="v1")
    stolen = record("a1", 0) | {"article_id": "a2"}
    with pytest.raises(StoreError, match="not stored"):
        store.add_article(art("a2"), [stolen], coder_version="v1")
    assert [a["id"] for a in store.articles()] == ["a1"]
    # the same event twice in one article is kept once
    assert store.add_article(art("a3"), [record("a3", 0), record("a3", 0)], coder_version="v1") is True
    assert ids(store.query_events(limit=5)) == ["a1-v1-0", "a3-v1-0"]


def test_batch_in_order_semantics(store: Store) -> None:
    written = store.add_batch(
        [
            (art("a1", "Un."), [record("a1", 0)], "coded", None),
            (art("a2", "Un."), [record("a2", 0)], "coded", None),  # same text as a1 in this batch
            (art("a3", "Trois."), [record("a3", 0)], "coded", None),
        ],
        "v1",
    )
    assert written == [True, False, True]
    assert ids(store.query_events()) == ["a1-v1-0", "a3-v1-0"]


def test_read_only(tmp_path: Path) -> None:
    path = tmp_path / "ro.duckdb"
    with Store(path) as store:
        store.add_article(art("a1"), [record("a1", 0)], coder_version="v1")
    with Store(path, read_only=True) as store:
        assert ids(store.query_events(actor="TUR")) == ["a1-v1-0"]
        with pytest.raises(ReadOnlyStoreError, match="read-only"):
            store.add_article(art("a2"), [], coder_version="v1")
    with pytest.raises(StoreError):
        Store(tmp_path / "missing.duckdb", read_only=True)
    assert issubclass(StoreError, DyadeError)


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "future.duckdb"
    with Store(path) as store:
        store._con.execute("INSERT INTO schema_version VALUES (99, now())")
    with pytest.raises(StoreError, match="newer"):
        Store(path)


def test_migration_steps_run_in_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "old.duckdb"
    with Store(path) as store:
        store.add_article(art("a1"), [record("a1", 0)], coder_version="v1")

    def to_v4(con: Any) -> None:
        con.execute("ALTER TABLE articles ADD COLUMN extra VARCHAR")

    monkeypatch.setattr(store_module, "SCHEMA_VERSION", 4)
    monkeypatch.setitem(store_module.MIGRATIONS, 4, to_v4)
    with Store(path) as store:
        assert store.version == 4
        assert store._con.execute("SELECT extra FROM articles").fetchall() == [(None,)]
        assert ids(store.query_events()) == ["a1-v1-0"]


def test_optimize_sorts_by_date_and_keeps_everything(store: Store) -> None:
    _filled(store)
    store.add_batch([(art("a0"), [record("a0", 0, date="2017-05-01"), record("a0", 1, date="2021")], "coded", None)],
                    "v1")
    before = {name: store.execute(f"SELECT * FROM {name} ORDER BY ALL").fetchall() for name in ("mentions", "events")}
    merged_before = store.query_merged()
    counts = store.optimize()
    assert counts == {"mentions": 7, "events": len(merged_before)}
    for name, rows in before.items():
        assert store.execute(f"SELECT * FROM {name} ORDER BY ALL").fetchall() == rows
    # the physical order (rowid) is now the date order, undated rows last
    for name in ("mentions", "events"):
        dates = [row[0] for row in store.execute(f"SELECT date_start FROM {name} ORDER BY rowid").fetchall()]
        dated = [d for d in dates if d is not None]
        assert dated == sorted(dated) and dates[len(dated):] == [None] * (len(dates) - len(dated))
    assert store.query_merged() == merged_before
    assert ids(store.query_events(dyad=("TUR", "RUS"))) == ["a0-v1-0", "a2-v1-0", "a1-v1-0", "a0-v1-1"]
    # the primary key still holds, and the store keeps taking writes
    store.add_batch([(art("a6"), [record("a6", 0, date="2016-01-02")], "coded", None)], "v1")
    with pytest.raises(StoreError):
        store.add_batch([(art("a7"), [record("a6", 0, date="2016-01-02") | {"article_id": "a7"}], "coded", None)], "v1")
    assert ids(store.query_events(until="2016"))[0] == "a6-v1-0"


def test_optimize_needs_a_writable_store(tmp_path: Path) -> None:
    path = tmp_path / "ro.duckdb"
    with Store(path) as store:
        store.add_article(art("a1"), [record("a1", 0)], coder_version="v1")
    with Store(path, read_only=True) as store, pytest.raises(ReadOnlyStoreError):
        store.optimize()
