"""Demo notifications: the demo landlord's bell shows their account approved (read), a house verified and the
residents' requests waiting; the ward's outbox shows those messages and one that failed, to send again."""

from __future__ import annotations

from datetime import UTC, datetime

from app.accounts.events import LANDLORD_APPROVED
from app.accounts.tables import User
from app.db import write_transaction
from app.housing.events import PROPERTY_VERIFIED, SELF_REGISTRATION_RECEIVED
from app.housing.tables import Property, PropertyStatus, RequestStatus, SelfRegistration
from app.notify.service import Recipient, send
from app.notify.tables import MessageStatus, Notification, OutboxMessage
from tenants.scope import ward_scope


async def load_notify_demo(ward_id: int, slug: str, landlord_phone: str) -> None:
    landlord = await User.select(User.id).where(User.phone == landlord_phone).first()
    to = Recipient(user_id=landlord["id"])
    base = f"/w/{slug}"
    async with ward_scope(ward_id), write_transaction():
        await send(LANDLORD_APPROVED, to=to, data={"url": f"{base}/landlord/"}, subject="demo:approved")
        await Notification.update({Notification.read_at: datetime.now(UTC)}).where(Notification.user == landlord["id"])
        verified = (
            await Property.ward_select(Property.id, Property.name)
            .where((Property.landlord == landlord["id"]) & (Property.status == PropertyStatus.verified))
            .first()
        )
        if verified:
            await send(
                PROPERTY_VERIFIED,
                to=to,
                data={"property": verified["name"], "url": f"{base}/landlord/properties/{verified['id']}"},
                subject=f"demo:property:{verified['id']}",
            )
        requests = await SelfRegistration.ward_select(
            SelfRegistration.id, SelfRegistration.full_name, SelfRegistration.move_in, SelfRegistration.property.name
        ).where(SelfRegistration.status == RequestStatus.pending)
        for request in requests:
            await send(
                SELF_REGISTRATION_RECEIVED,
                to=to,
                data={
                    "person": request["full_name"],
                    "property": request["property.name"],
                    "move_in": request["move_in"],
                    "url": f"{base}/landlord/",
                },
                subject=f"self_registration:{request['id']}",
            )
        # One message the gateway kept refusing, for the officers' "send again".
        first = await OutboxMessage.ward_select(OutboxMessage.id).order_by(OutboxMessage.id).first()
        if first:
            await OutboxMessage.ward_update(
                {
                    OutboxMessage.status: MessageStatus.dead,
                    OutboxMessage.attempts: 6,
                    OutboxMessage.last_error: "SMS: HTTP 503 Service Unavailable",
                }
            ).where(OutboxMessage.id == first["id"])
