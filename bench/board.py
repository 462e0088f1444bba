"""Board latency benchmark: how long after an officer presses "call" the TVs show it.

Target: **every call reaches every open board in under 200 ms (p95 and max over all deliveries)**, with 50
boards open on the ward (the TV, officers' counter pages and phones all hold the same kind of stream).

Run with `python -m bench.board`. The app runs like `make run` on SQLite (uvicorn, one worker, a fresh database
with the demo loaded). With `BENCH_POSTGRES_URL` set to an administrator's connection (e.g.
postgresql://postgres@127.0.0.1:5432/postgres) it runs again on a fresh PostgreSQL database with two workers,
so half the boards listen on the worker that did not take the call: the event crosses workers through
LISTEN/NOTIFY. An officer of the demo ward takes a walk-in number at the kiosk, then calls it at counter 1 and
starts serving; the time is taken from just before the call's POST until each board's stream delivers the
`call` event. 20 calls, one after another.
"""

from __future__ import annotations

import asyncio
import os
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse
from urllib.request import urlopen

import httpx

from bench import pg
from bench.public_page import BIN, ROOT, _app_env, _free_port

BOARDS = 50
CALLS = 20
TARGET_MS = 200.0
WARD = "/w/xuan-phuong"
OFFICER = ("0900000001", "demo12345")


class Boards:
    def __init__(self) -> None:
        self.arrivals: dict[int, list[float]] = {}
        self.current = -1
        self.ready = 0

    async def watch(self, client: httpx.AsyncClient, started: asyncio.Event) -> None:
        async with client.stream("GET", f"{WARD}/board/stream") as stream:
            event = ""
            first = True
            async for line in stream.aiter_lines():
                if line.startswith("event:"):
                    event = line[6:].strip()
                elif not line:
                    if first and event == "board":
                        first = False
                        self.ready += 1
                        if self.ready == BOARDS:
                            started.set()
                    elif event == "call" and self.current >= 0:
                        self.arrivals.setdefault(self.current, []).append(time.monotonic())
                    event = ""


async def _login(client: httpx.AsyncClient) -> None:
    await client.get("/")
    csrf = client.cookies["csrftoken"]
    response = await client.post("/login", data={"phone": OFFICER[0], "password": OFFICER[1], "_csrf_token": csrf})
    assert response.status_code == 303, response.text[:300]


async def _measure(base: str) -> list[float]:
    limits = httpx.Limits(max_connections=BOARDS + 10)
    timeout = httpx.Timeout(30.0)
    async with (
        httpx.AsyncClient(base_url=base, limits=limits, timeout=timeout) as tvs,
        httpx.AsyncClient(base_url=base, timeout=timeout) as officer,
    ):
        await _login(officer)
        csrf = {"_csrf_token": officer.cookies["csrftoken"]}
        kiosk = (await officer.get(f"{WARD}/kiosk")).text
        group = re.search(r'name="group" value="(\d+)"', kiosk).group(1)  # the first service: counter 1 calls it
        counters = (await officer.get(f"{WARD}/counters")).text
        counter = re.search(rf'href="{WARD}/counters/(\d+)"', counters).group(1)
        await officer.post(f"{WARD}/counters/{counter}", data={**csrf, "action": "finish"})  # the demo's person
        boards = Boards()
        started = asyncio.Event()
        watchers = [asyncio.create_task(boards.watch(tvs, started)) for _ in range(BOARDS)]
        await asyncio.wait_for(started.wait(), 60)
        latencies = []
        try:
            for i in range(CALLS):
                await officer.post(f"{WARD}/kiosk/tickets", data={**csrf, "group": group})
                await asyncio.sleep(0.2)  # the boards' update for the new ticket goes out first
                boards.current = i
                sent = time.monotonic()
                response = await officer.post(f"{WARD}/counters/{counter}", data={**csrf, "action": "call"})
                assert response.status_code == 303, response.text[:300]
                deadline = time.monotonic() + 5
                while len(boards.arrivals.get(i, [])) < BOARDS and time.monotonic() < deadline:
                    await asyncio.sleep(0.005)
                arrived = boards.arrivals.get(i, [])
                latencies += [(t - sent) * 1000 for t in arrived]
                latencies += [float("inf")] * (BOARDS - len(arrived))  # a board that never got it
                await officer.post(f"{WARD}/counters/{counter}", data={**csrf, "action": "start"})
        finally:
            for watcher in watchers:
                watcher.cancel()
            await asyncio.gather(*watchers, return_exceptions=True)
    return latencies


def _report(label: str, latencies: list[float]) -> bool:
    missed = sum(1 for x in latencies if x == float("inf"))
    got = sorted(x for x in latencies if x != float("inf"))
    p50 = statistics.median(got) if got else float("inf")
    p95 = got[int(len(got) * 0.95) - 1] if got else float("inf")
    worst = got[-1] if got else float("inf")
    ok = not missed and p95 < TARGET_MS and worst < TARGET_MS
    print(
        f"{label:<28} deliveries {len(got):>5}   p50 {p50:6.1f} ms   p95 {p95:6.1f} ms   max {worst:6.1f} ms   "
        f"missed {missed}: {'PASS' if ok else 'FAIL'}"
    )
    return ok


def _run_against(label: str, env: dict[str, str], workers: int) -> bool:
    litestar = [str(BIN / "litestar"), "--app", "app.asgi:create_app"]
    subprocess.run([*litestar, "db", "migrate"], cwd=ROOT, env=env, check=True, capture_output=True)
    subprocess.run([*litestar, "demo", "load"], cwd=ROOT, env=env, check=True, capture_output=True)
    port = _free_port()
    server = _serve(env, port, workers)
    try:
        return _report(label, asyncio.run(_measure(f"http://127.0.0.1:{port}")))
    finally:
        server.terminate()
        server.wait(15)


def _serve(env: dict[str, str], port: int, workers: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [str(BIN / "uvicorn"), "--factory", "app.asgi:create_app", "--host", "127.0.0.1", "--port", str(port),
         "--workers", str(workers), "--timeout-graceful-shutdown", "5", "--no-access-log", "--log-level", "warning"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                if response.status == 200:
                    return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise RuntimeError(f"the server on port {port} did not start")


def run() -> bool:
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; {BOARDS} boards, {CALLS} calls")
    ok = True
    with tempfile.TemporaryDirectory(prefix="nhatro-bench-") as tmp:
        env = _app_env(Path(tmp) / "bench.sqlite3")
        ok &= _run_against("SQLite, 1 worker", env, 1)
    admin = os.environ.get("BENCH_POSTGRES_URL")
    if admin:
        name = f"nhatro_bench_{secrets.token_hex(4)}"
        asyncio.run(pg.admin(admin, f"CREATE DATABASE {name}"))
        try:
            env = {**_app_env(Path("unused")), "DATABASE_URL": urlunparse(urlparse(admin)._replace(path=f"/{name}"))}
            ok &= _run_against("PostgreSQL, 2 workers", env, 2)
        finally:
            asyncio.run(pg.admin(admin, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    else:
        print("PostgreSQL: not run (set BENCH_POSTGRES_URL to an administrator's connection URL)")
    print(f"board latency (target: every delivery < {TARGET_MS:.0f} ms): {'PASS' if ok else 'FAIL'}")
    return ok


if __name__ == "__main__":
    sys.exit(0 if run() else 1)
