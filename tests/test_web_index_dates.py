"""The in-memory index's date filters (a slice of the date order) keep and order the rows SQL does."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import duckdb
import pytest

pytest.importorskip("fastapi", reason="the web extra is not installed (pip install 'dyade[web]')")
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_web_api import record

from dyade.model import Article
from dyade.store import Store
from dyade.web import pages
from dyade.web.db import WebDB
from dyade.web.filters import SORTS, EventFilter, make_filter

BOUNDS = ["1900", "2014", "2016", "2016-02", "2016-02-29", "2017-06-15", "2018-12", "2019", "2021-01-01", "2030", "9999"]


@pytest.fixture(scope="module")
def dated_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """600 mentions dated to the day, month or year, or not at all; a few with odd starts and ends."""
    path = tmp_path_factory.mktemp("dates") / "events.duckdb"
    rng = random.Random(5)
    with Store(path) as store:
        for n in range(120):
            records = []
            for k in range(5):
                year, month, day = rng.randrange(2014, 2022), rng.randrange(1, 13), rng.randrange(1, 29)
                date = rng.choice([f"{year}-{month:02d}-{day:02d}", f"{year}-{month:02d}", f"{year}", None])
                one, two = rng.sample(["TUR", "RUS", "SYR", "USA"], 2)
                records.append(record(f"d{n:03d}", k, one, two, "ACCUSE", 3, date, confidence=rng.random()))
            store.add_article(Article(id=f"d{n:03d}", text=f"texte {n}"), records, coder_version="test")
    con = duckdb.connect(str(path))  # an end without a start, an end before the start, a start without an end
    con.execute("UPDATE mentions SET date_start = NULL WHERE event_id IN "
                "(SELECT event_id FROM mentions WHERE date_end IS NOT NULL ORDER BY event_id LIMIT 3)")
    con.execute("UPDATE mentions SET date_end = date_start - 40 WHERE event_id IN "
                "(SELECT event_id FROM mentions WHERE date_start > DATE '2018-01-01' ORDER BY event_id LIMIT 3)")
    con.execute("UPDATE mentions SET date_end = NULL WHERE event_id IN "
                "(SELECT event_id FROM mentions WHERE date_start > DATE '2016-01-01' ORDER BY event_id DESC LIMIT 3)")
    con.close()
    return path


@pytest.fixture(scope="module")
def db(dated_store: Path, open_web_db: Any) -> WebDB:
    return open_web_db(dated_store)


def sql_ids(db: WebDB, f: EventFilter, sort: str, limit: int | None) -> list[str]:
    """Event ids matching `f`, in `sort` order, as SQL finds them."""
    where, values = f.where()
    order = SORTS[sort]
    direction = "DESC" if order.descending else "ASC"
    rows = db.cursor().execute(f"SELECT event_id FROM mentions{where} ORDER BY {order.key} {direction}, event_id "
                               f"{direction} LIMIT ?", [*values, limit or 10**6]).fetchall()
    return [row[0] for row in rows]


def index_ids(db: WebDB, rows: list[int]) -> list[str]:
    """Event ids of these rowids, in their order."""
    found = dict(db.cursor().execute("SELECT rowid, event_id FROM mentions WHERE rowid = ANY(?)", [rows]).fetchall())
    return [found[row] for row in rows]


@pytest.mark.issue(7)
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(since=st.none() | st.sampled_from(BOUNDS), until=st.none() | st.sampled_from(BOUNDS),
       sort=st.sampled_from(sorted(SORTS)), limit=st.sampled_from([1, 5, 40, 700]),
       actor=st.sampled_from([None, "TUR", "SYR"]))
def test_web_index_dates_pages_and_matches_follow_sql(db: WebDB, since: str | None, until: str | None, sort: str,
                                                      limit: int, actor: str | None) -> None:
    if since and until and since > until:
        since, until = until, since
    f = make_filter(since=since, until=until, actor=actor)
    index, cur = db.index, db.cursor()
    rows, _ = index.page(f, cur, SORTS[sort], limit)
    assert index_ids(db, rows.tolist()) == sql_ids(db, f, sort, limit)
    kept = index.row_id[index.matches(f, cur)].tolist()
    assert len(kept) == len(set(kept)) and sorted(index_ids(db, kept)) == sorted(sql_ids(db, f, sort, None))


@pytest.mark.issue(7)
@pytest.mark.parametrize("sort", ["date", "-date", "-goldstein"])
@pytest.mark.parametrize(("since", "until"), [("1900", None), (None, "9999"), ("1900", "9999"), ("2021", None)])
def test_web_index_dates_far_bounds_keep_what_sql_keeps(db: WebDB, sort: str, since: str | None,
                                                        until: str | None) -> None:
    f = make_filter(since=since, until=until)  # every dated row, and the rows without a start or an end at the ends
    rows, _ = db.index.page(f, db.cursor(), SORTS[sort], 700)
    assert index_ids(db, rows.tolist()) == sql_ids(db, f, sort, 700)


@pytest.mark.issue(7)
@pytest.mark.parametrize("sort", ["date", "-date", "goldstein"])
def test_web_index_dates_cursor_pages_follow_sql(db: WebDB, sort: str) -> None:
    f = make_filter(since="2016-02", until="2019")
    seen: list[str] = []
    cursor = None
    while True:
        page = pages.EventPage(db, f, SORTS[sort], cursor, 37, True)
        if not page.prepare():
            page.fetch()
        body = json.loads(page.render())
        seen += [item["event_id"] for item in body["items"]]
        assert body["total"] == len(sql_ids(db, f, sort, None))
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert seen == sql_ids(db, f, sort, None)
