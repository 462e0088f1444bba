"""`send()`: the one way to notify someone. It writes, in the caller's transaction, the in-app notification and
one outbox message per transport the ward uses; the dispatcher sends them after the commit."""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from app.accounts.tables import User
from app.db import in_transaction, write_transaction
from app.i18n import current_locale, format_date, format_datetime
from app.notify.registry import Event, get_event
from app.notify.tables import Channel, Notification, OutboxMessage, PlatformMessage, Preference, WardChannels
from app.settings import get_settings
from tenants.scope import _current_ward, has_ward_scope
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


async def _ward(ward_id: int) -> dict:
    rows = await Ward.select(Ward.name, Ward.code).where(Ward.id == ward_id)
    return rows[0] if rows else {"name": "", "code": 0}


async def ward_channels(ward_id: int | None) -> set[str]:
    """The transports the ward has switched on (its officers' choice, else the settings' default)."""
    if ward_id is None:
        return {c for c in get_settings().file.notify.default_channels if c in Channel.__members__}
    rows = await WardChannels.ward_select(WardChannels.sms, WardChannels.zalo, WardChannels.email)
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
    """Notify `to` of `event`; returns how many outbox messages were written (in-app not counted).

    `subject` names what the message is about (e.g. "declaration:42"): with the event and the recipient it
    makes the message's unique key, so the same call made twice (a retry, a second scheduler) writes once.
    Without it every call is a new message. Call it inside the change's `write_transaction()`.
    """
    if not in_transaction():
        async with write_transaction():
            return await send(event, to=to, data=data, subject=subject, not_before=not_before)
    ev = get_event(event)
    ward_id = _current_ward.get() if has_ward_scope() else None
    phone, email, locale, opted_out = to.phone, to.email, to.locale, False
    if to.user_id:
        users = await User.select(User.phone, User.locale).where(User.id == to.user_id)
        prefs = await Preference.select(Preference.email, Preference.non_essential_off).where(
            Preference.user == to.user_id
        )
        if users:
            phone = phone or users[0]["phone"]
            locale = locale or users[0]["locale"]
        if prefs:
            email = email or prefs[0]["email"]
            opted_out = prefs[0]["non_essential_off"]
    locale = locale if locale in ("vi", "en") else current_locale()
    values = {key: _value(value) for key, value in (data or {}).items()}
    if ward_id is not None and "ward" not in values:
        values["ward"] = (await _ward(ward_id))["name"]
    payload = json.dumps(values, ensure_ascii=False)
    base_key = f"{ev.name}|{to.key()}|{subject or uuid.uuid4().hex}"
    now = _now()

    if to.user_id:
        await Notification.insert(
            Notification(
                user=to.user_id,
                ward_id=ward_id,
                event=ev.name,
                data=payload,
                essential=ev.essential,
                dedupe_key=base_key,
                created_at=now,
            )
        ).on_conflict(action="DO NOTHING")
    if opted_out and not ev.essential:
        return 0  # the person said no to these: the inbox keeps them, nothing is pushed

    on = await ward_channels(ward_id)
    targets: list[tuple[str, str]] = []
    if phone and (channel := _phone_channel(ev, on)):
        targets.append((channel, phone))
    if email and "email" in on:
        targets.append((Channel.email, email))
    if not targets:
        return 0
    table = OutboxMessage if ward_id is not None else PlatformMessage
    rows = []
    for channel, address in targets:
        fields = dict(
            event=ev.name,
            channel=channel,
            address=address,
            user_id=to.user_id,
            locale=locale,
            data=payload,
            essential=ev.essential,
            dedupe_key=f"{base_key}|{channel}",
            next_attempt_at=not_before or now,
            created_at=now,
        )
        rows.append(OutboxMessage.ward_new(**fields) if table is OutboxMessage else PlatformMessage(**fields))
    insert = OutboxMessage.ward_insert(*rows) if table is OutboxMessage else PlatformMessage.insert(*rows)
    await insert.on_conflict(action="DO NOTHING")
    return len(rows)
