"""Tests for the analyses (dyad series, network, timeline) and the exports of merged events."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import duckdb
import networkx as nx
import pytest
from test_store_merge import ANKARA, MOSCOU, item, rec

from dyade.store import Store
from dyade.store.analysis import dyad_series, json_ready, network, network_json, timeline, write_network
from dyade.store.export import GDELT_COLUMNS, export, gdelt_id
from dyade.store.shapes import EVENT_FIELDS


def fill(store: Store) -> None:
    """Turkey-Russia in early 2020 and one US aid event in 2019, told by several articles."""
    store.add_batch([
        item("t1", rec("t1", date="2020-01-10", place=ANKARA)),  # CONSULT TUR <> RUS, told three times
        item("t2", rec("t2", date="2020-01-10", source="RUSGOV", target="TURGOV"), source="autre"),
        item("t3", rec("t3", date="2020-01"), published="2020-01-12"),
        item("t4", rec("t4", kind="ACCUSE", date="2020-01-15")),  # TUR -> RUS
        item("t5", rec("t5", kind="CONSULT", date="2020-01-20", negated=True)),
        item("t6", rec("t6", kind="ASSAULT", source="RUSMIL", target="TURMIL", date="2020-03-02", place=MOSCOU)),
        item("t7", rec("t7", kind="AID", date="2020")),  # TUR -> RUS, dated by year only
        item("u1", rec("u1", kind="AID", source="USAGOV", target="SYRREB", date="2019-05-04")),
    ], "v1")


@pytest.fixture
def filled(tmp_path: Path) -> Store:
    """A store holding fill()'s events."""
    store = Store(tmp_path / "analysis.duckdb")
    fill(store)
    return store


def test_store_analysis_dyad_series_by_month(filled: Store) -> None:
    frame = dyad_series(filled, "RUS", "TUR", by="month")
    rows = {row["period"]: row for row in json_ready(frame)}
    assert list(rows) == ["2020-01", "2020-02", "2020-03"]  # the empty month is a row of zeros
    jan, feb, mar = rows["2020-01"], rows["2020-02"], rows["2020-03"]
    assert (jan["events"], jan["verbal_cooperation"], jan["verbal_conflict"], jan["mentions"]) == (2, 1, 1, 4)
    assert (jan["goldstein_sum"], jan["goldstein_mean"], jan["net_cooperation"]) == (-1.0, -0.5, 0)
    assert (feb["events"], feb["goldstein_mean"]) == (0, None)
    assert (mar["material_conflict"], mar["net_cooperation"], mar["goldstein_sum"]) == (1, -1, -10.0)


def test_store_analysis_dyad_series_by_year_and_empty(filled: Store) -> None:
    [year] = json_ready(dyad_series(filled, "TUR", "RUS", by="year"))
    assert (year["period"], year["events"], year["material_cooperation"], year["goldstein_sum"]) == ("2020", 4, 1, -4.0)
    assert year["net_cooperation"] == 0
    assert dyad_series(filled, "TUR", "USA").empty
    with_negated = json_ready(dyad_series(filled, "TUR", "RUS", by="year", asserted_only=False))
    assert with_negated[0]["events"] == 5


def test_store_analysis_network(filled: Store, tmp_path: Path) -> None:
    graph = network(filled, "2020-01", "2020-12")
    assert sorted(graph.nodes) == ["RUS", "TUR"]
    assert graph.nodes["TUR"]["n_events"] == 4
    # the reciprocal call is drawn RUS -> TUR with the assault; the accusation and the aid go TUR -> RUS
    assert graph["RUS"]["TUR"]["weight"] == 2 and graph["RUS"]["TUR"]["goldstein_mean"] == pytest.approx(-4.5)
    assert graph["TUR"]["RUS"]["weight"] == 2 and graph["TUR"]["RUS"]["goldstein_mean"] == pytest.approx(2.5)
    assert graph["RUS"]["TUR"]["n_mentions"] == 4
    assert sorted(network(filled).nodes) == ["RUS", "SYR", "TUR", "USA"]
    assert sorted(network(filled, by="code").nodes) == ["RUSGOV", "RUSMIL", "SYRREB", "TURGOV", "TURMIL", "USAGOV"]
    data = network_json(graph)
    assert {(e["source"], e["target"], e["weight"]) for e in data["edges"]} == {("RUS", "TUR", 2), ("TUR", "RUS", 2)}
    for fmt, read in (("gexf", nx.read_gexf), ("graphml", nx.read_graphml)):
        path = tmp_path / f"net.{fmt}"
        write_network(graph, fmt, path)
        back = read(path)
        assert sorted(back.edges) == sorted(graph.edges)
        assert float(back["TUR"]["RUS"]["goldstein_mean"]) == pytest.approx(2.5)
    write_network(graph, "json", tmp_path / "net.json")
    assert json.loads((tmp_path / "net.json").read_text())["nodes"][0]["id"] == "RUS"


def test_store_analysis_timeline(filled: Store) -> None:
    rows = json_ready(timeline(filled, "RUS"))
    assert [(r["plover_type"], r["role"], r["counterpart"]) for r in rows] == [
        ("AID", "target", "TURGOV"), ("CONSULT", "target", "TURGOV"), ("ACCUSE", "target", "TURGOV"),
        ("ASSAULT", "source", "TURMIL"),
    ]
    assert rows[1]["n_mentions"] == 3 and rows[1]["first_seen"] == "2020-01-12"
    assert timeline(filled, "FRA").empty


def test_store_export_parquet_round_trip(filled: Store, tmp_path: Path) -> None:
    files = export(filled, "parquet", tmp_path / "pq")
    assert sorted(f.name for f in files) == ["articles.parquet", "events.parquet", "mentions.parquet"]
    con = duckdb.connect()
    events = con.execute(f"SELECT * FROM '{tmp_path / 'pq' / 'events.parquet'}' ORDER BY event_id").df()
    stored = filled.merged_frame().sort_values("event_id").reset_index(drop=True)
    assert list(events.columns) == list(EVENT_FIELDS)
    assert events.equals(stored)
    records = [json.loads(r[0]) for r in con.execute(
        f"SELECT record FROM '{tmp_path / 'pq' / 'mentions.parquet'}' ORDER BY event_id").fetchall()]
    assert records == sorted(filled.query_events(), key=lambda r: r["event_id"])


def test_store_export_csv_and_jsonl(filled: Store, tmp_path: Path) -> None:
    export(filled, "csv", tmp_path / "csv")
    with (tmp_path / "csv" / "events.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == list(EVENT_FIELDS) and len(rows) == filled.stats()["events"]
    export(filled, "jsonl", tmp_path / "jl")
    lines = (tmp_path / "jl" / "events.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == sorted(filled.query_merged(), key=lambda e: e["event_id"])
    mentions = [json.loads(line) for line in (tmp_path / "jl" / "mentions.jsonl").read_text().splitlines()]
    assert mentions == sorted(filled.query_events(), key=lambda r: r["event_id"])


def _merged(store: Store, **filters: Any) -> dict[str, Any]:
    [event] = store.query_merged(**filters)
    return event


def test_store_export_gdelt(filled: Store, tmp_path: Path) -> None:
    export(filled, "gdelt", tmp_path / "out" / "events.tsv")
    header, *lines = (tmp_path / "out" / "events.tsv").read_text(encoding="utf-8").splitlines()
    assert header.split("\t") == list(GDELT_COLUMNS) and len(GDELT_COLUMNS) == 61
    rows = [dict(zip(GDELT_COLUMNS, line.split("\t"))) for line in lines]
    assert all(len(line.split("\t")) == 61 for line in lines)
    assert len(rows) == filled.stats()["events"] - 1  # the negated event is not exported
    call = _merged(filled, plover_type="CONSULT", include_negated=False)
    [row] = [r for r in rows if r["GLOBALEVENTID"] == str(gdelt_id(call["event_id"]))]
    assert (row["SQLDATE"], row["MonthYear"], row["Year"], row["EventCode"], row["EventBaseCode"]) == \
        ("20200110", "202001", "2020", "041", "041")
    assert (row["NumMentions"], row["NumArticles"], row["NumSources"], row["QuadClass"]) == ("3", "3", "2", "1")
    assert (row["ActionGeo_Type"], row["ActionGeo_FullName"], row["ActionGeo_FeatureID"]) == ("4", "Ankara", "323786")
    assert row["Actor1CountryCode"] in ("TUR", "RUS") and row["AvgTone"] == "" and row["IsRootEvent"] == ""
    assert row["SOURCEURL"].startswith("https://") and len(row["DATEADDED"]) == 14
    assert len({r["GLOBALEVENTID"] for r in rows}) == len(rows)


def test_store_export_plover(filled: Store, tmp_path: Path) -> None:
    export(filled, "plover", tmp_path / "plover.jsonl")
    records = {r["event"][0] + (r["date"] or ""): r for r in map(json.loads, (tmp_path / "plover.jsonl").open())}
    assert all({"id", "date", "actor", "event"} <= set(r) for r in records.values())
    call = records["CONSULT2020-01-10"]
    assert sorted(a["code"] for a in call["actor"]) == ["RUS", "TUR"] and call["recipient"] == []  # reciprocal
    assert call["mode"] == ["phone"] and call["event_loc"]["resolution"] == 4 and call["n_mentions"] == 3
    assert call["event_text"] == ["Phrase de t1.", "Phrase de t2.", "Phrase de t3."]
    accuse = records["ACCUSE2020-01-15"]
    assert [a["code"] for a in accuse["actor"]] == ["TUR"] and [a["code"] for a in accuse["recipient"]] == ["RUS"]
    assert accuse["actor"][0]["sector"] == "GOV" and accuse["quad_code"] == 3
    aid = records["AID2020-01-01"]  # dated by year only: the whole year
    assert (aid["enddate"], aid["date_precision"]) == ("2020-12-31", "year")
    assert len(records) == filled.stats()["events"] - 1
