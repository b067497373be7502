"""Schema version 3: integer actor keys on mentions, filled on every write and by the migration from 2."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from test_store import art, record

from dyade.store import Store
from dyade.store import duckdb as store_module
from dyade.store.actors import ActorKeys

KEYED = ("SELECT count(*) FROM mentions AS m LEFT JOIN actor_keys AS k ON k.id = m.{side}_actor "
         "WHERE (m.{side}_code IS NOT NULL OR m.{side}_country IS NOT NULL) AND (k.id IS NULL "
         "OR k.code IS DISTINCT FROM m.{side}_code OR k.country IS DISTINCT FROM m.{side}_country)")


def wrongly_keyed(store: Store) -> int:
    """Mention sides with an actor whose key is missing or names another (code, country)."""
    return sum(int(store.execute(KEYED.format(side=side)).fetchone()[0]) for side in ("source", "target"))


def batch() -> list[tuple[Any, list[dict[str, Any]], str, None]]:
    """Articles with actors on both sides, one side missing, and an actor without a code."""
    return [
        (art("a1"), [record("a1", 0), record("a1", 1, source="TUR", target=None)], "coded", None),
        (art("a2"), [record("a2", 0, source="RUSMIL", target="TURGOV", kind="ASSAULT", date="2021-05")], "coded", None),
        (art("a3"), [record("a3", 0, source="SYR", target="IRQ") | {
            "source": {"code": None, "country": "SYR", "sector": None, "name": "x", "text": "x", "start": 0, "end": 1}}],
         "coded", None),
    ]


def test_store_writes_key_every_actor_once(tmp_path: Path) -> None:
    with Store(tmp_path / "s.duckdb") as store:
        store.add_batch(batch(), "v1")
        assert wrongly_keyed(store) == 0
        pairs = store.execute("SELECT code, country FROM actor_keys").fetchall()
        assert len(pairs) == len(set(pairs)) == 6  # TURGOV RUSGOV TUR RUSMIL (None, SYR) IRQ
        assert store.execute("SELECT count(*) FROM mentions WHERE target_actor IS NULL").fetchone() == (1,)
        before = dict(store.execute("SELECT id, code FROM actor_keys").fetchall())
        # a new coder version replaces a1's mentions: new rows, same keys for known pairs, one new pair
        store.add_batch([(art("a1"), [record("a1", 0, version="v2", target="EGY")], "coded", None)], "v2")
        after = dict(store.execute("SELECT id, code FROM actor_keys").fetchall())
        assert after.items() >= before.items() and set(after.values()) - set(before.values()) == {"EGY"}
        assert wrongly_keyed(store) == 0


def test_store_migrates_v2_to_v3_keeping_every_row(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "v2.duckdb"
    with monkeypatch.context() as patch:
        patch.setattr(store_module, "SCHEMA_VERSION", 2)
        patch.setattr(store_module, "fill_actor_keys", lambda con: 0)  # as version 2 wrote
        with Store(path) as old:
            old.add_batch(batch(), "v1")
            assert old.version == 2
            assert "source_actor" not in {row[0] for row in old.execute("DESCRIBE mentions").fetchall()}
            tables = {name: old.execute(f"SELECT * FROM {name} ORDER BY ALL").fetchall()
                      for name in ("articles", "mentions", "events")}
            records, merged = old.query_events(), old.query_merged()
    with Store(path) as store:
        assert store.version == 3
        names = [row[0] for row in store.execute("DESCRIBE mentions").fetchall()]
        assert names[-2:] == ["source_actor", "target_actor"]
        kept = ", ".join(f'"{name}"' for name in names[:-2])
        assert store.execute(f"SELECT {kept} FROM mentions ORDER BY ALL").fetchall() == tables["mentions"]
        for name in ("articles", "events"):
            assert store.execute(f"SELECT * FROM {name} ORDER BY ALL").fetchall() == tables[name]
        assert store.query_events() == records and store.query_merged() == merged
        assert wrongly_keyed(store) == 0


def test_actor_keys_match_like_the_text_filter() -> None:
    keys = ActorKeys([(1, "TURGOV", "TUR"), (2, "TUR", "TUR"), (3, None, "TUR"), (4, "TURMIL", "TUR"),
                      (5, "IGOUNO", "USA"), (6, "RUSGOV", "RUS"), (7, "TURKMN", None)])
    assert keys.actor("TUR") == (1, 2, 3, 4, 7)  # the country, or a code starting with TUR
    assert keys.actor("TURGOV") == (1,)
    assert keys.actor("USA") == (5,)
    assert keys.actor("IGO") == (5,)
    assert keys.country("TUR") == (1, 2, 3, 4)
    assert keys.actor("FRA") == ()
