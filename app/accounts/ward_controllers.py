"""Ward pages of accounts: landlord sign-up (public), the officer's approvals and staff accounts, and
each role's home in the ward."""

from __future__ import annotations

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.response import Template

from app.accounts import services
from app.accounts.forms import DecisionForm, SignupForm, StaffForm
from app.accounts.tables import Role
from app.db import write_transaction
from app.errors import RuleError
from app.web.http import form_data, see_other
from app.web.templating import render
from tenants.resolve import WardContext

PUBLIC = {"public": True}
OFFICER = {"roles": {Role.officer}}


@get("/signup", name="signup", opt=PUBLIC, include_in_schema=False)
async def signup_page(request: Request, ward: NamedDependency[WardContext]) -> Template | Response:
    return render("accounts/signup.html", ward=ward, form=SignupForm())


@post("/signup", name="signup_submit", opt=PUBLIC, include_in_schema=False)
async def signup_submit(request: Request, ward: NamedDependency[WardContext]) -> Template | Response:
    form = SignupForm(await form_data(request))
    if form.is_valid():
        c = form.cleaned

        try:
            url = await services.sign_up_landlord(
                full_name=c["full_name"],
                phone=c["phone"],
                id_number=c["id_number"],
                password=c["password"],
                connection=request,
                form_token=form.value("form_token"),
                done_url=f"/login?ward={ward.slug}&signed_up=1",
            )
            return see_other(url)
        except RuleError as exc:
            form.error(exc.field or "__all__", exc.text)
            return render("accounts/signup.html", status=exc.status_code, ward=ward, form=form)
    return render("accounts/signup.html", status=422, ward=ward, form=form)


@post("/join", name="join_as_landlord", opt=PUBLIC, include_in_schema=False)
async def join_as_landlord(request: Request, ward: NamedDependency[WardContext]) -> Response:
    user = request.scope.get("user")
    if user is None or user.via_token:
        return see_other(f"/login?next={ward.base}/")
    data = await form_data(request)
    if data.get("consent") != "on":
        raise RuleError(services.CONSENT_NEEDED, field="consent")
    async with write_transaction():
        membership_id = await services.request_landlord_role(user.id, request)
    request.scope["session"]["mid"] = membership_id
    return see_other(f"{ward.base}/landlord/")


@get("/officer/", name="officer_home", opt=OFFICER, include_in_schema=False)
async def officer_home(ward: NamedDependency[WardContext]) -> Template:
    return render(
        "accounts/officer_home.html", ward=ward, pending=await services.pending_landlords(), form=DecisionForm()
    )


async def _decide(request: Request, ward: WardContext, membership_id: int, approve: bool) -> Template | Response:
    form = DecisionForm(await form_data(request))
    form.is_valid()
    try:
        await services.decide_landlord(
            membership_id, approve=approve, reason=form.cleaned.get("reason", ""), connection=request
        )
    except LookupError:
        raise NotFoundException() from None
    except RuleError as exc:
        form.error(exc.field or "__all__", exc.text)
        return render(
            "accounts/officer_home.html",
            status=exc.status_code,
            ward=ward,
            pending=await services.pending_landlords(),
            form=form,
            failed_id=membership_id,
        )
    return see_other(f"{ward.base}/officer/")


@post("/officer/landlords/{membership_id:int}/approve", name="landlord_approve", opt=OFFICER, include_in_schema=False)
async def landlord_approve(
    request: Request, ward: NamedDependency[WardContext], membership_id: FromPath[int]
) -> Template | Response:
    return await _decide(request, ward, membership_id, True)


@post("/officer/landlords/{membership_id:int}/reject", name="landlord_reject", opt=OFFICER, include_in_schema=False)
async def landlord_reject(
    request: Request, ward: NamedDependency[WardContext], membership_id: FromPath[int]
) -> Template | Response:
    return await _decide(request, ward, membership_id, False)


async def _accounts_page(
    ward: WardContext,
    *,
    form: StaffForm | None = None,
    status: int = 200,
    created: dict | None = None,
    role: str = "",
) -> Template:
    return render(
        "accounts/officer_accounts.html",
        status=status,
        ward=ward,
        accounts=await services.ward_accounts(role),
        form=form or StaffForm(),
        created=created,
        role_filter=role,
    )


@get("/officer/accounts", name="ward_accounts", opt=OFFICER, include_in_schema=False)
async def accounts_page(ward: NamedDependency[WardContext], role: FromQuery[str] = "") -> Template:
    return await _accounts_page(ward, role=role if role in Role.__members__ else "")


@post("/officer/accounts", name="staff_create", opt=OFFICER, include_in_schema=False)
async def staff_create(request: Request, ward: NamedDependency[WardContext]) -> Template:
    form = StaffForm(await form_data(request))
    if not form.is_valid():
        return await _accounts_page(ward, form=form, status=422)
    c = form.cleaned
    try:
        _membership_id, password = await services.create_staff(
            role=Role(c["role"]), full_name=c["full_name"], phone=c["phone"], connection=request
        )
    except RuleError as exc:
        form.error(exc.field or "__all__", exc.text)
        return await _accounts_page(ward, form=form, status=exc.status_code)
    return await _accounts_page(
        ward, status=201, created={"name": c["full_name"], "phone": c["phone"], "password": password}
    )


@post(
    "/officer/accounts/{membership_id:int}/reset-password", name="password_reset", opt=OFFICER, include_in_schema=False
)
async def password_reset(
    request: Request, ward: NamedDependency[WardContext], membership_id: FromPath[int]
) -> Template:
    try:
        password = await services.reset_password(membership_id, request)
    except LookupError:
        raise NotFoundException() from None
    rows = await services.ward_accounts()
    person = next(r for r in rows if r["id"] == membership_id)
    return await _accounts_page(
        ward,
        created={"name": person["user.full_name"], "phone": person["user.phone"], "password": password, "reset": True},
    )


async def _set_active(request: Request, ward: WardContext, membership_id: int, active: bool) -> Response:
    try:
        await services.set_active(membership_id, active=active, connection=request)
    except LookupError:
        raise NotFoundException() from None
    return see_other(f"{ward.base}/officer/accounts")


@post(
    "/officer/accounts/{membership_id:int}/deactivate", name="account_deactivate", opt=OFFICER, include_in_schema=False
)
async def account_deactivate(
    request: Request, ward: NamedDependency[WardContext], membership_id: FromPath[int]
) -> Response:
    return await _set_active(request, ward, membership_id, False)


@post(
    "/officer/accounts/{membership_id:int}/reactivate", name="account_reactivate", opt=OFFICER, include_in_schema=False
)
async def account_reactivate(
    request: Request, ward: NamedDependency[WardContext], membership_id: FromPath[int]
) -> Response:
    return await _set_active(request, ward, membership_id, True)


ROUTES = [
    signup_page,
    signup_submit,
    join_as_landlord,
    officer_home,
    landlord_approve,
    landlord_reject,
    accounts_page,
    staff_create,
    password_reset,
    account_deactivate,
    account_reactivate,
]
