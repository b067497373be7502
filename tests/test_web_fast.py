"""GET /events from memory: the record cache, the index's seeded and scanned paths, `q` in memory, orjson."""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

pytest.importorskip("fastapi", reason="the web extra is not installed (pip install 'dyade[web]')")
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_web_api import TOKEN, build_store, make_client, record

from dyade.model import Article
from dyade.store import Store
from dyade.web import jsontext, pages
from dyade.web.db import WebDB
from dyade.web.filters import SORTS, EventFilter, make_filter
from dyade.web.records import ArticleCache, Record, RecordCache

# Words whose case DuckDB's lower() and Python's str.lower() fold differently (final sigma, dotted I).
ODD_WORDS = ["ΣΑΣ", "σας", "İstanbul", "istanbul", "Straße", "STRASSE", "ǅ", "école", "ÉCOLE", "ﬁn", "%", "_", "\\"]


@pytest.fixture(scope="module")
def synthetic(synthetic_store: Path) -> Path:
    return synthetic_store


@pytest.fixture(scope="module")
def db(synthetic: Path, open_web_db: Any) -> WebDB:
    return open_web_db(synthetic)


@pytest.fixture(scope="module")
def client(synthetic: Path) -> Iterator[Any]:
    yield from make_client(synthetic)


def filter_of(params: dict[str, Any]) -> EventFilter:
    """The EventFilter of GET /events parameters."""
    return make_filter(actor=params.get("actor"), country=params.get("country"), source=params.get("source"),
                       target=params.get("target"), dyad=params.get("dyad"),
                       types=[t for t in params.get("type", "").split(",") if t],
                       quads=[int(q) for q in params.get("quad", "").split(",") if q], since=params.get("since"),
                       until=params.get("until"), place=params.get("place"), q=params.get("q"),
                       include_negated=params.get("negated", "true") == "true")


def sql_page(db: WebDB, params: dict[str, Any]) -> list[str]:
    """The event ids of a page as SQL orders them (the reference the index must follow)."""
    where, values = filter_of(params).where()
    sort = SORTS[params["sort"]]
    direction = "DESC" if sort.descending else "ASC"
    rows = db.cursor().execute(f"SELECT event_id FROM mentions{where} ORDER BY {sort.key} {direction}, "
                               f"event_id {direction} LIMIT ?", [*values, params["limit"]]).fetchall()
    return [row[0] for row in rows]


@pytest.mark.issue(7)
def test_web_fast_pages_of_the_load_mix_follow_sql(load_api: ModuleType, client: Any, db: WebDB) -> None:
    for params in load_api.request_mix(150, 5):
        page = client.get("/events", params=params)
        assert page.status_code == 200, (params, page.text)
        body = page.json()
        assert [item["event_id"] for item in body["items"]] == sql_page(db, params), params
        assert set(body["articles"]) == {item["article_id"] for item in body["items"]}


@pytest.mark.issue(7)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sort=st.sampled_from(sorted(SORTS)), limit=st.sampled_from([7, 60, 400]),
       params=st.sampled_from([{}, {"actor": "TUR"}, {"country": "RUS", "quad": "3,4"}, {"dyad": "TUR,SYR"},
                               {"since": "2016-03", "until": "2019"}, {"place": "kiev"}, {"negated": "false"},
                               {"source": "RUSGOV", "target": "TUR"}, {"q": "Genève", "actor": "TUR"},
                               {"q": "genève"}, {"type": "AID,ASSAULT"}]))
def test_web_fast_cursor_pages_cover_the_sql_order(client: Any, db: WebDB, sort: str, limit: int,
                                                     params: dict[str, str]) -> None:
    expected = sql_page(db, {**params, "sort": sort, "limit": 100_000})
    seen: list[str] = []
    cursor = None
    for _ in range(len(expected) // limit + 2):
        page = client.get("/events", params={**params, "sort": sort, "limit": limit, "total": "true",
                                             **({"cursor": cursor} if cursor else {})}).json()
        assert page["total"] == len(expected)
        seen += [item["event_id"] for item in page["items"]]
        if not (cursor := page["next_cursor"]):
            break
    assert seen == expected


@pytest.mark.issue(7)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sort=st.sampled_from(sorted(SORTS)), limit=st.sampled_from([1, 21, 101, 501, 5000]),
       actor=st.sampled_from([None, "TUR", "RUS", "USAGOV"]), country=st.sampled_from([None, "TUR", "FRA"]),
       since=st.sampled_from([None, "2015", "2019-06", "2023-12"]), until=st.sampled_from([None, "2016", "2021-02"]),
       quads=st.sampled_from([[], [4], [1, 2]]), negated=st.booleans())
def test_web_fast_walked_pages_are_the_ordered_ones(db: WebDB, sort: str, limit: int, actor: str | None,
                                                    country: str | None, since: str | None, until: str | None,
                                                    quads: list[int], negated: bool) -> None:
    if since and until and since > until:
        until = None
    f = make_filter(actor=actor, country=country, since=since, until=until, quads=quads, include_negated=negated)
    index, cur = db.index, db.cursor()
    rows, keys = index.page(f, cur, SORTS[sort], limit)
    expected_rows, expected_keys = index.ordered(index.matches(f, cur), SORTS[sort], None, limit)
    assert rows.tolist() == expected_rows.tolist() and keys.tolist() == expected_keys.tolist()


@pytest.mark.issue(7)
def test_web_fast_page_needs_no_query_once_cached(db: WebDB) -> None:
    f, sort = make_filter(dyad="TUR,RUS", since="2016"), SORTS["-date"]
    page = pages.EventPage(db, f, sort, None, 50, True)
    assert page.prepare()  # filled when the store was opened: nothing left for DuckDB
    assert json.loads(page.render())["total"] == len(sql_page(db, {"dyad": "TUR,RUS", "since": "2016",
                                                                   "sort": "-date", "limit": 10_000}))
    stored = dict(db.cursor().execute("SELECT event_id, record FROM mentions").fetchall())
    for item in json.loads(page.render())["items"]:
        assert item == json.loads(stored[item["event_id"]]) | {"n_mentions": 1, "merged_event_id": None}


@pytest.mark.issue(7)
@pytest.mark.parametrize("megabytes", [0.2, 0.0])  # 0: `dyade serve --record-cache 0`, no record kept
def test_web_fast_a_tiny_cache_serves_the_same_pages(load_api: ModuleType, synthetic: Path, db: WebDB,
                                                     megabytes: float) -> None:
    small = WebDB(synthetic, read_only=True, threads=1, record_cache_mb=megabytes)
    small.load_records()
    try:
        assert (0 < small.view.records.nbytes if megabytes else small.view.records.nbytes == 0)
        assert small.view.records.nbytes <= megabytes * 2**20 and len(small.view.records) < 4000
        for params in load_api.request_mix(60, 9):
            f = filter_of(params)
            one = pages.list_events(small, f, SORTS[params["sort"]], None, params["limit"], True)
            two = pages.list_events(db, f, SORTS[params["sort"]], None, params["limit"], True)
            assert one == two
        assert small.view.records.nbytes <= megabytes * 2**20
    finally:
        small.close()


@pytest.mark.issue(7)
def test_web_fast_record_cache_drops_the_oldest_beyond_its_bound() -> None:
    cache = RecordCache(max_bytes=3000)
    entries = {n: Record(f"e{n}", "a", b"{" + b"x" * 500 + b"}", None) for n in range(10)}
    cache.put_many(entries)
    assert cache.nbytes <= 3000 and len(cache) == 3000 // entries[0].size()
    assert cache.get_many([0, 9]) == [None, entries[9]]
    cache.put_many({20: entries[1]}, evict=False)  # when filling: nothing is dropped for it
    assert cache.get_many([9, 20]) == [entries[9], None]
    articles = ArticleCache(max_entries=2)
    articles._put({"a": b'"a":{}', "b": b'"b":{}', "c": None})
    assert len(articles) == 2 and articles.missing({"a", "b", "c"}) == ["a"]
    assert articles.json({"b", "c", "z"}) == b'{"b":{}}'
    assert articles.cached_json({"b", "c"}) == b'{"b":{}}' and articles.cached_json({"b", "z"}) is None


def _text_coder(articles: list[Article]) -> list[tuple[Article, list[dict[str, Any]], str, str | None]]:
    """One event per article whose sentence is the article's text (so a new text shows in the record)."""
    out = []
    for article in articles:
        rec = record(article.id, 1, "TUR", "RUS", "ACCUSE", 3, "2022-05-01")
        rec["evidence"] = {"text": article.text, "start": 0, "end": len(article.text), "trigger": None}
        out.append((article, [rec], "coded", None))
    return out


@pytest.mark.issue(7)
def test_web_fast_record_cache_is_renewed_after_a_post(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from dyade.web import ServeConfig, create_app

    path = tmp_path / "events.duckdb"
    build_store(path)
    auth = {"Authorization": f"Bearer {TOKEN}"}
    with TestClient(create_app(ServeConfig(db=str(path), read_only=False, token=TOKEN), coder=_text_coder)) as web:
        before = web.get("/events", params={"dyad": "TUR,RUS", "limit": 500}).json()["items"]
        view = web.app.state.db.view
        assert len(view.records) == 8  # every record cached
        assert web.post("/articles", json={"id": "a1", "text": "Ankara accuse Moscou."}, headers=auth).status_code \
            == 200
        after = web.get("/events", params={"dyad": "TUR,RUS", "limit": 500}).json()["items"]
        assert web.app.state.db.view is not view
        gone = {item["event_id"] for item in before if item["article_id"] == "a1"} - {"a1-1"}
        assert gone and not gone & {item["event_id"] for item in after}  # a1's old events are no longer listed
        [new] = [item for item in after if item["event_id"] == "a1-1"]
        assert new["evidence"]["text"] == "Ankara accuse Moscou." and new["plover"]["type"] == "ACCUSE"
        assert [i["event_id"] for i in web.get("/events", params={"q": "accuse moscou"}).json()["items"]] == ["a1-1"]
        for _ in range(2):  # the same again, from the cache filled after the write
            again = web.get("/events", params={"dyad": "TUR,RUS", "limit": 500}).json()["items"]
            assert again == after
        assert web.get("/events/a1-1").json()["event"]["evidence"]["text"] == "Ankara accuse Moscou."


@pytest.fixture(scope="module")
def odd_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Sentences in odd cases and scripts, one per mention."""
    path = tmp_path_factory.mktemp("odd") / "events.duckdb"
    with Store(path) as store:
        for n, word in enumerate(ODD_WORDS):
            rec = record(f"o{n}", 1, "TUR", "RUS", "ACCUSE", 3, "2021-01-01")
            rec["evidence"] = {"text": f"Avant {word} après", "start": 0, "end": 10, "trigger": None}
            store.add_article(Article(id=f"o{n}", text=f"texte {n}"), [rec], coder_version="test")
    return path


@pytest.fixture(scope="module")
def odd_db(odd_store: Path, open_web_db: Any) -> WebDB:
    return open_web_db(odd_store, records=False, threads=None)


letters = st.characters(blacklist_categories=("Cs", "Cc"))


@pytest.mark.issue(7)
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(words=st.sampled_from(ODD_WORDS) | st.text(letters, min_size=1, max_size=3).filter(lambda text: text.strip()))
def test_web_fast_q_in_memory_matches_ilike(odd_db: WebDB, words: str) -> None:
    f = make_filter(q=words)
    where, values = f.where()
    expected = {row[0] for row in odd_db.cursor().execute(f"SELECT event_id FROM mentions{where}", values).fetchall()}
    page = pages.EventPage(odd_db, f, SORTS["date"], None, 500, True)
    if not page.prepare():  # lower(q) is asked of DuckDB once
        page.fetch()
    assert page.found is not None and page.index_keys  # found in memory, not by SQL
    body = json.loads(page.render())
    assert {item["event_id"] for item in body["items"]} == expected and body["total"] == len(expected)


@pytest.mark.issue(7)
@pytest.mark.parametrize("value", [
    None, True, 0, -1, 2**63 - 1, 2**70, 0.1, -0.0, 1e300, 5e-324, float("nan"), float("inf"), "", "é à ç ß",
    "日本語 🇫🇷 👩‍👩‍👧", "\u2028\u2029 \u202e RTL", '" \\ / \b \f \n \r \t \x00 \x1f \x7f', "\ud800 lone",
    {"n": None, "l": [1, "x", {"y": [None, False]}], "k": "Ünïcode"}, [float("nan"), {"nested": float("-inf")}],
])
def test_web_fast_orjson_writes_what_the_json_module_does(value: Any) -> None:
    fast, plain = jsontext.dumps(value), jsontext.dumps_json(value)
    assert json.loads(fast) == json.loads(plain)
    if not any(isinstance(v, float) for v in _leaves(value)):  # floats may be written 1e+300 or 1e300
        assert fast == plain
    expected = json.loads(json.dumps(value, ensure_ascii=True).replace("NaN", "null").replace("-Infinity", "null")
                          .replace("Infinity", "null"))
    assert json.loads(fast) == expected  # NaN and infinities become null: JSON has no such numbers
    if isinstance(value, float) and math.isfinite(value):
        assert json.loads(fast) == value


def _leaves(value: Any) -> list[Any]:
    """Every scalar inside `value`."""
    if isinstance(value, dict):
        return [leaf for item in value.values() for leaf in _leaves(item)]
    if isinstance(value, list):
        return [leaf for item in value for leaf in _leaves(item)]
    return [value]


@pytest.mark.issue(7)
@pytest.mark.parametrize(("params", "expected"), [
    ({"limit": "5.5"}, 422), ({"limit": "1e3"}, 422), ({"limit": "٣"}, 422), ({"limit": ""}, 422),
    ({"limit": " 7 "}, 200), ({"limit": "+7"}, 200), ({"limit": "7.0"}, 200), ({"limit": "1_0"}, 200),
    ({"quad": "²"}, 422), ({"quad": "3, 4"}, 200), ({"quad": "0"}, 422), ({"negated": "TRUE"}, 200),
    ({"negated": "Off"}, 200), ({"negated": ""}, 422), ({"total": "yes"}, 200), ({"merged": "2"}, 422),
    ({"min_mentions": "0", "merged": "true"}, 422), ({"cursor": "x" * 401}, 422), ({"place": "x" * 201}, 422),
    ({"actor": ""}, 422), ({"type": ""}, 200), ({"unknown": "x"}, 200),
])
def test_web_fast_parameters_are_read_as_fastapi_read_them(client: Any, params: dict[str, str],
                                                            expected: int) -> None:
    response = client.get("/events", params=params)
    assert response.status_code == expected, response.text
    if expected == 422:
        assert isinstance(response.json()["detail"], str) and response.json()["detail"]


@pytest.mark.issue(7)
def test_web_fast_repeated_parameters(client: Any, db: WebDB) -> None:
    last = client.get("/events?limit=3&limit=5").json()
    assert last["limit"] == 5 and len(last["items"]) == 5
    both = client.get("/events?type=AID&type=ASSAULT&limit=500").json()["items"]
    assert {item["plover"]["type"] for item in both} == {"AID", "ASSAULT"}


@pytest.mark.issue(7)
def test_web_fast_openapi_documents_the_query_parameters(client: Any) -> None:
    spec = client.get("/openapi.json").json()["paths"]
    events = {p["name"]: p for p in spec["/events"]["get"]["parameters"]}
    assert list(events) == ["sort", "cursor", "limit", "total", "merged", "min_mentions", "actor", "country",
                            "source", "target", "dyad", "type", "quad", "since", "until", "place", "q", "negated",
                            "background"]
    assert events["limit"]["schema"] == {"type": "integer", "minimum": 1, "maximum": 500, "default": 50,
                                              "title": "Limit"}
    assert events["actor"]["schema"]["maxLength"] == 20 and events["type"]["schema"]["type"] == "array"
    assert events["negated"]["schema"]["default"] is True and events["q"]["description"]
    network = [p["name"] for p in spec["/network"]["get"]["parameters"]]
    assert network[:3] == ["level", "min_count", "limit"] and "dyad" in network and "background" in network


@pytest.mark.issue(7)
def test_web_fast_workers_hand_the_cache_size_on(synthetic: Path) -> None:
    from dyade.web import ServeConfig, create_app

    config = ServeConfig(db=str(synthetic), record_cache_mb=0.5)
    assert ServeConfig.from_env(config.to_env()) == config
    app = create_app(config)
    try:
        assert app.state.db.view.records.max_bytes == 512 * 1024
        assert len(app.state.db.view.records) == 0  # loaded when the server starts, not when the app is built
    finally:
        app.state.db.close()
