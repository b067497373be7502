"""Crash safety: `dyade ingest` killed with SIGKILL after a committed batch, then run again."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from dyade.store import Store

N_ARTICLES = 256  # `dyade ingest` commits 64 articles per transaction: the kill falls in a later batch
LEADERS = [
    ("Le président turc Recep Tayyip Erdogan", "son homologue turc Recep Tayyip Erdogan", "Ankara"),
    ("Le président russe Vladimir Poutine", "son homologue russe Vladimir Poutine", "Moscou"),
    ("Le président français Emmanuel Macron", "son homologue français Emmanuel Macron", "Paris"),
    ("Le président iranien Hassan Rohani", "son homologue iranien Hassan Rohani", "Téhéran"),
]
VERBS = ["s'est entretenu {day} par téléphone avec {b}", "a accusé {day} {b} de violer le cessez-le-feu",
         "a reçu {day} {b} à {city}"]
DAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi"]


def generated_article(i: int) -> dict[str, Any]:
    """A small French wire story: one leader calls, accuses or receives another; many stories tell one event."""
    subject, _, city = LEADERS[i % 4]
    other = LEADERS[(i % 4 + 1 + (i // 4) % 3) % 4][1]
    day = (i // 12) % 5
    verb = VERBS[(i // 4) % 3].format(day=DAYS[day], b=other, city=city)
    text = (f"{city.upper()}, {day + 6} mars 2020 (AFP) - {subject} {verb}, a indiqué la présidence. "
            f"Cette conversation intervient après des combats dans la province d'Idleb, dépêche numéro {i}.")
    return {"id": f"gen-{i:03d}", "published": f"2020-03-{day + 6:02d}", "source": f"agence{i % 5}",
            "url": f"https://agence{i % 5}.example/{i}", "title": f"Dépêche {i}", "text": text}


def _ingest(inputs: Path, db: Path) -> subprocess.Popen[bytes]:
    """Start the real CLI on the inputs."""
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1] / "src"))
    return subprocess.Popen([sys.executable, "-m", "dyade", "ingest", str(inputs), "--db", str(db)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _wait_until_stable(path: Path, quiet: float = 0.3) -> None:
    """Return once the file's size has not changed for `quiet` seconds (a commit is written in pieces)."""
    size, since = path.stat().st_size, time.monotonic()
    while time.monotonic() - since < quiet:
        time.sleep(0.02)
        now = path.stat().st_size
        if now != size:
            size, since = now, time.monotonic()


@pytest.mark.slow
def test_store_crash_sigkill_then_rerun(tmp_path: Path) -> None:
    inputs = tmp_path / "articles.jsonl"
    articles = [generated_article(i) for i in range(N_ARTICLES)]
    inputs.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in articles), encoding="utf-8")
    db = tmp_path / "crash.duckdb"
    with Store(db):
        pass  # created and checkpointed: from now on the write-ahead log only appears with a committed batch
    wal = Path(f"{db}.wal")

    process = _ingest(inputs, db)
    deadline = time.monotonic() + 300
    while not (wal.exists() and wal.stat().st_size > 0):
        assert process.poll() is None, process.stderr.read().decode() if process.stderr else ""
        assert time.monotonic() < deadline, "no batch committed in time"
        time.sleep(0.02)
    _wait_until_stable(wal)  # the first commit has been written out; coding the second batch takes seconds
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL

    with Store(db) as store:  # recovers from the log
        first = store.stats()["articles"]
    assert 0 < first < N_ARTICLES, "the kill should fall between the first and the last commit"

    process = _ingest(inputs, db)
    _, err = process.communicate(timeout=600)
    assert process.returncode == 0, err.decode()

    with Store(db, read_only=True) as store:
        ids = [row["id"] for row in store.articles()]
        assert ids == sorted(a["id"] for a in articles)  # every article exactly once
        orphans = store.execute(
            "SELECT count(*) FILTER (article_id NOT IN (SELECT id FROM articles)), "
            "count(*) FILTER (merged_event_id IS NULL OR merged_event_id NOT IN (SELECT event_id FROM events)) "
            "FROM mentions").fetchall()
        assert orphans == [(0, 0)]
        assert store.pending() == 0
        stats = store.stats()
        per_event = store.execute("SELECT sum(n_mentions) FROM events").fetchall()[0][0]
        assert per_event == stats["mentions"] > stats["events"] > 0  # stories of one event were merged
