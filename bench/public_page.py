"""Public property page benchmark (P1): what a resident's phone opens after scanning a sticker.

Target: `/q/<token>` serves at least half the requests per second of a bare Litestar response (a constant
page, `bench/bare_app.py`) on the same server, with p99 latency under 50 ms, at 64 connections.

Run with `python -m bench.public_page`. Both servers run exactly like `make run` serves the app on SQLite
(uvicorn, one worker, the same event loop and HTTP parser), one after the other so they never share the
CPU; the load comes from `bench.load` in this process. The app's database is a fresh SQLite file with the
demo loaded, and the page is the demo house `/q/demoHoaSua2025`. Each server is measured for 10 s after
2 s of warm-up. Requests carry no cookie, as a first scan does.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.request import urlopen

from bench.load import LoadResult, run_load

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
TOKEN = "demoHoaSua2025"
CONNECTIONS = 64
SECONDS = 10.0
MIN_RATIO = 0.5
MAX_P99_MS = 50.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(args: list[str], env: dict[str, str], port: int, probe: str) -> subprocess.Popen:
    server = subprocess.Popen(
        [str(BIN / "uvicorn"), *args, "--host", "127.0.0.1", "--port", str(port), "--workers", "1",
         "--no-access-log", "--log-level", "warning"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urlopen(f"http://127.0.0.1:{port}{probe}", timeout=2) as response:
                if response.status == 200:
                    return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise RuntimeError(f"the server on port {port} did not start")


def _measure(label: str, args: list[str], env: dict[str, str], path: str) -> LoadResult:
    port = _free_port()
    server = _serve(args, env, port, path)
    try:
        result = run_load("127.0.0.1", port, path, connections=CONNECTIONS, seconds=SECONDS)
    finally:
        server.terminate()
        server.wait(10)
    print(
        f"{label:<22} {result.requests_per_second:>8.0f} req/s   p50 {result.percentile(50):6.1f} ms   "
        f"p99 {result.percentile(99):6.1f} ms   errors {result.errors}   statuses {result.statuses}"
    )
    return result


def _app_env(database: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": f"sqlite:///{database}",
        "APP_SECRET_KEY": "bench-" + "x" * 40,
        "PICCOLO_CONF": "app.piccolo_conf",
    }
    env.pop("APP_MODE", None)
    return env


def run() -> bool:
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; {CONNECTIONS} connections, "
          f"{SECONDS:.0f} s each after 2 s warm-up")  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="nhatro-bench-") as tmp:
        env = _app_env(Path(tmp) / "bench.sqlite3")
        litestar = [str(BIN / "litestar"), "--app", "app.asgi:create_app"]
        subprocess.run([*litestar, "db", "migrate"], cwd=ROOT, env=env, check=True, capture_output=True)
        subprocess.run([*litestar, "demo", "load"], cwd=ROOT, env=env, check=True, capture_output=True)
        bare = _measure("bare Litestar /", ["bench.bare_app:app"], env, "/")
        page = _measure(f"/q/{TOKEN}", ["--factory", "app.asgi:create_app"], env, f"/q/{TOKEN}")
    ratio = page.requests_per_second / bare.requests_per_second if bare.requests_per_second else 0.0
    p99 = page.percentile(99)
    ok = ratio >= MIN_RATIO and p99 < MAX_P99_MS and page.errors == 0 and bare.errors == 0
    print(
        f"public page: {ratio:.0%} of the bare response's rate (target ≥ {MIN_RATIO:.0%}), "
        f"p99 {p99:.1f} ms (target < {MAX_P99_MS:.0f} ms): {'PASS' if ok else 'FAIL'}"
    )
    return ok


if __name__ == "__main__":
    sys.exit(0 if run() else 1)
