"""The ward's outbox for its officers (status, failures, sending a dead message again) and its transports."""

from __future__ import annotations

from litestar import Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from app.accounts.tables import Role
from app.notify import outbox
from app.settings import get_settings
from app.web.http import form_data, see_other
from app.web.templating import render
from tenants.resolve import WardContext

OFFICER = {"roles": {Role.officer}}


@get("/officer/outbox", name="ward_outbox", opt=OFFICER, include_in_schema=False)
async def outbox_page(
    ward: NamedDependency[WardContext], status: FromQuery[str] = "", before: FromQuery[int | None] = None
) -> Template:
    status = status if status in outbox.STATUSES else ""
    messages = await outbox.ward_messages(status=status, before=before)
    return render(
        "notify/outbox.html",
        ward=ward,
        messages=messages,
        filter_status=status,
        statuses=outbox.STATUSES,
        counts=await outbox.status_counts(),
        channels=await outbox.channels(),
        next_before=messages[-1]["id"] if len(messages) == outbox.PAGE else None,
    )


@post("/officer/outbox/{message_id:int}/resend", name="ward_outbox_resend", opt=OFFICER, include_in_schema=False)
async def outbox_resend(request: Request, ward: NamedDependency[WardContext], message_id: FromPath[int]) -> Redirect:
    await outbox.resend(message_id, connection=request)
    return see_other(f"{ward.base}/officer/outbox?status=pending")


@get("/officer/channels", name="ward_channels", opt=OFFICER, include_in_schema=False)
async def channels_page(ward: NamedDependency[WardContext], done: FromQuery[str] = "") -> Template:
    notify = get_settings().file.notify
    return render(
        "notify/channels.html",
        ward=ward,
        channels=await outbox.channels(),
        backends={"sms": notify.sms.backend, "zalo": notify.zalo.backend, "email": notify.email.backend},
        done=bool(done),
    )


@post("/officer/channels", name="ward_channels_submit", opt=OFFICER, include_in_schema=False)
async def channels_submit(request: Request, ward: NamedDependency[WardContext]) -> Redirect:
    data = await form_data(request)
    await outbox.save_channels(
        sms=data.get("sms") == "on", zalo=data.get("zalo") == "on", email=data.get("email") == "on", connection=request
    )
    return see_other(f"{ward.base}/officer/channels?done=1")


ROUTES = [outbox_page, outbox_resend, channels_page, channels_submit]
