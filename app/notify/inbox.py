"""A person's in-app notifications (the bell) and their choices about messages."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from app.db import write_transaction
from app.i18n import current_locale
from app.notify.registry import UnknownEvent, get_event
from app.notify.tables import Notification, Preference
from app.notify.templates import render

PAGE = 30


async def unread_count(user_id: int) -> int:
    return await Notification.count().where((Notification.user == user_id) & Notification.read_at.is_null())


def _shown(row: dict) -> dict:
    """A notification in the reader's language now (it is stored as its event and data, not as text)."""
    data = json.loads(row["data"] or "{}")
    try:
        rendered = render(get_event(row["event"]), data, current_locale())
        title, text = rendered.title, rendered.text
    except UnknownEvent:
        title, text = row["event"], ""
    url = str(data.get("url") or "")
    return {**row, "title": title, "text": text, "url": url if url.startswith("/") else ""}


async def notifications(user_id: int, *, before: int | None = None, limit: int = PAGE) -> list[dict]:
    query = Notification.select(
        Notification.id,
        Notification.event,
        Notification.data,
        Notification.essential,
        Notification.created_at,
        Notification.read_at,
    ).where(Notification.user == user_id)
    if before:
        query = query.where(Notification.id < before)
    return [_shown(row) for row in await query.order_by(Notification.id, ascending=False).limit(limit)]


async def open_notification(user_id: int, notification_id: int) -> str | None:
    """Mark one of the person's notifications read; its link, or None when it is not theirs."""
    rows = await Notification.select(Notification.data).where(
        (Notification.id == notification_id) & (Notification.user == user_id)
    )
    if not rows:
        return None
    async with write_transaction():
        await Notification.update({Notification.read_at: datetime.now(UTC)}).where(
            (Notification.id == notification_id) & Notification.read_at.is_null()
        )
    url = str(json.loads(rows[0]["data"] or "{}").get("url") or "")
    return url if url.startswith("/") and not url.startswith("//") else "/notifications"


async def mark_all_read(user_id: int) -> None:
    async with write_transaction():
        await Notification.update({Notification.read_at: datetime.now(UTC)}).where(
            (Notification.user == user_id) & Notification.read_at.is_null()
        )


async def preference(user_id: int) -> dict:
    rows = await Preference.select(Preference.non_essential_off, Preference.email).where(Preference.user == user_id)
    return rows[0] if rows else {"non_essential_off": False, "email": ""}


async def save_preference(user_id: int, *, non_essential_off: bool, email: str) -> None:
    now = datetime.now(UTC)
    async with write_transaction():
        await Preference.insert(
            Preference(user=user_id, non_essential_off=non_essential_off, email=email, updated_at=now)
        ).on_conflict(
            target=Preference.user,
            action="DO UPDATE",
            values=[Preference.non_essential_off, Preference.email, Preference.updated_at],
        )
