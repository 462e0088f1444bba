"""End of the counter's day: tickets archived, bookings never checked in marked no-show, counters cleared.

Run by `litestar counter close-day` (e.g. from cron after office hours), and in any case at the first use of
the queue on a later day (the kiosk, a counter page or the board), so a ward that never runs the command still
starts each morning clean. Nothing is deleted: archived tickets keep every time for the statistics.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from app.audit.service import record
from app.counter import live
from app.counter.queue import today
from app.counter.queue_labels import QueueAction
from app.counter.tables import Booking, BookingStatus, Counter, Ticket, TicketStatus
from app.db import write_transaction
from tenants.scope import current_ward_id

DAY_CLOSED = QueueAction.DAY_CLOSED


@dataclass(frozen=True)
class Closed:
    tickets: int = 0
    unserved: int = 0  # still waiting or called when the day ended
    no_show_bookings: int = 0


async def close_days(before: date) -> Closed:
    """Close every day of the current ward before `before` that is not closed yet."""
    unarchived = (Ticket.day < before) & (Ticket.archived == False)  # noqa: E712
    pending = await Ticket.ward_count().where(unarchived)
    booked = await Booking.ward_count().where((Booking.day < before) & (Booking.status == BookingStatus.booked))
    if not pending and not booked:
        return Closed()
    now = datetime.now(UTC)
    async with write_transaction():
        # Counters first, then tickets: the order `tickets.call()` locks them in, so an officer's first call of
        # the day and this close (run at the day's first use) cannot deadlock on PostgreSQL.
        await Counter.ward_update(
            {Counter.paused: False, Counter.pause_reason: "", Counter.paused_at: None, Counter.officer: None}
        ).where(Counter.id > 0)
        unserved = await (
            Ticket.ward_update({Ticket.status: TicketStatus.cancelled, Ticket.ended_at: now})
            .where(unarchived & (Ticket.status == TicketStatus.waiting))
            .returning(Ticket.id)
        )
        called = await (
            Ticket.ward_update({Ticket.status: TicketStatus.no_show, Ticket.ended_at: now})
            .where(unarchived & (Ticket.status == TicketStatus.called))
            .returning(Ticket.id)
        )
        # A service left open ends at the close: its end time is unknown, its start is kept.
        await Ticket.ward_update({Ticket.status: TicketStatus.done, Ticket.ended_at: now}).where(
            unarchived & (Ticket.status == TicketStatus.serving)
        )
        archived = await Ticket.ward_update({Ticket.archived: True}).where(unarchived).returning(Ticket.id)
        no_shows = await (
            Booking.ward_update({Booking.status: BookingStatus.no_show})
            .where((Booking.day < before) & (Booking.status == BookingStatus.booked))
            .returning(Booking.id)
        )
        closed = Closed(len(archived), len(unserved) + len(called), len(no_shows))
        await record(
            DAY_CLOSED,
            subject_type="ward",
            subject_id=current_ward_id(),
            summary=f"< {before.isoformat()}: {closed.tickets} / {closed.unserved} / {closed.no_show_bookings}",
        )
    await live.publish(current_ward_id(), "resync")
    return closed


_closed_before: dict[int, date] = {}  # per worker: the days already known closed, so the check costs nothing


async def close_past_days() -> None:
    """At the first use of the queue on a day: close the days before it (once per worker and day)."""
    ward_id = current_ward_id()
    day = today()
    if _closed_before.get(ward_id) == day:
        return
    await close_days(day)
    _closed_before[ward_id] = day
