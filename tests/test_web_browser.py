"""Browser tests of the dashboard: Playwright drives Debian's Chromium against a server started here.

The store is the demo corpus plus an article whose text, title, source and URL carry script
injections; the page must show them as text and run none of them. With DYADE_SCREENSHOTS=1 the
screenshots of the dyad and article views are written to docs/screenshots/ (else to a temporary folder).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi", reason="the web extra is not installed (pip install 'dyade[web]')")
uvicorn = pytest.importorskip("uvicorn", reason="the web extra is not installed (pip install 'dyade[web]')")
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install playwright)")

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]
DOCS_SCREENSHOTS = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
XSS = {
    "id": "xss-001",
    "title": "<img src=x onerror=alert('title')>Ankara accuse Moscou",
    "published": "2020-03-05",
    "url": "javascript:alert('url')",
    "source": "<script>alert('source')</script>",
    "text": "ANKARA, 5 mars 2020 - La Turquie a accusé jeudi la Russie de violer le cessez-le-feu à Idleb "
            "<script>alert('xss')</script> <img src=x onerror=\"alert('img')\">, a annoncé le ministère turc "
            "de la Défense.\n\nLe président turc Recep Tayyip Erdogan s'est entretenu par téléphone avec "
            "Vladimir Poutine <b onmouseover=\"alert('b')\">mercredi</b>.\n\n"
            "Aucun fait ici <iframe srcdoc=\"<script>alert('frame')</script>\"></iframe> <svg onload=alert('svg')>.",
}

pytestmark = [
    pytest.mark.issue(7),
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed: run tools/install_browser.sh"),
]


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo corpus and the XSS article coded into a store, with their texts (loads spaCy once)."""
    from dyade.cli import main
    from dyade.web.db import WebDB
    from dyade.web.texts import load_texts

    folder = tmp_path_factory.mktemp("browser")
    corpus = folder / "articles.jsonl"
    with resources.as_file(resources.files("dyade").joinpath("data", "demo", "articles.jsonl")) as demo:
        shutil.copyfile(demo, corpus)
    with corpus.open("a", encoding="utf-8") as out:
        out.write(json.dumps(XSS, ensure_ascii=False) + "\n")
    db = folder / "events.duckdb"
    assert main(["ingest", str(corpus), "--db", str(db)]) == 0
    web_db = WebDB(db, read_only=False)  # writable: creates the article_texts table
    try:
        assert load_texts(web_db.cursor(), [str(corpus)]) == 17
    finally:
        web_db.close()
    return db


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where screenshots go: docs/screenshots/ when DYADE_SCREENSHOTS=1, else a temporary folder."""
    folder = DOCS_SCREENSHOTS if os.environ.get("DYADE_SCREENSHOTS") == "1" else tmp_path_factory.mktemp("shots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def server(store_path: Path) -> Iterator[str]:
    """uvicorn serving the dashboard on 127.0.0.1 in a thread; yields the base URL."""
    from dyade.web import ServeConfig, create_app

    app = create_app(ServeConfig(db=str(store_path), read_only=True))
    port = free_port()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        assert time.monotonic() < deadline and thread.is_alive(), "the server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as pw:
        try:
            chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS, headless=True)
        except sync_api.Error as exc:
            pytest.skip(f"chromium would not start under Playwright: {exc}")
        yield chromium
        chromium.close()


class Watch:
    """What a page did that it must not: dialogs, script errors, requests leaving the server."""

    def __init__(self, page: Any, base: str) -> None:
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.outside: list[str] = []
        page.on("dialog", lambda dialog: (self.dialogs.append(dialog.message), dialog.dismiss()))
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("request", lambda request: None if request.url.startswith((base, "data:"))
                else self.outside.append(request.url))

    def clean(self) -> None:
        assert self.dialogs == [] and self.errors == [] and self.outside == []


@pytest.fixture()
def page(browser: Any, server: str) -> Iterator[tuple[Any, Watch]]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    watch = Watch(tab, server)
    yield tab, watch
    context.close()


def open_view(tab: Any, server: str, hash_: str, view: str) -> None:
    """Go to a dashboard view and wait until it has rendered."""
    tab.goto(f"{server}/#/{hash_}")
    tab.wait_for_selector(f"body[data-ready='{view}']", timeout=20_000)


def test_web_dyad_chart_month_click_lists_highlighted_events(page: tuple[Any, Watch], server: str,
                                                             shots: Path) -> None:
    tab, watch = page
    open_view(tab, server, "dyad?a=CHN&b=USA", "dyad")
    bars = tab.locator("#dyad-chart svg .mark-rect path")
    assert bars.count() >= 3  # three months with events, several quad classes
    bars.first.click()
    tab.wait_for_selector("#events-list h2:has-text(' in 2022-08')")
    tab.wait_for_selector("#events-list .event")
    dates = tab.locator("#events-list .event .date").all_text_contents()
    assert dates and all(date.startswith("2022-08") for date in dates)
    assert tab.locator("#events-list .event mark.pred").count() >= len(dates)
    assert tab.locator("#events-list .event mark.src").count() >= 1
    assert tab.locator("#events-list .event mark.tgt").count() >= 1
    assert "period=2022-08" in tab.url  # the chosen month is in the link
    tab.mouse.move(0, 0)  # no tooltip in the picture
    tab.wait_for_timeout(200)
    tab.screenshot(path=str(shots / "dyad.png"), full_page=True)
    watch.clean()


def test_web_article_view_highlights_every_event(page: tuple[Any, Watch], server: str, shots: Path) -> None:
    tab, watch = page
    open_view(tab, server, "events?actor=CHN&since=2022-08&until=2022-08", "events")
    tab.locator("#events-list .event .article-link").first.click()
    tab.wait_for_selector("body[data-ready='article']")
    n_events = tab.locator(".article-events .event").count()
    assert n_events >= 3
    text = tab.locator("#article-text")
    assert text.locator("mark.pred").count() == n_events  # one predicate per event
    assert text.locator(".selected").count() >= 1  # the event we came from
    assert tab.locator(".article-events .event.selected").count() == 1
    tab.screenshot(path=str(shots / "article.png"), full_page=True)
    watch.clean()


def test_web_xss_article_is_inert(page: tuple[Any, Watch], server: str) -> None:
    tab, watch = page
    open_view(tab, server, "dyad?a=TUR&b=RUS", "dyad")
    tab.locator("#dyad-chart svg .mark-rect path").first.click()
    tab.wait_for_selector("#events-list .event")
    assert "<script>alert('xss')</script>" in tab.locator("#events-list").inner_text()
    tab.locator("#events-list .article-link").first.click()
    tab.wait_for_selector("body[data-ready='article']")
    body = tab.locator("#article-text").inner_text()
    assert "<script>alert('xss')</script>" in body and "onerror=\"alert('img')\"" in body
    assert "<iframe srcdoc=" in body and "<svg onload=alert('svg')>" in body  # outside every event sentence
    assert tab.locator("#article-title").inner_text().startswith("<img src=x")
    injected = tab.evaluate("document.querySelectorAll('#view img, #view script, #view b, #view iframe, "
                            "#view svg:not(.marks), [onerror], [onmouseover], [onload]').length")
    assert injected == 0
    assert tab.locator("a[href^='javascript']").count() == 0
    tab.locator("#article-text").hover()
    tab.wait_for_timeout(300)
    watch.clean()


@pytest.mark.parametrize(("hash_", "view", "selector"), [
    ("network", "network", "#network-chart svg .mark-symbol path"),
    ("timeline?actor=RUS", "timeline", "#timeline-chart svg .mark-rect path"),
    ("map", "map", "#map path.leaflet-interactive"),
    ("events?q=Pelosi&sort=-date", "events", "#events-list .event mark.pred"),
])
def test_web_other_views_render(page: tuple[Any, Watch], server: str, hash_: str, view: str, selector: str) -> None:
    tab, watch = page
    open_view(tab, server, hash_, view)
    tab.wait_for_selector(selector)
    assert tab.locator(selector).count() >= 1
    watch.clean()
