"""Pages of booking the counter: a resident chooses a procedure, a day and a time, gives a name and phone, and
gets the booking's code and QR on its own page (reachable only with its unguessable link), from which they
cancel or move it. Officers see the day's bookings by slot and group."""

from __future__ import annotations

from datetime import date

from babel.dates import format_date
from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.response import Template

from app.accounts.tables import Role
from app.counter import bookings, procedures
from app.counter.booking_forms import BookingForm, SlotForm
from app.counter.booking_labels import booking_status_label
from app.counter.bookings import Applicant, SlotFree, SlotFull
from app.errors import RuleError
from app.housing.qr_svg import qr_svg
from app.i18n import _babel_locale
from app.web.forms import Form
from app.web.http import form_data, see_other
from app.web.templating import render
from tenants.resolve import WardContext

PUBLIC = {"public": True}
OFFICER = {"roles": {Role.officer}}
# A booking's page carries a name: never kept by a shared cache, and its link never sent to another site.
PRIVATE_HEADERS = {"Cache-Control": "private, no-store", "Referrer-Policy": "no-referrer"}


def day_label(day: date) -> str:
    """ "Th 4, 02/12" / "Wed 02/12": a day chip."""
    return format_date(day, "EEE dd/MM", locale=_babel_locale())


def _parse_day(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


@get("/book", name="book", opt=PUBLIC, include_in_schema=False)
async def book_start(ward: NamedDependency[WardContext]) -> Template:
    rows = await procedures.procedures(bookable_only=True)
    return render("counter/booking_start.html", ward=ward, grouped=procedures.by_group(rows))


async def _slot_page(
    ward: WardContext,
    procedure: dict,
    form: Form,
    *,
    day: date | None,
    status: int = 200,
    alternatives: list[SlotFree] | None = None,
    booking: dict | None = None,
) -> Template:
    days = await bookings.free_seats(ward.office_hours, procedure["service_group"], procedure["slot_capacity"])
    chosen = form.cleaned.get("day") or day
    offered = [d for d, _slots in days]
    if chosen not in offered:
        chosen = next((d for d, slots in days if any(s.free for s in slots)), offered[0] if offered else None)
    action = f"{ward.base}/booking/{booking['token']}/move" if booking else f"{ward.base}/book/{procedure['id']}"
    return Template(
        template_name="counter/booking_new.html",
        status_code=status,
        headers=PRIVATE_HEADERS if booking else None,
        context={
            "ward": ward,
            "p": procedure,
            "form": form,
            "days": days,
            "chosen": chosen,
            "slots": next((slots for d, slots in days if d == chosen), []),
            "alternatives": alternatives or [],
            "closed": await bookings.closed_days(since=bookings.now_local().date()),
            "documents": procedures.documents_of(procedure),
            "booking": booking,
            "action": action,
            "day_label": day_label,
        },
    )


async def _procedure(procedure_id: int) -> dict:
    try:
        return await bookings.bookable_procedure(procedure_id)
    except RuleError:
        raise NotFoundException() from None


@get("/book/{procedure_id:int}", name="book_procedure", opt=PUBLIC, include_in_schema=False)
async def book_procedure(
    ward: NamedDependency[WardContext], procedure_id: FromPath[int], day: FromQuery[str] = ""
) -> Template:
    procedure = await _procedure(procedure_id)
    return await _slot_page(ward, procedure, BookingForm(), day=_parse_day(day))


@post("/book/{procedure_id:int}", name="book_submit", opt=PUBLIC, include_in_schema=False)
async def book_submit(
    request: Request, ward: NamedDependency[WardContext], procedure_id: FromPath[int]
) -> Template | Response:
    procedure = await _procedure(procedure_id)
    form = BookingForm(await form_data(request))
    if not form.is_valid():
        return await _slot_page(ward, procedure, form, day=None, status=422)
    c = form.cleaned
    try:
        url = await bookings.book(
            office_hours=ward.office_hours,
            ward_slug=ward.slug,
            procedure_id=procedure_id,
            day=c["day"],
            start=c["start"],
            applicant=Applicant(c["full_name"], c["phone"], c["id_number"]),
            form_token=form.value("form_token"),
            connection=request,
        )
    except SlotFull as exc:
        form.error("slot", exc.text)
        return await _slot_page(ward, procedure, form, day=None, status=409, alternatives=exc.alternatives)
    except RuleError as exc:
        form.error(exc.field or "__all__", exc.text)
        return await _slot_page(ward, procedure, form, day=None, status=exc.status_code)
    return see_other(url)


async def _booking(token: str) -> dict:
    try:
        return await bookings.booking_by_token(token)
    except LookupError:
        raise NotFoundException() from None


def _booking_page(
    ward: WardContext, booking: dict, *, status: int = 200, error: object = None, moved: bool = False
) -> Template:
    url = bookings.booking_url(ward.slug, booking["token"])
    return Template(
        template_name="counter/booking.html",
        status_code=status,
        headers=PRIVATE_HEADERS,
        context={
            "ward": ward,
            "b": booking,
            "qr": qr_svg(url),
            "url": url,
            "changeable": bookings.changeable(booking),
            "documents": procedures.documents_of(booking),
            "status_label": booking_status_label(booking["status"]),
            "error": error,
            "moved": moved and booking["status"] == "booked",
        },
    )


@get("/booking/{token:str}", name="booking", opt=PUBLIC, include_in_schema=False)
async def booking_page(
    ward: NamedDependency[WardContext], token: FromPath[str], moved: FromQuery[str] = ""
) -> Template:
    return _booking_page(ward, await _booking(token), moved=bool(moved))


@post("/booking/{token:str}/cancel", name="booking_cancel", opt=PUBLIC, include_in_schema=False)
async def booking_cancel(
    request: Request, ward: NamedDependency[WardContext], token: FromPath[str]
) -> Template | Response:
    booking = await _booking(token)
    try:
        await bookings.cancel(token, connection=request)
    except RuleError as exc:
        return _booking_page(ward, await _booking(token), status=exc.status_code, error=exc.text)
    return see_other(f"{ward.base}/booking/{booking['token']}")


async def _move_target(token: str) -> tuple[dict, dict]:
    booking = await _booking(token)
    try:
        procedure = await procedures.procedure_of(booking["procedure"])
    except LookupError:  # pragma: no cover - procedures are never deleted
        raise NotFoundException() from None
    return booking, procedure


@get("/booking/{token:str}/move", name="booking_move", opt=PUBLIC, include_in_schema=False)
async def booking_move(
    ward: NamedDependency[WardContext], token: FromPath[str], day: FromQuery[str] = ""
) -> Template | Response:
    booking, procedure = await _move_target(token)
    if not bookings.changeable(booking):
        return see_other(f"{ward.base}/booking/{token}")
    return await _slot_page(ward, procedure, SlotForm(), day=_parse_day(day) or booking["day"], booking=booking)


@post("/booking/{token:str}/move", name="booking_move_submit", opt=PUBLIC, include_in_schema=False)
async def booking_move_submit(
    request: Request, ward: NamedDependency[WardContext], token: FromPath[str]
) -> Template | Response:
    booking, procedure = await _move_target(token)
    form = SlotForm(await form_data(request))
    if not form.is_valid():
        return await _slot_page(ward, procedure, form, day=booking["day"], status=422, booking=booking)
    try:
        await bookings.move(
            token,
            office_hours=ward.office_hours,
            day=form.cleaned["day"],
            start=form.cleaned["start"],
            connection=request,
        )
    except SlotFull as exc:
        form.error("slot", exc.text)
        return await _slot_page(
            ward, procedure, form, day=None, status=409, alternatives=exc.alternatives, booking=booking
        )
    except RuleError as exc:
        form.error(exc.field or "slot", exc.text)
        return await _slot_page(ward, procedure, form, day=None, status=exc.status_code, booking=booking)
    return see_other(f"{ward.base}/booking/{token}?moved=1")


# --- officers ----------------------------------------------------------------------------------------------------


@get("/officer/bookings", name="officer_bookings", opt=OFFICER, include_in_schema=False)
async def officer_bookings(ward: NamedDependency[WardContext], day: FromQuery[str] = "") -> Template:
    today = bookings.now_local().date()
    shown = _parse_day(day) or today
    rows = await bookings.day_bookings(shown)
    slots: dict = {}
    for row in rows:
        slots.setdefault((row["slot_start"], row["slot_end"]), {}).setdefault(
            (row["group_letter"], row["group_name"], row["slot_capacity"]), []
        ).append(row)
    live = [r for r in rows if r["status"] != "cancelled"]
    return render(
        "counter/booking_day.html",
        ward=ward,
        day=shown,
        today=today,
        slots=sorted(slots.items()),
        total=len(live),
        days=[d for d, _slots in await bookings.offered_slots(ward.office_hours)],
        day_label=day_label,
        status_label=booking_status_label,
    )


ROUTES = [
    book_start,
    book_procedure,
    book_submit,
    booking_page,
    booking_cancel,
    booking_move,
    booking_move_submit,
    officer_bookings,
]
