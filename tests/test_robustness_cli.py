"""The command line under bad input and store faults: the batch goes on, errors name the file, nothing
already stored is lost, and running the same command again completes the work."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest

from dyade.cli import main
from dyade.model import Document, Event
from dyade.registry import stage
from dyade.store import Store
from dyade.store import duckdb as store_module

pytestmark = pytest.mark.issue(9)

FRENCH = "Le ministre turc des Affaires étrangères a reçu mardi à Ankara son homologue iranien, a annoncé Ankara."
ENGLISH = "The Turkish foreign minister received his Iranian counterpart in Ankara on Tuesday, officials said."
CHEAP = ["--set", 'pipeline.stages=["clean.v1", "language.v1"]']  # no spaCy: these tests are about plumbing
EVENTS_PER_ARTICLE = 3
WITH_EVENTS = ["--set", 'pipeline.stages=["clean.v1", "test_events.v1"]']


@stage("test_events.v1", requires=["doc.text"], assigns=["doc.events"])
class FakeEvents:
    """Three hand-made events per article, so that a half-written article would show."""

    def __call__(self, doc: Document) -> Document:
        doc.events = [_event(doc, n) for n in range(EVENTS_PER_ARTICLE)]
        return doc


def _event(doc: Document, n: int) -> Event:
    return Event(
        event_id=f"{doc.id}-e{n}", article_id=doc.id, sentence_index=0, plover_type="CONSULT", plover_mode=None,
        cameo_code="040", cameo_root="04", quad_class=1, goldstein=1.0, source=None, target=None, symmetric=True,
        evidence_text=doc.text[:200], evidence_start=0, evidence_end=min(200, len(doc.text)), trigger_start=0,
        trigger_end=2, rule="test", confidence=1.0,
    )


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def french_rows(n: int, prefix: str = "a") -> list[dict[str, Any]]:
    return [{"id": f"{prefix}{i:05d}", "text": f"{FRENCH} Dépêche {prefix} numéro {i} de la journée, mise à jour {i * 7}."}
            for i in range(n)]


def store_counts(db: Path) -> dict[str, int]:
    with Store(db, read_only=True) as store:
        return store.stats()


def check_no_half_written_article(db: Path) -> int:
    """Every stored coded article has all its mentions, and every mention its article; returns the articles."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        per_article = con.execute(
            "SELECT a.id, count(m.event_id) FROM articles a LEFT JOIN mentions m ON m.article_id = a.id "
            "WHERE a.status = 'coded' GROUP BY a.id"
        ).fetchall()
        orphans = con.execute("SELECT count(*) FROM mentions WHERE article_id NOT IN (SELECT id FROM articles)")
        assert orphans.fetchone() == (0,)
    finally:
        con.close()
    assert all(count == EVENTS_PER_ARTICLE for _, count in per_article), per_article
    return len(per_article)


# ---- bad input through the CLI ----------------------------------------------------------------


def test_robustness_cli_reports_every_bad_input_and_exits_1(tmp_path: Path, capsys: Any, caplog: Any) -> None:
    (tmp_path / "good.txt").write_text(FRENCH, encoding="utf-8")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)))
    (tmp_path / "latin.txt").write_bytes(FRENCH.encode("latin-1", "replace"))
    (tmp_path / "loop.txt").symlink_to("loop.txt")
    write_jsonl(tmp_path / "feed.jsonl", [{"id": "j1", "text": FRENCH}, {"id": "en", "text": ENGLISH}])
    with (tmp_path / "feed.jsonl").open("a", encoding="utf-8") as out:
        out.write("{broken\n")
    status = main(["extract", str(tmp_path), *CHEAP])
    err = capsys.readouterr().err
    assert status == 1
    for name in ("empty.txt", "binary.txt", "loop.txt", "feed.jsonl:2", "feed.jsonl:3"):
        assert f"dyade: skipped {tmp_path / name}" in err, name
    assert f"{tmp_path / 'feed.jsonl'}:2: language:" in err
    assert "skipped " + str(tmp_path / "latin.txt") not in err  # decoded, with a warning (on stderr outside pytest)
    assert any(f"{tmp_path / 'latin.txt'}: not UTF-8" in r.getMessage() for r in caplog.records)


def test_robustness_cli_latin1_warning_on_stderr(tmp_path: Path) -> None:
    path = tmp_path / "latin.txt"
    path.write_bytes(FRENCH.encode("latin-1", "replace"))
    done = subprocess.run([sys.executable, "-m", "dyade", "extract", str(path), *CHEAP], capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert f"{path}: not UTF-8 (invalid byte at offset 30); decoded as cp1252/Latin-1" in done.stderr


def test_robustness_cli_clean_input_exits_0(tmp_path: Path, capsys: Any) -> None:
    path = write_jsonl(tmp_path / "ok.jsonl", french_rows(3))
    assert main(["extract", str(path), *CHEAP]) == 0
    assert "skipped" not in capsys.readouterr().err


def test_robustness_strict_stops_at_first_error_keeping_what_came_before(tmp_path: Path, capsys: Any) -> None:
    path = tmp_path / "feed.jsonl"
    rows = french_rows(4)
    path.write_text("\n".join([json.dumps(rows[0]), json.dumps(rows[1]), "{broken", json.dumps(rows[2])]) + "\n",
                    encoding="utf-8")
    db = tmp_path / "ev.duckdb"
    assert main(["ingest", str(path), "--db", str(db), "--strict", *WITH_EVENTS]) == 2
    err = capsys.readouterr().err
    assert f"{path}:3" in err and "--strict" in err
    with Store(db, read_only=True) as store:
        assert [a["id"] for a in store.articles()] == ["a00000", "a00001"]
    assert check_no_half_written_article(db) == 2


def test_robustness_ingest_stores_language_skips_and_does_not_recode_them(tmp_path: Path, capsys: Any) -> None:
    path = write_jsonl(tmp_path / "mixed.jsonl", [*french_rows(2), {"id": "en1", "text": ENGLISH}])
    db = tmp_path / "ev.duckdb"
    assert main(["ingest", str(path), "--db", str(db), *CHEAP]) == 1
    assert f"skipped {path}:3: language:" in capsys.readouterr().err
    with Store(db, read_only=True) as store:
        rows = {a["id"]: a for a in store.articles()}
        assert store.stats()["skipped"] == 1
    assert rows["en1"]["status"] == "skipped" and rows["en1"]["skip_reason"].startswith("language: ")
    assert rows["a00000"]["status"] == "coded"
    assert main(["ingest", str(path), "--db", str(db), *CHEAP]) == 0  # already stored: nothing to skip again
    assert "0 article(s) stored (0 as skipped), 0 event(s) coded, 3 already stored" in capsys.readouterr().err


# ---- store faults -----------------------------------------------------------------------------


@pytest.fixture()
def tmpfs(tmp_path: Path) -> Iterator[Path | None]:
    """An 8 MiB tmpfs mounted for the test (root only); None where mounting is not permitted."""
    point = tmp_path / "mnt"
    point.mkdir()
    if os.geteuid() != 0 or os.environ.get("DYADE_TEST_NO_MOUNT"):  # the tests then simulate the fault
        yield None
        return
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(point)], capture_output=True,
                          check=False)
    if done.returncode != 0:
        yield None
        return
    try:
        yield point
    finally:
        subprocess.run(["umount", "-l", str(point)], capture_output=True, check=False)


def remount(point: Path, options: str) -> None:
    subprocess.run(["mount", "-o", f"remount,{options}", str(point)], check=True, capture_output=True)


def test_robustness_read_only_store(tmp_path: Path, tmpfs: Path | None, capsys: Any,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmpfs or tmp_path
    db = folder / "ev.duckdb"
    first = write_jsonl(tmp_path / "first.jsonl", french_rows(5, "f"))
    more = write_jsonl(tmp_path / "more.jsonl", french_rows(5, "m"))
    assert main(["ingest", str(first), "--db", str(db), *WITH_EVENTS]) == 0
    if tmpfs is not None:
        remount(tmpfs, "ro")
    else:  # simulate: DuckDB refuses a writable connection on a read-only file system
        real = duckdb.connect
        monkeypatch.setattr(store_module.duckdb, "connect", lambda path, read_only=False, **kw: real(path, read_only, **kw)
                            if read_only else (_ for _ in ()).throw(duckdb.IOException("Read-only file system")))
    capsys.readouterr()
    assert main(["ingest", str(more), "--db", str(db), *WITH_EVENTS]) == 2
    err = capsys.readouterr().err
    assert str(db) in err and "Read-only file system" in err
    assert store_counts(db)["articles"] == 5  # reading still works, nothing lost
    if tmpfs is not None:
        remount(tmpfs, "rw")
    else:
        monkeypatch.undo()
    assert main(["ingest", str(more), "--db", str(db), *WITH_EVENTS]) == 0
    assert check_no_half_written_article(db) == 10


def test_robustness_locked_store(tmp_path: Path, capsys: Any) -> None:
    db = tmp_path / "ev.duckdb"
    rows = write_jsonl(tmp_path / "rows.jsonl", french_rows(5))
    holder = subprocess.Popen(
        [sys.executable, "-c", ("import duckdb, sys; c = duckdb.connect(sys.argv[1]); print('held', flush=True); "
                                "sys.stdin.read()"), str(db)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        assert main(["ingest", str(rows), "--db", str(db), *WITH_EVENTS]) == 2
        err = capsys.readouterr().err
        assert str(db) in err and "lock" in err
    finally:
        holder.communicate("", timeout=30)
    assert main(["ingest", str(rows), "--db", str(db), *WITH_EVENTS]) == 0
    assert check_no_half_written_article(db) == 5


def test_robustness_disk_full(tmp_path: Path, tmpfs: Path | None, capsys: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    db = (tmpfs or tmp_path) / "ev.duckdb"
    rows = write_jsonl(tmp_path / "rows.jsonl", french_rows(2000))
    if tmpfs is not None:
        remount(tmpfs, "size=2m")  # an empty store takes 1.5 MiB: room for a few hundred articles
    else:  # simulate: the fifth batch fails to write
        real, calls = store_module.Store._insert, []

        def failing(self: Store, table: str, frame: Any) -> None:
            calls.append(table)
            if len(calls) == 9:
                raise duckdb.IOException(f'Could not write file "{db}.wal": No space left on device')
            real(self, table, frame)

        monkeypatch.setattr(store_module.Store, "_insert", failing)
    assert main(["ingest", str(rows), "--db", str(db), *WITH_EVENTS]) == 2
    err = capsys.readouterr().err
    assert str(db) in err and "No space left on device" in err and "run the same command again" in err
    kept = check_no_half_written_article(db)
    assert 0 < kept < 2000
    if tmpfs is not None:
        remount(tmpfs, "size=64m")
    else:
        monkeypatch.undo()
    assert main(["ingest", str(rows), "--db", str(db), *WITH_EVENTS]) == 0
    assert f"{kept} already stored" in capsys.readouterr().err
    assert check_no_half_written_article(db) == 2000
    assert store_counts(db)["mentions"] == 2000 * EVENTS_PER_ARTICLE
