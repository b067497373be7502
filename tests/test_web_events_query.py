"""GET /events over schema 3: keyed filters give the text filters' rows, merged=true, documented shapes."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi", reason="the web extra is not installed (pip install 'dyade[web]')")
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_web_api import TEXT, build_store, make_client, record

from dyade.model import Article
from dyade.store import Store
from dyade.web import models
from dyade.web.db import WebDB
from dyade.web.filters import SORTS, EventFilter, make_filter

# Beyond test_web_api's store: a code whose country is not its prefix, a side with a country only,
# a code that is a prefix of another, and a second report of a2-1 (merged with it).
MORE = [
    ("a4", [record("a4", 1, "IGOUNO", "TUR", "AGREE", 1, "2020-04-01")
            | {"source": {"code": "IGOUNO", "country": "USA", "sector": None, "name": "ONU"}},
            record("a4", 2, "TUR", "TURMIL", "ASSAULT", 4, "2020-04-02", background=True),
            record("a4", 3, "RUS", None, "THREATEN", 3, "2020-05")
            | {"source": {"code": None, "country": "RUS", "sector": None, "name": "Moscou"}},
            record("a4", 4, "TURMIL", "TURMIL", "ASSAULT", 4, "2020-06-01")]),
    ("a5", [record("a5", 1, "RUSGOV", "TURGOV", "CONSULT", 1, "2020-03-05")]),
]
CODES = ["TUR", "TURGOV", "TURMIL", "RUS", "RUSGOV", "SYR", "USA", "IGO", "IGOUNO", "FRA"]


@pytest.fixture(scope="module")
def db_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("keys") / "events.duckdb"
    build_store(path)
    with Store(path) as store:
        for article_id, records in MORE:
            article = Article(id=article_id, text=TEXT + article_id, title=f"Titre {article_id}",
                              published="2020-04-05", source="autre", url=f"https://example.invalid/{article_id}")
            store.add_article(article, records, coder_version="test")
    return path


@pytest.fixture(scope="module")
def db(db_file: Path, open_web_db: Any) -> WebDB:
    return open_web_db(db_file, records=False, threads=None)


@pytest.fixture(scope="module")
def client(db_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    path = tmp_path_factory.mktemp("copy") / "events.duckdb"
    shutil.copyfile(db_file, path)
    yield from make_client(path)


def by_text(db: WebDB, f: EventFilter) -> set[str]:
    """Event ids matched by the text filter (country OR code prefix on the text columns)."""
    where, params = f.where()
    return {row[0] for row in db.cursor().execute(f"SELECT event_id FROM mentions{where}", params).fetchall()}


def by_keys(db: WebDB, f: EventFilter) -> list[str]:
    """Event ids matched by the keyed branches, duplicates kept (the branches must be disjoint)."""
    branches, params = f.branches(db.actor_keys)
    words, wparams = f.words()
    rows: list[str] = []
    for where in branches:
        extra = ((" AND " if where else " WHERE ") + words) if words else ""
        rows += [r[0] for r in db.cursor().execute(f"SELECT event_id FROM mentions{where}{extra}",
                                                   [*params, *wparams]).fetchall()]
    return rows


def by_index(db: WebDB, f: EventFilter) -> set[str]:
    """Event ids the in-memory index keeps (it leaves q to SQL)."""
    rows = db.index.row_id[db.index.matches(f, db.cursor())].tolist()
    found = db.cursor().execute("SELECT event_id FROM mentions WHERE rowid = ANY(?)", [rows]).fetchall()
    return {row[0] for row in found}


codes = st.sampled_from(CODES)


@pytest.mark.issue(7)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(actor=st.none() | codes, country=st.none() | st.sampled_from(["TUR", "RUS", "USA", "SYR", "FRA"]),
       source=st.none() | codes, target=st.none() | codes, dyad=st.none() | st.tuples(codes, codes),
       types=st.lists(st.sampled_from(["CONSULT", "ASSAULT", "AGREE", "THREATEN"]), max_size=2),
       since=st.none() | st.sampled_from(["2020", "2020-03"]), until=st.none() | st.sampled_from(["2020-03", "2022"]),
       quads=st.lists(st.sampled_from([1, 3, 4]), max_size=2), place=st.none() | st.sampled_from(["idl", "SYR", "x"]),
       q=st.none() | st.sampled_from(["Russie", "x"]), negated=st.booleans(), background=st.booleans())
def test_web_keyed_filters_match_the_text_filters(db: WebDB, actor: str | None, country: str | None,
                                                  source: str | None, target: str | None,
                                                  dyad: tuple[str, str] | None, types: list[str], since: str | None,
                                                  until: str | None, quads: list[int], place: str | None,
                                                  q: str | None, negated: bool, background: bool) -> None:
    f = make_filter(actor=actor, country=country, source=source, target=target,
                    dyad=",".join(dyad) if dyad else None, types=types, since=since, until=until, quads=quads,
                    place=place, q=q, include_negated=negated, include_background=background)
    keyed = by_keys(db, f)
    assert len(keyed) == len(set(keyed))
    assert set(keyed) == by_text(db, f)
    if not q:
        assert by_index(db, f) == by_text(db, f)


@pytest.mark.issue(7)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sort=st.sampled_from(sorted(SORTS)), limit=st.integers(1, 4), actor=st.none() | codes,
       q=st.none() | st.just("Russie"))
def test_web_event_pages_follow_the_sql_order(client: Any, db: WebDB, sort: str, limit: int, actor: str | None,
                                              q: str | None) -> None:
    f = make_filter(actor=actor, q=q)
    where, params = f.where()
    chosen = SORTS[sort]
    direction = "DESC" if chosen.descending else "ASC"
    expected = [row[0] for row in db.cursor().execute(
        f"SELECT event_id FROM mentions{where} ORDER BY {chosen.key} {direction}, event_id {direction}", params
    ).fetchall()]
    seen: list[str] = []
    cursor = None
    for _ in range(len(expected) + 1):  # a cursor that does not move on fails, not loops
        params_ = {"sort": sort, "limit": limit, **({"actor": actor} if actor else {}), **({"q": q} if q else {}),
                   **({"cursor": cursor} if cursor else {})}
        page = client.get("/events", params=params_).json()
        seen += [item["event_id"] for item in page["items"]]
        if not (cursor := page["next_cursor"]):
            break
    assert seen == expected and cursor is None


@pytest.mark.issue(7)
@pytest.mark.parametrize(("params", "expected"), [
    ({"actor": "USA"}, {"a2-3", "a4-1"}),  # IGOUNO's country is USA
    ({"actor": "IGO"}, {"a4-1"}),
    ({"dyad": "TUR,TURMIL"}, {"a4-2", "a4-4"}),  # a4-4 matches both ways: listed once
    ({"actor": "RUS", "source": "RUS"}, {"a1-2", "a2-1", "a4-3", "a5-1"}),  # a4-3's source has a country only
    ({"background": "false", "actor": "TUR", "since": "2020-04"}, {"a4-1", "a4-4", "a3-1"}),  # not a4-2
])
def test_web_events_keyed_corner_cases(client: Any, params: dict[str, str], expected: set[str]) -> None:
    page = client.get("/events", params={"limit": 500, **params}).json()
    assert [i["event_id"] for i in page["items"]] and {i["event_id"] for i in page["items"]} == expected
    assert len(page["items"]) == len(expected)


@pytest.mark.issue(7)
def test_web_events_merged_mirrors_dyade_events_merged(client: Any, db_file: Path) -> None:
    with Store(db_file, read_only=True) as store:
        expected = {event["event_id"]: event for event in store.query_merged(dyad=("TUR", "RUS"))}
    page = client.get("/events", params={"merged": "true", "dyad": "TUR,RUS", "total": "true"}).json()
    assert page["merged"] is True and page["total"] == len(expected) == len(page["items"])
    assert {item["event_id"]: item for item in page["items"]} == expected
    [twice] = client.get("/events", params={"merged": "true", "min_mentions": 2}).json()["items"]
    assert (twice["n_mentions"], twice["n_articles"], twice["n_sources"]) == (2, 2, 2)
    assert sorted(m["event_id"] for m in client.get(f"/events/{twice['event_id']}").json()["mentions"]) \
        == ["a2-1", "a5-1"]
    seen, cursor = [], None
    for _ in range(20):  # pages of one cover every merged event once, in date order
        page = client.get("/events", params={"merged": "true", "limit": 1, "sort": "-date",
                                             **({"cursor": cursor} if cursor else {})}).json()
        seen += [(item["event_date"] or "", item["event_id"]) for item in page["items"]]
        if not (cursor := page["next_cursor"]):
            break
    with Store(db_file, read_only=True) as store:
        assert len(seen) == len(set(seen)) == len(store.query_merged())
    dated = [date for date, _ in seen if date]
    assert dated == sorted(dated, reverse=True)
    words = client.get("/events", params={"merged": "true", "q": "manifestation"}).json()["items"]
    assert [item["plover"]["type"] for item in words] == ["PROTEST"]


@pytest.mark.issue(7)
@pytest.mark.parametrize("params", [{"min_mentions": "2"}, {"merged": "true", "background": "false"},
                                    {"merged": "true", "min_mentions": "0"}])
def test_web_events_merged_bad_parameters(client: Any, params: dict[str, str]) -> None:
    response = client.get("/events", params=params)
    assert response.status_code == 422 and response.json()["detail"]


@pytest.mark.issue(7)
def test_web_openapi_documents_the_response_shapes(client: Any) -> None:
    spec = client.get("/openapi.json").json()
    routes = {"/events": "EventPage", "/events/{event_id}": "EventDetail", "/articles/{article_id}": "ArticleDetail",
              "/dyads/{a}/{b}/series": "Series", "/actors/{code}/series": "Series", "/network": "Network",
              "/actors": "Actors"}
    for path, name in routes.items():
        schema = spec["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        assert schema == {"$ref": f"#/components/schemas/{name}"}
    page = spec["components"]["schemas"]["EventPage"]
    assert {"limit", "sort", "next_cursor", "merged", "total", "articles", "items"} <= set(page["properties"])
    assert {"event_id", "article_id", "plover", "cameo", "evidence"} <= set(spec["components"]["schemas"]["Mention"]
                                                                            ["properties"])


@pytest.mark.issue(7)
def test_web_answers_have_the_documented_shapes(client: Any) -> None:
    answers = [
        (models.EventPage, client.get("/events", params={"dyad": "TUR,RUS", "total": "true"})),
        (models.EventPage, client.get("/events", params={"merged": "true"})),
        (models.EventDetail, client.get("/events/a2-1")),
        (models.ArticleDetail, client.get("/articles/a1")),
        (models.Series, client.get("/dyads/TUR/RUS/series")),
        (models.Series, client.get("/actors/TUR/series", params={"by": "year"})),
        (models.Network, client.get("/network")),
        (models.Actors, client.get("/actors", params={"q": "tur"})),
    ]
    for model, response in answers:
        assert response.status_code == 200
        body = response.json()
        parsed = model.model_validate(body)
        assert parsed.model_dump(exclude_unset=True).keys() == body.keys()
    merged = models.EventPage.model_validate(answers[1][1].json())
    assert merged.items and all(isinstance(item, models.MergedEvent) for item in merged.items)
