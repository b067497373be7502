"""Tests for the REST API (dyade.web) with FastAPI's TestClient, on a store of hand-built records."""

from __future__ import annotations

import json
import shutil
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi", reason="the web extra is not installed (pip install 'dyade[web]')")
with warnings.catch_warnings():  # Starlette asks for httpx2 in its test client; httpx still works
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dyade.model import Article
from dyade.store import Store
from dyade.web import ServeConfig, create_app
from dyade.web.ingest import MAX_ARTICLES

TOKEN = "test-token-123"
TEXT = "ANKARA - La Turquie a accusé la Russie. Moscou a menacé Ankara."


def actor(code: str | None, start: int = 0, end: int = 0) -> dict[str, Any] | None:
    """An actor whose country is the first three letters of its code."""
    if code is None:
        return None
    return {"code": code, "country": code[:3], "sector": code[3:] or None, "name": f"name {code}",
            "text": code, "start": start, "end": end}


def record(article_id: str, n: int, source: str | None, target: str | None, kind: str, quad: int,
           date: str | None, **extra: Any) -> dict[str, Any]:
    """A hand-built event record following event-record.md."""
    precision = {4: "year", 7: "month", 10: "day"}.get(len(date or ""))
    rec = {
        "event_id": f"{article_id}-{n}", "article_id": article_id, "event_date": date, "date_precision": precision,
        "source": actor(source, 11, 18), "target": actor(target, 31, 37), "symmetric": False,
        "plover": {"type": kind, "mode": None},
        "cameo": {"code": "111", "root": "11", "quad_class": quad, "goldstein": 3.0 if quad < 3 else -5.0},
        "location": {"name": "Idleb", "text": "Idleb", "country": "SYR", "admin1": None, "lat": 35.93, "lon": 36.63,
                     "geonames_id": 1, "precision": "city"},
        "fatalities": None, "negated": False, "modality": "asserted", "background": False, "reported_by": None,
        "evidence": {"text": TEXT[8:39], "start": 8, "end": 39, "trigger": {"start": 20, "end": 26}},
        "rule": "test", "confidence": 0.5 + n / 100,
    }
    rec.update(extra)
    return rec


EVENTS = [
    ("a1", [record("a1", 1, "TURGOV", "RUSGOV", "ACCUSE", 3, "2020-02-27"),
            record("a1", 2, "RUS", "TUR", "THREATEN", 3, "2020-02"),
            record("a1", 3, "TUR", "SYR", "ASSAULT", 4, "2020-03-01")]),
    ("a2", [record("a2", 1, "RUSGOV", "TURGOV", "CONSULT", 1, "2020-03-05"),
            record("a2", 2, "TUR", "RUS", "AGREE", 1, "2020-03-05", negated=True),
            record("a2", 3, "USA", "TUR", "SANCTION", 4, "2019"),
            record("a2", 4, "SYR", None, "PROTEST", 3, None, evidence={
                "text": "manifestation à Alep", "start": 0, "end": 20, "trigger": {"start": 0, "end": 13}})]),
    ("a3", [record("a3", 1, "TURMIL", "RUSMIL", "COOPERATE", 2, "2021-01-10")]),
]


def build_store(path: Path) -> None:
    """A store with three articles and eight events."""
    with Store(path) as store:
        for article_id, records in EVENTS:
            article = Article(id=article_id, text=TEXT + article_id, title=f"Titre {article_id}",
                              published="2020-03-05", source="test", url=f"https://example.invalid/{article_id}")
            store.add_article(article, records, coder_version="test")


def fake_coder(articles: list[Article]) -> list[tuple[Article, list[dict[str, Any]], str, str | None]]:
    """One ACCUSE event TUR -> RUS per article, no spaCy."""
    return [(a, [record(a.id, 1, "TUR", "RUS", "ACCUSE", 3, "2022-05-01")], "coded", None) for a in articles]


@pytest.fixture(scope="module")
def base_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("web") / "events.duckdb"
    build_store(path)
    return path


@pytest.fixture()
def db_path(base_db: Path, tmp_path: Path) -> Path:
    """A fresh copy of the test store, for tests that write or change the server's options."""
    path = tmp_path / "events.duckdb"
    shutil.copyfile(base_db, path)
    return path


def make_client(db_path: Path, **options: Any) -> Iterator[TestClient]:
    """A TestClient over a fresh app; the store is closed afterwards."""
    app = create_app(ServeConfig(db=str(db_path), **options), coder=fake_coder)
    with TestClient(app) as client:
        yield client


@pytest.fixture(scope="module")
def client(base_db: Path) -> Iterator[TestClient]:
    """A read-only server over the shared test store."""
    yield from make_client(base_db)


@pytest.fixture()
def writer(db_path: Path) -> Iterator[TestClient]:
    yield from make_client(db_path, read_only=False, token=TOKEN, max_body=4096)


def ids(client: TestClient, **params: Any) -> list[str]:
    """The event ids GET /events returns for these parameters (one big page)."""
    response = client.get("/events", params={"limit": 500, **params})
    assert response.status_code == 200, response.text
    return [item["event_id"] for item in response.json()["items"]]


@pytest.mark.issue(7)
@pytest.mark.parametrize(("params", "expected"), [
    ({}, {"a1-1", "a1-2", "a1-3", "a2-1", "a2-2", "a2-3", "a2-4", "a3-1"}),
    ({"actor": "TURGOV"}, {"a1-1", "a2-1"}),
    ({"actor": "syr"}, {"a1-3", "a2-4"}),
    ({"country": "USA"}, {"a2-3"}),
    ({"source": "TUR"}, {"a1-1", "a1-3", "a2-2", "a3-1"}),
    ({"target": "RUS"}, {"a1-1", "a2-2", "a3-1"}),
    ({"dyad": "RUS,TUR"}, {"a1-1", "a1-2", "a2-1", "a2-2", "a3-1"}),
    ({"dyad": "TURMIL,RUS"}, {"a3-1"}),
    ({"type": "ACCUSE,THREATEN"}, {"a1-1", "a1-2"}),
    ({"type": ["assault", "sanction"]}, {"a1-3", "a2-3"}),
    ({"quad": "4"}, {"a1-3", "a2-3"}),
    ({"quad": ["1", "2"]}, {"a2-1", "a2-2", "a3-1"}),
    ({"since": "2020-03", "until": "2020-03"}, {"a1-3", "a2-1", "a2-2"}),
    ({"since": "2021"}, {"a3-1"}),
    ({"until": "2019-12-31"}, {"a2-3"}),
    ({"place": "idl"}, {"a1-1", "a1-2", "a1-3", "a2-1", "a2-2", "a2-3", "a2-4", "a3-1"}),
    ({"place": "Alep"}, set()),
    ({"q": "manifestation"}, {"a2-4"}),
    ({"q": "%"}, set()),
    ({"negated": "false", "dyad": "TUR,RUS"}, {"a1-1", "a1-2", "a2-1", "a3-1"}),
    ({"dyad": "TUR,RUS", "type": "CONSULT", "since": "2020-03-05"}, {"a2-1"}),
])
def test_web_events_filters(client: TestClient, params: dict[str, Any], expected: set[str]) -> None:
    assert set(ids(client, **params)) == expected


@pytest.mark.issue(7)
@pytest.mark.parametrize("sort", ["date", "-date", "goldstein", "-goldstein", "confidence", "-confidence"])
def test_web_events_cursor_pages_cover_everything_once_in_order(client: TestClient, sort: str) -> None:
    everything = ids(client, sort=sort)
    seen: list[str] = []
    cursor = None
    for _ in range(10):
        response = client.get("/events", params={"sort": sort, "limit": 3, **({"cursor": cursor} if cursor else {})})
        assert response.status_code == 200
        page = response.json()
        assert len(page["items"]) <= 3
        seen += [item["event_id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == everything and len(set(seen)) == 8
    key = {"date": "event_date", "goldstein": "cameo", "confidence": "confidence"}[sort.lstrip("-")]
    if key == "confidence":
        values = [client.get(f"/events/{i}").json()["event"]["confidence"] for i in seen]
        assert values == sorted(values, reverse=sort.startswith("-"))
    if sort == "date":
        assert seen[-1] == "a2-4"  # the undated event comes last
        assert seen[0] == "a2-3"  # 2019


@pytest.mark.issue(7)
def test_web_events_page_carries_articles_and_total(client: TestClient) -> None:
    page = client.get("/events", params={"dyad": "TUR,RUS", "limit": 2, "total": "true"}).json()
    assert page["total"] == 5 and len(page["items"]) == 2 and page["next_cursor"]
    item = page["items"][0]
    assert item["n_mentions"] == 1 and item["evidence"]["trigger"] == {"start": 20, "end": 26}
    assert page["articles"][item["article_id"]]["title"] == f"Titre {item['article_id']}"


@pytest.mark.issue(7)
@pytest.mark.parametrize(("url", "params"), [
    ("/events", {"quad": "9"}), ("/events", {"quad": "x"}), ("/events", {"type": "FOO"}),
    ("/events", {"since": "2020-13"}), ("/events", {"until": "hier"}), ("/events", {"dyad": "TUR"}),
    ("/events", {"dyad": "TUR,RUS,SYR"}), ("/events", {"actor": "T R"}), ("/events", {"actor": "x" * 30}),
    ("/events", {"country": "TURK"}), ("/events", {"cursor": "garbage!"}), ("/events", {"limit": "0"}),
    ("/events", {"limit": "501"}), ("/events", {"limit": "ten"}), ("/events", {"sort": "random"}),
    ("/events", {"since": "2021", "until": "2020"}), ("/events", {"q": " "}), ("/events", {"negated": "maybe"}),
    ("/dyads/TUR/RUS/series", {"by": "week"}), ("/dyads/TUR/R%20S/series", {}),
    ("/dyads/TUR/RUS/series", {"dyad": "TUR,SYR"}), ("/network", {"level": "planet"}),
    ("/network", {"min_count": "-1"}), ("/actors", {"q": "x" * 101}), ("/places", {"limit": "100000"}),
    ("/actors/TUR/series", {"actor": "RUS"}),
])
def test_web_bad_parameters_are_422_with_a_message(client: TestClient, url: str, params: dict[str, str]) -> None:
    response = client.get(url, params=params)
    assert response.status_code == 422, response.text
    assert response.json()["detail"]


@pytest.mark.issue(7)
def test_web_cursor_of_another_sort_is_refused(client: TestClient) -> None:
    cursor = client.get("/events", params={"limit": 1, "sort": "date"}).json()["next_cursor"]
    response = client.get("/events", params={"limit": 1, "sort": "-goldstein", "cursor": cursor})
    assert response.status_code == 422 and "sort" in response.json()["detail"]


@pytest.mark.issue(7)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.sampled_from(["actor", "country", "dyad", "type", "quad", "since", "until", "place", "q", "cursor",
                             "sort", "limit", "source", "target"]),
       value=st.text(max_size=60))
def test_web_events_never_500(client: TestClient, name: str, value: str) -> None:
    assert client.get("/events", params={name: value}).status_code in (200, 422)


@pytest.mark.issue(7)
def test_web_event_and_article(client: TestClient) -> None:
    event = client.get("/events/a1-2").json()
    assert event["event"]["plover"]["type"] == "THREATEN" and event["mentions"][0]["event_id"] == "a1-2"
    assert client.get("/events/nope").status_code == 404
    article = client.get("/articles/a2").json()
    assert [e["event_id"] for e in article["events"]] == ["a2-4", "a2-1", "a2-2", "a2-3"]  # by sentence start
    assert article["title"] == "Titre a2" and article["text"] is None  # read-only: no text table
    assert client.get("/articles/zz").status_code == 404


@pytest.mark.issue(7)
def test_web_dyad_series_by_month(client: TestClient) -> None:
    series = client.get("/dyads/TUR/RUS/series", params={"by": "month"}).json()
    assert (series["a"], series["b"]) == ("TUR", "RUS")
    periods = {p["period"]: p for p in series["periods"]}
    assert set(periods) == {"2020-02", "2020-03", "2021-01"}
    assert periods["2020-02"]["quad"] == {"3": 2} and periods["2020-02"]["conflict"] == 2
    assert periods["2020-03"]["cooperation"] == 2 and periods["2020-03"]["goldstein_mean"] == 3.0
    assert series["excluded"] == {"undated": 0, "too_coarse": 0}
    by_day = client.get("/dyads/RUS/TUR/series", params={"by": "day"}).json()
    assert by_day["excluded"]["too_coarse"] == 1  # the 2020-02 event has no day
    assert client.get("/actors/USA/series", params={"by": "month"}).json()["excluded"]["too_coarse"] == 1


@pytest.mark.issue(7)
def test_web_network_actors_places_stats(client: TestClient) -> None:
    network = client.get("/network").json()
    edges = {(e["source"], e["target"]): e for e in network["edges"]}
    assert edges[("TUR", "RUS")]["n"] == 3 and edges[("TUR", "RUS")]["cooperation"] == 2
    assert {n["id"] for n in network["nodes"]} == {"TUR", "RUS", "SYR", "USA"}
    assert client.get("/network", params={"min_count": 3}).json()["edges"] == [edges[("TUR", "RUS")]]
    found = client.get("/actors", params={"q": "turm"}).json()
    assert [a["code"] for a in found["actors"]] == ["TURMIL"]
    assert client.get("/actors", params={"q": "Turquie"}).json()["countries"][0]["code"] == "TUR"
    places = client.get("/places", params={"since": "2021"}).json()["places"]
    assert places == [{"name": "Idleb", "country": "SYR", "lat": 35.93, "lon": 36.63, "n": 1, "cooperation": 1,
                       "conflict": 0}]
    stats = client.get("/stats").json()
    assert stats["events"] == 8 and stats["top_dyads"][0] == {"a": "RUS", "b": "TUR", "n": 5}


@pytest.mark.issue(7)
def test_web_openapi_dashboard_and_headers(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/events", "/events/{event_id}", "/articles/{article_id}", "/dyads/{a}/{b}/series", "/network",
                 "/actors", "/articles"):
        assert path in paths
    page = client.get("/")
    assert page.status_code == 200 and "<main id=\"view\">" in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert "unsafe-eval" not in page.headers["content-security-policy"]
    assert client.get("/static/vendor/vega.min.js").status_code == 200
    assert client.get("/docs").status_code == 404  # Swagger UI would load scripts from a CDN


@pytest.mark.issue(7)
def test_web_post_is_off_without_a_token(client: TestClient) -> None:
    response = client.post("/articles", json={"id": "n1", "text": "Bonjour."})
    assert response.status_code == 404 and "DYADE_API_TOKEN" in response.json()["detail"]


@pytest.mark.issue(7)
def test_web_post_needs_the_right_token(writer: TestClient) -> None:
    body = {"id": "n1", "text": "La Turquie a accusé la Russie."}
    assert writer.post("/articles", json=body).status_code == 401
    assert writer.post("/articles", json=body, headers={"Authorization": "Bearer wrong"}).status_code == 403
    assert writer.get("/articles/n1").status_code == 404
    response = writer.post("/articles", json=body, headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200, response.text
    assert response.json()["articles"] == [{"id": "n1", "status": "coded", "skip_reason": None, "events": 1,
                                            "stored": True, "event_ids": ["n1-1"]}]
    article = writer.get("/articles/n1").json()
    assert article["text"] == body["text"] and article["events"][0]["event_id"] == "n1-1"
    assert "n1-1" in ids(writer, dyad="TUR,RUS", since="2022-05")
    page = writer.get("/events", params={"since": "2022-05"}).json()
    assert page["articles"]["n1"]["title"] is None
    again = {**body, "text": body["text"] + " Encore.", "title": "Nouveau titre"}
    assert writer.post("/articles", json=again, headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200
    page = writer.get("/events", params={"since": "2022-05"}).json()
    assert page["articles"]["n1"]["title"] == "Nouveau titre"  # no stale cached metadata


@pytest.mark.issue(7)
def test_web_post_jsonl_and_bad_bodies(writer: TestClient) -> None:
    auth = {"X-API-Token": TOKEN}
    lines = "\n".join(json.dumps({"id": f"j{i}", "text": f"Texte {i}."}) for i in range(3))
    response = writer.post("/articles", content=lines, headers={**auth, "Content-Type": "application/x-ndjson"})
    assert [a["id"] for a in response.json()["articles"]] == ["j0", "j1", "j2"]
    for content, kind in [("{not json", "application/json"), ("[]", "application/json"),
                          ('{"id": "x"}', "application/json"), ('{"id": 3, "text": "t"}', "application/json"),
                          ('[{"id": "a", "text": "t"}, {"id": "a", "text": "u"}]', "application/json"),
                          ("\xff", "application/json"), ('{"id": "a", "text": "t"}\nnope', "application/x-ndjson")]:
        response = writer.post("/articles", content=content.encode("latin-1"), headers={**auth, "Content-Type": kind})
        assert response.status_code == 422, (content, response.text)


@pytest.mark.issue(7)
def test_web_body_size_limit(writer: TestClient) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    big = json.dumps({"id": "big", "text": "x" * 5000})
    response = writer.post("/articles", content=big, headers={**auth, "Content-Type": "application/json"})
    assert response.status_code == 413

    def chunks() -> Iterator[bytes]:  # no Content-Length: the limit holds while streaming
        for _ in range(10):
            yield b"x" * 1000

    assert writer.post("/articles", content=chunks(), headers=auth).status_code == 413
    assert writer.get("/articles/big").status_code == 404


@pytest.mark.issue(7)
def test_web_too_many_articles(db_path: Path) -> None:
    path = db_path
    many = [{"id": f"m{i}", "text": "t"} for i in range(MAX_ARTICLES + 1)]
    for client in make_client(path, read_only=False, token=TOKEN):
        response = client.post("/articles", json=many, headers={"Authorization": f"Bearer {TOKEN}"})
        assert response.status_code == 422 and str(MAX_ARTICLES) in response.json()["detail"]


@pytest.mark.issue(7)
def test_web_read_only_store_refuses_writes(db_path: Path) -> None:
    for client in make_client(db_path, token=TOKEN):
        response = client.post("/articles", json={"id": "n", "text": "t"}, headers={"Authorization": f"Bearer {TOKEN}"})
        assert response.status_code == 403


@pytest.mark.issue(7)
def test_web_reads_behind_the_token(db_path: Path) -> None:
    for client in make_client(db_path, token=TOKEN, protect_reads=True):
        assert client.get("/events").status_code == 401
        assert client.get("/network", headers={"Authorization": "Bearer nope"}).status_code == 403
        assert client.get("/events", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200
        assert client.get("/").status_code == 200  # the page itself holds no data


@pytest.mark.issue(7)
def test_web_lists_merged_events_when_the_store_links_mentions(db_path: Path) -> None:
    import duckdb

    con = duckdb.connect(str(db_path))  # link a1-1 and a2-1 to one merged event, whatever the schema version
    columns = {row[0] for row in con.execute("SELECT column_name FROM duckdb_columns() WHERE table_name = 'mentions'")
               .fetchall()}
    if "merged_event_id" not in columns:
        con.execute("ALTER TABLE mentions ADD COLUMN merged_event_id VARCHAR")
    con.execute("UPDATE mentions SET merged_event_id = CASE WHEN event_id IN ('a1-1', 'a2-1') THEN 'E1' "
                "ELSE 'E-' || event_id END")
    kind = con.execute("SELECT table_type FROM information_schema.tables WHERE table_name = 'events'").fetchone()
    con.execute("DROP VIEW events" if kind and kind[0] == "VIEW" else "DROP TABLE IF EXISTS events")
    con.execute("CREATE TABLE events AS SELECT merged_event_id AS event_id, count(*)::INTEGER AS n_mentions "
                "FROM mentions GROUP BY merged_event_id")
    con.close()
    for client in make_client(db_path):
        page = client.get("/events", params={"dyad": "TUR,RUS"}).json()
        items = {i["event_id"]: i for i in page["items"]}
        assert (items["a1-1"]["n_mentions"], items["a1-1"]["merged_event_id"]) == (2, "E1")
        assert (items["a1-2"]["n_mentions"], items["a1-2"]["merged_event_id"]) == (1, "E-a1-2")
        for event_id in ("a2-1", "E1"):  # a mention's id or the merged event's id
            event = client.get(f"/events/{event_id}").json()
            assert event["merged_event_id"] == "E1" and [m["event_id"] for m in event["mentions"]] == ["a1-1", "a2-1"]
        assert client.get("/events/E9").status_code == 404
        series = client.get("/dyads/TUR/RUS/series").json()
        assert {p["period"]: p["n"] for p in series["periods"]}["2020-03"] == 2  # a2-1 is a1-1's event, a2-2 its own
        assert client.get("/stats").json()["events"] == 7


@pytest.mark.issue(7)
def test_web_serve_token_sources(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import argparse

    from dyade.commands.serve import read_token
    from dyade.errors import DyadeError

    config = tmp_path / "dyade.toml"
    config.write_text('[serve]\ntoken = "from-config"\n', encoding="utf-8")
    token_file = tmp_path / "token"
    token_file.write_text("from-file\n", encoding="utf-8")
    monkeypatch.delenv("DYADE_API_TOKEN", raising=False)
    args = argparse.Namespace(token_file=None, config=None)
    assert read_token(args) is None
    args.config = str(config)
    assert read_token(args) == "from-config"
    monkeypatch.setenv("DYADE_API_TOKEN", "from-env")
    assert read_token(args) == "from-env"
    args.token_file = str(token_file)
    assert read_token(args) == "from-file"
    token_file.write_text("  \n", encoding="utf-8")
    with pytest.raises(DyadeError, match="empty"):
        read_token(args)


@pytest.mark.issue(7)
def test_web_serve_cli_refuses_bad_setups(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    from dyade.cli import main

    monkeypatch.delenv("DYADE_API_TOKEN", raising=False)
    assert main(["serve", "--db", str(tmp_path / "missing.duckdb")]) == 2
    assert "no such database" in capsys.readouterr().err
    build_store(tmp_path / "x.duckdb")
    assert main(["serve", "--db", str(tmp_path / "x.duckdb"), "--protect-reads"]) == 2
    assert "needs a token" in capsys.readouterr().err
    assert main(["serve", "--db", str(tmp_path / "x.duckdb"), "--port", "70000"]) == 2
    assert main(["serve", "--db", str(tmp_path / "x.duckdb"), "--workers", "2"]) == 2
    assert "needs --read-only" in capsys.readouterr().err
    assert main(["serve", "--db", str(tmp_path / "x.duckdb"), "--read-only", "--db-threads", "0"]) == 2
    assert "1 or more" in capsys.readouterr().err
    assert main(["serve", "--db", str(tmp_path / "x.duckdb"), "--record-cache", "-5"]) == 2
    assert "--record-cache takes" in capsys.readouterr().err


@pytest.mark.issue(7)
def test_web_workers_build_their_app_from_the_environment(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from dyade.web.app import CONFIG_ENV, app_from_env

    config = ServeConfig(db=str(db_path), token=TOKEN, protect_reads=True, db_threads=1)
    assert ServeConfig.from_env(config.to_env()) == config
    monkeypatch.setenv(CONFIG_ENV, config.to_env())
    with TestClient(app_from_env()) as worker:
        assert worker.get("/events").status_code == 401
        page = worker.get("/events", params={"dyad": "TUR,RUS"}, headers={"Authorization": f"Bearer {TOKEN}"})
        assert page.status_code == 200 and page.json()["items"]
        assert worker.app.state.db.cursor().execute("SELECT current_setting('threads')").fetchone()[0] == 1
    monkeypatch.setenv(CONFIG_ENV, ServeConfig(db=str(db_path), read_only=False).to_env())
    with pytest.raises(ValueError, match="read-only"):
        app_from_env()
