"""The counter's core tables: the procedure catalogue and its groups, bookings, counters and queue tickets.

A service group (nhóm thủ tục, e.g. "A · Cư trú") is what the queue and the booking capacity are counted by:
its letter prefixes the ticket numbers (A012) and each booking slot holds `slot_capacity` people per group.
Every table here is ward-owned and read through `tenants.scope`; unique keys are per ward.
"""

from __future__ import annotations

from enum import StrEnum

from piccolo.columns import Boolean, Date, ForeignKey, Integer, OnDelete, Text, Time, Timestamptz, Varchar
from piccolo.table import Table

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
