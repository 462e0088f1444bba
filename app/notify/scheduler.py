"""The scheduler: produces the reminders due by now, once, however many workers and machines run it.

Each reminder kind has a lease row (`JobLease`). A run takes the lease with one conditional UPDATE (free,
lapsed, or already ours), so one worker at a time works a kind; it covers the span from where the last run
stopped (`covered_until`) to now, ward by ward, then moves `covered_until` to now and frees the lease. After
downtime the next run covers the whole gap (at most `CATCH_UP`), and the reminders' unique keys make a span
covered twice (a lease that lapsed under a slow run) produce nothing twice.

Every app worker runs `start()` (a loop every `scheduler.interval_seconds`); `litestar jobs run-due` runs
once, for cron or a machine without the app.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import uuid
from datetime import UTC, datetime, timedelta

from app.db import write_transaction
from app.notify.reminders import KINDS, Kind
from app.notify.tables import JobLease
from app.settings import get_settings
from tenants.scope import ward_scope
from tenants.tables import Ward

log = logging.getLogger("app.notify")

CATCH_UP = timedelta(days=2)  # the longest gap a run covers (a reminder older than that has lost its point)
FIRST_RUN = timedelta(hours=1)  # a kind never run starts this far back
# Each run looks a little behind where the last stopped: a row committed just after that run read (created a
# moment before a due moment) is still seen. The unique keys make the overlap produce nothing twice.
OVERLAP = timedelta(minutes=2)
OWNER = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _now() -> datetime:
    return datetime.now(UTC)


async def take_lease(name: str, owner: str, now: datetime) -> tuple[bool, datetime | None]:
    """(taken, covered_until) for the kind's lease; one statement decides, on both engines."""
    seconds = get_settings().file.scheduler.lease_seconds
    async with write_transaction():
        await JobLease.insert(JobLease(name=name)).on_conflict(action="DO NOTHING")
        rows = await (
            JobLease.update({JobLease.owner: owner, JobLease.lease_until: now + timedelta(seconds=seconds)})
            .where(
                (JobLease.name == name)
                & (JobLease.lease_until.is_null() | (JobLease.lease_until < now) | (JobLease.owner == owner))
            )
            .returning(JobLease.covered_until)
        )
    return (True, rows[0]["covered_until"]) if rows else (False, None)


async def release_lease(name: str, owner: str, covered_until: datetime) -> None:
    async with write_transaction():
        await JobLease.update(
            {JobLease.covered_until: covered_until, JobLease.lease_until: None, JobLease.runs: JobLease.runs + 1}
        ).where((JobLease.name == name) & (JobLease.owner == owner))


async def _active_wards() -> list[int]:
    return [row["id"] for row in await Ward.select(Ward.id).where(Ward.active == True).order_by(Ward.id)]  # noqa: E712


async def run_kind(kind: Kind, *, now: datetime, owner: str) -> int | None:
    """Produce one kind's reminders due since its last run; None when another worker holds its lease."""
    taken, covered = await take_lease(kind.name, owner, now)
    if not taken:
        return None
    start = max((covered - OVERLAP) if covered else now - FIRST_RUN, now - CATCH_UP)
    produced, failed = 0, 0
    try:
        if start < now:
            for ward_id in await _active_wards():
                try:
                    async with ward_scope(ward_id), write_transaction():
                        produced += await kind.produce(start, now, now)
                except Exception:  # one ward's failure must not keep the others' reminders back
                    log.exception("reminders %s for ward %s", kind.name, ward_id)
                    failed += 1
    except BaseException:
        await _free_lease(kind.name, owner)
        raise
    if failed:
        await _free_lease(kind.name, owner)  # not advanced: the failed wards' span is covered again next time
    else:
        await release_lease(kind.name, owner, now)
    return produced


async def _free_lease(name: str, owner: str) -> None:
    """Give the lease up at once without moving what it covered (the other wards' rows are unique: no repeat)."""
    async with write_transaction():
        await JobLease.update({JobLease.lease_until: None}).where((JobLease.name == name) & (JobLease.owner == owner))


async def run_due(*, now: datetime | None = None, owner: str = OWNER, force: bool = False) -> dict[str, int]:
    """Every kind once; returns the messages written per kind (kinds another worker is running are left out).
    `force` runs even where the settings turned the in-app scheduler off (the CLI)."""
    if not (force or get_settings().file.scheduler.enabled):
        return {}
    now = now or _now()
    produced = {}
    for kind in KINDS:
        count = await run_kind(kind, now=now, owner=owner)
        if count is not None:
            produced[kind.name] = count
    return produced


_task: list[asyncio.Task] = []


async def _loop() -> None:
    interval = get_settings().file.scheduler.interval_seconds
    while True:
        try:
            produced = await run_due()
            if any(produced.values()):
                from app.notify.dispatch import wake

                wake()
        except Exception:
            log.exception("scheduler")
        await asyncio.sleep(interval)


def start() -> None:
    if get_settings().file.scheduler.enabled and not _task:
        _task.append(asyncio.get_running_loop().create_task(_loop(), name="notify-scheduler"))


async def stop() -> None:
    while _task:
        task = _task.pop()
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
