"""What the housing API reads and returns.

Request bodies carry the same fields as the web forms, and every field may be left out: the form's own
validation then says which are required, all at once and in the caller's language, as the page does.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import msgspec

ISO_DATE = "An ISO date, e.g. 2026-11-01."
REQUIRED = "Required."


def _doc(text: str, *examples: object) -> msgspec.Meta:
    return msgspec.Meta(description=text, examples=list(examples) or None)


# --- requests ---------------------------------------------------------------------------------------------


class PropertyIn(msgspec.Struct):
    name: Annotated[str, _doc(REQUIRED + " 2 to 120 characters.", "Nhà trọ Hoa Sữa")] = ""
    street_address: Annotated[str, _doc(REQUIRED + " 3 to 255 characters.", "Số 12, ngõ 34 Phương Canh")] = ""
    residential_group: Annotated[str, _doc("The tổ dân phố, if known.", "Tổ 5")] = ""
    kind: Annotated[str, _doc(REQUIRED + " One of rooms, mini_apartment, dormitory, whole_house.", "rooms")] = ""
    contact_phone: Annotated[str, _doc("A phone residents may call (mobile or landline).", "0911000003")] = ""
    show_contact: Annotated[bool, _doc("Show the contact phone on the public page of the sticker.")] = True
    house_rules: Annotated[str, _doc("Shown on the public page; at most 2000 characters.")] = ""


class RoomsIn(msgspec.Struct):
    codes: Annotated[
        str, _doc(REQUIRED + ' One room ("101"), a range ("101-120", "A1-A12") or a list ("101, 102, 105").', "101-120")
    ] = ""
    floor: Annotated[int | None, _doc("Left out: read from the code (305 is on floor 3).")] = None
    area_m2: Annotated[float | None, _doc("1 to 1000 m².", 18.5)] = None
    max_occupancy: Annotated[int | None, _doc(REQUIRED + " People the room may hold, 1 to 50.", 2)] = None
    monthly_rent: Annotated[int | None, _doc("Whole đồng.", 1_800_000)] = None


class CheckInIn(msgspec.Struct):
    """The person (found again by ID number if they stayed in the ward before) and their stay."""

    id_number: Annotated[
        str, _doc(REQUIRED + " The 12-digit CCCD number; a foreigner's passport number.", "093186002237")
    ] = ""
    nationality: Annotated[str, _doc("ISO 3166-1 alpha-2; VN when left out. Any other: a foreigner.", "VN")] = ""
    visa_expiry: Annotated[date | None, _doc("A foreigner's visa or residence card's last day. " + ISO_DATE)] = None
    full_name: Annotated[str, _doc(REQUIRED, "Nguyễn Thị Kim Thư")] = ""
    old_id_number: Annotated[str, _doc("The old 9-digit CMND number, if any.")] = ""
    birth_date: Annotated[date | None, _doc(ISO_DATE)] = None
    gender: Annotated[str, _doc("male, female, or empty when unknown.")] = ""
    permanent_address: str = ""
    phone: Annotated[str, _doc("A Vietnamese mobile number.", "0988111222")] = ""
    occupation: str = ""
    hometown: str = ""
    room_id: Annotated[int | None, _doc(REQUIRED + " A room of this property.")] = None
    from_date: Annotated[date | None, _doc(REQUIRED + " " + ISO_DATE)] = None
    expected_to: Annotated[date | None, _doc("The expected end of the stay. " + ISO_DATE)] = None
    reason: Annotated[str, _doc("Why the person stays, e.g. work or study.")] = ""


class CheckOutIn(msgspec.Struct):
    to_date: Annotated[date | None, _doc(REQUIRED + " The move-out date. " + ISO_DATE)] = None


class MoveIn(msgspec.Struct):
    room_id: Annotated[int | None, _doc(REQUIRED + " Another room of the landlord.")] = None
    on: Annotated[date | None, _doc(REQUIRED + " The day of the move. " + ISO_DATE)] = None


# --- responses --------------------------------------------------------------------------------------------


class PropertySummaryOut(msgspec.Struct):
    """One of the landlord's properties at a glance."""

    id: int
    name: str
    street_address: str
    residential_group: str
    status: Annotated[str, _doc("pending, verified, sent_back or suspended.")]
    status_reason: Annotated[str, _doc("Why the ward sent it back or suspended it.")]
    rooms: int
    rooms_free: Annotated[int, _doc("Rooms with nobody staying in them now.")]
    capacity: Annotated[int, _doc("People all rooms may hold.")]
    people: Annotated[int, _doc("People staying now.")]


class PropertyOut(msgspec.Struct):
    id: int
    name: str
    street_address: str
    residential_group: str
    kind: str
    contact_phone: str
    show_contact: bool
    house_rules: str
    status: Annotated[str, _doc("pending, verified, sent_back or suspended.")]
    status_reason: str
    qr_url: Annotated[str, _doc("The public address the property's QR sticker points at.")]
    created_at: datetime


class WardPropertyOut(msgspec.Struct):
    """A property of the ward as the officer and the police list it."""

    id: int
    name: str
    street_address: str
    residential_group: str
    status: str
    landlord_name: str
    landlord_phone: str
    capacity: int
    people: int
    created_at: datetime


class RoomOut(msgspec.Struct):
    id: int
    code: str
    floor: int | None
    area_m2: float | None
    max_occupancy: int
    monthly_rent: int | None
    archived: bool
    people: Annotated[int, _doc("People staying in the room now.")]


class RoomsAddedOut(msgspec.Struct):
    added: int
    rooms: list[RoomOut]


class StayOut(msgspec.Struct):
    id: int
    room_id: int
    room_code: str
    full_name: str
    phone: str
    from_date: date
    expected_to: date | None
    to_date: Annotated[date | None, _doc("Empty while the person stays.")]


class RequestOut(msgspec.Struct):
    """A resident's request, made from the property's QR, to be registered there."""

    id: int
    full_name: str
    birth_date: date | None
    phone: str
    move_in: date
    property_name: str
    room_code: str | None
    created_at: datetime


class RequestDecisionOut(msgspec.Struct):
    id: int
    status: Annotated[str, _doc("accepted or rejected.")]
    reason: str = ""
    stay: Annotated[StayOut | None, _doc("The stay the acceptance opened.")] = None


class RosterPersonOut(msgspec.Struct):
    stay_id: int
    renter_id: int
    full_name: str
    id_number: str
    birth_date: date | None
    gender: str
    phone: str
    permanent_address: str
    from_date: date
    expected_to: date | None


class RosterRoomOut(msgspec.Struct):
    code: str
    people: list[RosterPersonOut]


class RosterOut(msgspec.Struct):
    """Who stays in which room of a property now. Each person returned is written to the audit log."""

    id: int
    name: str
    street_address: str
    residential_group: str
    status: str
    rooms: list[RosterRoomOut]


class FieldErrorsOut(msgspec.Struct):
    """What could not be done, and why, beside each field concerned; in the language of Accept-Language."""

    status_code: int
    detail: str
    errors: Annotated[dict[str, str], _doc('A message per field name, e.g. {"room_id": "Room 101 is full…"}.')]
