"""GET /events answered before FastAPI's routing, when memory holds the page.

FastAPI's middleware, routing and dependency solving cost about 0.25 ms per request, as much as
finding and writing a page from the in-memory index and record cache (pages.py). FastEvents answers
the plain case itself, with the same code and the same bytes as the route in app.py: a GET of
/events whose parameters are good, whose page needs no DuckDB query, with the token when reads need
one. Anything else (a bad parameter, a cursor, merged events, records or articles not cached, a
missing or wrong token, a request carrying a body) goes to FastAPI, which answers as it always has:
the same 422 messages, 401 and 403, and /openapi.json still documents the route.
"""

from __future__ import annotations

import hmac
import logging
from collections.abc import Awaitable, Callable, MutableMapping, Sequence
from typing import Any
from urllib.parse import parse_qsl

from starlette.datastructures import Headers

from . import pages, params
from .db import WebDB
from .filters import BadRequest, get_sort

logger = logging.getLogger(__name__)

Scope = MutableMapping[str, Any]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]
_BODY_HEADERS = frozenset({b"content-length", b"transfer-encoding"})  # the body limit answers those (413)


def request_token(headers: Headers) -> str | None:
    """The token a request carries: `Authorization: Bearer ...` or `X-API-Token`."""
    auth = headers.get("authorization", "")
    if auth[:7].lower() == "bearer ":
        return auth[7:].strip()
    return headers.get("x-api-token")


def right_token(headers: Headers, expected: str) -> bool:
    """True when the request carries the expected token."""
    given = request_token(headers)
    return bool(given) and hmac.compare_digest(str(given).encode(), expected.encode())


def memory_page(db: WebDB, query: params.Query) -> bytes | None:
    """The JSON text GET /events answers for `query` when memory holds its page, else None.

    Raises BadRequest for a parameter the route refuses.
    """
    f = params.read_filter(query)
    opts = params.read(params.PAGE, query)
    sort = get_sort(opts["sort"])
    if opts["merged"] or opts["min_mentions"] > 1 or opts["cursor"]:
        return None
    page = pages.EventPage(db, f, sort, None, opts["limit"], opts["total"])
    return page.render() if page.prepare() else None


class FastEvents:
    """The fast path of GET /events: answers a request itself, or says it did not."""

    def __init__(self, db: WebDB, token: str | None, headers: Sequence[tuple[bytes, bytes]]) -> None:
        """Serve pages of `db`; `token` when reads need it; `headers` added to every answer (as the middleware does)."""
        self.db = db
        self.token = token
        self.headers = list(headers)

    async def __call__(self, scope: Scope, send: Send) -> bool:
        """Answer `scope` when it is a plain GET /events whose page memory holds; False when FastAPI must."""
        if (scope["type"] != "http" or scope["path"] != "/events" or scope["method"] != "GET"
                or scope.get("root_path")):
            return False
        if any(name in _BODY_HEADERS for name, _ in scope["headers"]):
            return False
        if self.token is not None and not right_token(Headers(scope=scope), self.token):
            return False  # FastAPI answers 401 or 403
        try:
            query = params.Query(parse_qsl(scope["query_string"].decode("latin-1"), keep_blank_values=True))
            body = memory_page(self.db, query)
        except BadRequest:
            return False  # FastAPI answers 422 with the same message
        except Exception:  # FastAPI meets it again, logs it and answers 500
            logger.debug("fast path of GET /events failed; left to FastAPI", exc_info=True)
            return False
        if body is None:
            return False
        headers = [(b"content-length", str(len(body)).encode("latin-1")), (b"content-type", b"application/json"),
                   *self.headers]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})
        return True
