"""Booking the counter on PostgreSQL: bookings made per second through the whole app, and never one too many.

Needs a PostgreSQL server (`DATABASE_URL` if it points at one, else postgresql://postgres@127.0.0.1:5432/test,
used as an administrator); without one it prints "skipped" and passes. It creates a database owned by an
ordinary role (no superuser, no BYPASSRLS, so row-level security binds as in production), migrates it, makes a
ward with three service groups of one bookable procedure each, and serves the app as `make run` does on
PostgreSQL (uvicorn, WORKERS workers, uvloop and httptools). CONNECTIONS keep-alive connections then post the
resident's booking form (CSRF token, one-time form token, a new phone number each) for SECONDS after a
warm-up, spread over every offered slot of every group, with HOT_SHARE of them aimed at one slot so that
slot fills and the rest are refused while others book. Afterwards it checks that every 303 is a booking in
the database and that no slot holds more than its capacity.

Target: at least 300 bookings a second (303 responses, each a booking committed) on the 2-core machine.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import os
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote
from urllib.request import urlopen

from bench.pg import ROOT, measure_in_fresh_database

BIN = Path(sys.executable).parent
WORKERS = 2
CONNECTIONS = 32
SECONDS = 10.0
WARMUP = 2.0
CAPACITY = 60  # bookings per slot and group, so that spread-out bookings rarely find a slot full
HOT_SHARE = 10  # one request in HOT_SHARE goes to the same slot, which fills at once
TARGET = 300.0
WARD = "bench-ward"
OFFICE_HOURS = "T2-T6 07:30-11:30 13:30-17:00; T7 07:30-11:30"


def run() -> bool:
    print(f"booking: {CONNECTIONS} connections posting the booking form to {WORKERS} workers for {SECONDS:.0f} s")
    return measure_in_fresh_database("bench.booking")


# ----------------------------------------------------------------------------------------------- the child


async def _prepare() -> tuple[list[tuple[int, str]], tuple[int, str]]:
    """The ward, its groups and procedures; returns every (procedure, slot) offered and the hot one."""
    from datetime import UTC, datetime

    from app.counter import bookings
    from app.counter.tables import Procedure, ServiceGroup
    from app.db import close_db, open_db, write_transaction
    from app.migrate import migrate
    from tenants.scope import ward_scope
    from tenants.service import create_ward

    with contextlib.redirect_stdout(io.StringIO()):  # Piccolo's progress lines
        await migrate()
    owner = object()
    await open_db(owner)
    try:
        ward_id = await create_ward(code=20197, slug=WARD, office_hours=OFFICE_HOURS, phone="02363000000")
        procedures = []
        async with ward_scope(ward_id):
            async with write_transaction():
                for letter, name in (("A", "Cư trú"), ("B", "Chứng thực"), ("C", "Hộ tịch")):
                    group = ServiceGroup.ward_new(letter=letter, name=name, slot_capacity=CAPACITY)
                    await group.save()
                    procedure = Procedure.ward_new(
                        service_group=group.id, name=f"{name}: thủ tục", processing_days=1, created_at=datetime.now(UTC)
                    )
                    await procedure.save()
                    procedures.append(procedure.id)
            days = await bookings.offered_slots(OFFICE_HOURS)
    finally:
        await close_db(owner)
    slots = [slot.key for _day, day_slots in days for slot in day_slots]
    combos = [(p, key) for key in slots for p in procedures]
    return combos, (procedures[0], slots[len(slots) // 2])


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(port: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [str(BIN / "uvicorn"), "--factory", "app.asgi:create_app", "--host", "127.0.0.1", "--port", str(port),
         "--workers", str(WORKERS), "--no-access-log", "--log-level", "warning"],
        cwd=ROOT,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                if response.status == 200:
                    return server
        except OSError:
            time.sleep(0.3)
    server.kill()
    raise RuntimeError("the server did not start")


def _cpu_seconds(parent: int) -> float:
    """CPU time (user + system) of the server's worker processes so far, from /proc (Linux)."""
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == parent:  # ppid
            total += (int(fields[11]) + int(fields[12])) / tick  # utime + stime
    return total


class Tally:
    def __init__(self) -> None:
        self.latencies: list[float] = []  # of bookings made (303), seconds
        self.statuses: dict[int, int] = {}
        self.errors = 0
        self.sent = 0


async def _load(port: int, combos: list[tuple[int, str]], hot: tuple[int, str]) -> tuple[Tally, float]:
    from bench.load import _read_response

    csrf = secrets.token_hex(16)
    # Litestar's double-submit CSRF: the cookie's token must be one the app signed, so ask for one first.
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(f"GET /w/{WARD}/book HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
    head = await reader.readuntil(b"\r\n\r\n")
    writer.close()
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"set-cookie: csrftoken="):
            csrf = line.split(b"=", 1)[1].split(b";", 1)[0].decode()
    tally = Tally()
    counter = iter(range(10**9))
    now = time.perf_counter()
    start, until = now + WARMUP, now + WARMUP + SECONDS

    def request(i: int) -> bytes:
        procedure, slot = hot if i % HOT_SHARE == 0 else combos[i % len(combos)]
        body = (
            f"_csrf_token={csrf}&form_token=bench-{i:09d}-{secrets.token_hex(4)}&slot={quote(slot)}"
            f"&full_name={quote('Nguyễn Văn Bình')}&phone=09{i:08d}&id_number=&consent=on"
        ).encode()
        return (
            f"POST /w/{WARD}/book/{procedure} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(body)}\r\n"
            f"Cookie: csrftoken={csrf}; lang=vi\r\nUser-Agent: nhatro-bench\r\n\r\n"
        ).encode() + body

    async def connection() -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            while (sent_at := time.perf_counter()) < until:
                writer.write(request(next(counter)))
                status, _body = await _read_response(reader)
                done = time.perf_counter()
                if sent_at >= start:
                    tally.sent += 1
                    tally.statuses[status] = tally.statuses.get(status, 0) + 1
                    if status == 303:
                        tally.latencies.append(done - sent_at)
        except (OSError, asyncio.IncompleteReadError):
            tally.errors += 1
        finally:
            writer.close()

    await asyncio.gather(*(connection() for _ in range(CONNECTIONS)))
    return tally, SECONDS


async def _check() -> tuple[int, int, int]:
    """Bookings committed, the fullest slot's live bookings, and slots whose seat count disagrees."""
    import asyncpg

    conn = await asyncpg.connect(os.environ["DATABASE_URL"])
    try:
        async with conn.transaction():
            await conn.execute("SELECT set_config('app.ward_id', '*', true)")
            booked = await conn.fetchval("SELECT count(*) FROM booking WHERE status = 'booked'")
            fullest = await conn.fetchval(
                "SELECT coalesce(max(n), 0) FROM (SELECT count(*) AS n FROM booking WHERE status = 'booked' "
                "GROUP BY service_group, day, slot_start) AS per_slot"
            )
            wrong = await conn.fetchval(
                """SELECT count(*) FROM slot_seat s WHERE s.taken <> (SELECT count(*) FROM booking b
                   WHERE b.service_group = s.service_group AND b.day = s.day AND b.slot_start = s.slot_start
                   AND b.status = 'booked')"""
            )
    finally:
        await conn.close()
    return booked, fullest, wrong


def _measure() -> int:
    combos, hot = asyncio.run(_prepare())
    port = _free_port()
    print(
        f"  {len(combos)} (procedure, slot) pairs offered, {CAPACITY} seats each; load average {os.getloadavg()[0]:.1f}"
    )
    server = _serve(port)
    try:
        cpu_before = _cpu_seconds(server.pid)
        try:
            import uvloop

            tally, seconds = uvloop.run(_load(port, combos, hot))
        except ImportError:
            tally, seconds = asyncio.run(_load(port, combos, hot))
        cpu = _cpu_seconds(server.pid) - cpu_before
    finally:
        server.terminate()
        server.wait(15)
    booked, fullest, wrong = asyncio.run(_check())
    made = tally.statuses.get(303, 0)
    rate = made / seconds
    ordered = sorted(tally.latencies)
    p50 = ordered[len(ordered) // 2] * 1000 if ordered else float("nan")
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000 if ordered else float("nan")
    print(
        f"  {rate:.0f} bookings/s ({made} in {seconds:.0f} s; p50 {p50:.1f} ms, p99 {p99:.1f} ms); "
        f"statuses {dict(sorted(tally.statuses.items()))}, connection errors {tally.errors}"
    )
    answered = sum(tally.statuses.values())
    if answered:
        print(
            f"  the app's workers used {cpu:.1f} CPU s: {cpu / answered * 1000:.1f} ms a request (warm-up included), "
            f"so {answered / cpu if cpu else 0:.0f} requests per CPU second; load average now {os.getloadavg()[0]:.1f}"
        )
    print(
        f"  in the database: {booked} live bookings (warm-up included), fullest slot {fullest}/{CAPACITY}, "
        f"slots whose seat count disagrees: {wrong}"
    )
    correct = fullest <= CAPACITY and wrong == 0 and booked >= made and set(tally.statuses) <= {303, 409}
    ok = rate >= TARGET and correct
    print(
        f"  {'PASS' if ok else 'FAIL'}: ≥ {TARGET:.0f} bookings/s, none over capacity ({'ok' if correct else 'WRONG'})"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    if sys.argv[1:] == ["--measure"]:
        sys.exit(_measure())
    sys.exit(0 if run() else 1)
