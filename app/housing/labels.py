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


# How housing's audited actions read in the ward's log. Keyed by the action names the housing modules record
# (their constants import the audit service, so they cannot be imported here); a unit test checks that every
# one of them has its label.
ACTION_LABELS = {
    "property_created": _l("House registered"),
    "property_updated": _l("House details changed"),
    "property_verified": _l("House verified"),
    "property_sent_back": _l("House sent back for correction"),
    "property_suspended": _l("House suspended"),
    "property_qr_rotated": _l("New QR sticker"),
    "property_imported": _l("Spreadsheet imported"),
    "rooms_added": _l("Rooms added"),
    "room_updated": _l("Room changed"),
    "room_archived": _l("Room archived"),
    "stay_checked_in": _l("Renter checked in"),
    "stay_checked_out": _l("Renter checked out"),
    "stay_moved": _l("Renter moved to another room"),
    "self_registration_received": _l("Request to be registered"),
    "self_registration_accepted": _l("Request to be registered accepted"),
    "self_registration_rejected": _l("Request to be registered rejected"),
    "sticker_sheet_created": _l("Sticker sheet made"),
}
