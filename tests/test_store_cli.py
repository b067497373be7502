"""Tests for the store commands: merged, event, dyad, network, timeline, export, remerge, optimize."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import networkx as nx
import pytest
from test_store_analysis import fill
from test_store_merge import item, rec

from dyade.cli import main
from dyade.store import Store


@pytest.fixture
def db(tmp_path: Path) -> str:
    """The path of a store holding test_store_analysis.fill()'s events."""
    path = tmp_path / "cli.duckdb"
    with Store(path) as store:
        fill(store)
    return str(path)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run `dyade ARGV`; returns the exit status, stdout and stderr."""
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_store_cli_merged(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "merged", "--db", db, "--format", "jsonl", "--dyad", "RUS,TUR", "--type", "consult")
    assert status == 0
    events = [json.loads(line) for line in out.splitlines()]
    assert [(e["event_date"], e["n_mentions"], e["negated"]) for e in events] == [("2020-01-10", 3, False),
                                                                                   ("2020-01-20", 1, True)]
    status, out, _ = run(capsys, "merged", "--db", db, "--actor", "USA")
    lines = out.splitlines()
    assert status == 0 and lines[0].startswith("date") and len(lines) == 2 and "AID" in lines[1]
    assert lines[1].split()[-4:-1] == ["1", "1", "1"]  # mentions, articles, sources
    status, out, _ = run(capsys, "merged", "--db", db, "--format", "csv", "--since", "2020-03", "--type", "ASSAULT")
    [row] = list(csv.DictReader(io.StringIO(out)))
    assert (row["plover_type"], row["source_code"], row["n_mentions"]) == ("ASSAULT", "RUSMIL", "1")


def test_store_cli_event(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    with Store(db, read_only=True) as store:
        [call] = store.query_merged(plover_type="CONSULT", include_negated=False)
    status, out, _ = run(capsys, "event", call["event_id"], "--db", db)
    assert status == 0
    assert out.count("Phrase de t") == 3 and "3 mention(s) in 3 article(s) from 2 source(s)" in out
    assert "https://agence.example/t1" in out
    status, out, _ = run(capsys, "event", call["event_id"], "--db", db, "--format", "json")
    event = json.loads(out)
    assert [m["article_id"] for m in event["mentions"]] == ["t3", "t1", "t2"]  # by publication date
    assert event["mentions"][0]["evidence"]["text"] == "Phrase de t3."
    status, _, err = run(capsys, "event", "E0000", "--db", db)
    assert status == 2 and "no event" in err


def test_store_cli_dyad(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "dyad", "TUR", "RUS", "--by", "month", "--db", db, "--format", "json")
    rows = json.loads(out)
    assert status == 0 and [(r["period"], r["events"]) for r in rows] == [("2020-01", 2), ("2020-02", 0), ("2020-03", 1)]
    status, out, _ = run(capsys, "dyad", "TUR", "RUS", "--by", "year", "--db", db, "--format", "csv")
    [row] = list(csv.DictReader(io.StringIO(out)))
    assert (row["period"], row["events"], row["net_cooperation"]) == ("2020", "4", "0")
    status, out, _ = run(capsys, "dyad", "TUR", "RUS", "--db", db)
    assert status == 0 and out.splitlines()[0].split()[:2] == ["period", "events"] and len(out.splitlines()) == 4


def test_store_cli_network(db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out_file = tmp_path / "out" / "net.gexf"
    status, _, err = run(capsys, "network", "--since", "2019", "--until", "2019", "--db", db, "--format", "gexf",
                         "--out", str(out_file))
    assert status == 0 and "2 node(s), 1 edge(s)" in err
    assert list(nx.read_gexf(out_file).edges) == [("USA", "SYR")]
    status, _, _ = run(capsys, "network", "--db", db, "--format", "graphml", "--out", str(tmp_path / "n.graphml"))
    assert status == 0 and nx.read_graphml(tmp_path / "n.graphml").number_of_nodes() == 4


def test_store_cli_network_json_on_stdout(db: str, capfdbinary: pytest.CaptureFixture[bytes]) -> None:
    assert main(["network", "--db", db, "--since", "2020-03", "--until", "2020-03"]) == 0
    data = json.loads(capfdbinary.readouterr().out)
    # the March assault, and the aid dated 2020 only (a year overlaps every month of it)
    assert [(e["source"], e["target"], e["weight"]) for e in data["edges"]] == [("RUS", "TUR", 1), ("TUR", "RUS", 1)]


def test_store_cli_timeline(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "timeline", "--actor", "USA", "--db", db, "--format", "json")
    [row] = json.loads(out)
    assert status == 0 and (row["role"], row["counterpart_country"], row["event_date"]) == ("source", "SYR", "2019-05-04")
    status, out, _ = run(capsys, "timeline", "--actor", "TUR", "--db", db, "--since", "2020-03")
    assert status == 0 and [line.split()[3] for line in out.splitlines()[1:]] == ["AID", "ASSAULT"]
    status, out, _ = run(capsys, "timeline", "--actor", "CHN", "--db", db)
    assert status == 0 and out.strip() == "(no events)"


@pytest.mark.parametrize("fmt", ["parquet", "csv", "jsonl", "gdelt", "plover"])
def test_store_cli_export(db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str) -> None:
    out = tmp_path / f"export.{fmt}"
    status, _, err = run(capsys, "export", "--db", db, "--format", fmt, str(out))
    assert status == 0 and err.count("dyade: wrote") == (3 if fmt in ("parquet", "csv", "jsonl") else 1)
    assert (out / f"events.{fmt}").exists() if out.is_dir() else out.stat().st_size > 0


def test_store_cli_missing_db_and_remerge(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    status, _, err = run(capsys, "merged", "--db", str(tmp_path / "none.duckdb"))
    assert status == 2 and "no such database" in err
    path = tmp_path / "deferred.duckdb"
    with Store(path) as store:
        store.add_batch([item("a1", rec("a1")), item("a2", rec("a2"))], "v1", merge=False)
    status, out, err = run(capsys, "merged", "--db", str(path), "--format", "jsonl")
    assert out == "" and "not merged yet" in caplog.text
    status, _, err = run(capsys, "remerge", "--db", str(path))
    assert status == 0 and "1 event(s) merged" in err
    status, out, _ = run(capsys, "merged", "--db", str(path), "--format", "jsonl")
    assert json.loads(out)["n_mentions"] == 2


def test_store_cli_optimize(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    _, before, _ = run(capsys, "merged", "--db", db, "--format", "jsonl")
    status, _, err = run(capsys, "optimize", "--db", db)
    assert status == 0 and "rewritten in date order" in err
    _, after, _ = run(capsys, "merged", "--db", db, "--format", "jsonl")
    assert after == before and after
    with Store(db, read_only=True) as store:
        dates = [row[0] for row in store.execute("SELECT date_start FROM mentions ORDER BY rowid").fetchall()]
    dated = [d for d in dates if d is not None]
    assert dated == sorted(dated)
