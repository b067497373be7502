"""GET /events's fast path (web/fast.py) answers byte for byte what FastAPI's route answers."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

pytest.importorskip("fastapi", reason="the web extra is not installed (pip install 'dyade[web]')")
with warnings.catch_warnings():  # Starlette asks for httpx2 in its test client; httpx still works
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_web_api import TOKEN

from dyade.web import ServeConfig, create_app
from dyade.web.app import DyadeAPI

BAD = [{"since": "2020-13"}, {"until": "hier"}, {"dyad": "TUR"}, {"dyad": "TUR,RUS,SYR"}, {"actor": "T R"},
       {"actor": "x" * 30}, {"country": "TURK"}, {"cursor": "garbage!"}, {"limit": "0"}, {"limit": "501"},
       {"limit": "ten"}, {"sort": "random"}, {"since": "2021", "until": "2020"}, {"q": " "}, {"negated": "maybe"},
       {"quad": "5"}, {"type": "DANCE"}, {"min_mentions": "2"}, {"total": "peut-être"}, {"place": "x" * 201},
       {"background": "2"}, {"merged": "true", "background": "false"}]
VALUES = {  # good and bad values of each parameter
    "actor": ["TUR", "RUSGOV", "usa", " FRA ", "T R", ""], "country": ["SYR", "syr", "SY", ""],
    "source": ["TUR", "IRN", "??"], "target": ["RUS", "UKRMIL", "x" * 21], "dyad": ["TUR,RUS", "TUR,TUR", "TUR", ","],
    "type": ["ASSAULT", "consult,AGREE", "DANCE", ""], "quad": ["1", "3,4", " 2 ", "0", "x"],
    "since": ["2016", "2018-05", "2019-02-30", "2030"], "until": ["2017-12", "2022", "demain"],
    "place": ["Idleb", "SYR", "%", "_", ""], "q": ["rencontre", "RENCONTRE", "Genève", "zzz", " ", "%"],
    "negated": ["false", "0", "yes", "maybe"], "background": ["false", "on", "2"],
    "sort": ["date", "-date", "goldstein", "-goldstein", "confidence", "-confidence", "random"],
    "limit": ["1", "7", "50", "500", "501", "0", "1.0", "+3", "ten"], "total": ["true", "false", "maybe"],
    "merged": ["false", "true"], "min_mentions": ["1", "2", "0"],
}


def serve(path: Path, stack: ExitStack, **options: Any) -> tuple[TestClient, list[bool]]:
    """A TestClient over a new app, and the list of the fast path's answers (True: it answered itself)."""
    fast = options.pop("fast", True)
    app = create_app(ServeConfig(db=str(path), **options), fast=fast)
    assert isinstance(app, DyadeAPI)
    answered: list[bool] = []
    inner = app.fast
    if inner is not None:
        async def spy(scope: Any, send: Any) -> bool:
            """The fast path, its answers recorded."""
            done = await inner(scope, send)
            if scope["type"] == "http":
                answered.append(done)
            return done

        app.fast = spy  # type: ignore[assignment]
    return stack.enter_context(TestClient(app)), answered


@pytest.fixture(scope="module")
def synthetic(synthetic_store: Path) -> Path:
    return synthetic_store


@pytest.fixture(scope="module")
def apps(synthetic: Path) -> Iterator[dict[str, tuple[TestClient, list[bool]]]]:
    """FastAPI alone, the fast path, and the fast path with a record cache far smaller than the store."""
    with ExitStack() as stack:
        yield {"slow": serve(synthetic, stack, fast=False), "fast": serve(synthetic, stack),
               "small": serve(synthetic, stack, record_cache_mb=0.2)}


def answer(client: TestClient, params: Any = None, **options: Any) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
    """Status, headers and body of GET /events."""
    response = client.get("/events", params=params, **options)
    return response.status_code, response.headers.raw, response.content


def assert_same(apps: dict[str, tuple[TestClient, list[bool]]], params: Any, **options: Any) -> int:
    """Every app answers the same bytes; returns the status."""
    expected = answer(apps["slow"][0], params, **options)
    for name in ("fast", "small"):
        assert answer(apps[name][0], params, **options) == expected, (name, params)
    return expected[0]


@pytest.mark.issue(7)
def test_web_fast_path_answers_the_load_mix_as_fastapi(load_api: ModuleType,
                                                       apps: dict[str, tuple[TestClient, list[bool]]]) -> None:
    apps["fast"][1].clear()
    mix = load_api.request_mix(200, 21)
    for params in mix:
        assert assert_same(apps, params) == 200, params
        assert assert_same(apps, {**params, "total": "true"}) == 200, params
    answered = apps["fast"][1]
    assert len(answered) == 2 * len(mix) and sum(answered) > len(mix)  # most pages came from memory


@pytest.mark.issue(7)
@pytest.mark.parametrize("params", BAD)
def test_web_fast_path_leaves_bad_parameters_to_fastapi(apps: dict[str, tuple[TestClient, list[bool]]],
                                                        params: dict[str, str]) -> None:
    assert assert_same(apps, params) == 422
    assert apps["fast"][0].get("/events", params=params).json()["detail"]


@pytest.mark.issue(7)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(params=st.dictionaries(st.sampled_from(sorted(VALUES)), st.none(), max_size=5).flatmap(
    lambda names: st.fixed_dictionaries({name: st.sampled_from(VALUES[name]) for name in names})))
def test_web_fast_path_answers_any_parameters_as_fastapi(apps: dict[str, tuple[TestClient, list[bool]]],
                                                         params: dict[str, str]) -> None:
    assert assert_same(apps, params) in (200, 422)


@pytest.mark.issue(7)
@pytest.mark.parametrize("sort", ["date", "-date", "goldstein", "-confidence"])
def test_web_fast_path_cursor_pages_are_fastapi_pages(apps: dict[str, tuple[TestClient, list[bool]]],
                                                      sort: str) -> None:
    params: dict[str, Any] = {"country": "TUR", "sort": sort, "limit": 97}
    seen = 0
    while True:
        assert assert_same(apps, params) == 200
        page = apps["slow"][0].get("/events", params=params).json()
        seen += len(page["items"])
        if page["next_cursor"] is None:
            break
        params["cursor"] = page["next_cursor"]
    assert seen == apps["slow"][0].get("/events", params={"country": "TUR", "total": "true"}).json()["total"]


@pytest.mark.issue(7)
def test_web_fast_path_repeated_and_odd_query_strings(apps: dict[str, tuple[TestClient, list[bool]]]) -> None:
    for query in ["type=ASSAULT&type=AGREE&quad=4", "actor=TUR&actor=RUS", "limit=3&limit=4", "sort=-date&",
                  "q=rencontre&q=", "actor=%54UR", "place=Idl%C3%A9b", "place=Gen%E8ve", "q=a+b", "dyad=TUR%2CRUS",
                  "limit", "&&", "since=2016&since=", "q=%ff%fe", "x=1&y"]:
        slow, fast, small = (apps[name][0].get(f"/events?{query}") for name in ("slow", "fast", "small"))
        expected = (slow.status_code, slow.headers.raw, slow.content)
        assert (fast.status_code, fast.headers.raw, fast.content) == expected, query
        assert (small.status_code, small.headers.raw, small.content) == expected, query


@pytest.mark.issue(7)
def test_web_fast_path_leaves_other_requests_to_fastapi(apps: dict[str, tuple[TestClient, list[bool]]]) -> None:
    slow, fast = apps["slow"][0], apps["fast"][0]
    for method, url in [("HEAD", "/events"), ("POST", "/events"), ("GET", "/events/"), ("GET", "/events/e00000001"),
                        ("GET", "/stats"), ("GET", "/openapi.json")]:
        one, two = slow.request(method, url, follow_redirects=False), fast.request(method, url, follow_redirects=False)
        assert (one.status_code, one.headers.raw, one.content) == (two.status_code, two.headers.raw, two.content), url
    assert "/events" in fast.get("/openapi.json").json()["paths"]
    for content in (b"", b"{}"):  # a body on a GET: the body limit still looks at it
        one, two = (client.request("GET", "/events", content=content) for client in (slow, fast))
        assert (one.status_code, one.content) == (two.status_code, two.content)


@pytest.mark.issue(7)
def test_web_fast_path_body_limit_still_applies(synthetic: Path) -> None:
    with ExitStack() as stack:
        (slow, _), (fast, answered) = (serve(synthetic, stack, max_body=16, fast=fast) for fast in (False, True))
        for client in (slow, fast):
            response = client.request("GET", "/events", content=b"x" * 100)
            assert response.status_code == 413
        assert answered == [False]


@pytest.mark.issue(7)
def test_web_fast_path_keeps_the_read_token(synthetic: Path) -> None:
    with ExitStack() as stack:
        (slow, _), (fast, answered) = (serve(synthetic, stack, token=TOKEN, protect_reads=True, fast=fast)
                                       for fast in (False, True))
        headers: list[dict[str, str]] = [{}, {"Authorization": "Bearer nope"}, {"Authorization": "Bearer "},
                                         {"Authorization": f"Bearer {TOKEN}"}, {"Authorization": f"bearer  {TOKEN} "},
                                         {"X-API-Token": TOKEN}, {"X-API-Token": "nope"}, {"Authorization": TOKEN}]
        statuses = []
        for given in headers:
            expected = answer(slow, {"actor": "TUR"}, headers=given)
            assert answer(fast, {"actor": "TUR"}, headers=given) == expected, given
            statuses.append(expected[0])
        assert statuses == [401, 403, 401, 200, 200, 200, 403, 401]
        assert answered == [False, False, False, True, True, True, False, False]


@pytest.mark.issue(7)
def test_web_fast_path_store_larger_than_the_record_cache(load_api: ModuleType, synthetic: Path,
                                                          apps: dict[str, tuple[TestClient, list[bool]]]) -> None:
    small = apps["small"][0]
    records = small.app.state.db.view.records  # type: ignore[attr-defined]
    assert 0 < len(records) < 4000 // 4  # most pages need DuckDB for some of their records
    for params in load_api.request_mix(120, 23):
        assert assert_same(apps, params) == 200, params
    assert records.nbytes <= 0.2 * 2**20
