"""The kiosk at the door: a tablet signed in by an officer, full screen, left running all day.

It never goes stale: the page asks the server once a minute (`heartbeat`) whether what it shows is still right
(the day, the services offered) and reloads when not; the same request keeps the officer's session alive (it is
renewed on use), and if the session has ended anyway the page goes to the sign-in form and comes back here.
After showing a ticket it returns to the start by itself.
"""

from __future__ import annotations

import hashlib
from datetime import date

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.response import Template
from markupsafe import Markup

from app.accounts.tables import Role
from app.counter import kiosk, tickets
from app.counter.board import read_state
from app.counter.close_day import close_past_days
from app.counter.counters import service_groups
from app.counter.queue import today
from app.counter.tables import Priority
from app.errors import RuleError
from app.housing.qr_svg import qr_svg
from app.i18n import _l, format_date
from app.settings import get_settings
from app.web.forms import Form
from app.web.http import form_data, see_other
from app.web.ids import as_id
from app.web.templating import render
from tenants.resolve import WardContext

OFFICER = {"roles": {Role.officer}}
HEARTBEAT_SECONDS = 60
BACK_TO_START_SECONDS = 25  # a ticket stays on screen this long, then the kiosk is ready for the next person


def ticket_url(ward: WardContext, token: str) -> str:
    """The public page of a ticket (its QR): the number, the queue ahead, live."""
    return f"{get_settings().file.app.base_url.rstrip('/')}{ward.base}/t/{token}"


def _version(groups: list[dict], day: date) -> str:
    """What the kiosk page shows depends on these only: when they change, the page reloads itself."""
    seed = repr((day.isoformat(), [(g["id"], g["letter"], g["name"]) for g in groups]))
    return hashlib.sha256(seed.encode()).hexdigest()[:12]


async def _page(ward: WardContext, *, scan: Form | None = None, choice: kiosk.Scan | None = None, status: int = 200):
    await close_past_days()
    groups = await service_groups()
    return render(
        "counter/kiosk.html",
        status=status,
        ward=ward,
        groups=groups,
        scan=scan or Form(),
        choice=choice,
        version=_version(groups, today()),
        heartbeat=HEARTBEAT_SECONDS,
    )


@get("/kiosk", name="kiosk", opt=OFFICER, include_in_schema=False)
async def kiosk_page(ward: NamedDependency[WardContext]) -> Template:
    return await _page(ward)


@get("/kiosk/heartbeat", name="kiosk_heartbeat", opt=OFFICER, include_in_schema=False)
async def kiosk_heartbeat(ward: NamedDependency[WardContext], v: FromQuery[str] = "") -> Response:
    if v != _version(await service_groups(), today()):
        return Response(b"", status_code=204, headers={"HX-Refresh": "true"})
    return Response(b"", status_code=204)


@post("/kiosk/scan", name="kiosk_scan", opt=OFFICER, include_in_schema=False)
async def kiosk_scan(request: Request, ward: NamedDependency[WardContext]) -> Template | Response:
    data = await form_data(request)
    scan = Form(data)
    try:
        found = await kiosk.read(data.get("scan", ""))
        if found.booking_id is None:  # a card or number without a booking today: choose a service
            return await _page(ward, choice=found)
        ticket_id, _new = await tickets.check_in(found.booking_id)
    except tickets.BookingNotToday as exc:
        scan.error("scan", _l("This booking is for %(day)s, not today.", day=format_date(exc.day)))
        return await _page(ward, scan=scan, status=exc.status_code)
    except RuleError as exc:
        scan.error("scan", exc.text)
        return await _page(ward, scan=scan, status=exc.status_code)
    return see_other(f"{ward.base}/kiosk/tickets/{ticket_id}")


@post("/kiosk/tickets", name="kiosk_take", opt=OFFICER, include_in_schema=False)
async def kiosk_take(request: Request, ward: NamedDependency[WardContext]) -> Template | Response:
    data = await form_data(request)
    priority = Priority.disabled if data.get("disabled") else Priority.elderly if data.get("elderly") else Priority.none
    holder = tickets.Holder(full_name=(data.get("full_name") or "")[:120], id_number=(data.get("id_number") or "")[:12])
    try:
        ticket_id = await tickets.take_walk_in(
            as_id(data.get("group")) or 0, priority=priority, holder=holder, form_token=data.get("form_token")
        )
    except RuleError:
        scan = Form(data)
        scan.error("group", _l("Choose a service."))
        return await _page(ward, scan=scan, status=422)
    return see_other(f"{ward.base}/kiosk/tickets/{ticket_id}")


@get("/kiosk/tickets/{ticket_id:int}", name="kiosk_ticket", opt=OFFICER, include_in_schema=False)
async def kiosk_ticket(ward: NamedDependency[WardContext], ticket_id: FromPath[int]) -> Template:
    row = await tickets.ticket(ticket_id)
    if row is None or row["day"] != today():
        raise NotFoundException()
    state = await read_state()
    group = state.group(row["service_group"])
    url = ticket_url(ward, row["token"])
    return render(
        "counter/kiosk_ticket.html",
        ward=ward,
        ticket=row,
        group=group,
        place=state.place_of(row),
        url=url,
        qr=Markup(qr_svg(url)),
        back_after=BACK_TO_START_SECONDS,
    )


ROUTES = [kiosk_page, kiosk_heartbeat, kiosk_scan, kiosk_take, kiosk_ticket]
