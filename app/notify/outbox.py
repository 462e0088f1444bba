"""The ward's outbox as its officers see it: what was sent to whom, what failed, and sending a dead one again;
and which transports the ward uses."""

from __future__ import annotations

from datetime import UTC, datetime

from litestar.connection import ASGIConnection
from litestar.exceptions import NotFoundException

from app import memo
from app.audit.service import record
from app.db import write_transaction
from app.errors import RuleError
from app.i18n import _l
from app.notify import dispatch
from app.notify.labels import NotifyAction
from app.notify.registry import UnknownEvent, get_event
from app.notify.service import ward_channels
from app.notify.tables import MessageStatus, OutboxMessage, WardChannels

PAGE = 50
STATUSES = [s.value for s in MessageStatus]


def event_title(name: str) -> str:
    try:
        return str(get_event(name).title)
    except UnknownEvent:
        return name


async def ward_messages(*, status: str = "", before: int | None = None, limit: int = PAGE) -> list[dict]:
    query = OutboxMessage.ward_select(
        OutboxMessage.id,
        OutboxMessage.event,
        OutboxMessage.channel,
        OutboxMessage.address,
        OutboxMessage.status,
        OutboxMessage.attempts,
        OutboxMessage.last_error,
        OutboxMessage.created_at,
        OutboxMessage.sent_at,
        OutboxMessage.next_attempt_at,
    )
    if status in STATUSES:
        query = query.where(OutboxMessage.status == status)
    if before:
        query = query.where(OutboxMessage.id < before)
    rows = await query.order_by(OutboxMessage.id, ascending=False).limit(limit)
    return [{**row, "title": event_title(row["event"])} for row in rows]


async def status_counts() -> dict[str, int]:
    return {status: await OutboxMessage.ward_count().where(OutboxMessage.status == status) for status in STATUSES}


async def resend(message_id: int, *, connection: ASGIConnection) -> None:
    """A dead message goes back in the queue with its attempts counted from zero."""
    async with write_transaction():
        rows = await OutboxMessage.ward_select(OutboxMessage.status, OutboxMessage.event).where(
            OutboxMessage.id == message_id
        )
        if not rows:
            raise NotFoundException()
        if rows[0]["status"] != MessageStatus.dead:
            raise RuleError(_l("Only a failed message can be sent again."), status_code=409)
        await OutboxMessage.ward_update(
            {
                OutboxMessage.status: MessageStatus.pending,
                OutboxMessage.attempts: 0,
                OutboxMessage.next_attempt_at: datetime.now(UTC),
                OutboxMessage.locked_until: None,
            }
        ).where((OutboxMessage.id == message_id) & (OutboxMessage.status == MessageStatus.dead))
        await record(
            NotifyAction.RESENT,
            connection=connection,
            subject_type="outbox_message",
            subject_id=message_id,
            summary=rows[0]["event"],
        )
    dispatch.wake()


async def channels() -> set[str]:
    from tenants.scope import current_ward_id

    return await ward_channels(current_ward_id())


async def save_channels(*, sms: bool, zalo: bool, email: bool, connection: ASGIConnection) -> None:
    now = datetime.now(UTC)
    user = connection.scope.get("user")
    async with write_transaction():
        values = {"sms": sms, "zalo": zalo, "email": email, "updated_at": now, "updated_by": user.id if user else None}
        if await WardChannels.ward_exists():
            await WardChannels.ward_update({getattr(WardChannels, k): v for k, v in values.items()})
        else:
            await WardChannels.ward_insert(WardChannels.ward_new(**values))
        on = ", ".join(name for name in ("sms", "zalo", "email") if values[name]) or "-"
        await record(NotifyAction.CHANNELS_CHANGED, connection=connection, subject_type="ward_channels", summary=on)
    memo.forget()
