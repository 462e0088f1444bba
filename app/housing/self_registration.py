"""A resident asks, from the property's QR, to be registered there; the landlord accepts (which registers
the person and opens the stay) or rejects with a reason the resident reads on their status page."""

from __future__ import annotations

import secrets
from dataclasses import asdict
from datetime import UTC, date, datetime

from litestar.connection import ASGIConnection

from app.audit.service import record
from app.db import write_transaction
from app.errors import RuleError
from app.housing.events import notify_request_decided, notify_request_received
from app.housing.services import PublicProperty
from app.housing.stays import RenterInput, open_stay
from app.housing.tables import RequestStatus, Room, SelfRegistration
from app.i18n import _l
from app.once import run_once
from tenants.scope import across_wards, ward_scope


class RequestAction:
    RECEIVED = "self_registration_received"
    ACCEPTED = "self_registration_accepted"
    REJECTED = "self_registration_rejected"


async def public_rooms(property_id: int, ward_id: int) -> list[dict]:
    """Room codes a resident picks from (no occupancy, nothing about who lives there)."""
    async with ward_scope(ward_id):
        rows = await Room.ward_select(Room.id, Room.code).where(
            (Room.property == property_id) & (Room.archived == False)  # noqa: E712
        )
    return sorted(rows, key=lambda r: r["code"])


async def submit(
    prop: PublicProperty,
    *,
    person: RenterInput,
    room_id: int,
    move_in: date,
    form_token: str,
    connection: ASGIConnection,
) -> str:
    """Record the request (nothing else); once per form token. Returns the status page's URL."""
    async with ward_scope(prop.ward_id):

        async def create() -> str:
            if not await Room.ward_exists().where(
                (Room.id == room_id) & (Room.property == prop.id) & (Room.archived == False)  # noqa: E712
            ):
                raise RuleError(_l("Choose one of the options."), field="room_id")
            request = SelfRegistration.ward_new(
                property=prop.id,
                room=room_id,
                move_in=move_in,
                consent_at=datetime.now(UTC),
                code=secrets.token_urlsafe(12),
                **{k: v for k, v in asdict(person).items() if k != "hometown" and v is not None},
            )
            await request.save()
            await record(
                RequestAction.RECEIVED,
                connection=connection,
                actor_id=None,
                subject_type="self_registration",
                subject_id=request.id,
                summary=prop.name,
            )
            await notify_request_received(request.id, person=person.full_name, property_id=prop.id, move_in=move_in)
            return f"/q/r/{request.code}"

        return await run_once(form_token, create)


async def status_of(code: str) -> dict | None:
    """What the resident's status page shows: no ID number, nothing of anyone else."""
    if not code or len(code) > 24:
        return None
    async with across_wards():  # the code carries no ward; it is a unique random key
        return (
            await SelfRegistration.ward_select(
                SelfRegistration.status,
                SelfRegistration.reason,
                SelfRegistration.created_at,
                SelfRegistration.move_in,
                SelfRegistration.property.name,
                SelfRegistration.room.code,
            )
            .where(SelfRegistration.code == code)
            .first()
        )


async def pending_for(landlord_id: int) -> list[dict]:
    return await (
        SelfRegistration.ward_select(
            SelfRegistration.id,
            SelfRegistration.full_name,
            SelfRegistration.birth_date,
            SelfRegistration.phone,
            SelfRegistration.move_in,
            SelfRegistration.created_at,
            SelfRegistration.property.name,
            SelfRegistration.room.code,
        )
        .where((SelfRegistration.property.landlord == landlord_id) & (SelfRegistration.status == RequestStatus.pending))
        .order_by(SelfRegistration.id)
    )


async def _pending(request_id: int, landlord_id: int) -> dict:
    row = (
        await SelfRegistration.ward_select()
        .where((SelfRegistration.id == request_id) & (SelfRegistration.property.landlord == landlord_id))
        .first()
    )
    if row is None:
        raise LookupError(request_id)
    if row["status"] != RequestStatus.pending:
        raise RuleError(_l("This request has already been decided."), status_code=409)
    return row


async def accept(request_id: int, *, landlord_id: int, connection: ASGIConnection) -> int:
    """Register the person and open the stay, with the request's data, in one transaction; returns the
    stay's id."""
    row = await _pending(request_id, landlord_id)
    person = RenterInput.of(row)
    async with write_transaction():
        stay_id = await open_stay(
            landlord_id=landlord_id,
            person=person,
            room_id=row["room"],
            from_date=row["move_in"],
            expected_to=None,
            reason="",
            connection=connection,
        )
        await SelfRegistration.ward_update(
            {SelfRegistration.status: RequestStatus.accepted, SelfRegistration.decided_at: datetime.now(UTC)}
        ).where(SelfRegistration.id == request_id)
        await record(
            RequestAction.ACCEPTED,
            connection=connection,
            subject_type="self_registration",
            subject_id=request_id,
            summary=row["full_name"],
        )
        await notify_request_decided(row, accepted=True)
    return stay_id


async def reject(request_id: int, *, landlord_id: int, reason: str, connection: ASGIConnection) -> None:
    row = await _pending(request_id, landlord_id)
    if not reason:
        raise RuleError(_l("Give the reason, so the person knows why."), field="reason")
    async with write_transaction():
        await SelfRegistration.ward_update(
            {
                SelfRegistration.status: RequestStatus.rejected,
                SelfRegistration.reason: reason,
                SelfRegistration.decided_at: datetime.now(UTC),
            }
        ).where(SelfRegistration.id == request_id)
        await record(
            RequestAction.REJECTED,
            connection=connection,
            subject_type="self_registration",
            subject_id=request_id,
            summary=f"{row['full_name']}: {reason}",
        )
        await notify_request_decided(row, accepted=False, reason=reason)
