"""The landlord's side of declarations: filing the one a stay needs in one tap, and its CT01 and receipt."""

from __future__ import annotations

import anyio
from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Template

from app.accounts.tables import Role
from app.errors import RuleError
from app.residence import corrections, declarations
from app.residence.corrections import CorrectionForm
from app.residence.ct01 import Ct01Data, ReceiptData, render_ct01_pdf, render_receipt_pdf, request_text
from app.residence.deadlines import DeclarationKind, tam_tru_expiry
from app.web.http import form_data, safe_next, see_other
from app.web.templating import render
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
        done_url=safe_next(
            data.get("next"), default=f"{ward.base}/landlord/properties/{stay['room.property']}#stay-{stay_id}"
        ),
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


def _dmy(value) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


async def _correct_page(
    request: Request, ward: WardContext, declaration_id: int, form: CorrectionForm | None = None, status: int = 200
) -> Template:
    try:
        current = await corrections.correctable(declaration_id, _me(request))
    except LookupError:
        raise NotFoundException() from None
    if form is None:
        form = CorrectionForm(
            {
                "full_name": current["renter.full_name"],
                "birth_date": _dmy(current["renter.birth_date"]),
                "gender": current["renter.gender"],
                "permanent_address": current["renter.permanent_address"],
                "phone": current["renter.phone"],
                "expected_to": _dmy(current["stay.expected_to"]),
                "reason": current["stay.reason"],
            }
        )
    return render("residence/correct.html", status=status, ward=ward, d=current, form=form)


@get(
    "/landlord/declarations/{declaration_id:int}/correct",
    name="declaration_correct",
    opt=LANDLORD,
    include_in_schema=False,
)
async def declaration_correct(
    request: Request, ward: NamedDependency[WardContext], declaration_id: FromPath[int]
) -> Template:
    """The details a declaration sent back was made from, to correct before it is filed again."""
    return await _correct_page(request, ward, declaration_id)


@post(
    "/landlord/declarations/{declaration_id:int}/correct",
    name="declaration_resubmit",
    opt=LANDLORD,
    include_in_schema=False,
)
async def declaration_resubmit(
    request: Request, ward: NamedDependency[WardContext], declaration_id: FromPath[int]
) -> Template | Response:
    try:
        current = await corrections.correctable(declaration_id, _me(request))
    except LookupError:
        raise NotFoundException() from None
    form = CorrectionForm(await form_data(request))
    if not form.is_valid():
        return await _correct_page(request, ward, declaration_id, form, status=422)
    try:
        url = await corrections.correct_and_resubmit(
            declaration_id,
            landlord_id=_me(request),
            values=form.cleaned,
            form_token=form.value("form_token"),
            connection=request,
            done_url=f"{ward.base}/landlord/properties/{current['stay.room.property.id']}#stay-{current['stay']}",
        )
    except RuleError as exc:
        form.error(exc.field or "__all__", exc.text)
        return await _correct_page(request, ward, declaration_id, form, status=exc.status_code)
    return see_other(url)


ROUTES += [declaration_correct, declaration_resubmit]
