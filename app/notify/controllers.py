"""A person's notifications (the bell's page), opening one, and their message choices."""

from __future__ import annotations

from litestar import Request, get, post
from litestar.exceptions import NotAuthorizedException, NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from app.i18n import _l
from app.notify import inbox
from app.web.forms import Form
from app.web.http import form_data, see_other
from app.web.templating import render


def _user_id(request: Request) -> int:
    user = request.scope.get("user")
    if user is None or user.via_token:
        raise NotAuthorizedException()
    return user.id


class PreferenceForm(Form):
    def validate(self) -> None:
        self.cleaned["non_essential_off"] = self.value("non_essential_off") == "on"
        email = self.value("email").strip()
        if email and (len(email) > 254 or "@" not in email.strip("@") or " " in email):
            self.error("email", _l("Enter an e-mail address like name@example.vn."))
        self.cleaned["email"] = email


@get("/notifications", name="notifications", include_in_schema=False)
async def notifications_page(request: Request, before: FromQuery[int | None] = None) -> Template:
    user_id = _user_id(request)
    items = await inbox.notifications(user_id, before=before)
    return render(
        "notify/inbox.html",
        items=items,
        next_before=items[-1]["id"] if len(items) == inbox.PAGE else None,
    )


@post("/notifications/{notification_id:int}/open", name="notification_open", include_in_schema=False)
async def notification_open(request: Request, notification_id: FromPath[int]) -> Redirect:
    url = await inbox.open_notification(_user_id(request), notification_id)
    if url is None:
        raise NotFoundException()
    return see_other(url)


@post("/notifications/read", name="notifications_read", include_in_schema=False)
async def notifications_read(request: Request) -> Redirect:
    await inbox.mark_all_read(_user_id(request))
    return see_other("/notifications")


@get("/account/notifications", name="notification_settings", include_in_schema=False)
async def settings_page(request: Request, done: FromQuery[str] = "") -> Template:
    saved = await inbox.preference(_user_id(request))
    form = PreferenceForm({"email": saved["email"], "non_essential_off": "on" if saved["non_essential_off"] else ""})
    return render("notify/settings.html", form=form, done=bool(done))


@post("/account/notifications", name="notification_settings_submit", include_in_schema=False)
async def settings_submit(request: Request) -> Template | Redirect:
    user_id = _user_id(request)
    form = PreferenceForm(await form_data(request))
    if not form.is_valid():
        return render("notify/settings.html", status=422, form=form, done=False)
    await inbox.save_preference(user_id, **form.cleaned)
    return see_other("/account/notifications?done=1")


ROUTES = [notifications_page, notification_open, notifications_read, settings_page, settings_submit]
