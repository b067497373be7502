"""Analyses over merged events: dyad time series, the actor network, one actor's timeline."""

from __future__ import annotations

import datetime as dt
import json
import logging
import math
from pathlib import Path
from typing import IO, Any

import networkx as nx
import pandas as pd

from .duckdb import Store
from .filters import Filters
from .rows import StoreError

logger = logging.getLogger(__name__)

# Events that happened: not negated, not planned or hypothetical.
ASSERTED = "NOT negated AND coalesce(modality, 'asserted') = 'asserted'"
QUADS = {1: "verbal_cooperation", 2: "material_cooperation", 3: "verbal_conflict", 4: "material_conflict"}
SERIES_COLUMNS = ["period", "events", *QUADS.values(), "goldstein_sum", "goldstein_mean", "net_cooperation", "mentions"]
TIMELINE_COLUMNS = [
    "event_id", "event_date", "date_precision", "plover_type", "plover_mode", "role", "counterpart",
    "counterpart_country", "cameo_code", "quad_class", "goldstein", "location_name", "n_mentions", "n_articles",
    "first_seen",
]
NETWORK_FORMATS = ("json", "gexf", "graphml")


def _events(store: Store, filters: Filters, asserted_only: bool) -> pd.DataFrame:
    """The merged events matching the filters, only those that happened when asserted_only."""
    return store.merged_frame(filters, where=ASSERTED if asserted_only else "")


def dyad_series(store: Store, a: str, b: str, by: str = "month", *, asserted_only: bool = True) -> pd.DataFrame:
    """Events between two actors (either direction) per month or year: counts by quad class, Goldstein
    sum and mean, net cooperation (cooperative minus conflictual events) and mentions.

    Periods without events between the first and the last are rows of zeros; events whose date is
    coarser than the period (a year-only date in a monthly series) or missing are left out.
    """
    if by not in ("month", "year"):
        raise StoreError(f"by must be 'month' or 'year', not {by!r}")
    events = _events(store, Filters(dyad=(a, b)), asserted_only)
    events = events[events["date_start"].notna()]
    width = 7 if by == "month" else 4
    start = events["date_start"].astype(str).str[:width]
    fits = start == events["date_end"].astype(str).str[:width]
    if (~fits).any():
        logger.debug("dyad %s-%s: %d event(s) dated too coarsely for a %sly series", a, b, int((~fits).sum()), by)
    events = events[fits].assign(period=start[fits])
    if events.empty:
        return pd.DataFrame({name: pd.Series(dtype="object" if name == "period" else "float64")
                             for name in SERIES_COLUMNS})
    grouped = events.groupby("period")
    table = pd.DataFrame({"events": grouped.size(), "goldstein_sum": grouped["goldstein"].sum(),
                          "mentions": grouped["n_mentions"].sum()})
    for quad, name in QUADS.items():
        table[name] = events[events["quad_class"] == quad].groupby("period").size()
    table = table.reindex(_periods(table.index.min(), table.index.max(), by)).fillna(0)
    counts = ["events", *QUADS.values(), "mentions"]
    table[counts] = table[counts].astype("int64")
    table["goldstein_mean"] = table["goldstein_sum"] / table["events"].where(table["events"] > 0)
    table["net_cooperation"] = (table["verbal_cooperation"] + table["material_cooperation"]
                                - table["verbal_conflict"] - table["material_conflict"])
    return table.rename_axis("period").reset_index()[SERIES_COLUMNS]


def _periods(first: str, last: str, by: str) -> list[str]:
    """Every period label from first to last inclusive (`YYYY-MM` or `YYYY`)."""
    if by == "year":
        return [str(year) for year in range(int(first), int(last) + 1)]
    return [str(p) for p in pd.period_range(first, last, freq="M")]


def network(store: Store, since: str | None = None, until: str | None = None, *, by: str = "country",
            asserted_only: bool = True) -> nx.DiGraph:
    """The weighted actor graph of the events in [since, until]: nodes are actor countries (or codes),
    edges source -> target weighted by event count, with mean and summed Goldstein and mentions.

    Reciprocal (symmetric) events have no real direction: they are drawn from the smaller node to
    the larger so that both tellings add up on one edge. Nodes count every event an actor is in.
    """
    if by not in ("country", "code"):
        raise StoreError(f"by must be 'country' or 'code', not {by!r}")
    events = _events(store, Filters(since=since, until=until), asserted_only)
    graph = nx.DiGraph(since=since or "", until=until or "", by=by)
    for side in ("source", "target"):
        for node, count in events[f"{side}_{by}"].dropna().value_counts().items():
            if node not in graph:
                graph.add_node(node, label=node, n_events=0)
            graph.nodes[node]["n_events"] += int(count)
    pairs = events.dropna(subset=[f"source_{by}", f"target_{by}"])
    if pairs.empty:
        return graph
    swap = pairs["symmetric"] & (pairs[f"source_{by}"] > pairs[f"target_{by}"])
    pairs = pairs.assign(
        a=pairs[f"source_{by}"].where(~swap, pairs[f"target_{by}"]),
        b=pairs[f"target_{by}"].where(~swap, pairs[f"source_{by}"]),
    )
    for (one, two), group in pairs.groupby(["a", "b"]):
        scored = group["goldstein"].dropna()
        graph.add_edge(one, two, weight=len(group), n_mentions=int(group["n_mentions"].sum()),
                       goldstein_sum=float(scored.sum()), goldstein_mean=float(scored.mean()) if len(scored) else 0.0,
                       symmetric=int(group["symmetric"].sum()))
    return graph


def network_json(graph: nx.DiGraph) -> dict[str, Any]:
    """The graph as a JSON-ready dict: nodes, edges and the graph's own attributes."""
    return {
        **dict(graph.graph),
        "nodes": [{"id": node, **attrs} for node, attrs in sorted(graph.nodes(data=True))],
        "edges": [{"source": one, "target": two, **attrs} for one, two, attrs in sorted(graph.edges(data=True))],
    }


def write_network(graph: nx.DiGraph, fmt: str, out: str | Path | IO[bytes]) -> None:
    """Write the graph as `json`, `gexf` or `graphml` to a path or a binary file."""
    if fmt == "json":
        data = (json.dumps(network_json(graph), ensure_ascii=False, indent=1) + "\n").encode("utf-8")
        if isinstance(out, (str, Path)):
            Path(out).write_bytes(data)
        else:
            out.write(data)
    elif fmt == "gexf":
        nx.write_gexf(graph, out)
    elif fmt == "graphml":
        nx.write_graphml(graph, out)
    else:
        raise StoreError(f"network format must be one of {NETWORK_FORMATS}, not {fmt!r}")


def timeline(store: Store, actor: str, *, since: str | None = None, until: str | None = None,
             asserted_only: bool = True) -> pd.DataFrame:
    """The events of one actor (country or code prefix) in date order, with its role and counterpart."""
    events = _events(store, Filters(actor=actor, since=since, until=until), asserted_only)
    code = actor.strip().upper()
    is_source = (events["source_country"] == code) | events["source_code"].fillna("").str.startswith(code)
    is_target = (events["target_country"] == code) | events["target_code"].fillna("").str.startswith(code)
    role = pd.Series("target", index=events.index).where(~is_source, "source").where(~(is_source & is_target), "both")
    as_target = role == "target"
    events = events.assign(
        role=role,
        counterpart=events["target_code"].where(~as_target, events["source_code"]),
        counterpart_country=events["target_country"].where(~as_target, events["source_country"]),
    )
    return events[TIMELINE_COLUMNS].reset_index(drop=True)


def json_ready(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows of a DataFrame as dicts JSON can hold: dates as ISO text, NaN and NaT as None."""
    rows = []
    for row in frame.to_dict(orient="records"):
        rows.append({key: _plain(value) for key, value in row.items()})
    return rows


def _plain(value: Any) -> Any:
    """One cell as a plain JSON value."""
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, (dt.date, dt.datetime, pd.Timestamp)):
        return value.isoformat()[:10] if isinstance(value, (pd.Timestamp, dt.datetime)) else value.isoformat()
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value
