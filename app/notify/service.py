"""`send()`: the one way to notify someone. It writes, in the caller's transaction, the in-app notification and
one outbox message per transport the ward uses; the dispatcher sends them after the commit."""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from piccolo.querystring import QueryString

from app import memo
from app.accounts.tables import User
from app.db import DB, in_transaction, is_postgres, write_transaction
from app.i18n import LazyText, current_locale, format_date, format_datetime
from app.notify.registry import Event, get_event
from app.notify.tables import Channel, Notification, OutboxMessage, PlatformMessage, Preference, WardChannels
from app.settings import get_settings
from tenants.scope import _current_ward, current_ward_id, has_ward_scope
from tenants.tables import Ward


@dataclass(frozen=True)
class Recipient:
    """Who to tell. Give what you know: an account (`user_id`: in-app, and its phone, language and the e-mail
    and opt-out in its preferences), and/or a phone, an e-mail, a language (for a resident with no account)."""

    user_id: int | None = None
    phone: str = ""
    email: str = ""
    locale: str = ""

    def key(self) -> str:
        if self.user_id:
            return f"u{self.user_id}"
        return f"p{self.phone}" if self.phone else f"e{self.email.lower()}"


def _value(value: Any) -> Any:
    # A message of our own (a label) is translated when rendered, in the recipient's language.
    if isinstance(value, LazyText):
        return {"$t": value.message}
    # Dates as people read them (the same dd/MM/yyyy pattern in both languages), stored as text in the JSON.
    if isinstance(value, datetime):
        return format_datetime(value)
    if isinstance(value, date):
        return format_date(value)
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


def _now() -> datetime:
    return datetime.now(UTC)


async def ward_of(ward_id: int) -> dict:
    """The ward's name, code and slug (kept briefly, see app.memo)."""

    async def load() -> dict:
        rows = await Ward.select(Ward.name, Ward.code, Ward.slug).where(Ward.id == ward_id)
        return rows[0] if rows else {"name": "", "code": 0, "slug": ""}

    return await memo.kept("ward_by_id", ward_id, load)


async def ward_base() -> str:
    """The current ward's path ("/w/<slug>"), to build a message's `url` in code that has no WardContext."""
    return f"/w/{(await ward_of(_current_ward.get()))['slug']}"


async def ward_channels(ward_id: int | None) -> set[str]:
    """The transports the ward has switched on (its officers' choice, else the settings' default)."""
    if ward_id is None:
        return {c for c in get_settings().file.notify.default_channels if c in Channel.__members__}
    rows = await memo.kept(
        "channels", None, lambda: WardChannels.ward_select(WardChannels.sms, WardChannels.zalo, WardChannels.email)
    )
    if not rows:
        return {c for c in get_settings().file.notify.default_channels if c in Channel.__members__}
    return {name for name in ("sms", "zalo", "email") if rows[0][name]}


def _phone_channel(event: Event, on: set[str]) -> str | None:
    # Zalo ZNS only sends templates approved for the event; without one the same message goes by SMS.
    if "zalo" in on and event.name in get_settings().file.notify.zalo.templates:
        return Channel.zalo
    return Channel.sms if "sms" in on else None


async def send(
    event: Event | str,
    *,
    to: Recipient,
    data: Mapping[str, Any] | None = None,
    subject: str = "",
    not_before: datetime | None = None,
) -> int:
    """Notify `to` of `event`; returns how many new outbox messages were written (in-app not counted).

    `subject` names what the message is about (e.g. "declaration:42"): with the event and the recipient it
    makes the message's unique key, so the same call made twice (a retry, a second scheduler) writes once.
    Without it every call is a new message. Call it inside the change's `write_transaction()`.
    """
    return await send_many(event, [Message(to=to, data=data or {}, subject=subject, not_before=not_before)])


@dataclass(frozen=True)
class Message:
    """One of many messages of the same event for `send_many()`."""

    to: Recipient
    data: Mapping[str, Any]
    subject: str = ""
    not_before: datetime | None = None


CHUNK = 500  # rows per INSERT: large enough to be fast, small enough for SQLite's parameter limit


async def send_many(event: Event | str, messages: list[Message]) -> int:
    """`send()` for many recipients of one event at once (the scheduler's reminders): the accounts and their
    preferences are read in one query each and the rows written in a few multi-row INSERTs."""
    if not messages:
        return 0
    if not in_transaction():
        async with write_transaction():
            return await send_many(event, messages)
    ev = get_event(event)
    ward_id = _current_ward.get() if has_ward_scope() else None
    user_ids = sorted({m.to.user_id for m in messages if m.to.user_id})
    users: dict[int, dict] = {}
    prefs: dict[int, dict] = {}
    for i in range(0, len(user_ids), CHUNK):
        chunk = user_ids[i : i + CHUNK]
        for row in await User.select(User.id, User.phone, User.locale).where(User.id.is_in(chunk)):
            users[row["id"]] = row
        for row in await Preference.select(Preference.user, Preference.email, Preference.non_essential_off).where(
            Preference.user.is_in(chunk)
        ):
            prefs[row["user"]] = row
    ward_name = (await ward_of(ward_id))["name"] if ward_id is not None else ""
    on = await ward_channels(ward_id)
    phone_channel = _phone_channel(ev, on)
    now = _now()
    table = OutboxMessage if ward_id is not None else PlatformMessage
    notifications: list[Notification] = []
    rows: list = []
    for message in messages:
        to = message.to
        user, pref = users.get(to.user_id or 0, {}), prefs.get(to.user_id or 0, {})
        phone = to.phone or user.get("phone", "")
        email = to.email or pref.get("email", "")
        locale = to.locale or user.get("locale", "")
        locale = locale if locale in ("vi", "en") else current_locale()
        values = {key: _value(value) for key, value in message.data.items()}
        if ward_id is not None and "ward" not in values:
            values["ward"] = ward_name
        payload = json.dumps(values, ensure_ascii=False)
        base_key = f"{ev.name}|{to.key()}|{message.subject or uuid.uuid4().hex}"
        if to.user_id:
            notifications.append(
                Notification(
                    user=to.user_id,
                    ward_id=ward_id,
                    event=ev.name,
                    data=payload,
                    essential=ev.essential,
                    dedupe_key=f"{ward_id or 'p'}|{base_key}",
                    created_at=now,
                )
            )
        if pref.get("non_essential_off") and not ev.essential:
            continue  # the person said no to these: the inbox keeps them, nothing is pushed
        targets: list[tuple[str, str]] = []
        if phone and phone_channel:
            targets.append((phone_channel, phone))
        if email and "email" in on:
            targets.append((Channel.email, email))
        for channel, address in targets:
            rows.append(
                {
                    "event": ev.name,
                    "channel": str(channel),
                    "address": address,
                    "user_id": to.user_id,
                    "locale": locale,
                    "data": payload,
                    "essential": ev.essential,
                    "dedupe_key": f"{base_key}|{channel}",
                    "next_attempt_at": message.not_before or now,
                    "created_at": now,
                }
            )
    for i in range(0, len(notifications), CHUNK):
        await Notification.insert(*notifications[i : i + CHUNK]).on_conflict(action="DO NOTHING")
    return await _insert_messages(table, rows)


_ARRAY_TYPES = {
    "event": "text",
    "channel": "text",
    "address": "text",
    "user_id": "int",
    "locale": "text",
    "data": "text",
    "essential": "bool",
    "dedupe_key": "text",
    "next_attempt_at": "timestamptz",
    "created_at": "timestamptz",
}


async def _insert_messages(table, rows: list[dict]) -> int:
    """Insert the outbox rows, skipping those that exist (by the unique key); returns how many are new.

    PostgreSQL gets one INSERT ... SELECT FROM unnest(...) per 5,000 rows, a column of values a parameter:
    building a multi-row INSERT of ORM objects costs far more than the database's work (the scheduler writes
    100,000 reminders at once). The ward comes from the scope, as `ward_new()` would set it."""
    if not rows:
        return 0
    written = 0
    if is_postgres():
        names = list(_ARRAY_TYPES)
        ward_id = current_ward_id() if table is OutboxMessage else None
        columns = (["ward"] if ward_id else []) + names
        arrays = ", ".join(f"{{}}::{_ARRAY_TYPES[name]}[]" for name in names)
        select = f"SELECT {'{}::int, ' if ward_id else ''}* FROM unnest({arrays})"
        sql = f"INSERT INTO {table._meta.tablename} ({', '.join(columns)}) {select} ON CONFLICT DO NOTHING RETURNING id"
        for i in range(0, len(rows), 5000):
            chunk = rows[i : i + 5000]
            args = ([ward_id] if ward_id else []) + [[row[name] for row in chunk] for name in names]
            written += len(await DB.run_querystring(QueryString(sql, *args)))
        return written
    for i in range(0, len(rows), CHUNK):
        chunk = rows[i : i + CHUNK]
        if table is OutboxMessage:
            insert = OutboxMessage.ward_insert(*(OutboxMessage.ward_new(**row) for row in chunk))
        else:
            insert = PlatformMessage.insert(*(PlatformMessage(**row) for row in chunk))
        written += len(await insert.on_conflict(action="DO NOTHING").returning(table.id))  # new rows only
    return written
