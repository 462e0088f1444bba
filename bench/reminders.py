"""Reminders benchmark (scheduler): 100,000 bookings across 10 wards whose day-before reminder falls due at once.

Target, on PostgreSQL: the scheduler produces the 100,000 due reminders (outbox rows, one per booking) in under
60 s, and a second run over the same span produces none.

Run with `python -m bench.reminders` (or every benchmark with `python -m bench.run`). It needs a PostgreSQL
server: `DATABASE_URL` when it points at one, else postgresql://postgres@127.0.0.1:5432/test, used as an
administrator to create (and at the end drop) a database `nhatro_bench_<random>` owned by an ordinary role, as
production runs (row-level security binds). The bookings are loaded with server-side SQL; then
`app.notify.scheduler.run_due` runs at 18:05 the day before, as the app's scheduler would after a short stop.
When no PostgreSQL server answers, it says so and counts as passed ("skipped").
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import os
import sys
import time
from datetime import date, datetime, timedelta
from datetime import time as clock

from bench.pg import measure_in_fresh_database

WARDS = 10
BOOKINGS = 100_000
TARGET_SECONDS = 60.0
DAY = date(2026, 12, 10)


def run() -> bool:
    print(f"reminders: {BOOKINGS:,} bookings in {WARDS} wards due for their day-before reminder at once")
    return measure_in_fresh_database("bench.reminders")


async def _load(admin_url: str) -> None:
    """Wards, one service group and procedure each, and the bookings, by server-side SQL."""
    import asyncpg

    conn = await asyncpg.connect(admin_url)
    per_ward = BOOKINGS // WARDS
    try:
        await conn.execute(
            f"""INSERT INTO ward (code, name, province_code, province_name, slug, address, phone, police_phone,
                                  email, office_hours, active, created_at)
                SELECT 90000 + w, 'Phường ' || w, 1, 'Hà Nội', 'bench-' || w, '', '', '', '', '', true, now()
                FROM generate_series(1, {WARDS}) AS w"""
        )
        await conn.execute(
            """INSERT INTO service_group (ward, letter, name, slot_capacity, sort_order, active)
               SELECT id, 'A', 'Cư trú', 4, 0, true FROM ward"""
        )
        await conn.execute(
            """INSERT INTO procedure (ward, service_group, national_code, name, field, fee, fee_note, documents,
                                      bookable, active, sort_order, created_at)
               SELECT g.ward, g.id, '', 'Đăng ký tạm trú', 'Cư trú', 0, '', '', true, true, 0, now()
               FROM service_group g"""
        )
        await conn.execute(
            f"""INSERT INTO booking (ward, procedure, service_group, day, slot_start, slot_end, full_name, phone,
                                     id_number, status, code, token, locale, created_at)
                SELECT p.ward, p.id, p.service_group, '{DAY.isoformat()}'::date,
                       time '07:30' + (n % 32) * interval '15 minutes',
                       time '07:45' + (n % 32) * interval '15 minutes',
                       'Nguyễn Văn ' || n, '09' || lpad((10000000 + n)::text, 8, '0'), '', 'booked',
                       'B' || n, md5(p.ward || '-' || n), CASE WHEN n % 10 = 0 THEN 'en' ELSE 'vi' END,
                       timestamptz '{(DAY - timedelta(days=3)).isoformat()} 09:00+07'
                FROM procedure p, generate_series(1, {per_ward}) AS n"""
        )
        await conn.execute("VACUUM ANALYZE")
    finally:
        await conn.close()


async def _measure_async() -> int:
    from app.db import close_db, open_db
    from app.i18n import TIMEZONE
    from app.migrate import migrate
    from app.notify.scheduler import run_due
    from app.notify.tables import JobLease, OutboxMessage
    from tenants.scope import across_wards

    with contextlib.redirect_stdout(io.StringIO()):  # Piccolo's progress lines
        await migrate()
    started = time.perf_counter()
    await _load(os.environ["BENCH_ADMIN_URL"])
    print(f"  loaded in {time.perf_counter() - started:.1f} s")
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    print(f"  {os.cpu_count()} CPUs, load average before the run: {load}")
    owner = object()
    await open_db(owner)
    try:
        # The scheduler last ran at 17:50; it runs again at 18:05, past the 18:00 reminders of tomorrow's bookings.
        last = datetime.combine(DAY - timedelta(days=1), clock(17, 50), tzinfo=TIMEZONE)
        await JobLease.insert(*(JobLease(name=n, covered_until=last) for n in _kinds()))
        now = last + timedelta(minutes=15)
        started = time.perf_counter()
        produced = await run_due(now=now, owner="bench", force=True)
        seconds = time.perf_counter() - started
        async with across_wards():
            rows = await OutboxMessage.ward_count()
        again = await run_due(now=now + timedelta(minutes=1), owner="bench-2", force=True)
        reminders = produced.get("booking_day_before", 0)
        rate = reminders / seconds
        print(f"  produced {reminders:,} reminders ({rows:,} outbox rows) in {seconds:.1f} s: {rate:,.0f}/s")
        print(f"  a second run over the same span produced {sum(again.values())}")
        ok = reminders == BOOKINGS and rows == BOOKINGS and sum(again.values()) == 0 and seconds < TARGET_SECONDS
        print(f"  target: {BOOKINGS:,} in under {TARGET_SECONDS:.0f} s, none twice: {'PASS' if ok else 'FAIL'}")
        return 0 if ok else 1
    finally:
        await close_db(owner)


def _kinds() -> list[str]:
    from app.notify.reminders import KINDS

    return [kind.name for kind in KINDS]


if __name__ == "__main__":
    if "--measure" in sys.argv:
        sys.exit(asyncio.run(_measure_async()))
    sys.exit(0 if run() else 1)
