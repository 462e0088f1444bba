"""Messages about residence declarations and their legal reminders (declared for app.notify).

`declaration_decided()` tells the landlord of a declaration's decision; it is called from `change_state` in
the decision's transaction. The reminders are produced by app/notify/reminders.py.
"""

from app.i18n import _l
from app.notify import Recipient, event, send, ward_base

DECLARATION_ACCEPTED = event(
    "residence.declaration_accepted",
    title=_l("Declaration accepted"),
    text=_l("%(ward)s police accepted the %(kind)s of %(person)s. Reference: %(reference)s"),
    essential=True,
    example={"kind": "tạm trú", "person": "Nguyễn Văn An", "reference": "TT-2026-0012", "url": "/w/x/landlord/"},
)
DECLARATION_REJECTED = event(
    "residence.declaration_rejected",
    title=_l("Declaration rejected"),
    text=_l("%(ward)s police rejected the %(kind)s of %(person)s: %(reason)s. Correct it and file it again."),
    essential=True,
    example={"kind": "lưu trú", "person": "Nguyễn Văn An", "reason": "Sai số CCCD", "url": "/w/x/landlord/"},
)
LUU_TRU_DUE_TONIGHT = event(
    "residence.luu_tru_due_tonight",
    title=_l("Residence notice due tonight"),
    text=_l("Reminder: the lưu trú notice of %(person)s at %(property)s is due before %(deadline)s."),
    essential=True,
    example={"person": "Nguyễn Văn An", "property": "Nhà trọ Hoa Mai", "deadline": "23:00 02/12/2026"},
)
TAM_TRU_EXPIRING = event(
    "residence.tam_tru_expiring",
    title=_l("Temporary residence ends in 15 days"),
    text=_l("The tạm trú of %(person)s at %(property)s ends on %(expiry)s. File the extension before then."),
    essential=True,
    example={"person": "Nguyễn Văn An", "property": "Nhà trọ Hoa Mai", "expiry": "17/12/2026"},
)


async def declaration_decided(declaration_id: int, state: str) -> None:
    """Tell the landlord that the police accepted or rejected a declaration (inside the decision's
    transaction, so no message for a decision that rolls back)."""
    from app.residence.declarations import KIND_LABELS
    from app.residence.tables import Declaration

    if state not in ("accepted", "rejected"):
        return
    row = await (
        Declaration.ward_select(
            Declaration.kind,
            Declaration.full_name,
            Declaration.reference,
            Declaration.rejection_reason,
            Declaration.stay,
            Declaration.stay.room.property,
            Declaration.stay.room.property.landlord,
        )
        .where(Declaration.id == declaration_id)
        .first()
    )
    if row is None:
        return
    await send(
        DECLARATION_ACCEPTED if state == "accepted" else DECLARATION_REJECTED,
        to=Recipient(user_id=row["stay.room.property.landlord"]),
        data={
            "kind": KIND_LABELS.get(row["kind"], row["kind"]),
            "person": row["full_name"],
            "reference": row["reference"],
            "reason": row["rejection_reason"],
            "url": f"{await ward_base()}/landlord/properties/{row['stay.room.property']}#stay-{row['stay']}",
        },
        subject=f"declaration:{declaration_id}:{state}",
    )
