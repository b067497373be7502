"""Response shapes of the read routes, for /openapi.json only: the routes return their JSON unvalidated.

GET /events sends JSON text it builds from the stored records; validating every record through
these models would cost more than the query. Records may carry more fields than listed (extra
allowed), as event-record.md says.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict


class _Open(BaseModel):
    """A JSON object that may hold fields beyond those listed."""

    model_config = ConfigDict(extra="allow")


class Actor(_Open):
    """One side of an event."""

    code: str | None = None
    country: str | None = None
    sector: str | None = None
    name: str | None = None


class Plover(_Open):
    """The PLOVER event type and mode."""

    type: str | None = None
    mode: str | None = None


class Cameo(_Open):
    """The CAMEO code, its root, quad class and Goldstein score."""

    code: str | None = None
    root: str | None = None
    quad_class: int | None = None
    goldstein: float | None = None


class Location(_Open):
    """Where the event happened."""

    name: str | None = None
    country: str | None = None
    admin1: str | None = None
    lat: float | None = None
    lon: float | None = None
    geonames_id: int | None = None
    precision: str | None = None


class Mention(_Open):
    """One event record as `dyade extract` writes it (event-record.md), with its merged event."""

    event_id: str
    article_id: str
    event_date: str | None = None
    date_precision: str | None = None
    source: Actor | None = None
    target: Actor | None = None
    symmetric: bool = False
    plover: Plover
    cameo: Cameo
    location: Location | None = None
    negated: bool = False
    modality: str | None = None
    background: bool = False
    evidence: dict[str, Any] | None = None
    confidence: float | None = None
    n_mentions: int = 1
    merged_event_id: str | None = None


class MergedEvent(_Open):
    """One real-world event: its mentions merged, with their counts (as `dyade events --merged`)."""

    event_id: str
    event_date: str | None = None
    date_precision: str | None = None
    source: Actor | None = None
    target: Actor | None = None
    symmetric: bool = False
    plover: Plover
    cameo: Cameo
    location: Location | None = None
    fatalities: int | None = None
    negated: bool = False
    modality: str | None = None
    confidence: float | None = None
    first_seen: str | None = None
    last_seen: str | None = None
    n_mentions: int
    n_articles: int
    n_sources: int
    source_url: str | None = None


class ArticleRef(BaseModel):
    """What a page of events says of each article it cites."""

    id: str
    title: str | None = None
    source: str | None = None
    published: str | None = None
    url: str | None = None


class EventPage(BaseModel):
    """One page of GET /events: mentions, or merged events with merged=true."""

    limit: int
    sort: str
    next_cursor: str | None = None
    merged: bool = False
    total: int | None = None
    articles: dict[str, ArticleRef]
    items: list[Mention] | list[MergedEvent]


class EventDetail(BaseModel):
    """GET /events/{id}: the event and every mention of it."""

    event: Mention
    merged: bool
    merged_event_id: str | None = None
    mentions: list[Mention]


class ArticleDetail(BaseModel):
    """GET /articles/{id}: the article, its text when stored, its events."""

    id: str
    url: str | None = None
    source: str | None = None
    title: str | None = None
    published: str | None = None
    n_chars: int
    language: str | None = None
    status: str
    skip_reason: str | None = None
    coder_version: str
    text: str | None = None
    events: list[Mention]


class Period(BaseModel):
    """Counts of one period of a series."""

    period: str
    n: int
    quad: dict[str, int]
    goldstein_mean: float | None = None
    goldstein_sum: float
    cooperation: int
    conflict: int


class Excluded(BaseModel):
    """Events left out of a series: no date, or a date coarser than the period."""

    undated: int
    too_coarse: int


class Series(BaseModel):
    """GET /dyads/{a}/{b}/series and /actors/{code}/series."""

    a: str | None = None
    b: str | None = None
    actor: str | None = None
    by: str
    periods: list[Period]
    excluded: Excluded


class Node(BaseModel):
    """An actor (country or code) of the network."""

    id: str
    label: str
    n: int


class Edge(BaseModel):
    """Events from one actor to another."""

    source: str
    target: str
    n: int
    cooperation: int
    conflict: int
    goldstein_mean: float | None = None


class Network(BaseModel):
    """GET /network."""

    level: str
    nodes: list[Node]
    edges: list[Edge]


class ActorCount(BaseModel):
    """An actor code seen in the events."""

    code: str
    name: str | None = None
    country: str | None = None
    n: int


class CountryCount(BaseModel):
    """A country seen in the events."""

    code: str
    name: str
    n: int


class Actors(BaseModel):
    """GET /actors."""

    actors: list[ActorCount]
    countries: list[CountryCount]


def documented(model: type[BaseModel]) -> dict[int | str, dict[str, Any]]:
    """The `responses` argument of a route documenting `model` as its 200 answer."""
    return {200: {"model": model, "description": model.__doc__ or ""}}
