"""`dyade serve`: the REST API and the dashboard over a store, with uvicorn."""

from __future__ import annotations

import argparse
import ipaddress
import os
import sys
import tomllib
from pathlib import Path
from typing import Any

from ..errors import DyadeError

TOKEN_ENV = "DYADE_API_TOKEN"


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add the `serve` command."""
    p = sub.add_parser("serve", parents=[common], help="serve the REST API and the dashboard over a store")
    p.add_argument("--db", default="events.duckdb")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--texts", action="append", default=[], metavar="PATH",
                   help="input files or folders holding the stored articles' texts (for the article view)")
    p.add_argument("--token-file",
                   help=f"a file holding the API token (else ${TOKEN_ENV}, else [serve] token in --config)")
    p.add_argument("--protect-reads", action="store_true", help="GET routes need the token too")
    p.add_argument("--read-only", action="store_true", help="open the store read-only (no POST, no text loading)")
    p.add_argument("--max-body", type=int, default=2 * 1024 * 1024, metavar="BYTES", help="largest request body")
    p.add_argument("--workers", type=int, default=1, metavar="N",
                   help="server processes (more than 1 needs --read-only: each opens the store read-only)")
    p.add_argument("--db-threads", type=int, default=1, metavar="N",
                   help="DuckDB threads per process (default 1: requests run in parallel, each query on one thread)")
    p.add_argument("--record-cache", type=float, default=None, metavar="MB",
                   help="memory for GET /events records in each process (default 256; 0: every page asks DuckDB)")
    p.add_argument("--log-level", default="info", choices=["critical", "error", "warning", "info", "debug"])
    p.set_defaults(func=serve_cli)


def read_token(args: argparse.Namespace) -> str | None:
    """The API token: --token-file, else $DYADE_API_TOKEN, else `[serve] token` in the --config file."""
    if args.token_file:
        try:
            token = Path(args.token_file).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise DyadeError(f"{args.token_file}: cannot read the token ({exc.strerror or exc})") from exc
        if not token:
            raise DyadeError(f"{args.token_file}: the token file is empty")
        return token
    if os.environ.get(TOKEN_ENV, "").strip():
        return os.environ[TOKEN_ENV].strip()
    if args.config:
        try:
            data = tomllib.loads(Path(args.config).read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise DyadeError(f"{args.config}: cannot read settings ({exc})") from exc
        token = str(data.get("serve", {}).get("token", "")).strip()
        return token or None
    return None


def serve_cli(args: argparse.Namespace) -> int:
    """Open the store, find article texts, serve until interrupted."""
    try:
        import uvicorn

        from ..web import ServeConfig, create_app
        from ..web.app import CONFIG_ENV
        from ..web.texts import fill_from_origins, load_texts
    except ModuleNotFoundError as exc:
        missing = exc.name
        raise DyadeError(f"`dyade serve` needs the web extra: pip install 'dyade[web]' ({missing} is missing)") from exc
    if not Path(args.db).exists():
        raise DyadeError(f"{args.db}: no such database (run `dyade ingest` first)")
    if not 0 < args.port < 65536:
        raise DyadeError(f"--port must be 1-65535, not {args.port}")
    token = read_token(args)
    if args.protect_reads and not token:
        raise DyadeError(f"--protect-reads needs a token (${TOKEN_ENV}, --token-file or [serve] token)")
    if args.read_only and args.texts:
        raise DyadeError("--texts writes article texts into the store: drop --read-only")
    if args.workers < 1 or args.db_threads < 1:
        raise DyadeError("--workers and --db-threads take 1 or more")
    if args.record_cache is not None and not 0 <= args.record_cache <= 1 << 20:
        raise DyadeError(f"--record-cache takes 0 to 1048576 MB, not {args.record_cache:g}")
    if args.workers > 1 and not args.read_only:
        raise DyadeError("--workers above 1 needs --read-only (one process only may write a DuckDB file)")
    if not token and not _loopback(args.host):
        print(f"dyade: warning: serving {args.host} with no token: anyone who can reach it reads the store",
              file=sys.stderr)
    cache = {} if args.record_cache is None else {"record_cache_mb": args.record_cache}
    config = ServeConfig(db=args.db, read_only=args.read_only, token=token, protect_reads=args.protect_reads,
                         max_body=args.max_body, db_threads=args.db_threads, **cache)
    if args.workers > 1:
        create_app(config).state.db.close()  # fail here, not in every worker, when the store cannot be read
        os.environ[CONFIG_ENV] = config.to_env()  # the workers build their app from it (app_from_env)
        print(f"dyade: serving {args.db} read-only on http://{args.host}:{args.port}/ with {args.workers} workers",
              file=sys.stderr)
        uvicorn.run("dyade.web.app:app_from_env", factory=True, workers=args.workers, host=args.host,
                    port=args.port, log_level=args.log_level)
        return 0
    app = create_app(config, coder=_lazy_coder(args))
    db = app.state.db
    if not args.read_only:
        with db.write_lock:
            found = load_texts(db.cursor(), args.texts) if args.texts else 0
            found += fill_from_origins(db.cursor())
        print(f"dyade: {found} article text(s) loaded", file=sys.stderr)
    writes = "on" if token and not args.read_only else "off"
    print(f"dyade: serving {args.db} on http://{args.host}:{args.port}/ (write routes {writes})", file=sys.stderr)
    uvicorn.run(app, host=args.host, port=args.port, log_level=args.log_level)
    return 0


def _lazy_coder(args: argparse.Namespace) -> Any:
    """A coder for POST /articles built from --config/--set on first use (spaCy loads then, not at start)."""
    from ..config import Settings, load_settings
    from ..web.ingest import pipeline_coder

    settings = load_settings(args.config, args.set)
    built: list[Any] = []

    def code(articles: list[Any]) -> Any:
        """Build the pipeline once, then code."""
        if not built:
            from ..api import default_pipeline
            from ..build import build_pipeline

            pipeline = default_pipeline() if settings == Settings() else build_pipeline(settings)
            built.append(pipeline_coder(pipeline, settings.batch_size))
        return built[0](articles)

    return code


def _loopback(host: str) -> bool:
    """True for localhost and loopback addresses."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
