"""Load test of the REST API: 50 concurrent clients on GET /events with filters, on loopback only.

    .venv/bin/python bench/load_api.py                       # 100,000 mentions, 5,000 requests
    .venv/bin/python bench/load_api.py --rows 200000 --requests 10000
    .venv/bin/python bench/load_api.py --workers 2           # dyade serve --workers 2
    .venv/bin/python bench/load_api.py --rate 20 40 60       # open loop: Poisson arrivals at 20, 40, 60/s
    .venv/bin/python bench/load_api.py --record-cache 32     # records beyond 32 MB come from DuckDB

Builds a store of synthetic mentions (inserted with DuckDB, no spaCy; --db keeps it), starts
`dyade serve --read-only` on 127.0.0.1 in a subprocess, sends the requests from N concurrent
clients after a warm-up, and writes p50/p90/p99 latency, throughput, errors and the CPU time the
server and the client spent per request to bench/results/load-DATE.json and .md (--name).

By default the clients never pause (closed loop): latency is then N / throughput, a measure of the
server's saturation, not of what a user waits. With --rate, requests arrive as a Poisson process
at R per second in total (open loop), each on the first of the N connections free, its latency
counted from the time it was due: what an analyst clicking on a dashboard waits at that load.

The client shares the machine's cores with the server: by default a minimal HTTP/1.1 client on
asyncio streams (one keep-alive connection per client, every body parsed as JSON), on uvloop with
orjson when installed (the web extra pins both), about 0.4 ms of CPU per request; `--client
raw-stdlib` (the standard loop and json module, the client before 2026-11-23-v4) about 1 ms;
`--client httpx` uses httpx.AsyncClient. Each run also reports the server's resident memory (its
processes' VmRSS) and how many cores other processes kept busy meanwhile (and the hypervisor
stole), from /proc: a figure taken on a machine that was not quiet says so.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import platform
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import duckdb
import httpx
import pyarrow as pa

from dyade.store import Store
from dyade.store.duckdb import ARTICLE_SCHEMA, MENTION_SCHEMA, mention_row

try:  # the web extra pins both; without them the raw client is the standard one
    import orjson
except ModuleNotFoundError:
    orjson = None
try:
    import uvloop
except ModuleNotFoundError:
    uvloop = None

RESULTS = Path(__file__).resolve().parent / "results"
COUNTRIES = ["TUR", "RUS", "SYR", "USA", "FRA", "DEU", "GBR", "IRN", "IRQ", "ISR", "PSE", "EGY", "SAU", "UKR",
             "CHN", "JPN", "IND", "PAK", "AFG", "LBN", "MLI", "NER", "ETH", "SDN", "YEM", "POL"]
SECTORS = ["GOV", "MIL", "", "REB", "OPP"]
TYPES = [("CONSULT", "040", 1, 1.0), ("AGREE", "030", 1, 4.0), ("COOPERATE", "060", 2, 6.0), ("AID", "070", 2, 7.0),
         ("ACCUSE", "112", 3, -2.0), ("THREATEN", "130", 3, -4.4), ("PROTEST", "140", 3, -6.5),
         ("SANCTION", "160", 4, -4.0), ("ASSAULT", "190", 4, -10.0)]
PLACES = [("Idleb", "SYR", 35.93, 36.63), ("Ankara", "TUR", 39.92, 32.85), ("Moscou", "RUS", 55.75, 37.62),
          ("Kiev", "UKR", 50.45, 30.52), ("Gaza", "PSE", 31.5, 34.47), ("Bamako", "MLI", 12.65, -8.0), None, None]
SENTENCE = "Le ministre {a} a {verb} son homologue {b} lors d'une rencontre à {place}, selon un communiqué."
START = dt.date(2015, 1, 1)
PER_ARTICLE = 10


def actor(code: str, start: int) -> dict[str, Any]:
    """A synthetic actor object."""
    return {"code": code, "country": code[:3], "sector": code[3:] or None, "name": f"Acteur {code}",
            "text": code, "start": start, "end": start + len(code)}


def synthetic_record(i: int, article_id: str, rng: random.Random) -> dict[str, Any]:
    """One synthetic event record shaped as event-record.md says."""
    one = COUNTRIES[min(int(rng.paretovariate(1.1)) - 1, len(COUNTRIES) - 1)]
    two = rng.choice([c for c in COUNTRIES if c != one])
    kind, code, quad, goldstein = rng.choice(TYPES)
    day = START + dt.timedelta(days=rng.randrange(9 * 365))
    date = day.isoformat() if rng.random() < 0.85 else day.isoformat()[:7]
    place = rng.choice(PLACES)
    text = SENTENCE.format(a=one, b=two, verb=kind.lower(), place=place[0] if place else "Genève")
    return {
        "event_id": f"e{i:08d}", "article_id": article_id, "event_date": date,
        "date_precision": "day" if len(date) == 10 else "month",
        "source": actor(one + rng.choice(SECTORS), 12), "target": actor(two + rng.choice(SECTORS), 40),
        "symmetric": kind == "CONSULT", "plover": {"type": kind, "mode": None},
        "cameo": {"code": code, "root": code[:2], "quad_class": quad, "goldstein": goldstein},
        "location": {"name": place[0], "text": place[0], "country": place[1], "admin1": None, "lat": place[2],
                     "lon": place[3], "geonames_id": None, "precision": "city"} if place else None,
        "fatalities": None, "negated": rng.random() < 0.03, "modality": "asserted", "background": rng.random() < 0.1,
        "reported_by": None,
        "evidence": {"text": text, "start": 0, "end": len(text), "trigger": {"start": 20, "end": 26}},
        "rule": "synthetic", "confidence": round(rng.random(), 3),
    }


def build_store(path: Path, rows: int, seed: int) -> float:
    """Create a store holding `rows` synthetic mentions; returns the seconds it took."""
    # Imported here: with --db naming a store built before, this script also drives the servers of
    # older dyade versions (PYTHONPATH), which have no actor keys.
    from dyade.store.actors import fill_actor_keys

    began = time.perf_counter()
    Store(path).close()  # the schema, as the store creates it
    rng = random.Random(seed)
    n_articles = (rows + PER_ARTICLE - 1) // PER_ARTICLE
    now = dt.datetime(2024, 1, 1)
    articles = [{"id": f"a{n:07d}", "url": None, "source": "synthetic", "title": f"Dépêche {n}",
                 "published": "2024-01-01", "text_hash": f"{n:064x}", "n_chars": 1000, "language": "fr",
                 "status": "coded", "skip_reason": None, "coder_version": "bench", "origin": None, "ingested_at": now}
                for n in range(n_articles)]
    mentions = [mention_row(synthetic_record(i, f"a{i // PER_ARTICLE:07d}", rng), f"a{i // PER_ARTICLE:07d}")
                for i in range(rows)]
    con = duckdb.connect(str(path))
    try:
        for table, data, schema in (("articles", articles, ARTICLE_SCHEMA), ("mentions", mentions, MENTION_SCHEMA)):
            frame = pa.Table.from_pylist(data, schema=schema)
            con.register("frame", frame)
            columns = ", ".join(f'"{name}"' for name in schema.names)
            con.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM frame")
            con.unregister("frame")
        fill_actor_keys(con)  # as Store._write does
    finally:
        con.close()
    return time.perf_counter() - began


def request_mix(n: int, seed: int) -> list[dict[str, Any]]:
    """`n` /events queries mixing every kind of filter, sort and page size."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        one, two = rng.sample(COUNTRIES[:10], 2)
        year = rng.randrange(2015, 2024)
        params: dict[str, Any] = rng.choice([
            {"dyad": f"{one},{two}"},
            {"dyad": f"{one},{two}", "since": f"{year}", "until": f"{year + 1}"},
            {"actor": one + rng.choice(["", "GOV", "MIL"]), "type": rng.choice(TYPES)[0]},
            {"country": one, "quad": rng.choice(["3,4", "1,2", "4"])},
            {"since": f"{year}-{rng.randrange(1, 13):02d}", "until": f"{year}-12"},
            {"place": rng.choice(["Idleb", "Kiev", "Gaza"]), "actor": one},
            {"q": rng.choice(["rencontre", "communiqué", "Genève"]), "dyad": f"{one},{two}"},
            {"source": one, "target": two, "negated": "false"},
        ])
        params["sort"] = rng.choice(["date", "-date", "-goldstein", "confidence"])
        params["limit"] = rng.choice([20, 50, 100])
        out.append(params)
    return out


Parse = Callable[[bytes], Any]


def client_parts(client: str) -> tuple[Parse, bool, str]:
    """The body parser and whether to run on uvloop for `client`, and how to name the two in results."""
    if client == "raw" and orjson is not None:
        parse: Parse = orjson.loads
    else:
        parse = json.loads
    fast_loop = client == "raw" and uvloop is not None
    return parse, fast_loop, f"{'uvloop' if fast_loop else 'asyncio'}, {'orjson' if parse is not json.loads else 'json'}"


def run(coro: Coroutine[Any, Any, Any], fast_loop: bool) -> Any:
    """asyncio.run, on uvloop's event loop when `fast_loop`."""
    if fast_loop and uvloop is not None:
        with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
            return runner.run(coro)
    return asyncio.run(coro)


async def run_load(base: str, mix: list[dict[str, Any]], concurrency: int,
                   client: str = "raw") -> tuple[list[float], list[str]]:
    """Send every request of `mix` from `concurrency` clients; the latency of each in ms, and errors."""
    if client in ("raw", "raw-stdlib"):
        return await run_load_raw(base, mix, concurrency, client_parts(client)[0])
    latencies: list[float] = []
    errors: list[str] = []
    queue = iter(mix)
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30.0) as http:

        async def worker() -> None:
            for params in queue:
                began = time.perf_counter()
                try:
                    response = await http.get("/events", params=params)
                    if response.status_code != 200:
                        errors.append(f"{response.status_code} {params}")
                    else:
                        response.json()
                except httpx.HTTPError as exc:
                    errors.append(f"{type(exc).__name__} {params}")
                latencies.append((time.perf_counter() - began) * 1000)

        await asyncio.gather(*(worker() for _ in range(concurrency)))
    return latencies, errors


async def _get(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, host: str,
               target: str) -> tuple[int, bytes]:
    """One GET on a keep-alive HTTP/1.1 connection: the status and the body (Content-Length framed)."""
    writer.write(f"GET {target} HTTP/1.1\r\nHost: {host}\r\nAccept: application/json\r\n\r\n".encode("ascii"))
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    length = next((int(line.split(":", 1)[1]) for line in lines[1:] if line.lower().startswith("content-length:")), None)
    if length is None:
        raise ValueError(f"no Content-Length in the answer ({lines[0]})")
    return status, await reader.readexactly(length)


Connection = tuple[asyncio.StreamReader, asyncio.StreamWriter]


async def _request(conn: Connection | None, host: str, port: int, params: dict[str, Any],
                   errors: list[str], parse: Parse = json.loads) -> Connection | None:
    """One GET /events on a keep-alive connection (opened when None); the connection, None after an error."""
    try:
        if conn is None:
            conn = await asyncio.open_connection(host, port)
        status, body = await asyncio.wait_for(_get(*conn, f"{host}:{port}", "/events?" + urlencode(params)), 30.0)
        if status != 200:
            errors.append(f"{status} {params}")
        else:
            parse(body)
        return conn
    except (OSError, ValueError, asyncio.IncompleteReadError, asyncio.TimeoutError) as exc:  # JSON errors too
        errors.append(f"{type(exc).__name__} {params}")
        if conn is not None:
            conn[1].close()
        return None


def _host_port(base: str) -> tuple[str, int]:
    """Host and port of http://HOST:PORT."""
    host, port = base.split("://", 1)[1].rsplit(":", 1)
    return host, int(port)


async def run_load_raw(base: str, mix: list[dict[str, Any]], concurrency: int,
                       parse: Parse = json.loads) -> tuple[list[float], list[str]]:
    """run_load with one asyncio-streams connection per client (reopened after an error)."""
    latencies: list[float] = []
    errors: list[str] = []
    queue = iter(mix)
    host, port = _host_port(base)

    async def worker() -> None:
        conn = None
        for params in queue:
            began = time.perf_counter()
            conn = await _request(conn, host, port, params, errors, parse)
            latencies.append((time.perf_counter() - began) * 1000)
        if conn is not None:
            conn[1].close()

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return latencies, errors


def arrival_schedule(n: int, rate: float, seed: int) -> list[float]:
    """Send times (seconds from the start) of `n` requests arriving as a Poisson process of `rate` per second."""
    if rate <= 0:
        raise ValueError(f"the rate must be above 0, not {rate}")
    rng = random.Random(seed)
    times: list[float] = []
    now = 0.0
    for _ in range(n):
        now += rng.expovariate(rate)
        times.append(now)
    return times


async def run_paced(base: str, mix: list[dict[str, Any]], concurrency: int,
                    schedule: list[float], parse: Parse = json.loads) -> tuple[list[float], list[str]]:
    """Open loop: request i is due at schedule[i] and goes out on the first of `concurrency` connections free.

    Its latency runs from the time it was due, so the wait for a free connection (when the server
    falls behind) counts, as it would for an analyst whose click waits.
    """
    latencies: list[float] = []
    errors: list[str] = []
    host, port = _host_port(base)
    pool: asyncio.Queue[Connection | None] = asyncio.Queue()
    for _ in range(concurrency):
        pool.put_nowait(None)  # opened on first use
    loop = asyncio.get_running_loop()

    async def one(params: dict[str, Any], due: float) -> None:
        conn = await pool.get()
        conn = await _request(conn, host, port, params, errors, parse)
        latencies.append((loop.time() - due) * 1000)
        pool.put_nowait(conn)

    start = loop.time()
    tasks = []
    for params, at in zip(mix, schedule):
        delay = start + at - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(params, start + at)))
    await asyncio.gather(*tasks)
    while not pool.empty():
        conn = pool.get_nowait()
        if conn is not None:
            conn[1].close()
    return latencies, errors


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process and its children (the uvicorn workers), from /proc."""
    try:
        stats = [Path(f"/proc/{one}/stat").read_text().rsplit(")", 1)[1].split() for one in _family(pid)]
    except (OSError, ValueError):
        return float("nan")  # not Linux, or a process gone
    return sum(int(fields[11]) + int(fields[12]) for fields in stats) / os.sysconf("SC_CLK_TCK")


def machine_cpu_seconds() -> tuple[float, float]:
    """CPU seconds every core of the machine spent busy (steal excluded), and stolen by the hypervisor, from /proc/stat."""
    try:
        user, nice, system, _, _, irq, softirq, steal = map(int, Path("/proc/stat").read_text().split()[1:9])
    except (OSError, ValueError):
        return float("nan"), float("nan")
    return (user + nice + system + irq + softirq) / os.sysconf("SC_CLK_TCK"), steal / os.sysconf("SC_CLK_TCK")


def _family(pid: int) -> list[int]:
    """A process and its children (the uvicorn workers)."""
    pids = [pid]
    for task in Path(f"/proc/{pid}/task").iterdir():
        pids += [int(child) for child in (task / "children").read_text().split()]
    return pids


def rss_mb(pid: int) -> float:
    """Resident memory (VmRSS) of a process and its children in MiB, from /proc."""
    total = 0
    try:
        for one in _family(pid):
            status = Path(f"/proc/{one}/status").read_text()
            total += int(status.split("VmRSS:", 1)[1].split()[0])
    except (OSError, ValueError, IndexError):
        return float("nan")  # not Linux, or a process gone
    return round(total / 1024, 1)


def start_server(db: Path, port: int, extra: list[str] | None = None) -> subprocess.Popen[bytes]:
    """`dyade serve --read-only` on 127.0.0.1:port (with `extra` options); returns once it answers."""
    proc = subprocess.Popen([sys.executable, "-m", "dyade", "serve", "--db", str(db), "--read-only", "--host",
                             "127.0.0.1", "--port", str(port), "--log-level", "warning", *(extra or [])],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server stopped: {proc.stderr.read().decode() if proc.stderr else ''}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/stats", timeout=2).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("the server did not answer within 60 s")


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100) of the values, nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))]


def measure(base: str, server_pid: int, args: argparse.Namespace, rate: float | None) -> dict[str, Any]:
    """One run: closed loop (`rate` None) or Poisson arrivals at `rate`; its latencies, throughput, CPU, errors."""
    mix = request_mix(args.requests, args.seed)
    parse, fast_loop, _ = client_parts(args.client if args.client != "httpx" or rate is None else "raw")
    server_cpu, client_cpu = cpu_seconds(server_pid), time.process_time()
    busy, stolen = machine_cpu_seconds()
    began = time.perf_counter()
    if rate is None:
        latencies, errors = run(run_load(base, mix, args.concurrency, args.client), fast_loop)
    else:
        schedule = arrival_schedule(len(mix), rate, args.seed + 2)
        latencies, errors = run(run_paced(base, mix, args.concurrency, schedule, parse), fast_loop)
    elapsed = time.perf_counter() - began
    server_cpu, client_cpu = cpu_seconds(server_pid) - server_cpu, time.process_time() - client_cpu
    busy, stolen = (now - then for now, then in zip(machine_cpu_seconds(), (busy, stolen)))
    return {
        "mode": "closed" if rate is None else "paced", "offered_per_s": rate,
        "p50_ms": round(percentile(latencies, 50), 1), "p90_ms": round(percentile(latencies, 90), 1),
        "p99_ms": round(percentile(latencies, 99), 1), "max_ms": round(max(latencies), 1),
        "mean_ms": round(statistics.fmean(latencies), 1), "requests_per_s": round(len(latencies) / elapsed, 1),
        "server_cpu_ms_per_request": round(server_cpu / len(latencies) * 1000, 2),
        "client_cpu_ms_per_request": round(client_cpu / len(latencies) * 1000, 2),
        "server_rss_mb": rss_mb(server_pid),  # and how quiet the machine was: cores others kept busy, stolen
        "others_cores": round(max(busy - server_cpu - client_cpu, 0.0) / elapsed, 2),
        "steal_cores": round(stolen / elapsed, 2), "errors": len(errors), "error_samples": errors[:5],
        "goal_met": percentile(latencies, 99) < 100 and not errors,
    }


def markdown(result: dict[str, Any]) -> str:
    """The results as a Markdown page: one table row per run."""
    table = ("| mentions | requests | clients | workers | arrivals | p50 ms | p90 ms | p99 ms | max ms | req/s "
             "| server / client CPU ms per request | server RSS MiB | other processes / steal, cores | errors "
             "| goal met |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n")
    for run in result["runs"]:
        arrivals = "closed loop, no pause" if run["mode"] == "closed" else f"Poisson, {run['offered_per_s']:g}/s"
        table += (f"| {result['rows']:,} | {result['requests']:,} | {result['concurrency']} | {result['workers']} "
                  f"| {arrivals} | {run['p50_ms']} | {run['p90_ms']} | {run['p99_ms']} | {run['max_ms']} "
                  f"| {run['requests_per_s']} | {run['server_cpu_ms_per_request']} / "
                  f"{run['client_cpu_ms_per_request']} | {run.get('server_rss_mb', '')} "
                  f"| {run.get('others_cores', '')} / {run.get('steal_cores', '')} | {run['errors']} "
                  f"| {'yes' if run['goal_met'] else 'no'} |\n")
    machine = result["machine"]
    client = f" Client: {result['client']} ({result['client_impl']})." if result.get("client_impl") else ""
    return (f"# GET /events under load\n\n`{result['command']}` on {result['date']}, {machine['cpus']} cores shared by "
            f"server and clients; 1-minute load average {machine['loadavg_1min_before']} before the run, "
            f"{machine['loadavg_1min_after']} after.{client}\n\n{table}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=5_000, help="requests per run")
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--rate", type=float, nargs="+", metavar="R",
                        help="open loop: Poisson arrivals at R requests/s in total, one run per R (default: closed loop)")
    parser.add_argument("--warmup", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--db", type=Path, help="keep the synthetic store here (built when missing, else reused)")
    parser.add_argument("--name", help="results go to bench/results/NAME.json and NAME.md (default load-DATE)")
    parser.add_argument("--workers", type=int, default=1, help="dyade serve --workers")
    parser.add_argument("--db-threads", type=int, help="dyade serve --db-threads (default: the server's)")
    parser.add_argument("--record-cache", type=float, metavar="MB",
                        help="dyade serve --record-cache (default: the server's); below the store's records, "
                             "pages ask DuckDB for those not cached")
    parser.add_argument("--client", choices=["raw", "raw-stdlib", "httpx"], default="raw",
                        help="the HTTP client: raw (uvloop and orjson when installed), raw-stdlib (asyncio and json), "
                             "httpx (closed loop only; the open loop uses raw)")
    args = parser.parse_args()
    name = args.name or f"load-{dt.date.today().isoformat()}"
    extra = ((["--workers", str(args.workers)] if args.workers != 1 else [])
             + (["--db-threads", str(args.db_threads)] if args.db_threads else [])
             + (["--record-cache", f"{args.record_cache:g}"] if args.record_cache is not None else []))
    with tempfile.TemporaryDirectory(prefix="dyade-load-") as tmp:
        db = args.db or Path(tmp) / "load.duckdb"
        if not db.exists():
            build_seconds = build_store(db, args.rows, args.seed)
            print(f"store: {args.rows} mentions in {build_seconds:.1f} s", file=sys.stderr)
        else:
            Store(db).close()  # a store built by an older dyade: migrated here, the server opens it read-only
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        server = start_server(db, port, extra)
        load_before = os.getloadavg()
        try:
            base = f"http://127.0.0.1:{port}"
            stats = httpx.get(f"{base}/stats", timeout=30).json()
            run(run_load(base, request_mix(args.warmup, args.seed + 1), args.concurrency, args.client),
                client_parts(args.client)[1])
            runs = [measure(base, server.pid, args, rate) for rate in (args.rate or [None])]
        finally:
            server.terminate()
            server.wait(timeout=20)
    result = {
        "command": " ".join(["bench/load_api.py", *sys.argv[1:]]), "rows": args.rows, "requests": args.requests,
        "events_in_store": stats["events"], "mentions_in_store": stats["mentions"],
        "concurrency": args.concurrency, "warmup": args.warmup, "workers": args.workers, "server_options": extra,
        "client": args.client, "client_impl": client_parts(args.client)[2] if args.client != "httpx" else "httpx",
        "goal": "p99 < 100 ms, 0 errors", "runs": runs,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "duckdb": duckdb.__version__,
                    "loadavg_1min_before": round(load_before[0], 2),
                    "loadavg_1min_after": round(os.getloadavg()[0], 2)},
        "date": dt.date.today().isoformat(),
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{name}.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    page = markdown(result)
    (RESULTS / f"{name}.md").write_text(page, encoding="utf-8")
    print(page)
    return 0 if not any(run["errors"] for run in runs) else 1


if __name__ == "__main__":
    sys.exit(main())
