"""Sheets of QR stickers for many properties at once, made in the background with the progress shown.

An officer asks for the stickers of the properties matching a filter; a `StickerSheet` row is the job. The
worker that took the request renders it after the response is sent (an asyncio task; the CPU work runs in a
thread and, for large sheets, the sticker module's worker processes), writing the count of stickers laid out
after every chunk and finally the PDF into the row.

Why the row holds the PDF rather than a file under data/: with several workers (PostgreSQL), the page that
polls and the download may reach another worker, or another host, than the one that rendered; the database
is the storage they all share. A sheet of 370 stickers is about 300 KB, and a ward's sheets older than
`KEEP_FOR` are deleted when it starts a new one, so the table stays small.

A worker that dies mid-render leaves its job running for ever: `updated_at` is the job's heartbeat, and a
job queued or running without one for `STALE_AFTER` reads as failed, so the officer can try again.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import anyio
import anyio.from_thread
from litestar.connection import ASGIConnection

from app.audit.service import record
from app.db import write_transaction
from app.errors import RuleError
from app.housing.qr_svg import property_qr_url
from app.housing.stickers import StickerData, render_sticker_sheet, sheet_page_count
from app.housing.tables import Property, SheetStatus, StickerSheet
from app.i18n import _l, to_local
from app.once import run_once
from tenants.resolve import WardContext
from tenants.scope import ward_scope

log = logging.getLogger("app")

STALE_AFTER = timedelta(minutes=2)  # a chunk takes about a second; two minutes without one is a dead worker
KEEP_FOR = timedelta(days=1)
SHOWN = (
    StickerSheet.id,
    StickerSheet.property_status,
    StickerSheet.residential_group,
    StickerSheet.status,
    StickerSheet.total,
    StickerSheet.done,
    StickerSheet.created_at,
    StickerSheet.updated_at,
    StickerSheet.created_by.full_name,
)


class SheetAction:
    CREATED = "sticker_sheet_created"


def _now() -> datetime:
    return datetime.now(UTC)


class SheetStopped(Exception):
    """The application is stopping: the render gives up between chunks."""


@dataclass
class SheetJob:
    """What the background render needs; the stickers are read when the job is created, so the sheet holds
    exactly the properties counted on the button."""

    sheet_id: int
    ward_id: int
    stickers: list[StickerData]
    stop: threading.Event = field(default_factory=threading.Event)


@dataclass(frozen=True)
class NewSheet:
    url: str  # the job's page
    job: SheetJob | None  # to `launch` once the request's transaction is committed; None for a repeated form


async def stickers_for(ward: WardContext, *, status: str = "", group: str = "") -> list[StickerData]:
    """The stickers of the ward's properties matching the officer's filter, by residential group and name
    (the order they are handed out in)."""
    query = Property.ward_select(Property.name, Property.street_address, Property.qr_token)
    if status:
        query = query.where(Property.status == status)
    if group:
        query = query.where(Property.residential_group == group)
    rows = await query.order_by(Property.residential_group).order_by(Property.name).order_by(Property.id)
    return [
        StickerData(
            ward_name=ward.name,
            property_name=row["name"],
            address=row["street_address"],
            url=property_qr_url(row["qr_token"]),
        )
        for row in rows
    ]


async def request_sheet(
    ward: WardContext, *, status: str, group: str, form_token: str, connection: ASGIConnection
) -> NewSheet:
    """A new sheet job for the properties matching the filter, once per form token; the ward's sheets older
    than `KEEP_FOR` go. The caller launches the returned job after its transaction is committed."""
    created: list[SheetJob] = []

    async def create() -> str:
        stickers = await stickers_for(ward, status=status, group=group)
        if not stickers:
            raise RuleError(_l("No property matches."), status_code=409)
        await StickerSheet.ward_delete().where(StickerSheet.created_at < _now() - KEEP_FOR)
        now = _now()
        sheet = StickerSheet.ward_new(
            property_status=status,
            residential_group=group,
            status=SheetStatus.queued,
            total=len(stickers),
            created_by=connection.scope["user"].id,
            created_at=now,
            updated_at=now,
        )
        await sheet.save()
        await record(
            SheetAction.CREATED,
            connection=connection,
            subject_type="sticker_sheet",
            subject_id=sheet.id,
            summary=" · ".join(str(part) for part in (len(stickers), status, group) if part),
        )
        created.append(SheetJob(sheet_id=sheet.id, ward_id=ward.id, stickers=stickers))
        return f"{ward.base}/officer/sticker-sheets/{sheet.id}"

    url = await run_once(form_token, create)
    # A repeated token returns the first result without running `create`. A lost race on the token runs it
    # but rolls it back; the job then finds no queued row and does nothing.
    return NewSheet(url=url, job=created[-1] if created else None)


def shown(row: dict) -> dict:
    """A sheet as the officer sees it: a job without a heartbeat for `STALE_AFTER` has failed."""
    row = dict(row)
    row["stale"] = row["status"] in (SheetStatus.queued, SheetStatus.running) and (
        _now() - row["updated_at"] > STALE_AFTER
    )
    if row["stale"]:
        row["status"] = SheetStatus.failed
    row["pages"] = sheet_page_count(row["total"])
    return row


async def sheet_of(sheet_id: int) -> dict:
    """One sheet of the current ward, without its PDF; LookupError if not."""
    row = await StickerSheet.ward_select(*SHOWN).where(StickerSheet.id == sheet_id).first()
    if row is None:
        raise LookupError(sheet_id)
    return shown(row)


async def pdf_of(sheet_id: int, ward: WardContext) -> tuple[bytes | None, str]:
    """The finished sheet's PDF (None while it is not done) and the file name to save it under;
    LookupError if the ward has no such sheet."""
    row = await (
        StickerSheet.ward_select(StickerSheet.status, StickerSheet.pdf, StickerSheet.created_at)
        .where(StickerSheet.id == sheet_id)
        .first()
    )
    if row is None:
        raise LookupError(sheet_id)
    name = f"nhan-qr-{ward.slug}-{to_local(row['created_at']).date().isoformat()}-{sheet_id}.pdf"
    return (row["pdf"] if row["status"] == SheetStatus.done else None), name


# --- the background render --------------------------------------------------------------------------------

_jobs: dict[int, tuple[SheetJob, asyncio.Task]] = {}


async def launch(job: SheetJob) -> None:
    """Start rendering in this worker's event loop and return at once.

    The task starts from an empty context: it must not inherit the request's ward scope or database
    transaction, which end with the request; it opens its own, one short transaction per step."""
    task = asyncio.get_running_loop().create_task(_run(job), context=contextvars.Context())
    _jobs[job.sheet_id] = (job, task)
    task.add_done_callback(lambda _task: _jobs.pop(job.sheet_id, None))


async def wait_for_jobs() -> None:
    """Until every sheet this worker is rendering is finished (or failed)."""
    while _jobs:
        await asyncio.gather(*(task for _job, task in list(_jobs.values())), return_exceptions=True)


async def stop_jobs() -> None:
    """Stop this worker's renders between chunks, mark them failed, and wait for them (application
    shutdown, before the database closes)."""
    for job, _task in list(_jobs.values()):
        job.stop.set()
    await wait_for_jobs()


async def _update(job: SheetJob, values: dict, *, only_if: SheetStatus | None = None) -> bool:
    """Write to the job's row in one short transaction, with its heartbeat; False when the row is gone
    (or not in the state `only_if`)."""
    async with ward_scope(job.ward_id), write_transaction():
        query = StickerSheet.ward_select(StickerSheet.status).where(StickerSheet.id == job.sheet_id)
        row = await query.first()
        if row is None or (only_if is not None and row["status"] != only_if):
            return False
        await StickerSheet.ward_update({**values, StickerSheet.updated_at: _now()}).where(
            StickerSheet.id == job.sheet_id
        )
        return True


async def _save_progress(job: SheetJob, done: int) -> None:
    await _update(job, {StickerSheet.done: done})


async def _run(job: SheetJob) -> None:
    try:
        if not await _update(job, {StickerSheet.status: SheetStatus.running}, only_if=SheetStatus.queued):
            return

        def on_progress(done: int, _total: int) -> None:  # in the render thread, after each chunk
            if job.stop.is_set():
                raise SheetStopped()
            anyio.from_thread.run(_save_progress, job, done)

        pdf = await anyio.to_thread.run_sync(lambda: render_sticker_sheet(job.stickers, on_progress))
        done = {StickerSheet.status: SheetStatus.done, StickerSheet.done: len(job.stickers), StickerSheet.pdf: pdf}
        await _update(job, done)
    except Exception as exc:  # whatever went wrong, the officer sees "failed, try again"
        if not isinstance(exc, SheetStopped):
            log.exception("sticker sheet %s failed", job.sheet_id)
        try:
            await _update(job, {StickerSheet.status: SheetStatus.failed})
        except Exception:  # the database is gone too: the missing heartbeat will tell
            log.exception("sticker sheet %s: could not record the failure", job.sheet_id)
