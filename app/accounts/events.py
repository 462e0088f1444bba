"""Messages about accounts (declared for app.notify)."""

from app.i18n import _l
from app.notify import Recipient, event, send, ward_base

LANDLORD_APPROVED = event(
    "accounts.landlord_approved",
    title=_l("Your landlord account is approved"),
    text=_l("%(ward)s approved your landlord account. You can now register your houses and renters."),
    essential=True,
    example={"url": "/w/xuan-phuong/landlord/"},
)
LANDLORD_REJECTED = event(
    "accounts.landlord_rejected",
    title=_l("Your landlord account was not approved"),
    text=_l("%(ward)s did not approve your landlord account: %(reason)s"),
    essential=True,
    example={"reason": "Số điện thoại không khớp hồ sơ", "url": "/account"},
)


async def notify_landlord_decision(user_id: int, *, approve: bool, reason: str, subject: str) -> None:
    """Tell the landlord of the ward's decision on their account, in the decision's transaction."""
    await send(
        LANDLORD_APPROVED if approve else LANDLORD_REJECTED,
        to=Recipient(user_id=user_id),
        data={"reason": reason, "url": f"{await ward_base()}/landlord/" if approve else "/account"},
        subject=subject,
    )
