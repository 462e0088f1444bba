"""The real app under uvicorn, in a subprocess, for browser and load tests: `live_server` (session fixture).

The server gets the test process's environment (DATABASE_URL, APP_SECRET_KEY, ...), so it uses the same
database, which the `database` fixture has already migrated. One worker, as `make run` uses on SQLite.
The fixture's value is the base URL (a `str`); it also reads what the server wrote to stdout/stderr.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT_SECONDS = 30.0
STOP_TIMEOUT_SECONDS = 15.0


class LiveServer(str):
    """The base URL, e.g. "http://127.0.0.1:40123", with the server's output files attached."""

    process: subprocess.Popen
    stdout_path: Path
    stderr_path: Path

    @property
    def url(self) -> str:
        return str(self)

    @property
    def host(self) -> str:
        return self.split("//", 1)[1].rsplit(":", 1)[0]

    def stderr(self, since: int = 0) -> str:
        """What the server wrote to stderr (uvicorn's and the app's log), from byte `since` on."""
        return _read(self.stderr_path, since)

    def stderr_size(self) -> int:
        return self.stderr_path.stat().st_size

    def stdout(self, since: int = 0) -> str:
        """uvicorn's access log."""
        return _read(self.stdout_path, since)


def _read(path: Path, since: int) -> str:
    with path.open("rb") as fh:
        fh.seek(since)
        return fh.read().decode("utf-8", errors="replace")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_environment() -> dict[str, str]:
    env = dict(os.environ)
    env.update({"PYTHONPATH": str(ROOT), "PICCOLO_CONF": "app.piccolo_conf", "PYTHONUNBUFFERED": "1"})
    env["APP_BACKGROUND_JOBS"] = "0"  # no sending or reminders behind the tests' backs (they share the database)
    # Tests empty the tables and make their wards again, under new ids on PostgreSQL: this process must not
    # keep the last test's ward for a slug (app.memo).
    env["APP_MEMO_SECONDS"] = "0"
    for key in ("DATABASE_URL", "APP_SECRET_KEY"):
        assert env.get(key), f"{key} must be set (tests/conftest.py sets it) before the live server starts"
    return env


def start_server(log_dir: Path) -> LiveServer:
    port = free_port()
    stdout_path, stderr_path = log_dir / "uvicorn.stdout.log", log_dir / "uvicorn.stderr.log"
    with stdout_path.open("wb") as out, stderr_path.open("wb") as err:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "--factory",
                "app.asgi:create_app",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--workers",
                "1",
                "--timeout-graceful-shutdown",  # as `make run`: open live streams do not hold the stop
                "5",
            ],
            cwd=ROOT,
            env=server_environment(),
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
        )
    server = LiveServer(f"http://127.0.0.1:{port}")
    server.process, server.stdout_path, server.stderr_path = process, stdout_path, stderr_path
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    last_error = "no answer yet"
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"uvicorn exited with code {process.returncode} at start:\n{server.stderr()}")
        try:
            response = httpx.get(f"{server}/healthz", timeout=2.0)
            if response.status_code == 200:
                return server
            last_error = f"GET /healthz answered {response.status_code}: {response.text[:200]}"
        except httpx.HTTPError as exc:
            last_error = f"{type(exc).__name__}: {exc}"
        time.sleep(0.1)
    stop_server(server)
    raise RuntimeError(
        f"uvicorn did not answer GET /healthz with 200 within {START_TIMEOUT_SECONDS:.0f} s ({last_error}).\n"
        f"Its stderr:\n{server.stderr()}"
    )


def stop_server(server: LiveServer) -> None:
    process = server.process
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)  # uvicorn shuts down gracefully: lifespan shutdown closes the pool
    try:
        process.wait(timeout=STOP_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=STOP_TIMEOUT_SECONDS)


@pytest.fixture(scope="session")
def live_server(database) -> Iterator[LiveServer]:
    """The app served by uvicorn on a free port of 127.0.0.1, for the whole session; the base URL."""
    with tempfile.TemporaryDirectory(prefix="nhatro-live-") as log_dir:
        server = start_server(Path(log_dir))
        try:
            yield server
        finally:
            stop_server(server)
