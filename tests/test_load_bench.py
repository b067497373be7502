"""bench/load_api.py: the open-loop arrival schedule, the clients, the results page and the synthetic store."""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import time
from pathlib import Path
from types import ModuleType

import pytest

from dyade.store import Store

pytest.importorskip("httpx")


def test_load_arrival_schedule_is_a_poisson_process(load_api: ModuleType) -> None:
    times = load_api.arrival_schedule(20_000, 50.0, 3)
    assert len(times) == 20_000
    gaps = [b - a for a, b in zip([0.0, *times], times)]
    assert all(gap > 0 for gap in gaps)
    assert statistics.fmean(gaps) == pytest.approx(1 / 50, rel=0.03)
    assert statistics.stdev(gaps) == pytest.approx(1 / 50, rel=0.05)  # exponential: sd = mean
    assert load_api.arrival_schedule(100, 50.0, 3) == times[:100]
    assert load_api.arrival_schedule(100, 50.0, 4) != times[:100]
    assert load_api.arrival_schedule(1000, 200.0, 3)[-1] == pytest.approx(times[999] / 4, rel=1e-9)


def test_load_arrival_schedule_refuses_a_zero_rate(load_api: ModuleType) -> None:
    with pytest.raises(ValueError, match="rate"):
        load_api.arrival_schedule(10, 0, 1)


def test_load_paced_client_sends_every_request_on_at_most_n_connections(load_api: ModuleType) -> None:
    connections: list[int] = []
    targets: list[str] = []

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connections.append(1)
        while True:
            try:
                head = await reader.readuntil(b"\r\n\r\n")
            except asyncio.IncompleteReadError:
                break
            target = head.split(b" ", 2)[1].decode()
            targets.append(target)
            status = b"500 Oops" if "limit=13" in target else b"200 OK"
            body = json.dumps({"items": []}).encode()
            writer.write(b"HTTP/1.1 " + status + b"\r\nContent-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
            await writer.drain()
        writer.close()

    async def scenario() -> tuple[list[float], list[str]]:
        server = await asyncio.start_server(handle, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        async with server:
            mix = [{"dyad": "TUR,RUS", "limit": n} for n in range(40)]
            schedule = load_api.arrival_schedule(len(mix), 2000.0, 1)
            return await load_api.run_paced(f"http://127.0.0.1:{port}", mix, 3, schedule)

    latencies, errors = asyncio.run(scenario())
    assert len(latencies) == 40 and all(latency >= 0 for latency in latencies)
    assert sorted(targets) == sorted(f"/events?dyad=TUR%2CRUS&limit={n}" for n in range(40))
    assert errors == ["500 {'dyad': 'TUR,RUS', 'limit': 13}"]
    assert len(connections) <= 3 + 1  # three connections, one reopened after the error


def test_load_markdown_has_a_row_per_run(load_api: ModuleType) -> None:
    run = {"mode": "paced", "offered_per_s": 40.0, "p50_ms": 9.0, "p90_ms": 20.0, "p99_ms": 60.0, "max_ms": 90.0,
           "requests_per_s": 39.8, "server_cpu_ms_per_request": 5.0, "client_cpu_ms_per_request": 1.0, "errors": 0,
           "goal_met": True}
    result = {"command": "bench/load_api.py --rate 40 80", "date": "2026-11-23", "rows": 100_000, "requests": 5000,
              "concurrency": 50, "workers": 1, "runs": [run, run | {"offered_per_s": 80.0, "goal_met": False}],
              "machine": {"cpus": 2, "loadavg_1min_before": 1.0, "loadavg_1min_after": 2.0}}
    page = load_api.markdown(result)
    assert "| Poisson, 40/s | 9.0 | 20.0 | 60.0 |" in page and "| Poisson, 80/s |" in page
    assert page.count("| yes |") == 1 and page.count("| no |") == 1


def test_load_synthetic_store_has_its_actors_keyed(load_api: ModuleType, tmp_path: Path) -> None:
    path = tmp_path / "load.duckdb"
    load_api.build_store(path, 60, 7)
    with Store(path, read_only=True) as store:
        assert store.execute("SELECT count(*), count(source_actor), count(target_actor) FROM mentions").fetchone() \
            == (60, 60, 60)
        wrong = store.execute("SELECT count(*) FROM mentions AS m JOIN actor_keys AS k ON k.id = m.source_actor "
                              "WHERE k.code <> m.source_code OR k.country <> m.source_country").fetchone()
        assert wrong == (0,)


def test_load_clients_name_their_parser_and_loop(load_api: ModuleType) -> None:
    parse, fast_loop, name = load_api.client_parts("raw-stdlib")
    assert parse is json.loads and not fast_loop and name == "asyncio, json"
    parse, fast_loop, name = load_api.client_parts("raw")
    assert parse(b'{"a": [1]}') == {"a": [1]}
    assert name == f"{'uvloop' if load_api.uvloop else 'asyncio'}, {'orjson' if load_api.orjson else 'json'}"

    async def answer() -> int:
        return 42

    assert load_api.run(answer(), fast_loop) == 42


def test_load_markdown_shows_the_client_and_the_server_memory(load_api: ModuleType) -> None:
    run = {"mode": "closed", "offered_per_s": None, "p50_ms": 30.0, "p90_ms": 50.0, "p99_ms": 80.0, "max_ms": 95.0,
           "requests_per_s": 900.0, "server_cpu_ms_per_request": 1.0, "client_cpu_ms_per_request": 0.5,
           "server_rss_mb": 431.5, "others_cores": 0.12, "steal_cores": 0.0, "errors": 0, "goal_met": True}
    result = {"command": "bench/load_api.py", "date": "2026-11-23", "rows": 100_000, "requests": 5000,
              "concurrency": 50, "workers": 1, "runs": [run], "client": "raw", "client_impl": "uvloop, orjson",
              "machine": {"cpus": 2, "loadavg_1min_before": 1.0, "loadavg_1min_after": 2.0}}
    page = load_api.markdown(result)
    assert "| 1.0 / 0.5 | 431.5 | 0.12 / 0.0 | 0 | yes |" in page and "Client: raw (uvloop, orjson)." in page
    assert load_api.rss_mb(os.getpid()) > 10


def test_load_machine_cpu_counts_this_process_busy(load_api: ModuleType) -> None:
    (busy, stolen), mine = load_api.machine_cpu_seconds(), time.process_time()
    while time.process_time() - mine < 0.3:  # busy on one core
        sum(range(10_000))
    (busy_after, stolen_after), mine_after = load_api.machine_cpu_seconds(), time.process_time()
    assert busy_after - busy >= 0.8 * (mine_after - mine) and stolen_after >= stolen
