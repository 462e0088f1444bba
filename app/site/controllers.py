from __future__ import annotations

from litestar import Request, Response, get, post
from litestar.datastructures import Cookie
from litestar.di import NamedDependency
from litestar.response import Template

from app import i18n
from app.accounts.tables import User
from app.db import ping, write_transaction
from app.web.http import form_data, safe_next, see_other
from app.web.templating import render
from tenants.office_hours import describe_office_hours
from tenants.resolve import WardContext
from tenants.service import list_wards


@get("/", name="home", include_in_schema=False)
async def platform_home() -> Template:
    return render("site/home.html", wards=await list_wards())


@get("/", name="ward_home", opt={"public": True}, include_in_schema=False)
async def ward_home(ward: NamedDependency[WardContext]) -> Template:
    return render("site/ward.html", ward=ward, hours=describe_office_hours(ward.office_hours))


@post("/lang", name="set_language", include_in_schema=False)
async def set_language(request: Request) -> Response:
    data = await form_data(request)
    locale = data.get("locale", "")
    if locale not in i18n.LOCALES:
        locale = i18n.current_locale()
    user = request.scope.get("user")
    if user and not user.via_token:
        async with write_transaction():
            await User.update({User.locale: locale}).where(User.id == user.id)
    response = see_other(safe_next(data.get("next")))
    response.cookies.append(
        Cookie(key=i18n.LOCALE_COOKIE, value=locale, max_age=365 * 24 * 3600, samesite="lax", path="/")
    )
    return response


@get("/healthz", name="healthz", include_in_schema=False, opt={"exclude_from_csrf": True})
async def healthz() -> Response:
    ok = await ping()
    return Response({"status": "ok" if ok else "unavailable", "database": ok}, status_code=200 if ok else 503)
