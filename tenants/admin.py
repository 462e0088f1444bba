"""The platform admin's pages: wards (created from the official list) and each ward's first officers."""

from __future__ import annotations

from litestar import Request, Response, get, post
from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, NotFoundException
from litestar.handlers import BaseRouteHandler
from litestar.params import FromPath, FromQuery
from litestar.response import Template

from app.accounts import admin_service
from app.errors import RuleError
from app.web.http import form_data, see_other
from app.web.templating import render
from tenants import service
from tenants.communes import search_communes, slugify
from tenants.forms import WARD_FIELDS, OfficerForm, WardForm
from tenants.tables import Ward


def platform_admin_only(connection: ASGIConnection, _handler: BaseRouteHandler) -> None:
    user = connection.scope.get("user")
    if user is None:
        raise NotAuthorizedException()
    if not user.is_platform_admin or user.via_token:
        raise NotFoundException()


@get("/admin/", name="admin_home", guards=[platform_admin_only], include_in_schema=False)
async def admin_home() -> Template:
    return render("admin/wards.html", wards=await service.list_wards(active_only=False))


@get("/admin/wards/new", name="ward_new", guards=[platform_admin_only], include_in_schema=False)
async def ward_new(q: FromQuery[str] = "", code: FromQuery[int | None] = None) -> Template:
    form = WardForm()
    if code is not None:
        found = search_communes(str(code))
        if found:
            form.raw.update(code=str(found[0].code), slug=slugify(found[0].name))
    return render("admin/ward_form.html", form=form, matches=search_communes(q) if q else [], q=q, ward=None)


@post("/admin/wards/new", name="ward_create", guards=[platform_admin_only], include_in_schema=False)
async def ward_create(request: Request) -> Template | Response:
    form = WardForm(await form_data(request))
    if form.is_valid():
        c = form.cleaned
        try:
            ward_id = await service.create_ward(code=c["code"], **{k: c[k] for k in WARD_FIELDS}, connection=request)
        except RuleError as exc:
            form.error(exc.field or "__all__", exc.text)
            return render("admin/ward_form.html", status=exc.status_code, form=form, matches=[], q="", ward=None)
        return see_other(f"/admin/wards/{ward_id}")
    return render("admin/ward_form.html", status=422, form=form, matches=[], q="", ward=None)


async def _ward(ward_id: int) -> dict:
    row = await Ward.select().where(Ward.id == ward_id).first()
    if row is None:
        raise NotFoundException()
    return row


async def _ward_page(
    ward_id: FromPath[int],
    *,
    form: WardForm | None = None,
    officer_form: OfficerForm | None = None,
    status: int = 200,
    created: dict | None = None,
) -> Template:
    ward = await _ward(ward_id)
    if form is None:
        form = WardForm(
            {k: str(v) if not isinstance(v, bool) else ("on" if v else "") for k, v in ward.items()}, creating=False
        )
    return render(
        "admin/ward_detail.html",
        status=status,
        ward=ward,
        form=form,
        officer_form=officer_form or OfficerForm(),
        officers=await admin_service.officers_of(ward_id),
        created=created,
    )


@get("/admin/wards/{ward_id:int}", name="ward_detail", guards=[platform_admin_only], include_in_schema=False)
async def ward_detail(ward_id: FromPath[int]) -> Template:
    return await _ward_page(ward_id)


@post("/admin/wards/{ward_id:int}", name="ward_update", guards=[platform_admin_only], include_in_schema=False)
async def ward_update(request: Request, ward_id: FromPath[int]) -> Template | Response:
    await _ward(ward_id)
    form = WardForm(await form_data(request), creating=False)
    if form.is_valid():
        c = form.cleaned
        try:
            await service.update_ward(ward_id, **{k: c[k] for k in WARD_FIELDS}, active=c["active"], connection=request)
        except RuleError as exc:
            form.error(exc.field or "__all__", exc.text)
            return await _ward_page(ward_id, form=form, status=exc.status_code)
        return see_other(f"/admin/wards/{ward_id}")
    return await _ward_page(ward_id, form=form, status=422)


@post(
    "/admin/wards/{ward_id:int}/officers",
    name="ward_officer_create",
    guards=[platform_admin_only],
    include_in_schema=False,
)
async def ward_officer_create(request: Request, ward_id: FromPath[int]) -> Template:
    await _ward(ward_id)
    form = OfficerForm(await form_data(request))
    if form.is_valid():
        try:
            password = await admin_service.add_officer(
                ward_id, full_name=form.cleaned["full_name"], phone=form.cleaned["phone"], connection=request
            )
        except RuleError as exc:
            form.error(exc.field or "__all__", exc.text)
            return await _ward_page(ward_id, officer_form=form, status=exc.status_code)
        return await _ward_page(ward_id, status=201, created={**form.cleaned, "password": password})
    return await _ward_page(ward_id, officer_form=form, status=422)


ROUTES = [admin_home, ward_new, ward_create, ward_detail, ward_update, ward_officer_create]
