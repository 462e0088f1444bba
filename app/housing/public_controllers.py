"""The resident's side of a sticker: asking to be registered at the property, and following the request."""

from __future__ import annotations

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Template

from app.accounts.tables import Role
from app.errors import RuleError
from app.housing import self_registration, services, stays
from app.housing.forms import ReasonForm, SelfRegistrationForm
from app.housing.renter_controllers import _dmy, _from_card, read_scan
from app.web.forms import Form
from app.web.http import form_data, see_other
from app.web.templating import render
from tenants.resolve import WardContext, find_ward_by_id

LANDLORD = {"roles": {Role.landlord}}


async def _property(token: str) -> services.PublicProperty:
    prop = await services.public_property(token)
    if prop is None or prop.replaced:
        raise NotFoundException()
    return prop


async def _page(
    prop: services.PublicProperty,
    token: str,
    *,
    form: SelfRegistrationForm | None = None,
    scan: Form | None = None,
    status: int = 200,
    unreadable: tuple[str, ...] = (),
) -> Template:
    return render(
        "housing/self_register.html",
        status=status,
        prop=prop,
        token=token,
        ward=await find_ward_by_id(prop.ward_id),
        rooms=await self_registration.public_rooms(prop.id, prop.ward_id),
        form=form or SelfRegistrationForm({"from_date": _dmy(stays.today())}),
        scan=scan or Form(),
        unreadable=unreadable,
        scan_url=f"/q/{token}/register/scan",
    )


@get("/q/{token:str}/register", name="self_register", include_in_schema=False)
async def self_register(token: FromPath[str]) -> Template:
    return await _page(await _property(token), token)


@post("/q/{token:str}/register/scan", name="self_register_scan", include_in_schema=False)
async def self_register_scan(request: Request, token: FromPath[str]) -> Template:
    prop = await _property(token)
    scan, card = await read_scan(request)
    if card is None:
        return await _page(prop, token, scan=scan, status=422)
    form = SelfRegistrationForm({**_from_card(card), "from_date": _dmy(stays.today())})
    return await _page(prop, token, form=form, unreadable=card.unreadable)


@post("/q/{token:str}/register", name="self_register_submit", include_in_schema=False)
async def self_register_submit(request: Request, token: FromPath[str]) -> Template | Response:
    prop = await _property(token)
    rooms = [str(r["id"]) for r in await self_registration.public_rooms(prop.id, prop.ward_id)]
    form = SelfRegistrationForm(await form_data(request), rooms=rooms)
    if form.is_valid():
        c = form.cleaned
        person = stays.RenterInput.of(c)
        try:
            url = await self_registration.submit(
                prop,
                person=person,
                room_id=int(c["room_id"]),
                move_in=c["from_date"],
                form_token=form.value("form_token"),
                connection=request,
            )
        except RuleError as exc:
            form.error(exc.field or "__all__", exc.text)
            return await _page(prop, token, form=form, status=exc.status_code)
        return see_other(url)
    return await _page(prop, token, form=form, status=422)


@get("/q/r/{code:str}", name="self_register_status", include_in_schema=False)
async def self_register_status(code: FromPath[str]) -> Template:
    request = await self_registration.status_of(code)
    if request is None:
        raise NotFoundException()
    return render("housing/self_register_status.html", ask=request)


async def _decide(request: Request, ward: WardContext, request_id: int, accept: bool) -> Response:
    landlord_id = request.scope["user"].id
    try:
        if accept:
            await self_registration.accept(request_id, landlord_id=landlord_id, connection=request)
        else:
            reason = ReasonForm(await form_data(request)).reason()
            await self_registration.reject(request_id, landlord_id=landlord_id, reason=reason, connection=request)
    except LookupError:
        raise NotFoundException() from None
    return see_other(f"{ward.base}/landlord/#requests")


@post("/landlord/requests/{request_id:int}/accept", name="request_accept", opt=LANDLORD, include_in_schema=False)
async def request_accept(request: Request, ward: NamedDependency[WardContext], request_id: FromPath[int]) -> Response:
    return await _decide(request, ward, request_id, True)


@post("/landlord/requests/{request_id:int}/reject", name="request_reject", opt=LANDLORD, include_in_schema=False)
async def request_reject(request: Request, ward: NamedDependency[WardContext], request_id: FromPath[int]) -> Response:
    return await _decide(request, ward, request_id, False)


PUBLIC_ROUTES = [self_register, self_register_scan, self_register_submit, self_register_status]
WARD_ROUTES = [request_accept, request_reject]
