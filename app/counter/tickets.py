"""Queue tickets: taking a number (walk-in or booked) and everything a counter does with one.

Every action is one transaction that also records its time on the ticket (arrived, called, started, ended),
then tells the ward's live pages (`app.counter.live`) after the write: the counter page, the API and the
kiosk all go through these functions, so a call made anywhere reaches the board.

A counter's actions lock its own row first (an UPDATE that also records the officer at it), so two taps on
"call next" at one counter call one ticket; a ticket is taken from the queue with a conditional UPDATE
(`status = waiting`), so two counters calling at once never call the same person.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from app.counter import dossier_messages, live
from app.counter.events import TICKET_ALMOST_CALLED
from app.counter.queue import Waiting, booked_priority_from, in_call_order, label_of, today
from app.counter.tables import (
    Booking,
    BookingStatus,
    Counter,
    CounterGroup,
    Priority,
    ServiceGroup,
    Ticket,
    TicketSequence,
    TicketStatus,
)
from app.db import is_unique_violation, write_transaction
from app.errors import RuleError
from app.i18n import _l
from app.notify import Message, Recipient, send_many, ward_base
from app.once import run_once
from tenants.scope import current_ward_id

ACTIVE = (TicketStatus.called, TicketStatus.serving)
TICKET_COLUMNS = (
    Ticket.id, Ticket.day, Ticket.service_group, Ticket.number, Ticket.label, Ticket.procedure, Ticket.booking,
    Ticket.priority, Ticket.priority_from, Ticket.status, Ticket.counter, Ticket.target_counter, Ticket.officer,
    Ticket.transferred_from, Ticket.full_name, Ticket.id_number, Ticket.phone, Ticket.locale, Ticket.arrived_at,
    Ticket.queued_at, Ticket.called_at, Ticket.started_at, Ticket.ended_at, Ticket.recall_count, Ticket.token,
)  # fmt: skip


def _now() -> datetime:
    return datetime.now(UTC)


def new_token() -> str:
    return secrets.token_urlsafe(24)  # 32 characters, 192 bits


# --- taking a number ------------------------------------------------------------------------------------------


async def _next_number(day: date, group_id: int) -> int:
    """The group's next number today. The UPDATE locks the day's sequence row until the ticket's transaction
    ends, so concurrent kiosks queue up behind it: no duplicate, and a rolled-back ticket gives its number back."""
    rows = await (
        TicketSequence.ward_update({TicketSequence.last_number: TicketSequence.last_number + 1})
        .where((TicketSequence.day == day) & (TicketSequence.service_group == group_id))
        .returning(TicketSequence.last_number)
    )
    if rows:
        return rows[0]["last_number"]
    try:
        async with write_transaction():  # a savepoint: a lost race for the first number of the day rolls back alone
            await TicketSequence.ward_insert(TicketSequence.ward_new(day=day, service_group=group_id, last_number=1))
        return 1
    except Exception as exc:
        if not is_unique_violation(exc):
            raise
    return await _next_number(day, group_id)


async def _group(group_id: int) -> dict:
    group = await (
        ServiceGroup.ward_select(ServiceGroup.id, ServiceGroup.letter, ServiceGroup.name)
        .where((ServiceGroup.id == group_id) & (ServiceGroup.active == True))  # noqa: E712
        .first()
    )
    if group is None:
        raise RuleError(_l("Choose a service."), field="group", status_code=422)
    return group


@dataclass(frozen=True)
class Holder:
    """Who takes the number, when known (a booking or a scanned card); kept for the officer, never shown publicly."""

    full_name: str = ""
    id_number: str = ""
    phone: str = ""
    locale: str = "vi"


async def _insert_ticket(
    *, group_id: int, priority: str, priority_from: datetime | None, holder: Holder, procedure_id: int | None = None,
    booking_id: int | None = None,
) -> int:  # fmt: skip
    group = await _group(group_id)
    now = _now()
    day = today()
    number = await _next_number(day, group_id)
    ticket = Ticket.ward_new(
        day=day,
        service_group=group_id,
        number=number,
        label=label_of(group["letter"], number),
        procedure=procedure_id,
        booking=booking_id,
        priority=priority,
        priority_from=priority_from,
        status=TicketStatus.waiting,
        full_name=holder.full_name[:120],
        id_number=holder.id_number[:12],
        phone=holder.phone[:15],
        locale=holder.locale or "vi",
        arrived_at=now,
        queued_at=now,
        token=new_token(),
    )
    await Ticket.ward_insert(ticket)
    return ticket.id


async def take_walk_in(
    group_id: int, *, priority: str = Priority.none, holder: Holder = Holder(), form_token: str | None = None
) -> int:
    """A number for a walk-in at the kiosk. `priority` is elderly, disabled or none; a double tap gives one."""
    if priority not in (Priority.none, Priority.elderly, Priority.disabled):
        raise RuleError(_l("Choose a service."), field="priority")

    async def action() -> str:
        ticket_id = await _insert_ticket(
            group_id=group_id,
            priority=priority,
            priority_from=_now() if priority else None,
            holder=holder,
        )
        return str(ticket_id)

    ticket_id = int(await run_once(form_token, action))
    await live.publish(current_ward_id(), "ticket", ticket=ticket_id)
    return ticket_id


class BookingNotToday(RuleError):
    def __init__(self, day: date) -> None:
        super().__init__(_l("This booking is not for today."), field="scan", status_code=409)
        self.day = day


async def check_in(booking_id: int) -> tuple[int, bool]:
    """A booking's resident arrives: the booking is checked in and gets a ticket, with booked priority from its
    slot's start unless the slot is over. Scanning again shows the same ticket (a reprint), never a second one.
    Returns (ticket id, whether it was new)."""
    booking = await (
        Booking.ward_select(
            Booking.id,
            Booking.day,
            Booking.slot_start,
            Booking.slot_end,
            Booking.status,
            Booking.service_group,
            Booking.procedure,
            Booking.full_name,
            Booking.phone,
            Booking.id_number,
            Booking.locale,
        )
        .where(Booking.id == booking_id)
        .first()
    )
    if booking is None:
        raise LookupError(booking_id)
    existing = await _ticket_of_booking(booking_id)
    if existing is not None:
        return existing, False
    if booking["status"] == BookingStatus.cancelled:
        raise RuleError(_l("This booking was cancelled."), field="scan", status_code=409)
    if booking["day"] != today():
        raise BookingNotToday(booking["day"])
    now = _now()
    priority_from = booked_priority_from(booking["day"], booking["slot_start"], booking["slot_end"], now)
    try:
        async with write_transaction():
            updated = await (
                Booking.ward_update({Booking.status: BookingStatus.checked_in, Booking.checked_in_at: now})
                .where((Booking.id == booking_id) & Booking.status.is_in([BookingStatus.booked, BookingStatus.no_show]))
                .returning(Booking.id)
            )
            if not updated:
                raise RuleError(_l("This booking was cancelled."), field="scan", status_code=409)
            ticket_id = await _insert_ticket(
                group_id=booking["service_group"],
                priority=Priority.booked if priority_from else Priority.none,
                priority_from=priority_from,
                holder=Holder(booking["full_name"], booking["id_number"], booking["phone"], booking["locale"]),
                procedure_id=booking["procedure"],
                booking_id=booking_id,
            )
    except Exception as exc:
        # Two scans of one booking at once: one checks it in; the other, finding it no longer "booked" (or
        # losing on the ticket's unique key), shows the same ticket. A cancelled booking has none: refused.
        late = is_unique_violation(exc) or isinstance(exc, RuleError)
        if late and (existing := await _ticket_of_booking(booking_id)) is not None:
            return existing, False
        raise
    await live.publish(current_ward_id(), "ticket", ticket=ticket_id)
    return ticket_id, True


async def _ticket_of_booking(booking_id: int) -> int | None:
    row = await (
        Ticket.ward_select(Ticket.id).where((Ticket.booking == booking_id) & Ticket.transferred_from.is_null()).first()
    )
    return row["id"] if row else None


# --- reading -------------------------------------------------------------------------------------------------


async def ticket(ticket_id: int) -> dict | None:
    return await Ticket.ward_select(*TICKET_COLUMNS).where(Ticket.id == ticket_id).first()


async def ticket_by_token(token: str) -> dict | None:
    if not token or len(token) > 64:
        return None
    return await Ticket.ward_select(*TICKET_COLUMNS).where(Ticket.token == token).first()


async def counter(counter_id: int) -> dict | None:
    return await (
        Counter.ward_select(
            Counter.id,
            Counter.number,
            Counter.name,
            Counter.paused,
            Counter.pause_reason,
            Counter.paused_at,
            Counter.officer,
            Counter.officer.full_name.as_alias("officer_name"),
            Counter.active,
        )
        .where(Counter.id == counter_id)
        .first()
    )


async def groups_of(counter_id: int) -> list[int]:
    rows = await CounterGroup.ward_select(CounterGroup.service_group).where(CounterGroup.counter == counter_id)
    return [r["service_group"] for r in rows]


async def current_of(counter_id: int) -> dict | None:
    """The ticket at the counter now (called or being served), if any."""
    return await (
        Ticket.ward_select(*TICKET_COLUMNS)
        .where((Ticket.counter == counter_id) & Ticket.status.is_in(list(ACTIVE)) & (Ticket.day == today()))
        .order_by(Ticket.called_at, ascending=False)
        .first()
    )


async def waiting_for(counter_id: int, group_ids: list[int], now: datetime | None = None) -> list[dict]:
    """The tickets this counter may call, in call order: its groups' waiting tickets not sent to another counter,
    and any ticket transferred to this counter itself."""
    mine = Ticket.target_counter == counter_id
    if group_ids:
        mine = mine | (Ticket.service_group.is_in(group_ids) & Ticket.target_counter.is_null())
    rows = await Ticket.ward_select(*TICKET_COLUMNS).where(
        (Ticket.day == today()) & (Ticket.status == TicketStatus.waiting) & mine
    )
    return sort_waiting(rows, now or _now())


def sort_waiting(rows: list[dict], now: datetime) -> list[dict]:
    by_id = {r["id"]: r for r in rows}
    ordered = in_call_order((Waiting(r["id"], r["priority"], r["priority_from"], r["arrived_at"]) for r in rows), now)
    return [by_id[w.id] for w in ordered]


async def served_today(counter_id: int) -> int:
    return await Ticket.ward_count().where(
        (Ticket.counter == counter_id) & (Ticket.day == today()) & (Ticket.status == TicketStatus.done)
    )


# --- the counter's actions -----------------------------------------------------------------------------------


async def _hold_counter(counter_id: int, officer_id: int | None) -> dict:
    """Lock the counter's row for this transaction (and note who sits there); LookupError if not of this ward."""
    values: dict = {Counter.officer: officer_id} if officer_id else {Counter.active: True}
    rows = await (
        Counter.ward_update(values)
        .where((Counter.id == counter_id) & (Counter.active == True))  # noqa: E712
        .returning(Counter.id, Counter.number, Counter.paused)
    )
    if not rows:
        raise LookupError(counter_id)
    return rows[0]


def _nothing_current() -> RuleError:
    return RuleError(_l("No ticket is at this counter now."), status_code=409)


async def _finish_current(counter_id: int, now: datetime) -> None:
    """Calling the next person ends the service of the one being served (their end time is now)."""
    done = (
        await Ticket.ward_update({Ticket.status: TicketStatus.done, Ticket.ended_at: now})
        .where((Ticket.counter == counter_id) & (Ticket.status == TicketStatus.serving))
        .returning(Ticket.id, Ticket.phone, Ticket.locale, Ticket.token, Ticket.procedure, Ticket.label)
    )
    for ticket in done:
        await dossier_messages.ticket_rating_request(ticket)


async def call(counter_id: int, *, officer_id: int | None, label: str = "") -> dict:
    """The one call path: the next ticket in call order, or the ticket with `label` (a number called out of
    order, or a skipped person who came back). A person still only called here must be started or skipped
    first; one being served is finished by the call. Returns the called ticket."""
    label = label.strip().upper()
    async with write_transaction():
        held = await _hold_counter(counter_id, officer_id)
        if held["paused"]:
            raise RuleError(_l("This counter is paused. Resume it to call."), status_code=409)
        now = _now()
        current = await current_of(counter_id)
        if current is not None and current["status"] == TicketStatus.called:
            raise RuleError(
                _l("%(label)s is called here and not yet served: start or skip it first.", label=current["label"]),
                status_code=409,
            )
        await _finish_current(counter_id, now)
        if label:
            candidates = await _by_label(label)
        else:
            candidates = await waiting_for(counter_id, await groups_of(counter_id), now)
        called = None
        for candidate in candidates:
            rows = await (
                Ticket.ward_update(
                    {
                        Ticket.status: TicketStatus.called,
                        Ticket.counter: counter_id,
                        Ticket.officer: officer_id,
                        Ticket.called_at: now,
                        Ticket.started_at: None,
                        Ticket.ended_at: None,
                    }
                )
                .where((Ticket.id == candidate["id"]) & (Ticket.status == candidate["status"]))
                .returning(Ticket.id)
            )
            if rows:  # else another counter called this one a moment ago: the next candidate
                called = {**candidate, "status": TicketStatus.called, "counter": counter_id, "called_at": now}
                break
        if called is not None:
            await _tell_almost_called(called["service_group"], now)
        if called is None:
            if label:
                message = _l("No ticket %(label)s is waiting today.", label=label)
                raise RuleError(message, field="label", status_code=404)
            raise RuleError(_l("Nobody is waiting for this counter."), status_code=409)
    await live.publish(
        current_ward_id(), "call", ticket=called["id"], label=called["label"], counter=held["number"], recall=0
    )
    return called


ALMOST_AHEAD = 3  # "your number is coming up" when this many or fewer are left before it
ALMOST_AFTER = timedelta(minutes=5)  # ...to people who have waited this long (not someone just at the kiosk)


async def _tell_almost_called(group_id: int, now: datetime) -> None:
    """Text the people who gave a phone (with their booking) that their number is coming up, once per ticket
    (the message's subject is the ticket), in the call's transaction: a call that rolls back tells nobody."""
    rows = await Ticket.ward_select(*TICKET_COLUMNS).where(
        (Ticket.day == today())
        & (Ticket.status == TicketStatus.waiting)
        & (Ticket.service_group == group_id)
        & Ticket.target_counter.is_null()
    )
    order = sort_waiting(rows, now)
    base = await ward_base()
    messages = [
        Message(
            to=Recipient(phone=row["phone"], locale=row["locale"]),
            data={"number": row["label"], "ahead": ahead, "url": f"{base}/t/{row['token']}"},
            subject=f"ticket:{row['id']}:almost",
        )
        for ahead, row in enumerate(order[: ALMOST_AHEAD + 1])
        if ahead >= 1 and row["phone"] and now - row["queued_at"] >= ALMOST_AFTER
    ]
    if messages:
        await send_many(TICKET_ALMOST_CALLED, messages)


async def _by_label(label: str) -> list[dict]:
    """Today's ticket with this label that may be called by number: waiting, or skipped and back."""
    rows = await (
        Ticket.ward_select(*TICKET_COLUMNS)
        .where(
            (Ticket.day == today())
            & (Ticket.label == label)
            & Ticket.status.is_in([TicketStatus.waiting, TicketStatus.no_show])
        )
        .order_by(Ticket.id, ascending=False)
    )
    return rows[:1]


async def _act_on_current(counter_id: int, officer_id: int | None, allowed: tuple[str, ...]) -> tuple[dict, dict]:
    held = await _hold_counter(counter_id, officer_id)
    current = await current_of(counter_id)
    if current is None or current["status"] not in allowed:
        raise _nothing_current()
    return held, current


async def recall(counter_id: int, *, officer_id: int | None) -> dict:
    """Call the same person again (the board chimes again); the first call time is kept."""
    async with write_transaction():
        held, current = await _act_on_current(counter_id, officer_id, (TicketStatus.called,))
        count = current["recall_count"] + 1
        await Ticket.ward_update({Ticket.recall_count: count}).where(Ticket.id == current["id"])
    await live.publish(
        current_ward_id(), "call", ticket=current["id"], label=current["label"], counter=held["number"], recall=count
    )
    return {**current, "recall_count": count}


async def start(counter_id: int, *, officer_id: int | None) -> dict:
    """The called person is at the counter: the service starts."""
    async with write_transaction():
        _held, current = await _act_on_current(counter_id, officer_id, (TicketStatus.called,))
        now = _now()
        await Ticket.ward_update({Ticket.status: TicketStatus.serving, Ticket.started_at: now}).where(
            Ticket.id == current["id"]
        )
    await live.publish(current_ward_id(), "change", ticket=current["id"])
    return {**current, "status": TicketStatus.serving, "started_at": now}


async def finish(counter_id: int, *, officer_id: int | None) -> dict:
    """The service is done (a person called and served without pressing start counts as started at the call)."""
    async with write_transaction():
        _held, current = await _act_on_current(counter_id, officer_id, ACTIVE)
        now = _now()
        await Ticket.ward_update(
            {Ticket.status: TicketStatus.done, Ticket.ended_at: now, Ticket.started_at: current["started_at"] or now}
        ).where(Ticket.id == current["id"])
        await dossier_messages.ticket_rating_request(current)
    await live.publish(current_ward_id(), "change", ticket=current["id"])
    return {**current, "status": TicketStatus.done, "ended_at": now}


async def skip(counter_id: int, *, officer_id: int | None) -> dict:
    """The called person did not come: no-show. They can still be called by their number if they come back."""
    async with write_transaction():
        _held, current = await _act_on_current(counter_id, officer_id, (TicketStatus.called,))
        now = _now()
        await Ticket.ward_update({Ticket.status: TicketStatus.no_show, Ticket.ended_at: now}).where(
            Ticket.id == current["id"]
        )
    await live.publish(current_ward_id(), "change", ticket=current["id"])
    return {**current, "status": TicketStatus.no_show, "ended_at": now}


async def transfer(
    counter_id: int, *, officer_id: int | None, to_counter: int | None = None, to_group: int | None = None
) -> dict:
    """Send the person at this counter to another counter, or to another group's queue. This row ends
    (`transferred`); a new row with the same number waits in the new queue, keeping the first arrival time so
    the person is not sent to the back, and takes over the ticket's token so their phone keeps following it."""
    if (to_counter is None) == (to_group is None):
        raise RuleError(_l("Choose another counter or another service."), field="to")
    async with write_transaction():
        _held, current = await _act_on_current(counter_id, officer_id, ACTIVE)
        group_id = current["service_group"]
        if to_counter is not None:
            if to_counter == counter_id or await counter(to_counter) is None:
                raise RuleError(_l("Choose another counter or another service."), field="to")
        else:
            group_id = (await _group(to_group))["id"]  # type: ignore[arg-type]
        now = _now()
        await Ticket.ward_update(
            {Ticket.status: TicketStatus.transferred, Ticket.ended_at: now, Ticket.token: new_token()}
        ).where(Ticket.id == current["id"])
        moved = Ticket.ward_new(
            day=current["day"],
            service_group=group_id,
            number=current["number"],
            label=current["label"],
            procedure=current["procedure"],
            booking=current["booking"],
            priority=current["priority"],
            priority_from=current["priority_from"],
            status=TicketStatus.waiting,
            target_counter=to_counter,
            transferred_from=current["id"],
            full_name=current["full_name"],
            id_number=current["id_number"],
            phone=current["phone"],
            locale=current["locale"],
            arrived_at=current["arrived_at"],
            queued_at=now,
            token=current["token"],
        )
        await Ticket.ward_insert(moved)
    await live.publish(current_ward_id(), "change", ticket=moved.id)
    return {**current, "id": moved.id, "status": TicketStatus.waiting, "target_counter": to_counter}


async def pause(counter_id: int, *, officer_id: int | None, reason: str) -> None:
    """Stop calling for a while, with the reason shown on the board (a break, a meeting...)."""
    reason = " ".join(reason.split())
    if not reason:
        raise RuleError(_l("Say why the counter pauses."), field="reason")
    if len(reason) > 200:
        raise RuleError(_l("At most %(n)s characters.", n=200), field="reason")
    async with write_transaction():
        await _hold_counter(counter_id, officer_id)
        await Counter.ward_update(
            {Counter.paused: True, Counter.pause_reason: reason, Counter.paused_at: _now()}
        ).where(Counter.id == counter_id)
    await live.publish(current_ward_id(), "change", counter=counter_id)


async def resume(counter_id: int, *, officer_id: int | None) -> None:
    async with write_transaction():
        await _hold_counter(counter_id, officer_id)
        await Counter.ward_update({Counter.paused: False, Counter.pause_reason: "", Counter.paused_at: None}).where(
            Counter.id == counter_id
        )
    await live.publish(current_ward_id(), "change", counter=counter_id)
