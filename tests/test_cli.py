"""The command line, end to end on French text written for the tests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dyade.cli import main

ARTICLE = (
    " date 2019-05\n"
    "Le ministre turc des Affaires étrangères s'est entretenu mardi par téléphone avec son homologue iranien.\n"
    "L'aviation russe a bombardé jeudi des positions rebelles dans la province d'Idleb.\n"
)


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    (tmp_path / "a-001.txt").write_text(ARTICLE, encoding="utf-8")
    lines = [
        json.dumps({"id": "j1", "text": "L'Egypte a condamné lundi les frappes israéliennes contre Gaza.", "published": "2021-05-12"}),
        "{broken",
    ]
    (tmp_path / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return tmp_path


def test_cli_extract_jsonl_follows_the_record_contract(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["extract", str(corpus / "a-001.txt"), "--format", "jsonl"])
    out = capsys.readouterr().out
    records = [json.loads(line) for line in out.splitlines()]
    assert status == 0
    consult = [r for r in records if r["plover"]["type"] == "CONSULT"]
    assert consult and consult[0]["plover"]["mode"] == "phone"
    assert {consult[0]["source"]["country"], consult[0]["target"]["country"]} == {"TUR", "IRN"}
    text = ARTICLE
    for rec in records:
        assert rec["article_id"] == "a-001"
        ev = rec["evidence"]
        assert text[ev["start"] : ev["end"]] == ev["text"]
        for actor in (rec["source"], rec["target"]):
            if actor:
                assert text[actor["start"] : actor["end"]] == actor["text"]


def test_cli_extract_folder_reports_bad_line_and_exits_1(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["extract", str(corpus), "--format", "csv"])
    captured = capsys.readouterr()
    assert status == 1
    assert f"{corpus / 'feed.jsonl'}:2" in captured.err
    assert captured.out.startswith("event_id,article_id,")
    assert "j1" in captured.out and "a-001" in captured.out


def test_cli_ingest_is_idempotent_and_events_filters(corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "ev.duckdb")
    main(["ingest", str(corpus / "a-001.txt"), "--db", db])
    main(["events", "--db", db, "--format", "jsonl"])
    first = capsys.readouterr().out.splitlines()
    main(["ingest", str(corpus / "a-001.txt"), "--db", db])
    main(["events", "--db", db, "--format", "jsonl"])
    second = capsys.readouterr().out.splitlines()
    assert first and first == second
    main(["events", "--db", db, "--dyad", "IRN,TUR", "--format", "jsonl"])
    dyad = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert dyad and all({r["source"]["country"], r["target"]["country"]} == {"TUR", "IRN"} for r in dyad)


def test_cli_events_without_database_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["events", "--db", str(tmp_path / "none.duckdb")]) == 2
    assert "no such database" in capsys.readouterr().err


def test_cli_strict_stops_at_first_bad_input(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", str(corpus / "feed.jsonl"), "--strict"]) == 2
    assert "--strict" in capsys.readouterr().err


def test_cli_events_merged_counts_the_reports_of_one_event(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    call = "Le président turc s'est entretenu mardi par téléphone avec son homologue russe."
    feed = tmp_path / "feed.jsonl"
    feed.write_text("\n".join(json.dumps({"id": f"r{i}", "text": call + f" Dépêche {i}.", "published": "2019-05-16"})
                              for i in range(3)) + "\n", encoding="utf-8")
    db = str(tmp_path / "ev.duckdb")
    assert main(["ingest", str(feed), "--db", db]) == 0
    capsys.readouterr()
    main(["events", "--db", db, "--format", "jsonl"])
    mentions = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    main(["events", "--db", db, "--merged", "--format", "jsonl"])
    merged = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert len(mentions) == 3 and len(merged) == 1
    assert (merged[0]["n_mentions"], merged[0]["n_articles"]) == (3, 3)


def test_cli_demo_stores_the_demo_corpus_and_prints_its_events(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "demo.duckdb"
    assert main(["demo", "--db", str(db)]) == 0
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert lines[0].startswith("date") and "evidence" in lines[0]
    assert len(lines) > 50  # the 16 articles hold well over fifty events
    assert "16 article(s)" in captured.err
    assert main(["demo", "--db", str(db)]) == 0  # a second run stores nothing new and still shows them
    again = capsys.readouterr()
    assert again.out == captured.out and "16 already stored" in again.err
