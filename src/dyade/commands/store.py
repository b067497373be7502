"""CLI commands over the event store: merged events, one event, dyad series, network, timeline, export."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from ..errors import DyadeError
from ..output import table_line

MERGED_HEADER = f"{'date':<10}  {'type':<20} {'source':<22} {'target':<22} {'cameo':<5} {'place':<14} " \
                f"{'ment':>4} {'art':>4} {'src':>4}  event"


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    """Add the store commands to the `dyade` parser."""
    p = subparsers.add_parser("merged", help="query merged events (one per real-world event) with mention counts")
    _db(p)
    add_filters(p)
    p.add_argument("--format", choices=["table", "jsonl", "csv"], default="table")
    p.set_defaults(func=merged_cli)

    p = subparsers.add_parser("event", help="one merged event with all its mentions and their evidence")
    p.add_argument("event_id", metavar="ID")
    _db(p)
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.set_defaults(func=event_cli)

    p = subparsers.add_parser("dyad", help="events between two actors per month or year")
    p.add_argument("a", metavar="A")
    p.add_argument("b", metavar="B")
    p.add_argument("--by", choices=["month", "year"], default="month")
    _db(p)
    p.add_argument("--format", choices=["table", "csv", "json"], default="table")
    p.set_defaults(func=dyad_cli)

    p = subparsers.add_parser("network", help="the weighted actor network of a period")
    p.add_argument("--since")
    p.add_argument("--until")
    p.add_argument("--by", choices=["country", "code"], default="country", help="nodes are actor countries or codes")
    _db(p)
    p.add_argument("--format", choices=["json", "gexf", "graphml"], default="json")
    p.add_argument("--out", help="the output file (default: standard output)")
    p.set_defaults(func=network_cli)

    p = subparsers.add_parser("timeline", help="the events of one actor in date order")
    p.add_argument("--actor", required=True)
    p.add_argument("--since")
    p.add_argument("--until")
    _db(p)
    p.add_argument("--format", choices=["table", "csv", "json"], default="table")
    p.set_defaults(func=timeline_cli)

    p = subparsers.add_parser("export", help="export events for analysts: parquet, csv, jsonl, gdelt or plover")
    p.add_argument("out", metavar="OUT", help="a folder for parquet, csv and jsonl; a file for gdelt and plover")
    _db(p)
    p.add_argument("--format", choices=["parquet", "csv", "jsonl", "gdelt", "plover"], required=True)
    p.set_defaults(func=export_cli)

    p = subparsers.add_parser("remerge", help="merge the mentions into events again (queued blocks, or --all)")
    _db(p)
    p.add_argument("--all", action="store_true", help="merge every mention again, not only the queued blocks")
    p.set_defaults(func=remerge_cli)

    p = subparsers.add_parser("optimize", help="rewrite the store in date order: faster queries by date and dyad")
    _db(p)
    p.set_defaults(func=optimize_cli)


def _db(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", default="events.duckdb")


def add_filters(parser: argparse.ArgumentParser) -> None:
    """The filters shared by `dyade events` and `dyade merged`."""
    parser.add_argument("--actor")
    parser.add_argument("--dyad", help="two actors, e.g. TUR,RUS (either direction)")
    parser.add_argument("--type", dest="plover_type")
    parser.add_argument("--since")
    parser.add_argument("--until")
    parser.add_argument("--limit", type=int)


def _open(db: str, read_only: bool = True) -> Any:
    """The store at `db`; a missing file is a usage error, not a new empty store."""
    from ..store import Store

    if not Path(db).exists():
        raise DyadeError(f"{db}: no such database (run `dyade ingest` first)")
    return Store(db, read_only=read_only)


def _dyad(value: str | None) -> tuple[str, str] | None:
    if not value:
        return None
    parts = tuple(part.strip() for part in value.split(","))
    if len(parts) != 2:
        raise DyadeError("--dyad takes two actors separated by a comma, e.g. TUR,RUS")
    return (parts[0], parts[1])


def merged_cli(args: argparse.Namespace) -> int:
    from ..store.filters import Filters

    filters = Filters(actor=args.actor, dyad=_dyad(args.dyad), plover_type=args.plover_type, since=args.since,
                      until=args.until, limit=args.limit)
    with _open(args.db) as store:
        if args.format == "csv":
            store.merged_frame(filters).to_csv(sys.stdout, index=False)
            return 0
        events = store.query_merged(**vars(filters))
    if args.format == "jsonl":
        for event in events:
            print(json.dumps(event, ensure_ascii=False))
        return 0
    print(MERGED_HEADER)
    for event in events:
        print(merged_line(event))
    return 0


def merged_line(event: dict[str, Any]) -> str:
    """One readable line for a merged event."""
    line = table_line(event | {"article_id": "", "evidence": None}, 0).rstrip()
    return f"{line:<100} {event['n_mentions']:>4} {event['n_articles']:>4} {event['n_sources']:>4}  {event['event_id']}"


def event_cli(args: argparse.Namespace) -> int:
    with _open(args.db) as store:
        event = store.event(args.event_id)
    if event is None:
        raise DyadeError(f"{args.db}: no event {args.event_id!r} (see `dyade merged`)")
    if args.format == "json":
        print(json.dumps(event, ensure_ascii=False, indent=1, default=str))
        return 0
    print(MERGED_HEADER)
    print(merged_line(event))
    print(f"first seen {event['first_seen']}, last seen {event['last_seen']}; "
          f"{event['n_mentions']} mention(s) in {event['n_articles']} article(s) from {event['n_sources']} source(s)")
    for record in event["mentions"]:
        article = event["articles"][record["article_id"]]
        print(f"\n- {article['published'] or '?'}  {article['source'] or ''}  {record['article_id']}: "
              f"{article['title'] or ''}  {article['url'] or ''}".rstrip())
        print(f"  {table_line(record | {'evidence': None}, 0).rstrip()}")
        evidence = record.get("evidence") or {}
        print(f"  [{evidence.get('start')}:{evidence.get('end')}] {evidence.get('text') or ''}")
    return 0


def _print_frame(frame: Any, fmt: str) -> None:
    """A DataFrame as an aligned table, CSV or JSON on standard output."""
    from ..store.analysis import json_ready

    if fmt == "csv":
        frame.to_csv(sys.stdout, index=False)
    elif fmt == "json":
        print(json.dumps(json_ready(frame), ensure_ascii=False, indent=1))
    elif frame.empty:
        print("(no events)")
    else:
        print(frame.astype(object).where(frame.notna(), "-").to_string(index=False))


def dyad_cli(args: argparse.Namespace) -> int:
    from ..store.analysis import dyad_series

    with _open(args.db) as store:
        frame = dyad_series(store, args.a, args.b, by=args.by)
    _print_frame(frame, args.format)
    return 0


def timeline_cli(args: argparse.Namespace) -> int:
    from ..store.analysis import timeline

    with _open(args.db) as store:
        frame = timeline(store, args.actor, since=args.since, until=args.until)
    _print_frame(frame, args.format)
    return 0


def network_cli(args: argparse.Namespace) -> int:
    from ..store.analysis import network, write_network

    with _open(args.db) as store:
        graph = network(store, args.since, args.until, by=args.by)
    if args.out:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        write_network(graph, args.format, args.out)
        print(f"dyade: {args.out}: {graph.number_of_nodes()} node(s), {graph.number_of_edges()} edge(s)",
              file=sys.stderr)
    else:
        sys.stdout.flush()
        write_network(graph, args.format, sys.stdout.buffer)
    return 0


def export_cli(args: argparse.Namespace) -> int:
    from ..store.export import export

    with _open(args.db) as store:
        files = export(store, args.format, args.out)
    for path in files:
        print(f"dyade: wrote {path}", file=sys.stderr)
    return 0


def remerge_cli(args: argparse.Namespace) -> int:
    with _open(args.db, read_only=False) as store:
        count = store.merge(full=args.all)
        stats = store.stats()
    print(f"dyade: {count} event(s) merged; {args.db} holds {stats['events']} event(s) "
          f"from {stats['mentions']} mention(s)", file=sys.stderr)
    return 0


def optimize_cli(args: argparse.Namespace) -> int:
    with _open(args.db, read_only=False) as store:
        counts = store.optimize()
    print(f"dyade: {args.db}: {counts['mentions']} mention(s) and {counts['events']} event(s) rewritten in date order",
          file=sys.stderr)
    return 0
