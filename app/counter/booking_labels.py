"""How the procedure catalogue's and the bookings' audited actions read in the ward's log (keyed by the action
names app/counter/procedures.py and app/counter/bookings.py record; a unit test checks each has its label)."""

from __future__ import annotations

from app.i18n import _l

ACTION_LABELS = {
    "service_group_created": _l("Service group added"),
    "service_group_updated": _l("Service group changed"),
    "procedure_created": _l("Procedure added"),
    "procedure_updated": _l("Procedure changed"),
    "booking_settings_updated": _l("Booking slots changed"),
    "counter_day_closed": _l("Counter closed for a day"),
    "counter_day_reopened": _l("Counter reopened for a day"),
    "booking_made": _l("Counter booking made"),
    "booking_cancelled": _l("Counter booking cancelled"),
    "booking_moved": _l("Counter booking moved"),
}

BOOKING_STATUS_LABELS = {
    "booked": _l("Booked"),
    "cancelled": _l("Cancelled"),
    "checked_in": _l("Checked in"),
    "no_show": _l("Did not come"),
}


def booking_status_label(status: str) -> str:
    return str(BOOKING_STATUS_LABELS.get(status, status))
