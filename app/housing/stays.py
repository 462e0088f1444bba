"""Renters and their stays: registering a person (once per ID number per ward), checking in within the
room's capacity, checking out, moving to another room."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, fields
from datetime import date
from typing import Any

from litestar.connection import ASGIConnection

from app.audit.service import record
from app.db import is_postgres, is_unique_violation, write_transaction
from app.errors import RuleError
from app.housing.tables import Renter, Room, Stay
from app.i18n import _l
from app.i18n import today as today  # a stay's day: Vietnam's today (one definition, in app.i18n)
from app.once import run_once
from tenants.communes import fold


class StayAction:
    CHECKED_IN = "stay_checked_in"
    CHECKED_OUT = "stay_checked_out"
    MOVED = "stay_moved"


@dataclass(frozen=True)
class RenterInput:
    id_number: str
    full_name: str
    old_id_number: str = ""
    birth_date: date | None = None
    gender: str = ""
    permanent_address: str = ""
    phone: str = ""
    occupation: str = ""
    hometown: str = ""
    nationality: str = "VN"  # a foreigner's id_number is their passport's
    visa_expiry: date | None = None

    @classmethod
    def of(cls, values: Mapping[str, Any]) -> RenterInput:
        """From a cleaned form or a stored request: the fields of the same names."""
        return cls(**{f.name: values[f.name] for f in fields(cls) if f.name in values})


async def _room_of_landlord(room_id: int, landlord_id: int, *, lock: bool = False) -> dict:
    """The room, if the landlord owns it and it is in use. On PostgreSQL the row is locked for the rest of
    the transaction, so two check-ins into one room are counted one after the other."""
    query = Room.ward_select(Room.id, Room.code, Room.max_occupancy, Room.property.name).where(
        (Room.id == room_id) & (Room.property.landlord == landlord_id) & (Room.archived == False)  # noqa: E712
    )
    if lock and is_postgres():
        query = query.lock_rows("NO KEY UPDATE", of=(Room,))
    row = await query.first()
    if row is None:
        raise LookupError(room_id)
    return row


async def _check_capacity(room: dict) -> None:
    people = await Stay.ward_count().where((Stay.room == room["id"]) & Stay.to_date.is_null())
    if people >= room["max_occupancy"]:
        raise RuleError(
            _l(
                "Room %(room)s is full: %(people)s of %(max)s people.",
                room=room["code"],
                people=people,
                max=room["max_occupancy"],
            ),
            field="room_id",
            status_code=409,
        )


async def _open_stay_elsewhere(renter_id: int) -> None:
    row = (
        await Stay.ward_select(Stay.room.code, Stay.room.property.name)
        .where((Stay.renter == renter_id) & Stay.to_date.is_null())
        .first()
    )
    if row:
        raise RuleError(
            _l(
                "This person already stays in room %(room)s of %(house)s. Check them out or move them first.",
                room=row["room.code"],
                house=row["room.property.name"],
            ),
            field="room_id",
            status_code=409,
        )


async def _upsert_renter(person: RenterInput) -> int:
    """The ward's renter with this ID number, created or brought up to date (empty values keep the old)."""
    values = {k: v for k, v in asdict(person).items() if v not in ("", None)}
    values["name_folded"] = fold(person.full_name)
    row = await Renter.ward_select(Renter.id).where(Renter.id_number == person.id_number).first()
    if row is None:
        renter = Renter.ward_new(**values)
        await renter.save()
        return renter.id
    await Renter.ward_update({getattr(Renter, k): v for k, v in values.items()}).where(Renter.id == row["id"])
    return row["id"]


async def open_stay(
    *,
    landlord_id: int,
    person: RenterInput,
    room_id: int,
    from_date: date,
    expected_to: date | None,
    reason: str,
    connection: ASGIConnection,
) -> int:
    """Register the person (or find them again) and open their stay. Call inside write_transaction()."""
    room = await _room_of_landlord(room_id, landlord_id, lock=True)
    renter_id = await _upsert_renter(person)
    await _open_stay_elsewhere(renter_id)
    await _check_capacity(room)
    stay = Stay.ward_new(renter=renter_id, room=room_id, from_date=from_date, expected_to=expected_to, reason=reason)
    await stay.save()
    await record(
        StayAction.CHECKED_IN,
        connection=connection,
        subject_type="stay",
        subject_id=stay.id,
        summary=f"{person.full_name} → {room['property.name']} {room['code']}",
    )
    return stay.id


async def check_in(
    *,
    landlord_id: int,
    person: RenterInput,
    room_id: int,
    from_date: date,
    expected_to: date | None,
    reason: str,
    form_token: str,
    connection: ASGIConnection,
    done_url: str | Callable[[int], str],
) -> str:
    """Register the person (or find them again) and open their stay in the room; once per form token.
    Returns `done_url`, or what it makes of the new stay's id when it is a function (an API's resource)."""
    if expected_to is not None and expected_to < from_date:
        raise RuleError(_l("The expected end is before the move-in date."), field="expected_to")

    async def act() -> str:
        stay_id = await open_stay(
            landlord_id=landlord_id,
            person=person,
            room_id=room_id,
            from_date=from_date,
            expected_to=expected_to,
            reason=reason,
            connection=connection,
        )
        return done_url(stay_id) if callable(done_url) else done_url

    try:
        return await run_once(form_token, act)
    except Exception as exc:
        if is_unique_violation(exc):  # a concurrent check-in of the same person won the race
            raise RuleError(
                _l("This person already has an open stay in this ward."), field="room_id", status_code=409
            ) from exc
        raise


async def _open_stay_of_landlord(stay_id: int, landlord_id: int) -> dict:
    row = (
        await Stay.ward_select(
            Stay.id,
            Stay.from_date,
            Stay.renter,
            Stay.renter.full_name,
            Stay.room,
            Stay.room.code,
            Stay.reason,
            Stay.expected_to,
            Stay.room.property,
        )
        .where((Stay.id == stay_id) & (Stay.room.property.landlord == landlord_id) & Stay.to_date.is_null())
        .first()
    )
    if row is None:
        raise LookupError(stay_id)
    return row


async def property_of_stay(stay_id: int, landlord_id: int) -> int:
    """The property of the landlord's open stay; LookupError when it is not theirs (or not open)."""
    return (await _open_stay_of_landlord(stay_id, landlord_id))["room.property"]


async def check_out(stay_id: int, *, landlord_id: int, on: date, connection: ASGIConnection) -> int:
    """Close the stay on that date; returns the property's id."""
    stay = await _open_stay_of_landlord(stay_id, landlord_id)
    if on < stay["from_date"]:
        raise RuleError(_l("The move-out date is before the move-in date."), field="to_date")
    async with write_transaction():
        await Stay.ward_update({Stay.to_date: on}).where((Stay.id == stay_id) & Stay.to_date.is_null())
        await record(
            StayAction.CHECKED_OUT,
            connection=connection,
            subject_type="stay",
            subject_id=stay_id,
            summary=f"{stay['renter.full_name']} ← {stay['room.code']}",
        )
    return stay["room.property"]


async def move(stay_id: int, *, landlord_id: int, room_id: int, on: date, connection: ASGIConnection) -> int:
    """Close the stay and open the next one in another room, in one transaction; returns the property's id."""
    stay = await _open_stay_of_landlord(stay_id, landlord_id)
    if room_id == stay["room"]:
        raise RuleError(_l("Choose another room."), field="room_id")
    if on < stay["from_date"]:
        raise RuleError(_l("The move-out date is before the move-in date."), field="to_date")
    async with write_transaction():
        room = await _room_of_landlord(room_id, landlord_id, lock=True)
        await Stay.ward_update({Stay.to_date: on}).where(Stay.id == stay_id)
        await _check_capacity(room)
        new = Stay.ward_new(
            renter=stay["renter"], room=room_id, from_date=on, expected_to=stay["expected_to"], reason=stay["reason"]
        )
        await new.save()
        await record(
            StayAction.MOVED,
            connection=connection,
            subject_type="stay",
            subject_id=new.id,
            summary=f"{stay['renter.full_name']}: {stay['room.code']} → {room['code']}",
        )
    return stay["room.property"]


async def occupancy(property_id: int) -> dict[int, int]:
    """People staying now, per room of the property."""
    rows = await Stay.ward_select(Stay.room).where((Stay.room.property == property_id) & Stay.to_date.is_null())
    counts: dict[int, int] = {}
    for row in rows:
        counts[row["room"]] = counts.get(row["room"], 0) + 1
    return counts


async def open_stays(property_id: int) -> list[dict]:
    """Who stays in the property now (the landlord's view)."""
    return await (
        Stay.ward_select(
            Stay.id,
            Stay.from_date,
            Stay.expected_to,
            Stay.room,
            Stay.room.code,
            Stay.renter.full_name,
            Stay.renter.phone,
        )
        .where((Stay.room.property == property_id) & Stay.to_date.is_null())
        .order_by(Stay.room.code)
    )
