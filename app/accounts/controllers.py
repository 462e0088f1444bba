"""Signing in and out, the profile page (password, language, API tokens) and switching ward."""

from __future__ import annotations

from litestar import Request, Response, get, post
from litestar.datastructures import Cookie
from litestar.exceptions import NotAuthorizedException, NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.response import Template

from app import i18n
from app.accounts import services, tokens
from app.accounts.current import load_current_user
from app.accounts.forms import LoginForm, PasswordChangeForm, TokenForm
from app.accounts.sessions import sign_in_session, sign_out_session
from app.audit.service import Action, record
from app.db import write_transaction
from app.errors import RuleError
from app.web.http import form_data, safe_next, see_other
from app.web.templating import render


def _user(request: Request):
    user = request.scope.get("user")
    if user is None or user.via_token:
        raise NotAuthorizedException()
    return user


@get("/login", name="login", include_in_schema=False)
async def login_page(
    request: Request, next: FromQuery[str] = "", ward: FromQuery[str] = "", signed_up: FromQuery[str] = ""
) -> Template | Response:
    if (user := request.scope.get("user")) and not signed_up:
        return see_other(safe_next(next, user.home_url()))
    return render("accounts/login.html", form=LoginForm(), next=next, ward_hint=ward, signed_up=bool(signed_up))


@post("/login", name="login_submit", include_in_schema=False)
async def login_submit(request: Request) -> Template | Response:
    form = LoginForm(await form_data(request))
    next_url, ward_hint = form.value("next"), form.value("ward")
    if form.is_valid():
        try:
            user_id, membership_id = await services.sign_in(
                form.cleaned["phone"], form.cleaned["password"], request, ward_hint=ward_hint
            )
        except RuleError as exc:
            form.error("__all__", exc.text)
            return render(
                "accounts/login.html",
                status=exc.status_code,
                form=form,
                next=next_url,
                ward_hint=ward_hint,
                signed_up=False,
            )
        sign_in_session(request.scope, user_id, membership_id)
        user = await load_current_user(user_id, membership_id)
        assert user is not None
        response = see_other(user.home_url() if user.must_change_password else safe_next(next_url, user.home_url()))
        if user.locale in i18n.LOCALES:
            response.cookies.append(
                Cookie(key=i18n.LOCALE_COOKIE, value=user.locale, max_age=365 * 24 * 3600, samesite="lax", path="/")
            )
        return response
    return render("accounts/login.html", status=422, form=form, next=next_url, ward_hint=ward_hint, signed_up=False)


@post("/logout", name="logout", include_in_schema=False)
async def logout(request: Request) -> Response:
    if user := request.scope.get("user"):
        active = user.active
        async with write_transaction():
            await record(Action.SIGN_OUT, connection=request, ward_id=active.ward_id if active else None)
    sign_out_session(request.scope)
    return see_other("/")


@get("/account", name="account", include_in_schema=False)
async def account_page(request: Request, done: FromQuery[str] = "") -> Template:
    user = _user(request)
    return render(
        "accounts/account.html",
        tokens=await tokens.tokens_of(user.id),
        token_form=TokenForm(),
        new_token=None,
        done=done,
    )


@get("/account/password", name="password_page", include_in_schema=False)
async def password_page(request: Request) -> Template:
    _user(request)
    return render("accounts/password.html", form=PasswordChangeForm())


@post("/account/password", name="password_submit", include_in_schema=False)
async def password_submit(request: Request) -> Template | Response:
    user = _user(request)
    form = PasswordChangeForm(await form_data(request))
    if form.is_valid():
        try:
            await services.change_password(
                user.id, form.cleaned["current_password"], form.cleaned["new_password"], request
            )
        except RuleError as exc:
            form.error(exc.field or "__all__", exc.text)
        else:
            return see_other("/account?done=password")
    return render("accounts/password.html", status=422, form=form)


@post("/account/tokens", name="token_create", include_in_schema=False)
async def token_create(request: Request) -> Template:
    user = _user(request)
    form = TokenForm(await form_data(request))
    new_token = None
    status = 422
    if form.is_valid():
        new_token = await tokens.create_token(user.id, form.cleaned["name"])
        async with write_transaction():
            await record(Action.TOKEN_CREATED, connection=request, summary=form.cleaned["name"])
        form, status = TokenForm(), 201
    return render(
        "accounts/account.html",
        status=status,
        tokens=await tokens.tokens_of(user.id),
        token_form=form,
        new_token=new_token,
        done="",
    )


@post("/account/tokens/{token_id:int}/revoke", name="token_revoke", include_in_schema=False)
async def token_revoke(request: Request, token_id: FromPath[int]) -> Response:
    user = _user(request)
    if not await tokens.revoke_token(user.id, token_id):
        raise NotFoundException()
    async with write_transaction():
        await record(Action.TOKEN_REVOKED, connection=request, subject_type="api_token", subject_id=token_id)
    return see_other("/account")


@post("/account/switch", name="switch_ward", include_in_schema=False)
async def switch_ward(request: Request) -> Response:
    user = _user(request)
    data = await form_data(request)
    chosen = next((r for r in user.usable_roles if str(r.membership_id) == data.get("membership_id")), None)
    if chosen is None:
        raise NotFoundException()
    request.scope["session"]["mid"] = chosen.membership_id
    async with write_transaction():
        await record(
            Action.WARD_SWITCHED,
            connection=request,
            ward_id=chosen.ward_id,
            summary=f"{chosen.ward_slug}/{chosen.role.value}",
        )
    return see_other(f"/w/{chosen.ward_slug}/{chosen.role.value}/")


ROUTES = [
    login_page,
    login_submit,
    logout,
    account_page,
    password_page,
    password_submit,
    token_create,
    token_revoke,
    switch_ward,
]
