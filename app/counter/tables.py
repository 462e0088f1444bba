"""The counter's core tables: the procedure catalogue and its groups, bookings, counters and queue tickets.

A service group (nhóm thủ tục, e.g. "A · Cư trú") is what the queue and the booking capacity are counted by:
its letter prefixes the ticket numbers (A012) and each booking slot holds `slot_capacity` people per group.
Every table here is ward-owned and read through `tenants.scope`; unique keys are per ward.
"""

from __future__ import annotations

from enum import StrEnum

from piccolo.columns import Boolean, Date, ForeignKey, Integer, OnDelete, Text, Time, Timestamptz, Varchar
from piccolo.table import Table

from app.accounts.tables import User
from tenants.scope import WardOwned


class ServiceGroup(WardOwned, Table):
    """A group of procedures served by the same counters. Unique per (ward, letter)."""

    letter = Varchar(length=2)  # the ticket prefix: "A", "B", ...
    name = Varchar(length=120)
    slot_capacity = Integer(default=4)  # bookings one time slot holds for this group
    sort_order = Integer(default=0)
    active = Boolean(default=True)


class Procedure(WardOwned, Table):
    """A thủ tục hành chính as this ward offers it."""

    service_group = ForeignKey(ServiceGroup, null=False, index=True, on_delete=OnDelete.restrict)
    national_code = Varchar(length=30, default="")  # mã thủ tục on the national public-service portal
    name = Varchar(length=255)
    field = Varchar(length=120, default="")  # lĩnh vực: Cư trú, Chứng thực, Hộ tịch...
    processing_days = Integer(null=True, default=None)  # legal time in working days...
    processing_hours = Integer(null=True, default=None)  # ...or in working hours (same-day procedures)
    fee = Integer(default=0)  # whole đồng; 0 means free
    fee_note = Varchar(length=255, default="")  # e.g. "2.000 đ/trang, tối đa 200.000 đ/bản"
    documents = Text(default="")  # what to bring, one item a line
    bookable = Boolean(default=True)
    active = Boolean(default=True)
    sort_order = Integer(default=0)
    created_at = Timestamptz()


class BookingStatus(StrEnum):
    booked = "booked"
    cancelled = "cancelled"
    checked_in = "checked_in"  # took a ticket at the kiosk
    no_show = "no_show"  # the day ended without a check-in


class Booking(WardOwned, Table):
    """A reserved time slot at the counter for one procedure. `code` is short, for reading out and typing at
    the kiosk; `token` is unguessable and opens the booking's page (the booking QR encodes that link)."""

    procedure = ForeignKey(Procedure, null=False, index=True, on_delete=OnDelete.restrict)
    service_group = ForeignKey(ServiceGroup, null=False, index=True, on_delete=OnDelete.restrict)
    day = Date(index=True)
    slot_start = Time()  # local time (Asia/Ho_Chi_Minh)
    slot_end = Time()
    full_name = Varchar(length=120)
    phone = Varchar(length=15)
    id_number = Varchar(length=12, default="", index=True)  # optional; a CCCD scan at the kiosk finds it
    status = Varchar(length=12, choices=BookingStatus, default=BookingStatus.booked, index=True)
    code = Varchar(length=12)  # unique per ward
    token = Varchar(length=32, unique=True, index=True)
    locale = Varchar(length=5, default="vi")  # the language the resident booked in, for messages
    created_at = Timestamptz()
    cancelled_at = Timestamptz(null=True, default=None)
    checked_in_at = Timestamptz(null=True, default=None)


class BookingSettings(WardOwned, Table):
    """How the ward cuts its office hours into bookable slots. One row per ward (unique on ward); a ward
    without one uses the defaults."""

    slot_minutes = Integer(default=30)
    days_ahead = Integer(default=10)  # open days offered for booking, from today


class ClosedDay(WardOwned, Table):
    """A day the ward's counter is closed besides the public holidays (an event, a substitute day off the
    calendar does not know yet). Unique per (ward, day)."""

    day = Date()
    reason = Varchar(length=255)
    created_at = Timestamptz()


class SlotSeat(WardOwned, Table):
    """Seats taken in one time slot of one group: the row the capacity check locks. Booking raises `taken`
    with a conditional UPDATE (`taken < capacity`), so concurrent bookings of a slot queue on this row and
    never exceed it; cancelling or moving lowers it. Unique per (ward, service_group, day, slot_start)."""

    service_group = ForeignKey(ServiceGroup, null=False, on_delete=OnDelete.cascade)
    day = Date()
    slot_start = Time()
    taken = Integer(default=0)


# --- The queue: counters and tickets -------------------------------------------------------------------------


class Counter(WardOwned, Table):
    """A desk (quầy) that calls tickets of the service groups it serves. Unique per (ward, number)."""

    number = Integer()  # shown on the board: "Quầy 2"
    name = Varchar(length=60, default="")  # optional label, e.g. "Tư pháp - Hộ tịch"
    officer = ForeignKey(User, null=True, default=None, on_delete=OnDelete.set_null)  # who sits there now
    paused = Boolean(default=False)
    pause_reason = Varchar(length=200, default="")
    paused_at = Timestamptz(null=True, default=None)
    active = Boolean(default=True)
    created_at = Timestamptz()


class CounterGroup(WardOwned, Table):
    """Which service groups a counter calls. Unique per (ward, counter, service_group)."""

    counter = ForeignKey(Counter, null=False, index=True, on_delete=OnDelete.cascade)
    service_group = ForeignKey(ServiceGroup, null=False, index=True, on_delete=OnDelete.cascade)


class TicketSequence(WardOwned, Table):
    """The last number given in a group on a day. Taking a ticket increments it with one upsert inside the
    ticket's transaction, so two kiosks never get the same number and a failed insert leaves no gap.
    Unique per (ward, day, service_group)."""

    day = Date()
    service_group = ForeignKey(ServiceGroup, null=False, index=True, on_delete=OnDelete.cascade)
    last_number = Integer(default=0)


class TicketStatus(StrEnum):
    waiting = "waiting"
    called = "called"  # shown on the board, the person walks to the counter
    serving = "serving"
    done = "done"
    no_show = "no_show"  # called and did not come (skipped)
    transferred = "transferred"  # ended here; a new row carries the same number on in its new queue
    cancelled = "cancelled"  # the day closed while it still waited


class Priority(StrEnum):
    none = ""
    booked = "booked"  # a booking checked in; first in line once its slot has started
    elderly = "elderly"
    disabled = "disabled"


class Ticket(WardOwned, Table):
    """A queue number (số thứ tự) for today. `token` is unguessable and opens the ticket's page on the
    person's phone (the ticket's QR); that page shows the number and the queue, never who holds it.

    A transfer ends this row (`transferred`) and starts a new one with the same number and label in the new
    queue (`transferred_from`), so each counter's service keeps its own call, start and end times."""

    day = Date(index=True)  # Vietnam's date of the arrival
    service_group = ForeignKey(ServiceGroup, null=False, index=True, on_delete=OnDelete.restrict)
    number = Integer()
    label = Varchar(length=8)  # "A012": the group's letter and the number
    procedure = ForeignKey(Procedure, null=True, default=None, on_delete=OnDelete.set_null)
    booking = ForeignKey(Booking, null=True, default=None, index=True, on_delete=OnDelete.set_null)
    priority = Varchar(length=10, choices=Priority, default=Priority.none)
    priority_from = Timestamptz(null=True, default=None)  # a booked ticket's slot start; else its arrival
    status = Varchar(length=12, choices=TicketStatus, default=TicketStatus.waiting)
    counter = ForeignKey(Counter, null=True, default=None, index=True, on_delete=OnDelete.set_null)
    target_counter = ForeignKey(Counter, null=True, default=None, on_delete=OnDelete.set_null)  # only it calls
    officer = ForeignKey(User, null=True, default=None, on_delete=OnDelete.set_null)
    transferred_from = ForeignKey("self", null=True, default=None, on_delete=OnDelete.set_null)
    # Who holds it, when known (a booking or a CCCD scan): for the officer's screen and the dossier only.
    full_name = Varchar(length=120, default="")
    id_number = Varchar(length=12, default="")
    phone = Varchar(length=15, default="")
    locale = Varchar(length=5, default="vi")
    arrived_at = Timestamptz()  # when the person took the number (kept across a transfer)
    queued_at = Timestamptz()  # when this row entered its queue: the wait counted for it starts here
    called_at = Timestamptz(null=True, default=None)
    started_at = Timestamptz(null=True, default=None)
    ended_at = Timestamptz(null=True, default=None)
    recall_count = Integer(default=0)
    token = Varchar(length=32, unique=True, index=True)
    archived = Boolean(default=False, index=True)
