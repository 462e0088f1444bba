"""How property kinds and statuses read in the UI."""

from __future__ import annotations

from app.i18n import _l

KIND_LABELS = {
    "rooms": _l("Rooms for rent (nhà ngăn phòng)"),
    "mini_apartment": _l("Mini apartment building"),
    "dormitory": _l("Dormitory"),
    "whole_house": _l("Whole house"),
}
PROPERTY_STATUS_LABELS = {
    "pending": _l("Waiting for the ward's check"),
    "verified": _l("Verified by the ward"),
    "sent_back": _l("Sent back for correction"),
    "suspended": _l("Suspended"),
}


def kind_label(kind: str) -> str:
    return str(KIND_LABELS.get(kind, kind))


def property_status_label(status: str) -> str:
    return str(PROPERTY_STATUS_LABELS.get(status, status))
