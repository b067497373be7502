"""The event filters and page options of the read routes, read straight from the query string.

FastAPI validates declared parameters through pydantic at about 60 us each, 1.5 ms for GET /events's
nineteen: more than the page itself costs. These parameters are declared once here instead: the
table checks them (a bad value is a BadRequest, answered with 422 and a message) and documents them
in /openapi.json, as FastAPI would have.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from .filters import BadRequest, EventFilter, make_filter

MAX_PAGE = 500
_QUAD_RE = re.compile(r"^\s*[1-4]\s*$")
_INT_RE = re.compile(r"^[+-]?[0-9](?:_?[0-9])*(?:\.0*)?$")  # what pydantic reads as an int from a string
_SCHEMAS: dict[str, dict[str, Any]] = {
    "string": {"type": "string"}, "int": {"type": "integer"}, "bool": {"type": "boolean"},
    "list": {"type": "array", "items": {"type": "string"}},
}
_TRUE = frozenset({"1", "true", "t", "yes", "y", "on"})
_FALSE = frozenset({"0", "false", "f", "no", "n", "off"})


@dataclass(frozen=True)
class Param:
    """One query parameter: its kind (string, int, bool, or list of strings), default and bounds."""

    name: str
    kind: str
    description: str = ""
    default: Any = None
    max_length: int | None = None
    ge: int | None = None
    le: int | None = None

    def read(self, query: Query) -> Any:
        """The parameter's value in `query` (the last one given; every one for a list), or its default."""
        if self.kind == "list":
            return query.every.get(self.name, [])
        value = query.last.get(self.name)
        if value is None:
            return self.default
        if self.max_length is not None and len(value) > self.max_length:
            raise BadRequest(f"{self.name} must be at most {self.max_length} characters")
        if self.kind == "int":
            return self._integer(value)
        if self.kind == "bool":
            return _boolean(self.name, value)
        return value

    def _integer(self, value: str) -> int:
        """A whole number within the bounds."""
        text = value.strip()
        number = int(text.split(".")[0]) if _INT_RE.match(text) else None
        if number is None or (self.ge is not None and number < self.ge) or (self.le is not None and number > self.le):
            bounds = f" from {self.ge}" if self.ge is not None else ""
            bounds += f" to {self.le}" if self.le is not None else ""
            raise BadRequest(f"{self.name} must be a whole number{bounds}, not {value!r}")
        return number

    def openapi(self) -> dict[str, Any]:
        """The parameter as /openapi.json lists it."""
        schema = dict(_SCHEMAS[self.kind])
        bounds = {"maxLength": self.max_length, "minimum": self.ge, "maximum": self.le, "default": self.default}
        schema |= {key: value for key, value in bounds.items() if value is not None}
        schema["title"] = self.name.replace("_", " ").title()
        out = {"name": self.name, "in": "query", "required": False, "schema": schema}
        if self.description:
            schema["description"] = out["description"] = self.description
        return out


def _boolean(name: str, value: str) -> bool:
    """true/false, 1/0, yes/no, on/off (any case), as FastAPI reads them."""
    word = value.lower()
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise BadRequest(f"{name} must be true or false, not {value!r}")


FILTERS = (
    Param("actor", "string", "actor code or country, either side: TURGOV", max_length=20),
    Param("country", "string", "ISO alpha-3 country of source or target", max_length=3),
    Param("source", "string", "actor code or country of the source", max_length=20),
    Param("target", "string", "actor code or country of the target", max_length=20),
    Param("dyad", "string", "two actors, either direction: TUR,RUS", max_length=41),
    Param("type", "list", "PLOVER types: ASSAULT,COERCE"),
    Param("quad", "list", "quad class(es) 1-4: 3 or 3,4"),
    Param("since", "string", "YYYY, YYYY-MM or YYYY-MM-DD", max_length=10),
    Param("until", "string", "YYYY, YYYY-MM or YYYY-MM-DD", max_length=10),
    Param("place", "string", "place name (contains) or country code", max_length=200),
    Param("q", "string", "words in the evidence sentence", max_length=200),
    Param("negated", "bool", "include negated events", default=True),
    Param("background", "bool", "include background (recalled) events", default=True),
)
PAGE = (
    Param("sort", "string", "date, -date, goldstein, -goldstein, confidence, -confidence", default="date"),
    Param("cursor", "string", "next_cursor of the previous page", max_length=400),
    Param("limit", "int", default=50, ge=1, le=MAX_PAGE),
    Param("total", "bool", "also count every matching event", default=False),
    Param("merged", "bool", "merged events (one per real-world event, with its mention, article and source "
                            "counts) instead of mentions", default=False),
    Param("min_mentions", "int", "with merged: events merged from at least this many mentions", default=1, ge=1,
          le=1_000_000),
)


class Query:
    """A query string's parameters: the last value of each, and every value of each."""

    __slots__ = ("every", "last")

    def __init__(self, items: Iterable[tuple[str, str]]) -> None:
        """Read a parsed query string's (name, value) pairs once, in order.

        Starlette's QueryParams.multi_items() gives them; so does parse_qsl(keep_blank_values=True),
        which QueryParams calls (its get() raises and catches KeyError per absent name).
        """
        self.last: dict[str, str] = {}
        self.every: dict[str, list[str]] = {}
        for name, value in items:
            self.last[name] = value
            self.every.setdefault(name, []).append(value)


def read(params: Sequence[Param], query: Query) -> dict[str, Any]:
    """Every parameter of `params` in `query`, checked, by name."""
    return {param.name: param.read(query) for param in params}


def documented(params: Sequence[Param]) -> dict[str, Any]:
    """The `openapi_extra` of a route reading `params` (added after the parameters FastAPI declares)."""
    return {"parameters": [param.openapi() for param in params]}


def read_filter(query: Query) -> EventFilter:
    """The event filters of a query string (BadRequest when one cannot be used)."""
    values = read(FILTERS, query)
    quads: list[int] = []
    for value in _split(values["quad"]):
        if not _QUAD_RE.match(value):
            raise BadRequest(f"quad class must be 1, 2, 3 or 4, not {value!r}")
        quads.append(int(value))
    return make_filter(actor=values["actor"], country=values["country"], source=values["source"],
                       target=values["target"], dyad=values["dyad"], types=_split(values["type"]), quads=quads,
                       since=values["since"], until=values["until"], place=values["place"], q=values["q"],
                       include_negated=values["negated"], include_background=values["background"])


def _split(values: list[str]) -> list[str]:
    """Repeated and comma-separated values as one list (`type=A&type=B` or `type=A,B`)."""
    return [part for value in values for part in value.split(",") if part.strip()]
