"""Police desk benchmark: the declaration inbox, the alerts and the landlord's "due today / late" list on a
ward at the scale the service is built for: 370 houses, 7,000 people staying now, 2,000 who have left, and a
declaration (or two, or none) for each stay in every state.

Targets (warm, p95, SQLite on this machine, one request's work through the app's own services): the inbox's
first page under 100 ms; the four alert lists under 1 s (they read every open stay of the ward and its
declarations, three queries whatever the number, and apply the deadline rules to each stay in Python: a page
the police open a few times a day); a landlord's due list (20 houses, on every visit to their home) under
100 ms.

Run with `python -m bench.police_desk` (or every benchmark with `python -m bench.run`). It works in a fresh
SQLite file in a temporary directory, migrated by `app.migrate`, in a child process (the app reads its
database settings once per process).
"""

from __future__ import annotations

import asyncio
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOUSES = 370
ROOMS_PER_HOUSE = 6
BEDS_PER_ROOM = 4
OPEN_STAYS = 7_000
CLOSED_STAYS = 2_000
RUNS = 30
TARGETS_MS = {"inbox": 100.0, "alerts": 1000.0, "landlord due list": 100.0}


def run() -> bool:
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{folder}/bench.sqlite3", "PYTHONPATH": str(ROOT)}
        env.setdefault("PICCOLO_CONF", "app.piccolo_conf")
        result = subprocess.run([sys.executable, "-m", "bench.police_desk", "--measure"], cwd=ROOT, env=env)
        return result.returncode == 0


async def _load() -> tuple[int, int]:
    """The ward, its houses, rooms, people, stays and declarations; (ward id, the first landlord's id)."""
    from app.accounts.admin_service import create_user
    from app.db import write_transaction
    from app.housing.tables import Property, Renter, Room, Stay
    from app.residence.tables import Declaration
    from tenants.communes import fold
    from tenants.scope import ward_scope
    from tenants.service import create_ward

    rng = random.Random(622)
    ward_id = await create_ward(code=622, slug="bench", office_hours="", phone="", address="")
    landlords = [
        await create_user(phone=f"09000{i:05d}", full_name=f"Chủ trọ {i}", password="bench-pass-1")
        for i in range(HOUSES // 20 + 1)
    ]
    today = date.today()
    now = datetime.now(UTC)
    async with ward_scope(ward_id), write_transaction():
        houses = [
            Property.ward_new(
                landlord=landlords[i // 20],
                name=f"Nhà trọ {i:03d}",
                street_address=f"Số {i} ngõ {i % 40}",
                residential_group=f"Tổ {i % 18 + 1}",
                kind="rooms",
                qr_token=f"bench{i:08d}",
                created_at=now,
            )
            for i in range(HOUSES)
        ]
        await Property.ward_insert(*houses)
        house_ids = [r["id"] for r in await Property.ward_select(Property.id).order_by(Property.id)]
        await Room.ward_insert(
            *(
                Room.ward_new(property=h, code=f"{r + 1:02d}", max_occupancy=BEDS_PER_ROOM, created_at=now)
                for h in house_ids
                for r in range(ROOMS_PER_HOUSE)
            )
        )
        room_ids = [r["id"] for r in await Room.ward_select(Room.id).order_by(Room.id)]
        people = OPEN_STAYS + CLOSED_STAYS
        names = [f"Nguyễn Văn {rng.choice(['An', 'Bình', 'Cường', 'Dũng'])} {i}" for i in range(people)]
        await Renter.ward_insert(
            *(
                Renter.ward_new(id_number=f"001{i:09d}", full_name=n, name_folded=fold(n), created_at=now)
                for i, n in enumerate(names)
            )
        )
        renter_ids = [r["id"] for r in await Renter.ward_select(Renter.id).order_by(Renter.id)]
        beds = [room for room in room_ids for _ in range(BEDS_PER_ROOM - 1)]
        stays = []
        for i, renter in enumerate(renter_ids):
            start = today - timedelta(days=rng.randint(0, 700))
            stays.append(
                Stay.ward_new(
                    renter=renter,
                    room=beds[i % len(beds)],
                    from_date=start,
                    expected_to=start + timedelta(days=rng.choice([5, 180, 365, 730])),
                    to_date=None if i < OPEN_STAYS else min(today, start + timedelta(days=30)),
                    created_at=now,
                )
            )
        await Stay.ward_insert(*stays)
        rows = await Stay.ward_select(Stay.id, Stay.renter, Stay.from_date, Stay.expected_to).order_by(Stay.id)
        states = ["accepted"] * 12 + ["submitted", "received", "rejected", "ended", "extended"]
        declarations = []
        for row in rows:
            if rng.random() < 0.1:
                continue  # never declared
            for n in range(2 if rng.random() < 0.2 else 1):
                state = "extended" if n == 0 and rng.random() < 0.5 else rng.choice(states)
                declarations.append(
                    Declaration.ward_new(
                        stay=row["id"],
                        renter=row["renter"],
                        kind="tam_tru",
                        state=state,
                        deadline=datetime.combine(row["from_date"] + timedelta(days=30), datetime.min.time(), UTC),
                        full_name="x",
                        arrival_date=row["from_date"],
                        expected_departure=row["expected_to"],
                        created_at=now,
                        submitted_at=now,
                        reference="CA-1" if state == "accepted" else "",
                    )
                )
        # One declaration in progress per stay (a unique index): keep the first of any two.
        seen: set[int] = set()
        kept = []
        for d in declarations:
            in_progress = d.state in ("draft", "submitted", "received", "rejected")
            if in_progress and d.stay in seen:
                continue
            if in_progress:
                seen.add(d.stay)
            kept.append(d)
        for chunk in range(0, len(kept), 2_000):
            await Declaration.ward_insert(*kept[chunk : chunk + 2_000])
    return ward_id, landlords[0]


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) >= 20 else max(values)


async def _measure() -> int:
    from app.db import close_db, open_db
    from app.migrate import migrate
    from app.residence import alerts, inbox
    from app.residence.declarations import due_for_landlord
    from tenants.scope import ward_scope

    await migrate()
    owner = object()
    await open_db(owner)
    try:
        started = time.perf_counter()
        ward_id, landlord = await _load()
        print(f"loaded in {time.perf_counter() - started:.1f} s: {HOUSES} houses, {OPEN_STAYS} open stays")
        work = {  # what to run, and how many rows it shows
            "inbox": (lambda: inbox.inbox(inbox.InboxFilter()), lambda r: len(r[0])),
            "alerts": (lambda: alerts.alert_lists(), lambda r: sum(len(getattr(r, n)) for n in alerts.LISTS)),
            "landlord due list": (lambda: due_for_landlord(landlord), lambda r: len(r[0]) + len(r[1])),  # today, late
        }
        failed = 0
        for name, (call, rows_shown) in work.items():
            times = []
            for i in range(RUNS + 3):
                async with ward_scope(ward_id):
                    began = time.perf_counter()
                    result = await call()
                    if i >= 3:  # after a warm-up
                        times.append((time.perf_counter() - began) * 1000)
            size = rows_shown(result)
            p95 = _p95(times)
            ok = p95 < TARGETS_MS[name]
            failed += not ok
            print(
                f"{name:>18}: p50 {statistics.median(times):6.1f} ms  p95 {p95:6.1f} ms  ({size} rows)  "
                f"target < {TARGETS_MS[name]:.0f} ms  {'PASS' if ok else 'FAIL'}"
            )
        return 1 if failed else 0
    finally:
        await close_db(owner)


if __name__ == "__main__":
    if "--measure" in sys.argv:
        print(f"load average {os.getloadavg()[0]:.1f}")
        sys.exit(asyncio.run(_measure()))
    sys.exit(0 if run() else 1)
