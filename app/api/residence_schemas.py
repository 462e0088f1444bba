"""What the residence API reads and returns: declarations (the police API's fields), the police's decisions,
and the residency search."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import msgspec


def _doc(text: str, *examples: object) -> msgspec.Meta:
    return msgspec.Meta(description=text, examples=list(examples) or None)


class DeclarationOut(msgspec.Struct):
    """A declaration as filed: the person and the stay as they were when filed, and where it stands."""

    id: int
    stay_id: int
    kind: Annotated[str, _doc("luu_tru, tam_tru, foreigner, extension or removal.")]
    state: Annotated[str, _doc("draft, submitted, received, accepted, rejected, extended or ended.")]
    deadline: Annotated[datetime | None, _doc("Late from this moment (UTC).")]
    id_type: Annotated[str, _doc("The police API's loaiGiayTo: 1 CCCD, 2 CMND, 4 passport…")]
    id_number: str
    full_name: str
    gender: str
    birth_date: date | None
    nationality: str
    visa_expiry: date | None
    arrival_date: date | None
    expected_departure: date | None
    room_code: str
    reason: str
    ward_code: str
    address: str
    permanent_address: str
    phone: str
    reference: Annotated[str, _doc("The police's registration number, once accepted.")]
    rejection_reason: str
    submitted_at: datetime | None
    decided_at: datetime | None
    property_id: int
    property_name: str


class AcceptIn(msgspec.Struct):
    reference: Annotated[str, _doc("Required. The registration number or reference, at most 60 characters.")] = ""


class RejectIn(msgspec.Struct):
    reason: Annotated[str, _doc("Required. What the landlord must correct, at most 500 characters.")] = ""


class ResidenceOut(msgspec.Struct):
    property_id: int
    property_name: str
    street_address: str
    room_code: str
    from_date: date
    to_date: date | None


class ResidentOut(msgspec.Struct):
    id: int
    full_name: str
    birth_date: date | None
    gender: str
    id_number: str
    old_id_number: str
    phone: str
    permanent_address: str
    now: Annotated[ResidenceOut | None, _doc("The open stay, if the person stays in the ward today.")]
    before: Annotated[list[ResidenceOut], _doc("Closed stays in the ward, the latest first.")]


class SearchOut(msgspec.Struct):
    kind: Annotated[str, _doc("What the query was read as: id_number, old_id_number, phone or name.")]
    people: list[ResidentOut]
    more: Annotated[bool, _doc("More people match than are returned: narrow with the birth year.")]
