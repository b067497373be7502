"""The command line: thin functions over the library. `main(argv)` returns the exit status."""

from __future__ import annotations

import argparse
import hashlib
import importlib
import logging
import sys
from collections.abc import Callable, Iterator
from importlib import resources
from pathlib import Path
from typing import IO, Any

from .commands.store import add_filters
from .errors import DyadeError, InputError
from .model import Article, Document
from .output import TABLE_HEADER, CsvWriter, table_line, write_jsonl
from .pipeline import Failure

PROGRESS_MIN = 5

# Command groups living in their own modules; each has `register(subparsers, common_parent)`.
EXTENSIONS = ("dyade.commands.store", "dyade.commands.actors", "dyade.commands.serve", "dyade.commands.scale")


def main(argv: list[str] | None = None) -> int:
    """Run one dyade command; 0 when all went well, 1 when some input was skipped, 2 on usage errors."""
    parser = _parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args))
    except DyadeError as exc:
        print(f"dyade: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="dyade", description="Political event coding for French-language news.")
    sub = parser.add_subparsers(metavar="COMMAND")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", help="a TOML settings file")
    common.add_argument("--set", action="append", default=[], metavar="SECTION.KEY=VALUE", help="override a setting")
    common.add_argument("--strict", action="store_true", help="stop at the first input that cannot be coded")

    p = sub.add_parser("extract", parents=[common], help="code files, folders, JSONL or stdin (-) to event records")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--format", choices=["jsonl", "table", "csv"], default="jsonl")
    p.set_defaults(func=extract_cli)

    p = sub.add_parser("ingest", parents=[common], help="code articles and store them in DuckDB")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--db", default="events.duckdb")
    p.set_defaults(func=ingest_cli)

    p = sub.add_parser("events", help="query stored events")
    p.add_argument("--db", default="events.duckdb")
    add_filters(p)
    p.add_argument("--format", choices=["jsonl", "table", "csv"], default="table")
    p.add_argument("--merged", action="store_true",
                   help="one row per real-world event with its mention, article and source counts (as `dyade merged`)")
    p.set_defaults(func=events_cli)

    p = sub.add_parser("explain", parents=[common], help="show each sentence with its events and the rules that fired")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.set_defaults(func=explain_cli)

    p = sub.add_parser("demo", parents=[common], help="code the packaged demo corpus into DuckDB and show the events")
    p.add_argument("--db", default="demo.duckdb")
    p.set_defaults(func=demo_cli)
    for name in EXTENSIONS:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        module.register(sub, common)
    return parser


def _pipeline(args: argparse.Namespace) -> Any:
    from .api import default_pipeline
    from .build import build_pipeline
    from .config import Settings, load_settings

    settings = load_settings(args.config, args.set)
    same = settings == Settings() or (settings.stages, settings.model) == (Settings().stages, Settings().model)
    return settings, default_pipeline() if same else build_pipeline(settings)


class StrictStop(DyadeError):
    """`--strict` met an input that could not be coded."""


def code_inputs(
    args: argparse.Namespace,
    paths: list[str],
    skipped: list[str],
    *,
    on_skip: Callable[[Failure], None] | None = None,
    unchanged: Callable[[Article], bool] | None = None,
) -> Iterator[Document]:
    """Read and code the inputs, reporting every skipped article on stderr (with file and line).

    `on_skip` receives the articles a stage chose not to code (kind `language` or `size`), before
    `--strict` stops; articles for which `unchanged` is true are not coded at all (already stored).
    """
    from .read import read_paths

    settings, pipeline = _pipeline(args)
    stop: list[str] = []  # --strict: the unreadable input the stream ended at
    readable = _report_unreadable(read_paths(paths, max_chars=settings.max_chars), skipped, args.strict, stop)
    if unchanged is not None:
        readable = (article for article in readable if not unchanged(article))
    coded = pipeline.pipe(readable, batch_size=settings.batch_size, max_chars=settings.max_chars)
    for doc in _progress(coded):
        if isinstance(doc, Failure):
            if doc.skipped and on_skip is not None:
                on_skip(doc)
            _skip(skipped, doc.article.origin or doc.article.id, doc.reason, args.strict)
            continue
        yield doc
    if stop:
        raise StrictStop(f"stopped at {stop[0]} (--strict)")


def _report_unreadable(
    items: Iterator[Article | InputError], skipped: list[str], strict: bool, stop: list[str]
) -> Iterator[Article]:
    """The articles read; every input that could not be read is reported.

    With --strict the stream ends at the first one (named in `stop`), so that the articles read
    before it are still coded and written before the command stops.
    """
    for item in items:
        if isinstance(item, InputError):
            _skip(skipped, item.origin, item.reason, False)
            if strict:
                stop.append(item.origin)
                return
        else:
            yield item


def _skip(skipped: list[str], origin: str, reason: str, strict: bool) -> None:
    """Report one skipped input on stderr and count it; with --strict, stop there."""
    print(f"dyade: skipped {origin}: {reason}", file=sys.stderr)
    skipped.append(origin)
    if strict:
        raise StrictStop(f"stopped at {origin} (--strict)")


def _progress(items: Iterator[Any]) -> Iterator[Any]:
    """A progress bar on stderr, when stderr is a terminal."""
    if not sys.stderr.isatty():
        return items
    from tqdm import tqdm

    return iter(tqdm(items, unit=" articles", file=sys.stderr, mininterval=1.0, miniters=PROGRESS_MIN))


def extract_cli(args: argparse.Namespace) -> int:
    skipped: list[str] = []
    out = sys.stdout
    csv_writer = CsvWriter(out) if args.format == "csv" else None
    if args.format == "table":
        print(TABLE_HEADER, file=out)
    for doc in code_inputs(args, args.paths, skipped):
        records = [e.to_record() for e in doc.events]
        _write(records, args.format, out, csv_writer)
    return 1 if skipped else 0


def _write(records: list[dict[str, Any]], fmt: str, out: IO[str], csv_writer: CsvWriter | None) -> None:
    if fmt == "jsonl":
        write_jsonl(records, out)
    elif csv_writer is not None:
        csv_writer.write(records)
    else:
        for rec in records:
            print(table_line(rec), file=out)


INGEST_BATCH = 64  # articles per store transaction


def ingest_cli(args: argparse.Namespace) -> int:
    """Code the inputs into the store; articles skipped by a stage are stored as `skipped` with the reason."""
    from .api import CODER_VERSION
    from .store import Store, StoreError

    skipped: list[str] = []
    with Store(args.db) as store:
        writer = _BatchWriter(store, CODER_VERSION)
        try:
            for doc in code_inputs(args, args.paths, skipped, on_skip=writer.add_skipped, unchanged=writer.unchanged):
                writer.add(doc.article, [e.to_record() for e in doc.events])
        except StoreError as exc:
            raise StoreError(f"{exc}; the {writer.stored} article(s) stored before are kept: "
                             "fix the cause and run the same command again to store the rest") from exc
        except StrictStop:
            writer.flush()  # what was coded before the stop is kept
            raise
        writer.flush()
        stats = store.stats()
    print(f"dyade: {writer.stored} article(s) stored ({writer.stored_skipped} as skipped), {writer.events} event(s) "
          f"coded, {writer.known} already stored, {len(skipped)} skipped; {args.db} now holds "
          f"{stats.get('articles', 0)} article(s) and {stats.get('mentions', 0)} event mention(s)", file=sys.stderr)
    return 1 if skipped else 0


class _BatchWriter:
    """Gathers coded and skipped articles and writes them INGEST_BATCH at a time, one transaction each."""

    def __init__(self, store: Any, coder_version: str) -> None:
        self.store, self.coder_version = store, coder_version
        self.pending: list[tuple[Article, list[dict[str, Any]], str, str | None]] = []
        self.stored = self.stored_skipped = self.events = self.known = 0
        self.keys = _stored_keys(store, coder_version)

    def unchanged(self, article: Article) -> bool:
        """True when the store already holds this text under this id, coded by this coder version."""
        if _key(article) in self.keys:
            self.known += 1
            return True
        return False

    def add(self, article: Article, records: list[dict[str, Any]]) -> None:
        """Queue a coded article with its event records."""
        self.pending.append((article, records, "coded", None))
        self.events += len(records)
        if len(self.pending) >= INGEST_BATCH:
            self.flush()

    def add_skipped(self, failure: Failure) -> None:
        """Queue an article a stage skipped (`language`, `size`), to be stored with its reason."""
        self.pending.append((failure.article, [], "skipped", failure.reason))
        if len(self.pending) >= INGEST_BATCH:
            self.flush()

    def flush(self) -> None:
        """Write the queued articles in one transaction (all or none)."""
        if not self.pending:
            return
        written = self.store.add_batch(self.pending, self.coder_version)
        self.stored += sum(written)
        self.stored_skipped += sum(w for w, item in zip(written, self.pending) if item[2] == "skipped")
        self.pending = []


def _stored_keys(store: Any, coder_version: str) -> set[bytes]:
    """A compact key (16 bytes) for every (id, text) the store holds from this coder version."""
    result = store.execute("SELECT id, text_hash FROM articles WHERE coder_version = ?", [coder_version])
    keys: set[bytes] = set()
    while rows := result.fetchmany(10_000):
        keys.update(_key_of(article_id, hash_) for article_id, hash_ in rows)
    return keys


def _key(article: Article) -> bytes:
    from .store.duckdb import text_hash

    return _key_of(article.id, text_hash(article.text))


def _key_of(article_id: str, hash_: str) -> bytes:
    return hashlib.blake2b(f"{article_id}\0{hash_}".encode("utf-8", "replace"), digest_size=16).digest()


def events_cli(args: argparse.Namespace) -> int:
    from .store import Store

    if not Path(args.db).exists():
        raise DyadeError(f"{args.db}: no such database (run `dyade ingest` first)")
    if args.merged:
        from .commands.store import merged_cli

        return merged_cli(args)
    dyad = tuple(args.dyad.split(",")) if args.dyad else None
    if dyad and len(dyad) != 2:
        raise DyadeError("--dyad takes two actors separated by a comma, e.g. TUR,RUS")
    with Store(args.db, read_only=True) as store:
        records = store.query_events(actor=args.actor, dyad=dyad, plover_type=args.plover_type,  # type: ignore[arg-type]
                                     since=args.since, until=args.until, limit=args.limit)
    if args.format == "table":
        print(TABLE_HEADER)
    _write(records, args.format, sys.stdout, CsvWriter(sys.stdout) if args.format == "csv" else None)
    return 0


def explain_cli(args: argparse.Namespace) -> int:
    skipped: list[str] = []
    for doc in code_inputs(args, args.paths, skipped):
        print(f"# {doc.id}  published: {doc.published.value if doc.published else '?'}"
              f" ({doc.published.how if doc.published else 'no date found'})")
        for note in doc.notes:
            print(f"  note: {note}")
        for sentence in doc.sentences:
            events = [e for e in doc.events if e.sentence_index == sentence.index]
            rejected = [why for i, why in doc.rejected if i == sentence.index]
            if not events and not rejected:
                continue
            print(f"\n[{sentence.index}] {doc.article.text[sentence.orig_start:sentence.orig_end]}")
            for e in events:
                rec = e.to_record()
                print(f"    {table_line(rec, 0).rstrip()}")
                print(f"      rule={e.rule} confidence={e.confidence:.2f} modality={e.modality} negated={e.negated}"
                      f" background={e.background} date_how={e.event_date.how if e.event_date else None}"
                      f" reported_by={(e.reported_by.code if e.reported_by else None)}")
            for why in rejected:
                print(f"    rejected: {why}")
        print()
    return 1 if skipped else 0


def demo_cli(args: argparse.Namespace) -> int:
    """The main job: the packaged demo corpus through the whole pipeline into DuckDB, then a table."""
    corpus = resources.files("dyade").joinpath("data", "demo", "articles.jsonl")
    with resources.as_file(corpus) as path:
        args.paths = [str(path)]
        status = ingest_cli(args)
    query = argparse.Namespace(db=args.db, actor=None, dyad=None, plover_type=None, since=None, until=None,
                               limit=None, format="table", merged=False)
    events_cli(query)
    return status


if __name__ == "__main__":
    sys.exit(main())
