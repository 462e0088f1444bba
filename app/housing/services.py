"""The rules of properties and rooms: registration and the ward's verification, rooms one by one or as a
range, the QR sticker's token and its rotation, and what the public page may show."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from litestar.connection import ASGIConnection

from app.audit.service import Action, record
from app.db import write_transaction
from app.errors import RuleError
from app.housing.events import notify_property_decision
from app.housing.tables import Property, PropertyStatus, Room, Stay
from app.i18n import _l
from app.once import run_once
from app.web import page_cache
from tenants.scope import across_wards

ROOM_RANGE = re.compile(r"^\s*([A-Za-z]*)(\d{1,4})\s*[-–]\s*\1?(\d{1,4})\s*$")
MAX_ROOMS_AT_ONCE = 200


def _now() -> datetime:
    return datetime.now(UTC)


def new_qr_token() -> str:
    """80 random bits, 14 URL-safe characters: unguessable and short enough for a small QR."""
    return secrets.token_urlsafe(10)


class PropertyAction:
    CREATED = "property_created"
    UPDATED = "property_updated"
    VERIFIED = "property_verified"
    SENT_BACK = "property_sent_back"
    SUSPENDED = "property_suspended"
    TOKEN_ROTATED = "property_qr_rotated"
    ROOMS_ADDED = "rooms_added"
    ROOM_UPDATED = "room_updated"
    ROOM_ARCHIVED = "room_archived"


PROPERTY_FIELDS = (
    "name", "street_address", "residential_group", "kind", "contact_phone", "show_contact", "house_rules",
)  # fmt: skip


async def create_property(*, landlord_id: int, values: dict, form_token: str, connection: ASGIConnection) -> str:
    """A new property of the current ward, pending the ward's verification; once per form token.
    Returns the URL of the new property's page."""

    async def create() -> str:
        prop = Property.ward_new(landlord=landlord_id, qr_token=new_qr_token(), **values)
        await prop.save()
        await record(
            PropertyAction.CREATED,
            connection=connection,
            subject_type="property",
            subject_id=prop.id,
            summary=values["name"],
        )
        return f"properties/{prop.id}"

    return await run_once(form_token, create)


async def property_of(property_id: int, *, landlord_id: int | None = None) -> dict:
    """One property of the current ward (and of this landlord, when given); LookupError if not."""
    query = Property.ward_select().where(Property.id == property_id)
    if landlord_id is not None:
        query = query.where(Property.landlord == landlord_id)
    row = await query.first()
    if row is None:
        raise LookupError(property_id)
    return row


async def update_property(property_id: int, *, landlord_id: int, values: dict, connection: ASGIConnection) -> None:
    prop = await property_of(property_id, landlord_id=landlord_id)
    changes = {getattr(Property, k): v for k, v in values.items()}
    if prop["status"] == PropertyStatus.sent_back:
        changes[Property.status] = PropertyStatus.pending  # corrected: back to the ward's queue
    async with write_transaction():
        await Property.ward_update(changes).where(Property.id == property_id)
        await record(
            PropertyAction.UPDATED,
            connection=connection,
            subject_type="property",
            subject_id=property_id,
            summary=values["name"],
        )
    page_cache.forget()  # after the commit, so no request keeps the old page


async def ward_properties(*, status: str = "", group: str = "") -> list[dict]:
    query = Property.ward_select(
        Property.id,
        Property.name,
        Property.street_address,
        Property.residential_group,
        Property.status,
        Property.created_at,
        Property.landlord.full_name,
        Property.landlord.phone,
    )
    if status:
        query = query.where(Property.status == status)
    if group:
        query = query.where(Property.residential_group == group)
    props = await query.order_by(Property.status).order_by(Property.name)
    capacity: dict[int, int] = {}
    for room in await Room.ward_select(Room.property, Room.max_occupancy).where(Room.archived == False):  # noqa: E712
        capacity[room["property"]] = capacity.get(room["property"], 0) + room["max_occupancy"]
    people: dict[int, int] = {}
    for stay in await Stay.ward_select(Stay.room.property).where(Stay.to_date.is_null()):
        people[stay["room.property"]] = people.get(stay["room.property"], 0) + 1
    for prop in props:
        prop["capacity"] = capacity.get(prop["id"], 0)
        prop["people"] = people.get(prop["id"], 0)
    return props


async def roster(property_id: int) -> list[dict]:
    """Who stays in each room of the property now, with their details (police and officers)."""
    return await (
        Stay.ward_select(
            Stay.id,
            Stay.from_date,
            Stay.expected_to,
            Stay.room.code,
            Stay.renter.id,
            Stay.renter.full_name,
            Stay.renter.birth_date,
            Stay.renter.gender,
            Stay.renter.id_number,
            Stay.renter.phone,
            Stay.renter.permanent_address,
        )
        .where((Stay.room.property == property_id) & Stay.to_date.is_null())
        .order_by(Stay.room.code)
    )


async def roster_shown(prop: dict, *, connection: ASGIConnection) -> list[dict]:
    """The roster as shown to someone other than the landlord (the police): every person in it is written
    to the audit log, who saw them and when, before it is shown."""
    people = await roster(prop["id"])
    async with write_transaction():
        for person in people:
            await record(
                Action.RENTER_VIEWED,
                connection=connection,
                subject_type="renter",
                subject_id=person["renter.id"],
                summary=f"{prop['name']}: {person['renter.full_name']}",
            )
    return people


async def residential_groups() -> list[str]:
    rows = await Property.ward_select(Property.residential_group).distinct().order_by(Property.residential_group)
    return [r["residential_group"] for r in rows if r["residential_group"]]


async def decide_property(property_id: int, *, status: PropertyStatus, reason: str, connection: ASGIConnection) -> None:
    """The ward verifies, sends back (with a reason) or suspends (with a reason) a property."""
    prop = await property_of(property_id)
    allowed = {
        PropertyStatus.verified: {PropertyStatus.pending, PropertyStatus.suspended, PropertyStatus.sent_back},
        PropertyStatus.sent_back: {PropertyStatus.pending},
        PropertyStatus.suspended: {PropertyStatus.verified, PropertyStatus.pending},
    }[status]
    if prop["status"] not in allowed:
        raise RuleError(_l("This property is not in a state that allows this."), status_code=409)
    if status != PropertyStatus.verified and not reason:
        raise RuleError(_l("Give the reason, so the landlord knows what to correct."), field="reason")
    action = {
        PropertyStatus.verified: PropertyAction.VERIFIED,
        PropertyStatus.sent_back: PropertyAction.SENT_BACK,
        PropertyStatus.suspended: PropertyAction.SUSPENDED,
    }[status]
    async with write_transaction():
        await Property.ward_update(
            {
                Property.status: status,
                Property.status_reason: reason,
                Property.decided_at: _now(),
                Property.decided_by: connection.scope["user"].id,
            }
        ).where(Property.id == property_id)
        await record(
            action,
            connection=connection,
            subject_type="property",
            subject_id=property_id,
            summary=prop["name"] + (f": {reason}" if reason else ""),
        )
        await notify_property_decision(prop, status=status, reason=reason)
    page_cache.forget()  # after the commit, so no request keeps the old page


async def rotate_token(property_id: int, *, landlord_id: int | None, connection: ASGIConnection) -> str:
    """A new sticker token; the old one then tells whoever scans it that the sticker was replaced."""
    prop = await property_of(property_id, landlord_id=landlord_id)
    token = new_qr_token()
    async with write_transaction():
        await Property.ward_update({Property.qr_token: token, Property.previous_qr_token: prop["qr_token"]}).where(
            Property.id == property_id
        )
        await record(
            PropertyAction.TOKEN_ROTATED,
            connection=connection,
            subject_type="property",
            subject_id=property_id,
            summary=prop["name"],
        )
    page_cache.forget()  # after the commit, so no request keeps the old page
    return token


async def rooms_of(property_id: int, *, include_archived: bool = False) -> list[dict]:
    query = Room.ward_select().where(Room.property == property_id)
    if not include_archived:
        query = query.where(Room.archived == False)  # noqa: E712
    rows = await query
    return sorted(rows, key=lambda r: (r["archived"], _natural(r["code"])))


def _natural(code: str) -> tuple:
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.split(r"(\d+)", code) if p)


def expand_room_codes(spec: str) -> list[str]:
    """ "101-120" -> 101 … 120; "A1-A12" -> A1 … A12; "101, 102, 105" -> those three."""
    if match := ROOM_RANGE.match(spec):
        prefix, first, last = match.group(1), int(match.group(2)), int(match.group(3))
        if last < first:
            raise RuleError(_l("A range runs from the lower number to the higher, e.g. 101-120."), field="codes")
        if last - first + 1 > MAX_ROOMS_AT_ONCE:
            raise RuleError(_l("At most %(n)s rooms at once.", n=MAX_ROOMS_AT_ONCE), field="codes")
        width = len(match.group(2)) if match.group(2).startswith("0") else 0
        return [f"{prefix}{n:0{width}d}" for n in range(first, last + 1)]
    codes = [c.strip() for c in re.split(r"[,;\s]+", spec) if c.strip()]
    if not codes:
        raise RuleError(_l("Give room codes, e.g. 101-120 or 101, 102, 105."), field="codes")
    if any(len(c) > 20 for c in codes):
        raise RuleError(_l("A room code has at most 20 characters."), field="codes")
    if len(codes) > MAX_ROOMS_AT_ONCE:
        raise RuleError(_l("At most %(n)s rooms at once.", n=MAX_ROOMS_AT_ONCE), field="codes")
    if len(set(codes)) != len(codes):
        raise RuleError(_l("A room code appears twice."), field="codes")
    return codes


def _floor_of(code: str) -> int | None:
    """Room 305 is on floor 3: the usual numbering of nhà trọ; None when the code says nothing."""
    digits = re.sub(r"\D", "", code)
    return int(digits[:-2]) if len(digits) >= 3 else None


async def add_rooms(
    property_id: int,
    *,
    landlord_id: int,
    codes: list[str],
    floor: int | None,
    area_m2: float | None,
    max_occupancy: int,
    monthly_rent: int | None,
    connection: ASGIConnection,
) -> int:
    """Add one or many rooms, all or nothing: a code already used in the property refuses them all."""
    await property_of(property_id, landlord_id=landlord_id)
    async with write_transaction():
        taken = await Room.ward_select(Room.code).where((Room.property == property_id) & Room.code.is_in(codes))
        if taken:
            raise RuleError(
                _l("These room codes already exist: %(codes)s", codes=", ".join(r["code"] for r in taken)),
                field="codes",
                status_code=409,
            )
        await Room.ward_insert(
            *[
                Room.ward_new(
                    property=property_id,
                    code=code,
                    floor=floor if floor is not None else _floor_of(code),
                    area_m2=area_m2,
                    max_occupancy=max_occupancy,
                    monthly_rent=monthly_rent,
                )
                for code in codes
            ]
        )
        await record(
            PropertyAction.ROOMS_ADDED,
            connection=connection,
            subject_type="property",
            subject_id=property_id,
            summary=", ".join(codes[:10]) + ("…" if len(codes) > 10 else ""),
        )
    return len(codes)


ROOM_FIELDS = ("code", "floor", "area_m2", "max_occupancy", "monthly_rent")


async def room_of(room_id: int, *, landlord_id: int) -> dict:
    """One room (not archived) of this landlord; LookupError if not."""
    room = (
        await Room.ward_select()
        .where((Room.id == room_id) & (Room.property.landlord == landlord_id) & (Room.archived == False))  # noqa: E712
        .first()
    )
    if room is None:
        raise LookupError(room_id)
    return room


async def update_room(room_id: int, *, landlord_id: int, values: dict, connection: ASGIConnection) -> int:
    """Change a room's code, floor, size, capacity or rent; returns its property id. The capacity may not go
    below the people staying in it, and the code stays unique in the property."""
    room = await room_of(room_id, landlord_id=landlord_id)
    async with write_transaction():
        staying = await Stay.ward_count().where((Stay.room == room_id) & Stay.to_date.is_null())
        if values["max_occupancy"] < staying:
            raise RuleError(
                _l("%(n)s people stay in this room now: the maximum cannot be lower.", n=staying),
                field="max_occupancy",
                status_code=409,
            )
        if await Room.ward_exists().where(
            (Room.property == room["property"]) & (Room.code == values["code"]) & (Room.id != room_id)
        ):
            raise RuleError(
                _l("Room %(room)s already exists in this house.", room=values["code"]), field="code", status_code=409
            )
        await Room.ward_update({getattr(Room, k): v for k, v in values.items()}).where(Room.id == room_id)
        await record(
            PropertyAction.ROOM_UPDATED,
            connection=connection,
            subject_type="room",
            subject_id=room_id,
            summary=values["code"],
        )
    return room["property"]


async def archive_room(room_id: int, *, landlord_id: int, connection: ASGIConnection) -> int:
    """Archive a room nobody stays in; returns its property id."""
    room = await room_of(room_id, landlord_id=landlord_id)
    async with write_transaction():
        if await Stay.ward_exists().where((Stay.room == room_id) & Stay.to_date.is_null()):
            raise RuleError(
                _l("Room %(room)s has people staying in it. Check them out or move them first.", room=room["code"]),
                status_code=409,
            )
        await Room.ward_update({Room.archived: True}).where(Room.id == room_id)
        await record(
            PropertyAction.ROOM_ARCHIVED,
            connection=connection,
            subject_type="room",
            subject_id=room_id,
            summary=room["code"],
        )
    return room["property"]


@dataclass(frozen=True)
class PublicProperty:
    """What a resident who scans a sticker may see: the property and its ward, never a renter."""

    id: int
    ward_id: int
    ward_slug: str
    name: str
    street_address: str
    residential_group: str
    kind: str
    verified: bool
    contact_phone: str  # "" when the landlord chose not to show it
    house_rules: str
    replaced: bool  # an old sticker: the token was rotated


async def public_property(token: str) -> PublicProperty | None:
    """Find a property by its sticker token. The token carries no ward, so this one lookup reads across
    wards, by a unique random key; everything after it is scoped to the property's ward."""
    if not token or len(token) > 24:
        return None
    columns = (
        Property.id,
        Property.ward,
        Property.ward.slug,
        Property.name,
        Property.street_address,
        Property.residential_group,
        Property.kind,
        Property.status,
        Property.contact_phone,
        Property.show_contact,
        Property.house_rules,
        Property.qr_token,
    )
    async with across_wards():
        row = (
            await Property.ward_select(*columns)
            .where(
                ((Property.qr_token == token) | (Property.previous_qr_token == token))
                & (Property.status != PropertyStatus.suspended)
                & (Property.ward.active == True)  # noqa: E712
            )
            .first()
        )
    if row is None:
        return None
    return PublicProperty(
        id=row["id"],
        ward_id=row["ward"],
        ward_slug=row["ward.slug"],
        name=row["name"],
        street_address=row["street_address"],
        residential_group=row["residential_group"],
        kind=row["kind"],
        verified=row["status"] == PropertyStatus.verified,
        contact_phone=row["contact_phone"] if row["show_contact"] else "",
        house_rules=row["house_rules"],
        replaced=row["qr_token"] != token,
    )
