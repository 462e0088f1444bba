"""The time-based reminders: for a span of time, the reminders whose moment falls in it, sent through notify.

Each kind computes, for one ward (inside its `ward_scope`), the reminders *due* in (start, end] and sends
them with a subject naming the kind, the thing reminded of and the due moment. That subject is part of the
message's unique key, so a span covered twice (a second scheduler, a run after a crash) produces nothing new,
while a moved booking (a new due moment) is reminded again. A reminder whose occasion has passed (the
deadline, the appointment) is not sent late after downtime: it would only confuse.

  * lưu trú due tonight: an open stay with no lưu trú filed, 3 hours before its 23:00 deadline (1 hour
    before an 08:00 one), or half an hour after the arrival when that is later; to the landlord; essential.
  * tạm trú expiring in 15 days: an accepted tạm trú (or extension) of an open stay, at 08:00 on the day the
    15-day extension window opens; to the landlord; essential.
  * booking reminders: the day before at 18:00, and 1 hour before the slot, for a booking still booked and
    made before that moment; to the phone it was made with, in the language it was made in.

They read the residence and counter tables directly (read-only); the rules (`needed_for_stay`,
`tam_tru_expiry`) are residence's own.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from app.counter.events import BOOKING_REMINDER_DAY_BEFORE, BOOKING_REMINDER_HOUR_BEFORE
from app.counter.tables import Booking, BookingStatus
from app.housing.tables import Stay
from app.i18n import TIMEZONE
from app.notify.service import Message, Recipient, send_many
from app.residence.deadlines import DeclarationKind, tam_tru_expiry
from app.residence.declarations import TAM_TRU_KINDS, declarations_for_stays, needed_for_stay
from app.residence.events import LUU_TRU_DUE_TONIGHT, TAM_TRU_EXPIRING
from app.residence.tables import Declaration, DeclarationState

DAY_BEFORE_AT = time(18, 0)
EXPIRY_NOTICE_AT = time(8, 0)
EXPIRY_NOTICE_DAYS = 15


@dataclass(frozen=True)
class Kind:
    name: str
    produce: Callable[[datetime, datetime, datetime], Awaitable[int]]  # (start, end, now) -> messages written


def _local(moment: datetime) -> datetime:
    return moment.astimezone(TIMEZONE)


def _days_at(start: datetime, end: datetime, clock: time) -> list[date]:
    """The local days whose `clock` o'clock falls in (start, end]."""
    days, day = [], _local(start).date()
    while (moment := datetime.combine(day, clock, tzinfo=TIMEZONE)) <= end:
        if moment > start:
            days.append(day)
        day += timedelta(days=1)
    return days


def _subject(kind: str, thing: str, due: datetime) -> str:
    return f"{kind}:{thing}:{due.astimezone(TIMEZONE).strftime('%Y-%m-%dT%H:%M')}"


# --- bookings --------------------------------------------------------------------------------------------

BOOKING_COLUMNS = (
    Booking.id,
    Booking.day,
    Booking.slot_start,
    Booking.phone,
    Booking.locale,
    Booking.code,
    Booking.created_at,
    Booking.procedure.name,
)


def _booking_data(row: dict) -> dict:
    return {
        "code": row["code"],
        "day": row["day"],
        "time": row["slot_start"].strftime("%H:%M"),
        "procedure": row["procedure.name"],
    }


async def booking_day_before(start: datetime, end: datetime, now: datetime) -> int:
    days = _days_at(start, end, DAY_BEFORE_AT)
    if not days:
        return 0
    rows = await Booking.ward_select(*BOOKING_COLUMNS).where(
        Booking.day.is_in([d + timedelta(days=1) for d in days]) & (Booking.status == BookingStatus.booked)
    )
    messages = []
    for row in rows:
        due = datetime.combine(row["day"] - timedelta(days=1), DAY_BEFORE_AT, tzinfo=TIMEZONE)
        if row["created_at"] <= due and datetime.combine(row["day"], row["slot_start"], tzinfo=TIMEZONE) > now:
            messages.append(
                Message(
                    to=Recipient(phone=row["phone"], locale=row["locale"]),
                    data=_booking_data(row),
                    subject=_subject("day_before", f"booking:{row['id']}", due),
                )
            )
    return await send_many(BOOKING_REMINDER_DAY_BEFORE, messages)


async def booking_hour_before(start: datetime, end: datetime, now: datetime) -> int:
    first, last = _local(start + timedelta(hours=1)).date(), _local(end + timedelta(hours=1)).date()
    rows = await Booking.ward_select(*BOOKING_COLUMNS).where(
        (Booking.day >= first) & (Booking.day <= last) & (Booking.status == BookingStatus.booked)
    )
    messages = []
    for row in rows:
        begins = datetime.combine(row["day"], row["slot_start"], tzinfo=TIMEZONE)
        due = begins - timedelta(hours=1)
        if start < due <= end and row["created_at"] <= due and begins > now:
            messages.append(
                Message(
                    to=Recipient(phone=row["phone"], locale=row["locale"]),
                    data=_booking_data(row),
                    subject=_subject("hour_before", f"booking:{row['id']}", due),
                )
            )
    return await send_many(BOOKING_REMINDER_HOUR_BEFORE, messages)


# --- residence -------------------------------------------------------------------------------------------


def luu_tru_reminder_at(deadline: datetime, arrived: datetime) -> datetime:
    """3 hours before a 23:00 deadline, 1 hour before an 08:00 one; never before half an hour after arrival."""
    before = timedelta(hours=3) if _local(deadline).hour >= 12 else timedelta(hours=1)
    return max(deadline - before, arrived + timedelta(minutes=30))


async def luu_tru_due(start: datetime, end: datetime, now: datetime) -> int:
    from app.residence.declarations import arrived_at

    # A lưu trú deadline is at most the next morning: stays that began from the day before the span.
    rows = await Stay.ward_select(
        Stay.id,
        Stay.from_date,
        Stay.expected_to,
        Stay.to_date,
        Stay.created_at,
        Stay.renter.full_name,
        Stay.room.property,
        Stay.room.property.name,
        Stay.room.property.landlord,
    ).where(
        Stay.to_date.is_null()
        & (Stay.from_date >= _local(start).date() - timedelta(days=1))
        & (Stay.from_date <= _local(end).date())
    )
    if not rows:
        return 0
    filed = await declarations_for_stays([row["id"] for row in rows])
    messages = []
    for row in rows:
        need = needed_for_stay(row, filed[row["id"]], now)
        if need is None or need.kind != DeclarationKind.luu_tru or now >= need.deadline:
            continue
        if need.pending is not None and need.pending["state"] not in (
            DeclarationState.draft,
            DeclarationState.rejected,
        ):
            continue  # filed: the police have it
        due = luu_tru_reminder_at(need.deadline, arrived_at(row))
        if start < due <= end:
            messages.append(
                Message(
                    to=Recipient(user_id=row["room.property.landlord"]),
                    data={
                        "person": row["renter.full_name"],
                        "property": row["room.property.name"],
                        "deadline": _local(need.deadline).strftime("%H:%M %d/%m/%Y"),
                        "url": f"/landlord/properties/{row['room.property']}#stay-{row['id']}",
                    },
                    subject=_subject("luu_tru", f"stay:{row['id']}", due),
                )
            )
    return await send_many(LUU_TRU_DUE_TONIGHT, await _with_ward_urls(messages))


async def tam_tru_expiring(start: datetime, end: datetime, now: datetime) -> int:
    days = _days_at(start, end, EXPIRY_NOTICE_AT)
    if not days:
        return 0
    expiries = {d + timedelta(days=EXPIRY_NOTICE_DAYS): d for d in days}
    rows = await Declaration.ward_select(
        Declaration.id,
        Declaration.full_name,
        Declaration.arrival_date,
        Declaration.expected_departure,
        Declaration.stay,
        Declaration.stay.room.property,
        Declaration.stay.room.property.name,
        Declaration.stay.room.property.landlord,
    ).where(
        (Declaration.state == DeclarationState.accepted)
        & Declaration.kind.is_in(list(TAM_TRU_KINDS))
        & Declaration.stay.to_date.is_null()
        & Declaration.arrival_date.is_not_null()
    )
    messages = []
    for row in rows:
        expiry = tam_tru_expiry(row["arrival_date"], row["expected_departure"])
        if expiry not in expiries:
            continue
        due = datetime.combine(expiries[expiry], EXPIRY_NOTICE_AT, tzinfo=TIMEZONE)
        messages.append(
            Message(
                to=Recipient(user_id=row["stay.room.property.landlord"]),
                data={
                    "person": row["full_name"],
                    "property": row["stay.room.property.name"],
                    "expiry": expiry,
                    "url": f"/landlord/properties/{row['stay.room.property']}#stay-{row['stay']}",
                },
                subject=_subject("tam_tru_expiry", f"declaration:{row['id']}", due),
            )
        )
    return await send_many(TAM_TRU_EXPIRING, await _with_ward_urls(messages))


async def _with_ward_urls(messages: list[Message]) -> list[Message]:
    """Prefix the ward's path to the landlord's links (built per ward, once)."""
    if not messages:
        return messages
    from app.notify.service import ward_base

    base = await ward_base()
    return [
        Message(to=m.to, data={**m.data, "url": base + m.data["url"]}, subject=m.subject, not_before=m.not_before)
        for m in messages
    ]


PURGE_AT = time(3, 0)


async def purge_old(start: datetime, end: datetime, now: datetime) -> int:
    """Nightly at 03:00: the ward's sent and dead messages, and read notifications, older than
    `notify.keep_days` go (they hold phone numbers and e-mail addresses); returns how many."""
    from app.notify.tables import MessageStatus, Notification, OutboxMessage
    from app.settings import get_settings
    from tenants.scope import current_ward_id

    if not _days_at(start, end, PURGE_AT):
        return 0
    before = now - timedelta(days=get_settings().file.notify.keep_days)
    gone = (
        await OutboxMessage.ward_delete()
        .where(
            OutboxMessage.status.is_in([MessageStatus.sent, MessageStatus.dead]) & (OutboxMessage.created_at < before)
        )
        .returning(OutboxMessage.id)
    )
    read = (
        await Notification.delete()
        .where(
            (Notification.ward_id == current_ward_id())
            & Notification.read_at.is_not_null()
            & (Notification.created_at < before)
        )
        .returning(Notification.id)
    )
    return len(gone) + len(read)


KINDS = [
    Kind("luu_tru_due", luu_tru_due),
    Kind("tam_tru_expiring", tam_tru_expiring),
    Kind("booking_day_before", booking_day_before),
    Kind("booking_hour_before", booking_hour_before),
    Kind("purge_old_messages", purge_old),  # housekeeping, on the same lease and catch-up as the reminders
]
