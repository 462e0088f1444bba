"""Registering renters (scan or photo of the CCCD's QR, or typing: all three land on one confirm form),
checking them in, out, and from room to room."""

from __future__ import annotations

from datetime import date

from litestar import Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Template

from app.accounts.tables import Role
from app.errors import RuleError
from app.housing import services, stays
from app.housing.cccd_qr import CccdCard, CccdQrError, parse_cccd_qr
from app.housing.forms import CheckOutForm, MoveForm, RenterForm
from app.housing.qr_decode import QrImageError, decode_qr_image
from app.web.forms import Form
from app.web.http import form_data, see_other
from app.web.ids import as_id
from app.web.templating import render
from tenants.resolve import WardContext

LANDLORD = {"roles": {Role.landlord}}


def _dmy(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def _from_card(card: CccdCard) -> dict[str, str]:
    """What the QR says, as the confirm form's values; nothing is invented for what it does not say."""
    return {
        "id_number": card.id_number, "old_id_number": card.old_id_number, "full_name": card.full_name,
        "birth_date": _dmy(card.birth_date), "gender": card.gender or "", "permanent_address": card.permanent_address,
    }  # fmt: skip


async def read_scan(request: Request) -> tuple[Form, CccdCard | None]:
    """Read a card from the posted photo (decoded in memory, never stored) or QR text; on failure the
    returned form carries the message beside the field that was used."""
    data = await request.form()
    scan = Form({"qr_text": data.get("qr_text") or ""})
    photo = data.get("photo")
    field = "qr_text"
    try:
        if isinstance(photo, UploadFile) and photo.filename:
            field = "photo"
            text = decode_qr_image(await photo.read())
        else:
            text = scan.value("qr_text")
        return scan, parse_cccd_qr(text)
    except (QrImageError, CccdQrError) as exc:
        scan.error(field, exc.text)
        return scan, None


async def _page(
    request: Request,
    ward: WardContext,
    property_id: int,
    *,
    form: RenterForm | None = None,
    scan: Form | None = None,
    status: int = 200,
    unreadable: tuple[str, ...] = (),
) -> Template:
    try:
        prop = await services.property_of(property_id, landlord_id=request.scope["user"].id)
    except LookupError:
        raise NotFoundException() from None
    rooms = await services.rooms_of(property_id)
    counts = await stays.occupancy(property_id)
    if form is None:
        form = RenterForm({"from_date": _dmy(stays.today())})
    return render(
        "housing/renter_new.html",
        status=status,
        ward=ward,
        prop=prop,
        rooms=rooms,
        counts=counts,
        form=form,
        scan=scan or Form(),
        unreadable=unreadable,
        scan_url=f"{ward.base}/landlord/properties/{property_id}/renters/scan",
    )


@get("/landlord/properties/{property_id:int}/renters/new", name="renter_new", opt=LANDLORD, include_in_schema=False)
async def renter_new(request: Request, ward: NamedDependency[WardContext], property_id: FromPath[int]) -> Template:
    return await _page(request, ward, property_id)


@post("/landlord/properties/{property_id:int}/renters/scan", name="renter_scan", opt=LANDLORD, include_in_schema=False)
async def renter_scan(request: Request, ward: NamedDependency[WardContext], property_id: FromPath[int]) -> Template:
    """A photo of the card's QR (decoded here, never stored) or the QR's text from the in-page scanner or
    typed: either fills the confirm form, or says what is wrong."""
    scan, card = await read_scan(request)
    if card is None:
        return await _page(request, ward, property_id, scan=scan, status=422)
    form = RenterForm({**_from_card(card), "from_date": _dmy(stays.today())})
    return await _page(request, ward, property_id, form=form, unreadable=card.unreadable)


@post("/landlord/properties/{property_id:int}/renters", name="renter_check_in", opt=LANDLORD, include_in_schema=False)
async def renter_check_in(
    request: Request, ward: NamedDependency[WardContext], property_id: FromPath[int]
) -> Template | Response:
    rooms = [str(r["id"]) for r in await services.rooms_of(property_id)]
    form = RenterForm(await form_data(request), rooms=rooms)
    if form.is_valid():
        c = form.cleaned
        person = stays.RenterInput.of(c)
        try:
            url = await stays.check_in(
                landlord_id=request.scope["user"].id,
                person=person,
                room_id=int(c["room_id"]),
                from_date=c["from_date"],
                expected_to=c["expected_to"],
                reason=c["reason"],
                form_token=form.value("form_token"),
                connection=request,
                done_url=f"{ward.base}/landlord/properties/{property_id}#people",
            )
        except LookupError:
            raise NotFoundException() from None
        except RuleError as exc:
            form.error(exc.field or "__all__", exc.text)
            return await _page(request, ward, property_id, form=form, status=exc.status_code)
        return see_other(url)
    return await _page(request, ward, property_id, form=form, status=422)


async def _own_stay(request: Request, stay_id: int) -> int:
    try:
        return await stays.property_of_stay(stay_id, request.scope["user"].id)
    except LookupError:
        raise NotFoundException() from None


@post("/landlord/stays/{stay_id:int}/check-out", name="stay_check_out", opt=LANDLORD, include_in_schema=False)
async def stay_check_out(request: Request, ward: NamedDependency[WardContext], stay_id: FromPath[int]) -> Response:
    await _own_stay(request, stay_id)  # a guessed id is 404 before anything about the form is said
    form = CheckOutForm(await form_data(request))
    if not form.is_valid():
        raise RuleError(next(iter(form.errors.values())), field="to_date")
    try:
        property_id = await stays.check_out(
            stay_id, landlord_id=request.scope["user"].id, on=form.cleaned["to_date"], connection=request
        )
    except LookupError:
        raise NotFoundException() from None
    return see_other(f"{ward.base}/landlord/properties/{property_id}#people")


@post("/landlord/stays/{stay_id:int}/move", name="stay_move", opt=LANDLORD, include_in_schema=False)
async def stay_move(request: Request, ward: NamedDependency[WardContext], stay_id: FromPath[int]) -> Response:
    await _own_stay(request, stay_id)
    data = await form_data(request)
    form = MoveForm(data, rooms=[data.get("room_id", "")] if as_id(data.get("room_id")) else [])
    if not form.is_valid():
        raise RuleError(next(iter(form.errors.values())), field="room_id")
    try:
        property_id = await stays.move(
            stay_id,
            landlord_id=request.scope["user"].id,
            room_id=int(form.cleaned["room_id"]),
            on=form.cleaned["on"],
            connection=request,
        )
    except LookupError:
        raise NotFoundException() from None
    return see_other(f"{ward.base}/landlord/properties/{property_id}#people")


ROUTES = [renter_new, renter_scan, renter_check_in, stay_check_out, stay_move]
