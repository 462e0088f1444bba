"""The landlord's home at a glance: each house's occupancy and free rooms, who moves in or out this week,
and finding one of their renters again by name (typed with or without diacritics), phone or ID number.

Everything here reads only the signed-in landlord's own houses: a renter is theirs because a stay (open or
closed) put them in one of their rooms."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from app.housing.tables import Property, Room, Stay
from tenants.communes import fold

SEARCH_LIMIT = 30
MOVES_LIMIT = 50
_NOT_A_PATTERN = re.compile(r"[%_\\]")  # LIKE wildcards never come from what a person types


async def house_summaries(landlord_id: int) -> list[dict]:
    """The landlord's houses, each with rooms, capacity, people staying now and rooms with nobody in them."""
    props = await (
        Property.ward_select(
            Property.id,
            Property.name,
            Property.street_address,
            Property.residential_group,
            Property.status,
            Property.status_reason,
        )
        .where(Property.landlord == landlord_id)
        .order_by(Property.name)
    )
    rooms = await Room.ward_select(Room.id, Room.property, Room.max_occupancy).where(
        (Room.property.landlord == landlord_id) & (Room.archived == False)  # noqa: E712
    )
    staying = await Stay.ward_select(Stay.room).where(
        (Stay.room.property.landlord == landlord_id) & Stay.to_date.is_null()
    )
    people_in: dict[int, int] = {}
    for row in staying:
        people_in[row["room"]] = people_in.get(row["room"], 0) + 1
    for prop in props:
        own = [r for r in rooms if r["property"] == prop["id"]]
        prop["rooms"] = len(own)
        prop["capacity"] = sum(r["max_occupancy"] for r in own)
        prop["people"] = sum(people_in.get(r["id"], 0) for r in own)
        prop["rooms_free"] = sum(1 for r in own if not people_in.get(r["id"]))
    return props


def week_of(day: date) -> tuple[date, date]:
    """Monday to Sunday around `day` (the week as a Vietnamese calendar shows it)."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


@dataclass(frozen=True)
class Move:
    day: date
    direction: str  # "in", "out" (checked out), or "expected_out" (still here, due to leave)
    full_name: str
    room_code: str
    property_id: int
    property_name: str


_MOVE_COLUMNS = (
    Stay.from_date,
    Stay.to_date,
    Stay.expected_to,
    Stay.renter.full_name,
    Stay.room.code,
    Stay.room.property.id,
    Stay.room.property.name,
)


def _move(row: dict, day: date, direction: str) -> Move:
    return Move(
        day=day,
        direction=direction,
        full_name=row["renter.full_name"],
        room_code=row["room.code"],
        property_id=row["room.property.id"],
        property_name=row["room.property.name"],
    )


async def moves_this_week(landlord_id: int, today: date) -> list[Move]:
    """Who moves in, moved out, or is expected to move out between this Monday and Sunday, by day."""
    first, last = week_of(today)
    mine = Stay.room.property.landlord == landlord_id
    arriving = await Stay.ward_select(*_MOVE_COLUMNS).where(mine & (Stay.from_date >= first) & (Stay.from_date <= last))
    leaving = await Stay.ward_select(*_MOVE_COLUMNS).where(mine & (Stay.to_date >= first) & (Stay.to_date <= last))
    due = await Stay.ward_select(*_MOVE_COLUMNS).where(
        mine & Stay.to_date.is_null() & (Stay.expected_to >= first) & (Stay.expected_to <= last)
    )
    moves = [
        *(_move(r, r["from_date"], "in") for r in arriving),
        *(_move(r, r["to_date"], "out") for r in leaving),
        *(_move(r, r["expected_to"], "expected_out") for r in due),
    ]
    moves.sort(key=lambda m: (m.day, m.direction != "in", m.property_name, m.room_code))
    return moves[:MOVES_LIMIT]


def _digits(query: str) -> str:
    """The digits of a phone or ID number as typed ("0912 345 678", "+84 912…", "001-095…")."""
    digits = re.sub(r"[\s.\-()]", "", query)
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    return digits if digits.isdigit() else ""


async def search_renters(landlord_id: int, query: str) -> list[dict]:
    """The landlord's renters whose name, phone or ID number matches; each once, with their latest stay
    (the open one if any). Names match without diacritics or case: "nguyen van an" finds "Nguyễn Văn An"."""
    query = _NOT_A_PATTERN.sub("", " ".join(query.split()))
    if len(query) < 2:
        return []
    digits = _digits(query)
    if digits:
        matches = Stay.renter.phone.like(f"%{digits}%") | Stay.renter.id_number.like(f"%{digits}%")
    else:
        matches = Stay.renter.name_folded.like(f"%{fold(query)}%")
    rows = await (
        Stay.ward_select(
            Stay.id,
            Stay.from_date,
            Stay.to_date,
            Stay.renter.id,
            Stay.renter.full_name,
            Stay.renter.phone,
            Stay.renter.id_number,
            Stay.room.code,
            Stay.room.property.id,
            Stay.room.property.name,
        )
        .where((Stay.room.property.landlord == landlord_id) & matches)
        .order_by(Stay.from_date, ascending=False)
        .order_by(Stay.id, ascending=False)
    )
    found: dict[int, dict] = {}
    for row in rows:  # newest first: the first stay seen of a renter is their latest, unless one is open
        renter = row["renter.id"]
        if renter not in found or (row["to_date"] is None and found[renter]["to_date"] is not None):
            found[renter] = row
    people = sorted(found.values(), key=lambda r: (r["to_date"] is not None, fold(r["renter.full_name"])))
    return people[:SEARCH_LIMIT]
