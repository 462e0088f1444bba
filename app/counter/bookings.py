"""Booking the counter: the slots a resident may choose, and booking, cancelling and moving one without
ever holding more people in a slot than the group's capacity.

Capacity under concurrency. Each (group, day, slot) has one `SlotSeat` row, and a booking takes a seat with
one conditional statement, `UPDATE slot_seat SET taken = taken + 1 WHERE … AND taken < capacity RETURNING id`.
On PostgreSQL (READ COMMITTED, several workers) concurrent bookings of a slot queue on that row's lock; each
re-reads `taken` once the one before it commits, so the 11th of a 10-seat slot updates nothing and is told
the slot is full. The row is made on first use with `INSERT … ON CONFLICT DO NOTHING` (two first bookings
cannot both make it). On SQLite there is one writer at a time, so the same statements are trivially serial.
Cancelling lowers `taken`; moving lowers the old slot's and raises the new one's in the same transaction,
always in the same order of slots, so two moves in opposite directions cannot deadlock.

One person, one live booking per procedure and day: a partial unique index on (ward, phone, procedure, day)
for live bookings holds it even against two simultaneous submits with different forms.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from functools import lru_cache

from litestar.connection import ASGIConnection

from app import memo
from app.audit.service import record
from app.counter import events
from app.counter.procedures import documents_of, is_bookable, procedure_of
from app.counter.slots import Slot, nearest, upcoming_slots
from app.counter.tables import Booking, BookingSettings, BookingStatus, ClosedDay, SlotSeat
from app.db import is_unique_violation, write_transaction
from app.errors import RuleError
from app.i18n import TIMEZONE, _l, current_locale
from app.notify import Recipient, send, ward_base
from app.once import run_once
from app.settings import get_settings
from tenants.office_hours import OfficeHoursError, OpenPeriod, parse_office_hours

CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read out and typed at the kiosk
CODE_LENGTH = 6
CODE_ATTEMPTS = 4
DEFAULT_SLOT_MINUTES = 30
DEFAULT_DAYS_AHEAD = 10


class BookingAction:
    MADE = "booking_made"
    CANCELLED = "booking_cancelled"
    MOVED = "booking_moved"
    SETTINGS_UPDATED = "booking_settings_updated"
    DAY_CLOSED = "counter_day_closed"
    DAY_REOPENED = "counter_day_reopened"


class SlotFull(RuleError):
    """The slot filled up before this booking got a seat; `alternatives` are the nearest free slots."""

    def __init__(self, alternatives: list[SlotFree] | None = None) -> None:
        super().__init__(_l("This time slot has just filled up. Choose one of the nearest free times."), "slot", 409)
        self.alternatives = alternatives or []


@dataclass(frozen=True)
class SlotFree:
    slot: Slot
    free: int


def now_local() -> datetime:
    """The ward's wall clock (naive, Asia/Ho_Chi_Minh): slots are local times."""
    return datetime.now(TIMEZONE).replace(tzinfo=None)


def booking_url(ward_slug: str, token: str) -> str:
    """The booking's own page; the booking QR encodes it (absolute, as a phone camera needs)."""
    return f"{get_settings().file.app.base_url.rstrip('/')}/w/{ward_slug}/booking/{token}"


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def periods_of(office_hours: str) -> list[OpenPeriod]:
    try:
        return parse_office_hours(office_hours)
    except OfficeHoursError:
        return []  # the admin typed something unreadable: nothing is bookable until it is fixed


# --- settings and closed days ---------------------------------------------------------------------------------


async def settings() -> dict:
    row = await BookingSettings.ward_select(BookingSettings.slot_minutes, BookingSettings.days_ahead).first()
    return row or {"slot_minutes": DEFAULT_SLOT_MINUTES, "days_ahead": DEFAULT_DAYS_AHEAD}


async def _kept_settings() -> dict:
    return await memo.kept("settings", None, settings)


async def _kept_closed(since: date) -> frozenset[date]:
    async def load() -> frozenset[date]:
        return frozenset(r["day"] for r in await closed_days(since=since))

    return await memo.kept("closed", since, load)


async def update_settings(*, slot_minutes: int, days_ahead: int, connection: ASGIConnection) -> None:
    """Changing the slot length does not move existing bookings: they keep their times."""
    async with write_transaction():
        values = {BookingSettings.slot_minutes: slot_minutes, BookingSettings.days_ahead: days_ahead}
        if await BookingSettings.ward_exists():
            await BookingSettings.ward_update(values)
        else:
            await BookingSettings.ward_new(slot_minutes=slot_minutes, days_ahead=days_ahead).save()
        await record(
            BookingAction.SETTINGS_UPDATED,
            connection=connection,
            subject_type="booking_settings",
            summary=f"{slot_minutes} min, {days_ahead}",
        )
    memo.forget()


async def closed_days(*, since: date | None = None) -> list[dict]:
    query = ClosedDay.ward_select(ClosedDay.id, ClosedDay.day, ClosedDay.reason)
    if since is not None:
        query = query.where(ClosedDay.day >= since)
    return await query.order_by(ClosedDay.day)


async def close_day(*, day: date, reason: str, connection: ASGIConnection) -> int:
    """Close the counter on `day`; returns how many live bookings that day has (to call them)."""
    if day < now_local().date():
        raise RuleError(_l("Choose today or a later day."), field="day")
    try:
        async with write_transaction():
            row = ClosedDay.ward_new(day=day, reason=reason, created_at=datetime.now(UTC))
            await row.save()
            await record(
                BookingAction.DAY_CLOSED,
                connection=connection,
                subject_type="closed_day",
                subject_id=row.id,
                summary=f"{day:%d/%m/%Y} {reason}",
            )
    except Exception as exc:
        if is_unique_violation(exc):
            raise RuleError(_l("The counter is already closed on that day."), field="day") from None
        raise
    memo.forget()
    return await Booking.ward_count().where((Booking.day == day) & (Booking.status == BookingStatus.booked))


async def reopen_day(closed_day_id: int, *, connection: ASGIConnection) -> None:
    row = await ClosedDay.ward_select(ClosedDay.day).where(ClosedDay.id == closed_day_id).first()
    if row is None:
        raise LookupError(closed_day_id)
    async with write_transaction():
        await ClosedDay.ward_delete().where(ClosedDay.id == closed_day_id)
        await record(
            BookingAction.DAY_REOPENED,
            connection=connection,
            subject_type="closed_day",
            subject_id=closed_day_id,
            summary=f"{row['day']:%d/%m/%Y}",
        )
    memo.forget()


# --- free slots ---------------------------------------------------------------------------------------------


async def offered_slots(office_hours: str, now: datetime | None = None) -> list[tuple[date, list[Slot]]]:
    """The slots open for booking from now: office hours, minus holidays, closed days and past times."""
    now = (now or now_local()).replace(second=0, microsecond=0)  # the same slots all minute long
    conf = await _kept_settings()
    closed = await _kept_closed(now.date())
    return _upcoming(office_hours, conf["slot_minutes"], now, conf["days_ahead"], closed)


@lru_cache(maxsize=256)
def _upcoming(
    office_hours: str, slot_minutes: int, now: datetime, days_ahead: int, closed: frozenset[date]
) -> list[tuple[date, list[Slot]]]:
    """Cut once a minute per ward, not on every booking. Callers must not change the lists."""
    return upcoming_slots(periods_of(office_hours), slot_minutes, now, days_ahead, closed)


async def free_seats(
    office_hours: str, group_id: int, capacity: int, now: datetime | None = None
) -> list[tuple[date, list[SlotFree]]]:
    """Each offered day with each slot's free seats for the group (a full slot is listed with 0)."""
    days = await offered_slots(office_hours, now)
    if not days:
        return []
    taken = {
        (r["day"], r["slot_start"]): r["taken"]
        for r in await SlotSeat.ward_select(SlotSeat.day, SlotSeat.slot_start, SlotSeat.taken).where(
            (SlotSeat.service_group == group_id) & (SlotSeat.day >= days[0][0]) & (SlotSeat.day <= days[-1][0])
        )
    }
    return [
        (day, [SlotFree(s, max(0, capacity - taken.get((s.day, s.start), 0))) for s in slots]) for day, slots in days
    ]


async def nearest_free(
    office_hours: str, group_id: int, capacity: int, day: date, start: time, count: int = 4
) -> list[SlotFree]:
    """The free slots nearest to the one asked for, for "this slot just filled, here are the nearest"."""
    free = {sf.slot: sf for _day, slots in await free_seats(office_hours, group_id, capacity) for sf in slots}
    open_ = [slot for slot, sf in free.items() if sf.free > 0]
    return [free[slot] for slot in nearest(open_, datetime.combine(day, start), count)]


def _seat(group_id: int, day: date, start: time):
    return (SlotSeat.service_group == group_id) & (SlotSeat.day == day) & (SlotSeat.slot_start == start)


async def _take_seat(group_id: int, day: date, start: time, capacity: int) -> bool:
    """One seat of the slot, if one is free (see the module's docstring). Inside the booking's transaction."""
    raise_taken = {SlotSeat.taken: SlotSeat.taken + 1}
    if (
        await SlotSeat.ward_update(raise_taken)
        .where(_seat(group_id, day, start) & (SlotSeat.taken < capacity))
        .returning(SlotSeat.id)
    ):
        return True
    if capacity < 1:
        return False
    first = SlotSeat.ward_new(service_group=group_id, day=day, slot_start=start, taken=1)
    if await SlotSeat.ward_insert(first).on_conflict(action="DO NOTHING").returning(SlotSeat.id):
        return True
    # The row exists (made by a booking that committed meanwhile): the conditional update decides.
    return bool(
        await SlotSeat.ward_update(raise_taken)
        .where(_seat(group_id, day, start) & (SlotSeat.taken < capacity))
        .returning(SlotSeat.id)
    )


async def _release_seat(group_id: int, day: date, start: time) -> None:
    await SlotSeat.ward_update({SlotSeat.taken: SlotSeat.taken - 1}).where(
        _seat(group_id, day, start) & (SlotSeat.taken > 0)
    )


# --- booking, cancelling, moving --------------------------------------------------------------------------------

_NOT_OFFERED = _l("This time is not open for booking. Choose one of the times shown.")
_ALREADY = _l("You already have a booking for this procedure on that day.")


@dataclass(frozen=True)
class Applicant:
    full_name: str
    phone: str
    id_number: str = ""


async def _offered(office_hours: str, day: date, start: time) -> Slot:
    for offered_day, slots in await offered_slots(office_hours):
        if offered_day == day:
            for slot in slots:
                if slot.start == start:
                    return slot
    raise RuleError(_NOT_OFFERED, field="slot")


async def bookable_procedure(procedure_id: int) -> dict:
    """The procedure as residents book it (kept briefly, see app.memo); RuleError if it cannot be booked."""
    try:
        procedure = await memo.kept("procedure", procedure_id, lambda: procedure_of(procedure_id, public=True))
    except LookupError:
        raise RuleError(_l("Choose one of the options."), field="procedure") from None
    if not is_bookable(procedure):
        raise RuleError(_l("This procedure cannot be booked online; come to the counter."), field="procedure")
    return procedure


async def _has_live_booking(phone: str, procedure_id: int, day: date, *, other_than: int | None = None) -> bool:
    query = Booking.ward_exists().where(
        (Booking.phone == phone)
        & (Booking.procedure == procedure_id)
        & (Booking.day == day)
        & (Booking.status == BookingStatus.booked)
    )
    if other_than is not None:
        query = query.where(Booking.id != other_than)
    return await query


def _duplicate(exc: BaseException) -> bool:
    """The unique violation is the one-live-booking rule (its index names the phone), not a code collision."""
    return is_unique_violation(exc) and "phone" in str(exc)


async def book(
    *,
    office_hours: str,
    ward_slug: str,
    procedure_id: int,
    day: date,
    start: time,
    applicant: Applicant,
    form_token: str,
    connection: ASGIConnection | None,
) -> str:
    """Book a seat in the slot for the procedure; once per form token. Returns the booking page's path.
    Raises RuleError (422: not bookable; 409: already booked that day) or SlotFull (409)."""

    async def create() -> str:
        procedure = await bookable_procedure(procedure_id)
        slot = await _offered(office_hours, day, start)
        group = procedure["service_group"]
        if not await _take_seat(group, day, start, procedure["slot_capacity"]):
            raise SlotFull()
        token = secrets.token_urlsafe(16)
        booking = Booking.ward_new(
            procedure=procedure_id,
            service_group=group,
            day=day,
            slot_start=slot.start,
            slot_end=slot.end,
            full_name=applicant.full_name,
            phone=applicant.phone,
            id_number=applicant.id_number,
            status=BookingStatus.booked,
            code=new_code(),
            token=token,
            locale=current_locale(),
            created_at=datetime.now(UTC),
        )
        # A second live booking of the phone for the procedure that day fails on its unique index (no query
        # before, which two simultaneous submits would both pass).
        await booking.save()
        await record(
            BookingAction.MADE,
            connection=connection,
            subject_type="booking",
            subject_id=booking.id,
            summary=f"{booking.code} · {procedure['name']} · {day:%d/%m/%Y} {slot.start:%H:%M}",
        )
        url = f"/w/{ward_slug}/booking/{token}"
        await send(
            events.BOOKING_MADE,
            to=Recipient(phone=applicant.phone, locale=booking.locale),
            data={
                "code": booking.code,
                "day": day,
                "time": f"{slot.start:%H:%M}",
                "procedure": procedure["name"],
                "documents": "; ".join(documents_of(procedure)[:3]) or "CCCD",
                "url": url,
            },
            subject=f"booking:{booking.id}",
        )
        return url

    for attempt in range(CODE_ATTEMPTS):
        try:
            return await run_once(form_token, create)
        except SlotFull:
            procedure = await procedure_of(procedure_id)
            alternatives = await nearest_free(
                office_hours, procedure["service_group"], procedure["slot_capacity"], day, start
            )
            raise SlotFull(alternatives) from None
        except Exception as exc:
            if _duplicate(exc):
                raise RuleError(_ALREADY, field="phone", status_code=409) from None
            # Otherwise a code drawn twice in the ward (about one in a billion): the whole change was rolled
            # back, so it is simply made again with a new code.
            if not is_unique_violation(exc) or attempt == CODE_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


_BOOKING_COLUMNS = (
    Booking.id, Booking.day, Booking.slot_start, Booking.slot_end, Booking.full_name, Booking.phone,
    Booking.id_number, Booking.status, Booking.code, Booking.token, Booking.created_at, Booking.cancelled_at,
    Booking.checked_in_at, Booking.procedure, Booking.service_group, Booking.locale,
    Booking.procedure.name.as_alias("procedure_name"), Booking.procedure.documents.as_alias("documents"),
    Booking.procedure.fee.as_alias("fee"), Booking.procedure.fee_note.as_alias("fee_note"),
    Booking.service_group.letter.as_alias("group_letter"), Booking.service_group.name.as_alias("group_name"),
    Booking.service_group.slot_capacity.as_alias("slot_capacity"),
)  # fmt: skip


def _valid_token(token: str) -> bool:
    return bool(token) and 16 <= len(token) <= 32


async def booking_by_token(token: str) -> dict:
    """The booking the link or QR opens, in the current ward; LookupError if none."""
    if not _valid_token(token):
        raise LookupError(token)
    row = await Booking.ward_select(*_BOOKING_COLUMNS).where(Booking.token == token).first()
    if row is None:
        raise LookupError(token)
    return row


async def booking_by_code(code: str) -> dict | None:
    """A booking by the code read out or typed at the kiosk (any case, spaces ignored)."""
    code = "".join(code.split()).upper()
    if not 4 <= len(code) <= 12:
        return None
    return await Booking.ward_select(*_BOOKING_COLUMNS).where(Booking.code == code).first()


async def bookings_for_id_number(id_number: str, day: date) -> list[dict]:
    """Live bookings of the day for a CCCD number (a card scanned at the kiosk)."""
    if not id_number:
        return []
    return await (
        Booking.ward_select(*_BOOKING_COLUMNS)
        .where((Booking.id_number == id_number) & (Booking.day == day) & (Booking.status == BookingStatus.booked))
        .order_by(Booking.slot_start)
    )


def changeable(booking: dict, now: datetime | None = None) -> bool:
    """A live booking whose time has not come yet may be cancelled or moved."""
    now = now or now_local()
    return booking["status"] == BookingStatus.booked and datetime.combine(booking["day"], booking["slot_start"]) > now


_NOT_CHANGEABLE = _l("This booking can no longer be changed.")


async def cancel(token: str, *, connection: ASGIConnection | None) -> dict:
    booking = await booking_by_token(token)
    if not changeable(booking):
        raise RuleError(_NOT_CHANGEABLE, status_code=409)
    async with write_transaction():
        done = (
            await Booking.ward_update(
                {Booking.status: BookingStatus.cancelled, Booking.cancelled_at: datetime.now(UTC)}
            )
            .where((Booking.id == booking["id"]) & (Booking.status == BookingStatus.booked))
            .returning(Booking.id)
        )
        if not done:  # cancelled by a second tap a moment ago
            raise RuleError(_NOT_CHANGEABLE, status_code=409)
        await _release_seat(booking["service_group"], booking["day"], booking["slot_start"])
        await record(
            BookingAction.CANCELLED,
            connection=connection,
            subject_type="booking",
            subject_id=booking["id"],
            summary=f"{booking['code']} · {booking['day']:%d/%m/%Y} {booking['slot_start']:%H:%M}",
        )
        await send(
            events.BOOKING_CANCELLED,
            to=Recipient(phone=booking["phone"], locale=booking["locale"]),
            data={"code": booking["code"], "day": booking["day"], "time": f"{booking['slot_start']:%H:%M}"},
            subject=f"booking:{booking['id']}:cancelled",
        )
    return booking


async def move(token: str, *, office_hours: str, day: date, start: time, connection: ASGIConnection | None) -> dict:
    """Move a live booking to another slot: the same capacity check as booking, in one transaction."""
    booking = await booking_by_token(token)
    if not changeable(booking):
        raise RuleError(_NOT_CHANGEABLE, status_code=409)
    if (booking["day"], booking["slot_start"]) == (day, start):
        return booking
    group, capacity = booking["service_group"], booking["slot_capacity"]
    try:
        async with write_transaction():
            slot = await _offered(office_hours, day, start)
            if day != booking["day"] and await _has_live_booking(
                booking["phone"], booking["procedure"], day, other_than=booking["id"]
            ):
                raise RuleError(_ALREADY, field="slot", status_code=409)
            moved = (
                await Booking.ward_update(
                    {Booking.day: day, Booking.slot_start: slot.start, Booking.slot_end: slot.end}
                )
                .where(
                    (Booking.id == booking["id"])
                    & (Booking.status == BookingStatus.booked)
                    & (Booking.day == booking["day"])
                    & (Booking.slot_start == booking["slot_start"])
                )
                .returning(Booking.id)
            )
            if not moved:  # changed by another tap meanwhile
                raise RuleError(_NOT_CHANGEABLE, status_code=409)
            old, new = (booking["day"], booking["slot_start"]), (day, start)
            for seat in sorted((old, new)):  # one order of seat locks for every move
                if seat == old:
                    await _release_seat(group, *old)
                elif not await _take_seat(group, day, start, capacity):
                    raise SlotFull()
            await record(
                BookingAction.MOVED,
                connection=connection,
                subject_type="booking",
                subject_id=booking["id"],
                summary=f"{booking['code']} · {booking['day']:%d/%m/%Y} {booking['slot_start']:%H:%M} → "
                f"{day:%d/%m/%Y} {start:%H:%M}",
            )
            await send(
                events.BOOKING_MOVED,
                to=Recipient(phone=booking["phone"], locale=booking["locale"]),
                data={
                    "code": booking["code"],
                    "day": day,
                    "time": f"{start:%H:%M}",
                    "url": f"{await ward_base()}/booking/{token}",
                },
                subject=f"booking:{booking['id']}:moved:{day.isoformat()}T{start:%H:%M}",
            )
    except SlotFull:
        raise SlotFull(await nearest_free(office_hours, group, capacity, day, start)) from None
    except Exception as exc:
        if _duplicate(exc):
            raise RuleError(_ALREADY, field="slot", status_code=409) from None
        raise
    return await booking_by_token(token)


# --- the day at the counter --------------------------------------------------------------------------------------


async def day_bookings(day: date) -> list[dict]:
    """Every booking of the day (cancelled ones too), by time and group, for the officers."""
    return await (
        Booking.ward_select(*_BOOKING_COLUMNS)
        .where(Booking.day == day)
        .order_by(Booking.slot_start)
        .order_by(Booking.service_group.letter)
        .order_by(Booking.id)
    )


async def check_in(booking_id: int) -> bool:
    """Mark a live booking as arrived (the kiosk gave its ticket); False if it was not live."""
    async with write_transaction():
        return bool(
            await Booking.ward_update(
                {Booking.status: BookingStatus.checked_in, Booking.checked_in_at: datetime.now(UTC)}
            )
            .where((Booking.id == booking_id) & (Booking.status == BookingStatus.booked))
            .returning(Booking.id)
        )


async def expire_bookings(day: date) -> int:
    """At the end of `day`: bookings nobody checked in for become no-shows. Returns how many."""
    async with write_transaction():
        rows = (
            await Booking.ward_update({Booking.status: BookingStatus.no_show})
            .where((Booking.day <= day) & (Booking.status == BookingStatus.booked))
            .returning(Booking.id)
        )
    return len(rows)
