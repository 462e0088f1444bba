"""Correcting a declaration the police sent back: the landlord fixes the person's details or the stay's, and
the declaration is filed again from them (its history keeps what changed). The ID number is not corrected
here: a different number is a different person, checked out and registered again."""

from __future__ import annotations

from litestar.connection import ASGIConnection

from app.errors import RuleError
from app.housing.forms import parse_date
from app.housing.tables import Renter, Stay
from app.i18n import _l
from app.once import run_once
from app.residence.declarations import S, file_for_stay
from app.residence.tables import Declaration
from app.web.forms import Form
from tenants.communes import fold

RENTER_FIELDS = ("full_name", "birth_date", "gender", "permanent_address", "phone")
STAY_FIELDS = ("expected_to", "reason")


class CorrectionForm(Form):
    def validate(self) -> None:
        self.text("full_name", max_length=120, min_length=2)
        parse_date(self, "birth_date", required=False)
        self.choice("gender", ["male", "female"], required=False)
        self.text("permanent_address", required=False, max_length=255)
        self.phone("phone", required=False)
        parse_date(self, "expected_to", required=False)
        self.text("reason", required=False, max_length=120)


async def correctable(declaration_id: int, landlord_id: int) -> dict:
    """The landlord's declaration with its stay's and renter's current values; LookupError if not theirs."""
    row = (
        await Declaration.ward_select(
            Declaration.id,
            Declaration.kind,
            Declaration.state,
            Declaration.stay,
            Declaration.renter,
            Declaration.rejection_reason,
            Declaration.id_number,
            Declaration.stay.from_date,
            Declaration.stay.expected_to,
            Declaration.stay.reason,
            Declaration.stay.room.property.id,
            Declaration.renter.full_name,
            Declaration.renter.birth_date,
            Declaration.renter.gender,
            Declaration.renter.permanent_address,
            Declaration.renter.phone,
        )
        .where((Declaration.id == declaration_id) & (Declaration.stay.room.property.landlord == landlord_id))
        .first()
    )
    if row is None:
        raise LookupError(declaration_id)
    return row


async def correct_and_resubmit(
    declaration_id: int, *, landlord_id: int, values: dict, form_token: str, connection: ASGIConnection, done_url: str
) -> str:
    """Save the corrected details and file the declaration again, in one transaction, once per form token."""

    async def act() -> str:
        current = await correctable(declaration_id, landlord_id)
        if current["state"] not in (S.draft, S.rejected):
            raise RuleError(_l("This declaration is already filed."), status_code=409)
        expected_to = values["expected_to"]
        if expected_to is not None and expected_to < current["stay.from_date"]:
            raise RuleError(_l("The expected end is before the move-in date."), field="expected_to")
        renter = {getattr(Renter, k): values[k] for k in RENTER_FIELDS}
        renter[Renter.name_folded] = fold(values["full_name"])
        await Renter.ward_update(renter).where(Renter.id == current["renter"])
        await Stay.ward_update({getattr(Stay, k): values[k] for k in STAY_FIELDS}).where(Stay.id == current["stay"])
        await file_for_stay(
            current["stay"], landlord_id=landlord_id, form_token="", connection=connection, done_url=done_url
        )
        return done_url

    return await run_once(form_token, act)
