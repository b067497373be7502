"""`dyade actors explain` and `dyade actors list`: see how actors resolve, and who held what when."""

from __future__ import annotations

import argparse
from typing import Any

from ..errors import DyadeError
from ..model import DateValue


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add the `actors` command group."""
    p = sub.add_parser("actors", help="explain actor resolution; list office holders")
    actors_sub = p.add_subparsers(metavar="ACTION")
    e = actors_sub.add_parser("explain", help="resolve the actors of a phrase at a date and say why")
    e.add_argument("phrase")
    e.add_argument("--date", required=True, help="YYYY-MM-DD, YYYY-MM or YYYY")
    e.set_defaults(func=explain_cli)
    lst = actors_sub.add_parser("list", help="who held which office in a country at a date")
    lst.add_argument("--country", required=True, help="ISO 3166 alpha-3 code, e.g. TUR")
    lst.add_argument("--date", required=True, help="YYYY-MM-DD, YYYY-MM or YYYY")
    lst.set_defaults(func=list_cli)


def _date(text: str) -> DateValue:
    from ..temporal import parse_published

    value = parse_published(text)
    if value is None:
        raise DyadeError(f"--date {text!r}: expected YYYY-MM-DD, YYYY-MM or YYYY")
    return value


def explain_cli(args: argparse.Namespace) -> int:
    from ..api import default_pipeline
    from ..kb.explain import explain_phrase

    date = _date(args.date)
    result = explain_phrase(args.phrase, date.value, default_pipeline())
    print(f"{args.phrase!r} at {result.date}:")
    for text, readings in result.readings:
        print(f"  matched {text!r}: " + "; ".join(readings))
    if not result.actors:
        print("  -> no actor")
    for a in result.actors:
        person = f", person {a.person}" if a.person else ""
        print(f"  -> actor {a.code} (country {a.country}, sector {a.sector}{person}) from {a.text!r} [{a.kind}]")
    return 0


def list_cli(args: argparse.Namespace) -> int:
    from ..api import default_pipeline
    from ..kb.explain import office_holders

    date = _date(args.date)
    kb = _kb(default_pipeline())
    rows = office_holders(kb, args.country.upper(), date.first_day(), date.last_day())
    if not rows:
        print(f"no office holder known for {args.country.upper()} at {date.value}")
        return 0
    for name, term in rows:
        end = term.end.isoformat() if term.end else "..."
        print(f"{term.office:<28} {name:<32} {term.sector:<4} {term.start.isoformat()} - {end}")
    return 0


def _kb(pipeline: Any) -> Any:
    for st in pipeline.stages:
        if hasattr(st, "kb"):
            return st.kb
    raise DyadeError("the pipeline has no knowledge base")
