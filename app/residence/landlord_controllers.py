"""The landlord's side of declarations: filing the one a stay needs in one tap, and its CT01 and receipt."""

from __future__ import annotations

import anyio
from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath

from app.accounts.tables import Role
from app.residence import declarations
from app.residence.ct01 import Ct01Data, ReceiptData, render_ct01_pdf, render_receipt_pdf, request_text
from app.residence.deadlines import DeclarationKind, tam_tru_expiry
from app.web.http import form_data, see_other
from tenants.resolve import WardContext

LANDLORD = {"roles": {Role.landlord}}
_GENDERS = {"male": "Nam", "female": "Nữ"}  # the form is printed in Vietnamese whatever the reader's language


def _me(request: Request) -> int:
    return request.scope["user"].id


@post("/landlord/stays/{stay_id:int}/declare", name="stay_declare", opt=LANDLORD, include_in_schema=False)
async def stay_declare(request: Request, ward: NamedDependency[WardContext], stay_id: FromPath[int]) -> Response:
    """File what the stay needs now (or resubmit a rejected one); back to the people list, which then offers
    the PDFs. A refusal (nothing to file, already filed) is a RuleError page with its status."""
    try:
        stay = await declarations.stay_of_landlord(stay_id, _me(request))
    except LookupError:
        raise NotFoundException() from None
    data = await form_data(request)
    url = await declarations.file_for_stay(
        stay_id,
        landlord_id=_me(request),
        form_token=data.get("form_token") or "",
        connection=request,
        done_url=f"{ward.base}/landlord/properties/{stay['room.property']}#stay-{stay_id}",
    )
    return see_other(url)


async def _declaration(request: Request, declaration_id: int) -> dict:
    try:
        return await declarations.declaration_of_landlord(declaration_id, _me(request))
    except LookupError:
        raise NotFoundException() from None


def _pdf(pdf: bytes, name: str) -> Response:
    return Response(
        pdf, media_type="application/pdf", headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


def _authority(ward: WardContext) -> str:
    """ "Công an phường Xuân Phương" from the ward's name "Phường Xuân Phương"."""
    return f"Công an {ward.name[:1].lower()}{ward.name[1:]}"


@get(
    "/landlord/declarations/{declaration_id:int}/ct01.pdf",
    name="declaration_ct01",
    opt=LANDLORD,
    include_in_schema=False,
)
async def declaration_ct01(
    request: Request, ward: NamedDependency[WardContext], declaration_id: FromPath[int]
) -> Response:
    """The CT01 with every known field filled, for a tạm trú registration, extension or removal."""
    d = await _declaration(request, declaration_id)
    kind = DeclarationKind(d["kind"])
    if kind not in declarations.CT01_KINDS:
        raise NotFoundException()  # lưu trú and foreigners' declarations have no CT01
    until = None
    if kind is not DeclarationKind.removal and d["arrival_date"] is not None:
        until = tam_tru_expiry(d["arrival_date"], d["expected_departure"])
    data = Ct01Data(
        authority=_authority(ward),
        full_name=d["full_name"],
        birth_date=d["birth_date"],
        gender=_GENDERS.get(d["gender"], ""),
        id_number=d["id_number"],
        phone=d["phone"],
        request=request_text(kind, d["address"], until),
        owner_name=d["stay.room.property.landlord.full_name"],
    )
    pdf = await anyio.to_thread.run_sync(render_ct01_pdf, data)  # CPU work off the event loop
    return _pdf(pdf, f"ct01-{declaration_id}.pdf")


@get(
    "/landlord/declarations/{declaration_id:int}/receipt.pdf",
    name="declaration_receipt",
    opt=LANDLORD,
    include_in_schema=False,
)
async def declaration_receipt(
    request: Request, ward: NamedDependency[WardContext], declaration_id: FromPath[int]
) -> Response:
    """What was filed, for whom and when, with the police's reference once given."""
    d = await _declaration(request, declaration_id)
    if d["submitted_at"] is None:
        raise NotFoundException()  # a draft was not filed: nothing to give a receipt for
    data = ReceiptData(
        ward_name=ward.name,
        kind=declarations.KIND_LABELS[DeclarationKind(d["kind"])],
        renter_name=d["full_name"],
        id_number=d["id_number"],
        property_name=d["stay.room.property.name"],
        address=d["address"],
        room=d["room_code"],
        filed_at=d["submitted_at"],
        filed_by=d["stay.room.property.landlord.full_name"],
        stay_from=d["arrival_date"],
        stay_to=d["expected_departure"],
        reference=d["reference"],
    )
    pdf = await anyio.to_thread.run_sync(render_receipt_pdf, data)
    return _pdf(pdf, f"receipt-{declaration_id}.pdf")


ROUTES = [stay_declare, declaration_ct01, declaration_receipt]
