"""Housing pages: the landlord's properties and rooms, the officer's verification queue, the sticker, and
the public page a resident reaches by scanning it."""

from __future__ import annotations

import anyio
from litestar import MediaType, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.response import Template

from app.accounts.tables import Role
from app.errors import RuleError
from app.housing import overview, self_registration, services, stays
from app.housing.forms import PropertyForm, ReasonForm, RoomForm, RoomsForm
from app.housing.qr_svg import property_qr_url, qr_svg
from app.housing.stickers import StickerData, render_sticker_pdf
from app.housing.tables import PropertyKind, PropertyStatus
from app.residence import declarations
from app.web import page_cache
from app.web.http import form_data, see_other
from app.web.templating import render
from tenants.office_hours import describe_office_hours
from tenants.resolve import WardContext, find_ward_by_id

LANDLORD_ANY = {"roles": {Role.landlord}, "allow_pending": True}
LANDLORD = {"roles": {Role.landlord}}
OFFICER = {"roles": {Role.officer}}
POLICE = {"roles": {Role.police}}


def _me(request: Request) -> int:
    return request.scope["user"].id


@get("/landlord/", name="landlord_home", opt=LANDLORD_ANY, include_in_schema=False)
async def landlord_home(request: Request, ward: NamedDependency[WardContext]) -> Template:
    approved = ward.role is not None and ward.role.status.value == "active"
    if not approved:
        return render("housing/landlord_home.html", ward=ward, approved=False)
    today = stays.today()
    due_today, late = await declarations.due_for_landlord(_me(request))
    return render(
        "housing/landlord_home.html",
        due_today=due_today,
        late=late,
        ward=ward,
        approved=True,
        properties=await overview.house_summaries(_me(request)),
        moves=await overview.moves_this_week(_me(request), today),
        week=overview.week_of(today),
        requests=await self_registration.pending_for(_me(request)),
        form=ReasonForm(),
    )


@get("/landlord/renters", name="renter_search", opt=LANDLORD, include_in_schema=False)
async def renter_search(request: Request, ward: NamedDependency[WardContext], q: FromQuery[str] = "") -> Template:
    """Find one of the landlord's renters again. htmx asks for the results alone as the person types."""
    people = await overview.search_renters(_me(request), q)
    results_only = request.headers.get("HX-Target") == "renter-results"
    return render(
        "housing/_renter_results.html" if results_only else "housing/renter_search.html",
        ward=ward,
        q=q.strip(),
        people=people,
    )


def _property_form_page(ward: WardContext, form: PropertyForm, *, prop: dict | None = None, status: int = 200):
    return render(
        "housing/property_form.html",
        status=status,
        ward=ward,
        form=form,
        prop=prop,
        kinds=[k.value for k in PropertyKind],
    )


@get("/landlord/properties/new", name="property_new", opt=LANDLORD, include_in_schema=False)
async def property_new(request: Request, ward: NamedDependency[WardContext]) -> Template:
    form = PropertyForm({"show_contact": "on", "contact_phone": request.scope["user"].phone, "kind": "rooms"})
    return _property_form_page(ward, form)


@post("/landlord/properties/new", name="property_create", opt=LANDLORD, include_in_schema=False)
async def property_create(request: Request, ward: NamedDependency[WardContext]) -> Template | Response:
    form = PropertyForm(await form_data(request))
    if not form.is_valid():
        return _property_form_page(ward, form, status=422)
    values = {k: form.cleaned[k] for k in services.PROPERTY_FIELDS}
    url = await services.create_property(
        landlord_id=_me(request), values=values, form_token=form.value("form_token"), connection=request
    )
    return see_other(f"{ward.base}/landlord/{url}")


async def _property_page(
    request: Request,
    ward: WardContext,
    property_id: int,
    *,
    status: int = 200,
    form: PropertyForm | None = None,
    rooms_form: RoomsForm | None = None,
    added: int = 0,
) -> Template:
    try:
        prop = await services.property_of(property_id, landlord_id=_me(request))
    except LookupError:
        raise NotFoundException() from None
    if form is None:
        form = PropertyForm(
            {
                k: ("on" if v is True else "" if v is False else str(v))
                for k, v in prop.items()
                if k in services.PROPERTY_FIELDS
            }
        )
    url = property_qr_url(prop["qr_token"])
    people = await stays.open_stays(property_id)
    return render(
        "housing/property.html",
        status=status,
        ward=ward,
        prop=prop,
        form=form,
        rooms_form=rooms_form or RoomsForm({"max_occupancy": "2"}),
        rooms=await services.rooms_of(property_id),
        people=people,
        filings=await declarations.filings_for_stays([s["id"] for s in people]),
        counts=await stays.occupancy(property_id),
        today=stays.today(),
        kinds=[k.value for k in PropertyKind],
        qr=qr_svg(url),
        qr_url=url,
        added=added,
    )


@get("/landlord/properties/{property_id:int}", name="property_detail", opt=LANDLORD, include_in_schema=False)
async def property_detail(
    request: Request, ward: NamedDependency[WardContext], property_id: FromPath[int], added: FromQuery[int] = 0
) -> Template:
    return await _property_page(request, ward, property_id, added=added)


@post("/landlord/properties/{property_id:int}", name="property_update", opt=LANDLORD, include_in_schema=False)
async def property_update(
    request: Request, ward: NamedDependency[WardContext], property_id: FromPath[int]
) -> Template | Response:
    form = PropertyForm(await form_data(request))
    if not form.is_valid():
        return await _property_page(request, ward, property_id, status=422, form=form)
    try:
        await services.update_property(
            property_id,
            landlord_id=_me(request),
            values={k: form.cleaned[k] for k in services.PROPERTY_FIELDS},
            connection=request,
        )
    except LookupError:
        raise NotFoundException() from None
    return see_other(f"{ward.base}/landlord/properties/{property_id}")


@post("/landlord/properties/{property_id:int}/rooms", name="rooms_add", opt=LANDLORD, include_in_schema=False)
async def rooms_add(
    request: Request, ward: NamedDependency[WardContext], property_id: FromPath[int]
) -> Template | Response:
    form = RoomsForm(await form_data(request))
    if form.is_valid():
        c = form.cleaned
        try:
            added = await services.add_rooms(
                property_id,
                landlord_id=_me(request),
                codes=services.expand_room_codes(c["codes"]),
                floor=c["floor"],
                area_m2=c["area_m2"],
                max_occupancy=c["max_occupancy"],
                monthly_rent=c["monthly_rent"],
                connection=request,
            )
        except LookupError:
            raise NotFoundException() from None
        except RuleError as exc:
            form.error(exc.field or "__all__", exc.text)
            return await _property_page(request, ward, property_id, status=exc.status_code, rooms_form=form)
        return see_other(f"{ward.base}/landlord/properties/{property_id}?added={added}#rooms")
    return await _property_page(request, ward, property_id, status=422, rooms_form=form)


async def _room_page(
    request: Request, ward: WardContext, room_id: int, form: RoomForm | None = None, status: int = 200
):
    try:
        room = await services.room_of(room_id, landlord_id=_me(request))
        prop = await services.property_of(room["property"], landlord_id=_me(request))
    except LookupError:
        raise NotFoundException() from None
    if form is None:
        form = RoomForm({k: "" if room[k] is None else str(room[k]) for k in services.ROOM_FIELDS})
    return render("housing/room_form.html", status=status, ward=ward, room=room, prop=prop, form=form)


@get("/landlord/rooms/{room_id:int}/edit", name="room_edit", opt=LANDLORD, include_in_schema=False)
async def room_edit(request: Request, ward: NamedDependency[WardContext], room_id: FromPath[int]) -> Template:
    return await _room_page(request, ward, room_id)


@post("/landlord/rooms/{room_id:int}/edit", name="room_update", opt=LANDLORD, include_in_schema=False)
async def room_update(
    request: Request, ward: NamedDependency[WardContext], room_id: FromPath[int]
) -> Template | Response:
    form = RoomForm(await form_data(request))
    if form.is_valid():
        values = {k: form.cleaned[k] for k in services.ROOM_FIELDS}
        try:
            property_id = await services.update_room(
                room_id, landlord_id=_me(request), values=values, connection=request
            )
        except LookupError:
            raise NotFoundException() from None
        except RuleError as exc:
            form.error(exc.field or "__all__", exc.text)
            return await _room_page(request, ward, room_id, form, status=exc.status_code)
        return see_other(f"{ward.base}/landlord/properties/{property_id}#rooms")
    return await _room_page(request, ward, room_id, form, status=422)


@post("/landlord/rooms/{room_id:int}/archive", name="room_archive", opt=LANDLORD, include_in_schema=False)
async def room_archive(request: Request, ward: NamedDependency[WardContext], room_id: FromPath[int]) -> Response:
    try:
        property_id = await services.archive_room(room_id, landlord_id=_me(request), connection=request)
    except LookupError:
        raise NotFoundException() from None
    return see_other(f"{ward.base}/landlord/properties/{property_id}#rooms")


@post("/landlord/properties/{property_id:int}/rotate", name="property_rotate", opt=LANDLORD, include_in_schema=False)
async def property_rotate(request: Request, ward: NamedDependency[WardContext], property_id: FromPath[int]) -> Response:
    try:
        await services.rotate_token(property_id, landlord_id=_me(request), connection=request)
    except LookupError:
        raise NotFoundException() from None
    return see_other(f"{ward.base}/landlord/properties/{property_id}#sticker")


async def _sticker(ward: WardContext, prop: dict) -> Response:
    data = StickerData(
        ward_name=ward.name,
        property_name=prop["name"],
        address=prop["street_address"],
        url=property_qr_url(prop["qr_token"]),
    )
    pdf = await anyio.to_thread.run_sync(render_sticker_pdf, data)  # CPU work off the event loop
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="sticker-{prop["id"]}.pdf"'},
    )


@get(
    "/landlord/properties/{property_id:int}/sticker.pdf", name="property_sticker", opt=LANDLORD, include_in_schema=False
)
async def property_sticker(
    request: Request, ward: NamedDependency[WardContext], property_id: FromPath[int]
) -> Response:
    try:
        prop = await services.property_of(property_id, landlord_id=_me(request))
    except LookupError:
        raise NotFoundException() from None
    return await _sticker(ward, prop)


@post(
    "/officer/properties/{property_id:int}/rotate", name="officer_property_rotate", opt=OFFICER, include_in_schema=False
)
async def officer_property_rotate(
    request: Request, ward: NamedDependency[WardContext], property_id: FromPath[int]
) -> Response:
    """A sticker reported lost, torn or copied: the ward replaces it, as the landlord can."""
    try:
        await services.rotate_token(property_id, landlord_id=None, connection=request)
    except LookupError:
        raise NotFoundException() from None
    return see_other(f"{ward.base}/officer/properties#property-{property_id}")


@get(
    "/officer/properties/{property_id:int}/sticker.pdf",
    name="officer_property_sticker",
    opt=OFFICER,
    include_in_schema=False,
)
async def officer_property_sticker(ward: NamedDependency[WardContext], property_id: FromPath[int]) -> Response:
    try:
        prop = await services.property_of(property_id)
    except LookupError:
        raise NotFoundException() from None
    return await _sticker(ward, prop)


@get("/officer/properties", name="officer_properties", opt=OFFICER, include_in_schema=False)
async def officer_properties(
    ward: NamedDependency[WardContext], status: FromQuery[str] = "", group: FromQuery[str] = ""
) -> Template:
    status = status if status in PropertyStatus.__members__ else ""
    return render(
        "housing/officer_properties.html",
        ward=ward,
        status_filter=status,
        group=group,
        properties=await services.ward_properties(status=status, group=group),
        groups=await services.residential_groups(),
        form=ReasonForm(),
    )


async def _decide(request: Request, ward: WardContext, property_id: int, status: PropertyStatus) -> Response:
    reason = ReasonForm(await form_data(request)).reason()
    try:
        await services.decide_property(property_id, status=status, reason=reason, connection=request)
    except LookupError:
        raise NotFoundException() from None
    return see_other(f"{ward.base}/officer/properties?status=pending")


@post("/officer/properties/{property_id:int}/verify", name="property_verify", opt=OFFICER, include_in_schema=False)
async def property_verify(request: Request, ward: NamedDependency[WardContext], property_id: FromPath[int]) -> Response:
    return await _decide(request, ward, property_id, PropertyStatus.verified)


@post(
    "/officer/properties/{property_id:int}/send-back", name="property_send_back", opt=OFFICER, include_in_schema=False
)
async def property_send_back(
    request: Request, ward: NamedDependency[WardContext], property_id: FromPath[int]
) -> Response:
    return await _decide(request, ward, property_id, PropertyStatus.sent_back)


@post("/officer/properties/{property_id:int}/suspend", name="property_suspend", opt=OFFICER, include_in_schema=False)
async def property_suspend(
    request: Request, ward: NamedDependency[WardContext], property_id: FromPath[int]
) -> Response:
    return await _decide(request, ward, property_id, PropertyStatus.suspended)


@get("/q/{token:str}", name="public_property", include_in_schema=False)
async def public_property(request: Request, token: FromPath[str]) -> Template | Response:
    """What a resident sees after scanning a sticker: no renter's name or data, and no count of renters.
    Kept in memory for visitors who are not signed in (see app/web/page_cache.py)."""
    prop = await services.public_property(token)
    if prop is None:
        raise NotFoundException()
    ward = await find_ward_by_id(prop.ward_id)
    context = {"prop": prop, "ward": ward, "token": token, "hours": describe_office_hours(ward["office_hours"])}
    if not page_cache.cacheable(request):
        return render("housing/public_property.html", **context)
    return Response(page_cache.keep(request, "housing/public_property.html", context), media_type=MediaType.HTML)


@get("/police/", name="police_home", opt=POLICE, include_in_schema=False)
async def police_home(ward: NamedDependency[WardContext], group: FromQuery[str] = "") -> Template:
    return render(
        "housing/police_properties.html",
        ward=ward,
        group=group,
        properties=await services.ward_properties(group=group),
        groups=await services.residential_groups(),
    )


@get("/police/properties/{property_id:int}", name="police_roster", opt=POLICE, include_in_schema=False)
async def police_roster(request: Request, ward: NamedDependency[WardContext], property_id: FromPath[int]) -> Template:
    """Who stays where, each with their declaration's state and what is due, read-only. Every person shown is
    written to the audit log: who saw them, when."""
    try:
        prop = await services.property_of(property_id)
    except LookupError:
        raise NotFoundException() from None
    people = await services.roster_shown(prop, connection=request)
    return render(
        "housing/police_roster.html",
        ward=ward,
        prop=prop,
        people=people,
        rooms=await services.rooms_of(property_id),
        filings=await declarations.filings_for_stays([p["id"] for p in people]),
    )


WARD_ROUTES = [
    police_home,
    police_roster,
    landlord_home,
    renter_search,
    property_new,
    property_create,
    property_detail,
    property_update,
    rooms_add,
    room_edit,
    room_update,
    room_archive,
    property_rotate,
    property_sticker,
    officer_properties,
    property_verify,
    officer_property_rotate,
    officer_property_sticker,
    property_send_back,
    property_suspend,
]
