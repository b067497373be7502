"""The FastAPI application: REST routes over the store and the dashboard's static files."""

from __future__ import annotations

import json
import logging
import os
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from contextlib import asynccontextmanager
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi import Path as PathParam
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles

from ..api import CODER_VERSION
from . import models, pages, params, queries
from .db import RECORD_CACHE_MB, WebDB
from .fast import FastEvents, request_token, right_token
from .filters import BadRequest, EventFilter, get_sort, make_filter
from .ingest import Coder, code_and_store, parse_articles, pipeline_coder

logger = logging.getLogger(__name__)

STATIC = Path(__file__).resolve().parent / "static"
CONFIG_ENV = "DYADE_SERVE_CONFIG"  # how `dyade serve --workers N` hands its configuration to the workers
MAX_PAGE = params.MAX_PAGE
FILTER_DOCS = params.documented(params.FILTERS)
Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
ASGIApp = Callable[[Scope, Callable[[], Awaitable[Message]], Callable[[Message], Awaitable[None]]], Awaitable[None]]
# Scripts and data come from this server only; no inline script, no eval (Vega runs its interpreter).
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
SECURITY_HEADERS = [(b"content-security-policy", CSP.encode()), (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"no-referrer"), (b"x-frame-options", b"DENY")]


@dataclass(frozen=True)
class ServeConfig:
    """How the API runs: the store, the token, size limits."""

    db: str
    read_only: bool = True
    token: str | None = None
    protect_reads: bool = False
    max_body: int = 2 * 1024 * 1024
    coder_version: str = CODER_VERSION
    db_threads: int | None = None  # DuckDB threads of this process (None: one per core)
    record_cache_mb: float = RECORD_CACHE_MB  # GET /events records held in memory by each process

    def to_env(self) -> str:
        """The configuration as JSON text, for the worker processes of `dyade serve --workers`."""
        return json.dumps(asdict(self))

    @classmethod
    def from_env(cls, text: str) -> ServeConfig:
        """The configuration to_env() wrote."""
        return cls(**json.loads(text))


class SecurityHeaders:
    """Pure ASGI middleware: a strict Content-Security-Policy and friends on every answer."""

    def __init__(self, app: ASGIApp) -> None:
        """Wrap the application."""
        self.app = app

    async def __call__(self, scope: Scope, receive: Callable[[], Awaitable[Message]],
                       send: Callable[[Message], Awaitable[None]]) -> None:
        """Pass the request on; add the headers to the response start."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            """Add the headers to the response start."""
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *SECURITY_HEADERS]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _check_token(request: Request, expected: str) -> None:
    """401 without a token, 403 with a wrong one."""
    if not request_token(request.headers):
        raise HTTPException(401, "an API token is needed (Authorization: Bearer TOKEN)",
                            headers={"WWW-Authenticate": "Bearer"})
    if not right_token(request.headers, expected):
        raise HTTPException(403, "wrong API token")


class DyadeAPI(FastAPI):
    """FastAPI, with plain GET /events requests answered before its middleware and routing (fast.py)."""

    fast: FastEvents | None = None

    async def __call__(self, scope: Scope, receive: Callable[[], Awaitable[Message]],
                       send: Callable[[Message], Awaitable[None]]) -> None:
        """The fast path when it answers, else FastAPI."""
        if self.fast is None or not await self.fast(scope, send):
            await super().__call__(scope, receive, send)


async def event_filter(request: Request) -> EventFilter:
    """The event filters shared by /events, the series, /network and /places (params.FILTERS documents them).

    async (it does no I/O): FastAPI would run a plain function in a worker thread, one more hop per request.
    """
    return params.read_filter(params.Query(request.query_params.multi_items()))


Filter = Annotated[EventFilter, Depends(event_filter)]


def create_app(config: ServeConfig, coder: Coder | None = None, *, fast: bool = True) -> FastAPI:
    """The API and dashboard over the store named in `config` (opened now, closed at shutdown).

    Without `fast`, every GET /events goes through FastAPI's routing (tests compare the two paths).
    """
    if config.protect_reads and not config.token:
        raise ValueError("protect_reads needs a token")
    db = WebDB(config.db, read_only=config.read_only, threads=config.db_threads, record_cache_mb=config.record_cache_mb)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        """Load the records into memory when the server starts (not when the app is only built); close at the end."""
        await run_in_threadpool(db.load_records)
        yield
        db.close()

    # No /docs: Swagger UI would load its scripts from a CDN. The schema is at /openapi.json.
    app = DyadeAPI(title="dyade", version="0.1.0", docs_url=None, redoc_url=None, lifespan=lifespan,
                   max_body_size=config.max_body,
                   description="Political events coded from French-language news: query, series, network, articles.")
    app.state.db = db
    app.state.config = config
    app.add_middleware(SecurityHeaders)
    if fast:
        app.fast = FastEvents(db, config.token if config.protect_reads else None, SECURITY_HEADERS)

    async def reads(request: Request) -> None:
        """The read guard: the token, when reads are protected (async: no worker thread for it)."""
        if config.protect_reads and config.token:
            _check_token(request, config.token)

    async def writes(request: Request) -> None:
        """The write guard: writes on, the right token, a writable store."""
        if not config.token:
            raise HTTPException(404, "write routes are off: start the server with DYADE_API_TOKEN set")
        _check_token(request, config.token)
        if db.read_only:
            raise HTTPException(403, "the store is open read-only")

    @app.exception_handler(BadRequest)
    async def bad_request(request: Request, exc: BadRequest) -> JSONResponse:
        """A parameter the API cannot use: 422 with the reason."""
        return JSONResponse({"detail": str(exc)}, status_code=422)

    @app.exception_handler(queries.NotFound)
    async def not_found(request: Request, exc: queries.NotFound) -> JSONResponse:
        """No such event or article: 404."""
        return JSONResponse({"detail": str(exc)}, status_code=404)

    _read_routes(app, db, Depends(reads))
    _analysis_routes(app, db, Depends(reads))
    _write_routes(app, db, config, coder, Depends(writes))
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/", include_in_schema=False)
    def dashboard() -> FileResponse:
        """The dashboard page."""
        return FileResponse(STATIC / "index.html")

    return app


def app_from_env() -> FastAPI:
    """The application of one worker process of `dyade serve --workers N` (read-only: no coder)."""
    config = ServeConfig.from_env(os.environ[CONFIG_ENV])
    if not config.read_only:
        raise ValueError("worker processes serve read-only stores only")
    return create_app(config)


def _read_routes(app: FastAPI, db: WebDB, guard: Any) -> None:
    """GET routes: events, one event, one article."""

    @app.get("/events", dependencies=[guard], summary="Events matching filters, sorted, one page at a time",
             response_class=Response, responses=models.documented(models.EventPage),
             openapi_extra=params.documented(params.PAGE + params.FILTERS))
    async def events(request: Request) -> Response:
        """Events matching every filter given, in `sort` order; follow `next_cursor` for the next page.

        Parameters are read from the query string (params.py), and a page is made in the event loop
        from the in-memory index and record cache; DuckDB runs in a worker thread only for what they
        do not hold (pages.py).
        """
        query = params.Query(request.query_params.multi_items())
        f = params.read_filter(query)
        opts = params.read(params.PAGE, query)
        sort = get_sort(opts["sort"])
        if opts["merged"]:
            body = await run_in_threadpool(queries.list_merged, db, f, sort, opts["cursor"], opts["limit"],
                                           opts["total"], opts["min_mentions"])
            return Response(body, media_type="application/json")
        if opts["min_mentions"] > 1:
            raise BadRequest("min_mentions needs merged=true")
        page = pages.EventPage(db, f, sort, opts["cursor"], opts["limit"], opts["total"])
        if not page.prepare():
            await run_in_threadpool(page.fetch)
        return Response(page.render(), media_type="application/json")

    @app.get("/events/{event_id}", dependencies=[guard], summary="One event and its mentions", response_model=None,
             responses=models.documented(models.EventDetail))
    def event(event_id: Annotated[str, PathParam(max_length=200)]) -> dict[str, Any]:
        """One event; its mentions when the store merges them, else the mention itself."""
        return queries.get_event(db, event_id)

    @app.get("/articles/{article_id}", dependencies=[guard], summary="One article, its text and its events",
             response_model=None, responses=models.documented(models.ArticleDetail))
    def article(article_id: Annotated[str, PathParam(max_length=200)]) -> dict[str, Any]:
        """One article with its text (when the store has it) and every event coded from it."""
        return queries.get_article(db, article_id)



def _analysis_routes(app: FastAPI, db: WebDB, guard: Any) -> None:
    """GET routes: series, network, actors, places, stats."""

    @app.get("/dyads/{a}/{b}/series", dependencies=[guard], summary="Events between two actors per period",
             response_model=None, responses=models.documented(models.Series), openapi_extra=FILTER_DOCS)
    def dyad_series(a: Annotated[str, PathParam(max_length=20)], b: Annotated[str, PathParam(max_length=20)], f: Filter,
                    by: Annotated[str, Query(description="year, month or day")] = "month") -> dict[str, Any]:
        """Events between a and b (either direction) per period and quad class, with mean Goldstein."""
        if f.dyad or f.actor:
            raise BadRequest("the dyad is in the path: do not add dyad= or actor=")
        pair = make_filter(dyad=f"{a},{b}").dyad
        out = queries.series(db, replace(f, dyad=pair), by)
        return {"a": pair[0], "b": pair[1], **out} if pair else out

    @app.get("/actors/{code}/series", dependencies=[guard], summary="Events of one actor per period",
             response_model=None, responses=models.documented(models.Series), openapi_extra=FILTER_DOCS)
    def actor_series(code: Annotated[str, PathParam(max_length=20)], f: Filter,
                     by: Annotated[str, Query(description="year, month or day")] = "month") -> dict[str, Any]:
        """Events of one actor (source or target) per period and quad class."""
        if f.actor:
            raise BadRequest("the actor is in the path: do not add actor=")
        chosen = make_filter(actor=code).actor
        return {"actor": chosen, **queries.series(db, replace(f, actor=chosen), by)}

    @app.get("/network", dependencies=[guard], summary="Actor network: directed edges with counts",
             response_model=None, responses=models.documented(models.Network), openapi_extra=FILTER_DOCS)
    def network(f: Filter, level: Annotated[str, Query(description="country or code")] = "country",
                min_count: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
                limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100) -> dict[str, Any]:
        """Directed edges between actors (countries or codes) with their counts, busiest first."""
        return queries.network(db, f, level, min_count, limit)

    @app.get("/actors", dependencies=[guard], summary="Actors and countries whose code or name matches q",
             response_model=None, responses=models.documented(models.Actors))
    def actors(q: Annotated[str | None, Query(max_length=100)] = None,
               limit: Annotated[int, Query(ge=1, le=100)] = 20) -> dict[str, Any]:
        """Actor codes and countries matching q, most frequent first (for pickers)."""
        return queries.actors(db, q, limit)

    @app.get("/places", dependencies=[guard], summary="Places with coordinates and their event counts",
             openapi_extra=FILTER_DOCS)
    def places(f: Filter, limit: Annotated[int, Query(ge=1, le=2000)] = 500) -> dict[str, Any]:
        """Places with coordinates and how many events happened there."""
        return queries.places(db, f, limit)

    @app.get("/stats", dependencies=[guard], summary="What the store holds")
    def stats() -> dict[str, Any]:
        """Counts, the date range and the busiest country pairs."""
        return queries.stats(db)


def _write_routes(app: FastAPI, db: WebDB, config: ServeConfig, coder: Coder | None, guard: Any) -> None:
    """POST /articles: code and store new articles (token needed)."""
    chosen: list[Coder] = [coder] if coder else []

    def get_coder() -> Coder:
        """The coder given, or the default pipeline (loaded on first use)."""
        if not chosen:
            from ..api import default_pipeline

            chosen.append(pipeline_coder(default_pipeline()))
        return chosen[0]

    @app.post("/articles", dependencies=[guard], summary="Code and store articles (JSON object, array or JSONL)")
    async def post_articles(request: Request) -> dict[str, Any]:
        """Code articles (a JSON object, an array, or JSONL) and store them with their events and texts."""
        articles = parse_articles(await request.body(), request.headers.get("content-type", "application/json"))
        results = await run_in_threadpool(lambda: code_and_store(db, articles, get_coder(), config.coder_version))
        return {"articles": results}
