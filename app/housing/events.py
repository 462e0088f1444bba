"""Messages about properties and residents' requests to be registered (declared for app.notify)."""

from app.i18n import _l
from app.notify import Recipient, event, send, ward_base

PROPERTY_VERIFIED = event(
    "housing.property_verified",
    title=_l("House verified"),
    text=_l("%(ward)s verified %(property)s. Its QR sticker now shows it as verified."),
    essential=True,
    example={"property": "Nhà trọ Hoa Mai", "url": "/w/xuan-phuong/landlord/properties/1"},
)
PROPERTY_SENT_BACK = event(
    "housing.property_sent_back",
    title=_l("House sent back for correction"),
    text=_l("%(ward)s asks you to correct %(property)s: %(reason)s"),
    essential=True,
    example={"property": "Nhà trọ Hoa Mai", "reason": "Thiếu số phòng", "url": "/w/xuan-phuong/landlord/properties/1"},
)
SELF_REGISTRATION_RECEIVED = event(
    "housing.self_registration_received",
    title=_l("New request to stay"),
    text=_l("%(person)s asks to be registered at %(property)s from %(move_in)s."),
    essential=True,
    example={
        "person": "Nguyễn Văn An",
        "property": "Nhà trọ Hoa Mai",
        "move_in": "02/12/2026",
        "url": "/w/x/landlord/",
    },
)
SELF_REGISTRATION_ACCEPTED = event(
    "housing.self_registration_accepted",
    title=_l("Your request to stay was accepted"),
    text=_l("%(property)s accepted your request: you are registered there."),
    example={"property": "Nhà trọ Hoa Mai", "url": "/q/r/abc"},
)
SELF_REGISTRATION_REJECTED = event(
    "housing.self_registration_rejected",
    title=_l("Your request to stay was not accepted"),
    text=_l("%(property)s did not accept your request: %(reason)s"),
    example={"property": "Nhà trọ Hoa Mai", "reason": "Phòng đã đủ người", "url": "/q/r/abc"},
)


async def notify_property_decision(prop: dict, *, status: str, reason: str) -> None:
    """Tell the landlord that the ward verified or sent back a property (suspension is told in person)."""
    chosen = {"verified": PROPERTY_VERIFIED, "sent_back": PROPERTY_SENT_BACK}.get(status)
    if chosen is None:
        return
    await send(
        chosen,
        to=Recipient(user_id=prop["landlord"]),
        data={
            "property": prop["name"],
            "reason": reason,
            "url": f"{await ward_base()}/landlord/properties/{prop['id']}",
        },
        subject=f"property:{prop['id']}:{status}:{reason[:40]}",
    )


async def _property(property_id: int) -> dict:
    from app.housing.tables import Property

    return (
        await Property.ward_select(Property.id, Property.name, Property.landlord)
        .where(Property.id == property_id)
        .first()
    )


async def notify_request_received(request_id: int, *, person: str, property_id: int, move_in) -> None:
    """Tell the landlord a resident asks to be registered at their property."""
    prop = await _property(property_id)
    await send(
        SELF_REGISTRATION_RECEIVED,
        to=Recipient(user_id=prop["landlord"]),
        data={"person": person, "property": prop["name"], "move_in": move_in, "url": f"{await ward_base()}/landlord/"},
        subject=f"self_registration:{request_id}",
    )


async def notify_request_decided(row: dict, *, accepted: bool, reason: str = "") -> None:
    """Tell the resident, by the phone they gave, what the landlord decided on their request."""
    if not row.get("phone"):
        return
    prop = await _property(row["property"])
    await send(
        SELF_REGISTRATION_ACCEPTED if accepted else SELF_REGISTRATION_REJECTED,
        to=Recipient(phone=row["phone"], locale="vi"),  # the request keeps no language: Vietnamese
        data={"property": prop["name"], "reason": reason, "url": f"/q/r/{row['code']}"},
        subject=f"self_registration:{row['id']}",
    )
