"""The booking API under /api/v1/w/<ward>/: the procedure catalogue, free slots, and booking, reading,
cancelling and moving a booking. Public, as the pages are: no account is needed, and a booking is reached only
by its unguessable token.

The same forms and services as the pages: a body is validated by the page's form (messages per field, 422), a
full slot is 409 with the nearest free slots listed, a second live booking of the phone for the procedure that
day is 409. A create call may carry an `Idempotency-Key`; a retry with the same key and phone returns the
booking the first call made. The POSTs need no CSRF token: they act on no session, only on what the body or
the booking's token says.
"""

from __future__ import annotations

import base64
import hashlib
from datetime import date
from typing import Annotated

import msgspec
from litestar import Request, Response, Router, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException, ValidationException
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import FromPath, JSONBody

from app.api.housing import (
    _SPECS,
    IdempotencyKey,
    InvalidInput,
    _cleaned,
    _form_input,
    _invalid_input,
    _rule_error,
    _undecodable,
)
from app.api.housing_schemas import REQUIRED, FieldErrorsOut, _doc
from app.counter import bookings, procedures
from app.counter.booking_forms import BookingForm, SlotForm
from app.counter.bookings import Applicant, SlotFree, SlotFull
from app.errors import RuleError
from app.housing.qr_svg import qr_svg
from tenants.resolve import WardContext

PUBLIC = {"public": True}
PUBLIC_WRITE = {"public": True, "exclude_from_csrf": True}


# --- schemas ------------------------------------------------------------------------------------------------


class ProcedureOut(msgspec.Struct):
    id: int
    name: str
    group_letter: str
    group_name: str
    field: str
    national_code: str
    processing_days: Annotated[int | None, _doc("Legal processing time in working days (0: the same day).")]
    processing_hours: Annotated[int | None, _doc("…or in working hours.")]
    fee: Annotated[int, _doc("Whole đồng; 0 when free.")]
    fee_note: str
    documents: Annotated[list[str], _doc("What to bring, one item each.")]
    bookable: bool


class SlotOut(msgspec.Struct):
    key: Annotated[str, _doc("What to send as `slot` to book it.", "2026-12-07T08:00")]
    day: date
    start: Annotated[str, _doc("Local time (Asia/Ho_Chi_Minh).", "08:00")]
    end: str
    free: Annotated[int, _doc("Seats left for the procedure's group.")]


class DayOut(msgspec.Struct):
    day: date
    slots: list[SlotOut]


class BookingIn(msgspec.Struct):
    procedure_id: Annotated[int, _doc(REQUIRED)]
    slot: Annotated[str, _doc(REQUIRED + " A slot's key from the slots list.", "2026-12-07T08:00")] = ""
    full_name: Annotated[str, _doc(REQUIRED + " 2 to 120 characters.", "Trần Thị Mai")] = ""
    phone: Annotated[str, _doc(REQUIRED + " A Vietnamese mobile number.", "0912345678")] = ""
    id_number: Annotated[str, _doc("The 12-digit CCCD number; lets a card scanned at the kiosk find the booking.")] = ""
    consent: Annotated[bool, _doc(REQUIRED + " The person agrees to the processing of their data for it.")] = False


class MoveIn(msgspec.Struct):
    slot: Annotated[str, _doc(REQUIRED + " A slot's key from the slots list.", "2026-12-08T10:30")] = ""


class BookingOut(msgspec.Struct):
    code: Annotated[str, _doc("Short code read out or typed at the kiosk.", "K7M2QX")]
    token: Annotated[str, _doc("The booking's secret: its page, reading, cancelling and moving need it.")]
    url: Annotated[str, _doc("The booking's page; the booking QR encodes it.")]
    qr_svg: Annotated[str, _doc("The booking QR as an inline SVG.")]
    status: Annotated[str, _doc("booked, cancelled, checked_in or no_show.")]
    procedure_id: int
    procedure_name: str
    group_letter: str
    day: date
    start: str
    end: str
    full_name: str


class SlotFullOut(msgspec.Struct):
    status_code: int
    detail: str
    errors: dict[str, str]
    nearest: Annotated[list[SlotOut], _doc("The free slots nearest to the one asked for.")]


# --- helpers ----------------------------------------------------------------------------------------------------


def _procedure_out(row: dict) -> ProcedureOut:
    return ProcedureOut(
        id=row["id"],
        name=row["name"],
        group_letter=row["group_letter"],
        group_name=row["group_name"],
        field=row["field"],
        national_code=row["national_code"],
        processing_days=row["processing_days"],
        processing_hours=row["processing_hours"],
        fee=row["fee"],
        fee_note=row["fee_note"],
        documents=procedures.documents_of(row),
        bookable=procedures.is_bookable(row),
    )


def _slot_out(free: SlotFree) -> SlotOut:
    s = free.slot
    return SlotOut(key=s.key, day=s.day, start=f"{s.start:%H:%M}", end=f"{s.end:%H:%M}", free=free.free)


def _booking_out(ward: WardContext, row: dict) -> BookingOut:
    url = bookings.booking_url(ward.slug, row["token"])
    return BookingOut(
        code=row["code"],
        token=row["token"],
        url=url,
        qr_svg=qr_svg(url),
        status=row["status"],
        procedure_id=row["procedure"],
        procedure_name=row["procedure_name"],
        group_letter=row["group_letter"],
        day=row["day"],
        start=f"{row['slot_start']:%H:%M}",
        end=f"{row['slot_end']:%H:%M}",
        full_name=row["full_name"],
    )


async def _booking(token: str) -> dict:
    try:
        return await bookings.booking_by_token(token)
    except LookupError:
        raise NotFoundException() from None


def _once_token(request: Request, key: str | None, phone: str) -> str:
    """`run_once`'s token for the caller's key, unique to the phone and URL too: two callers who happen to send
    the same key never get each other's booking."""
    if not key:
        return ""
    scope = f"{phone}|{request.method} {request.url.path}|{key}"
    return "api-" + base64.urlsafe_b64encode(hashlib.sha256(scope.encode()).digest()).decode().rstrip("=")


def _slot_full(_request: Request, exc: SlotFull) -> Response:
    body = SlotFullOut(
        status_code=409,
        detail=str(exc.text),
        errors={"slot": str(exc.text)},
        nearest=[_slot_out(a) for a in exc.alternatives],
    )
    return Response(body, status_code=409)


_FULL = {
    409: ResponseSpec(SlotFullOut, generate_examples=False, description="The slot is full (nearest free slots listed), "
                      "or the phone already has a live booking for the procedure that day"),
}  # fmt: skip


# --- routes -------------------------------------------------------------------------------------------------------


@get("/procedures", summary="The ward's procedure catalogue", opt=PUBLIC)
async def procedure_list(ward: NamedDependency[WardContext]) -> list[ProcedureOut]:
    return [_procedure_out(r) for r in await procedures.procedures(public=True)]


@get("/procedures/{procedure_id:int}/slots", summary="Offered slots with free seats for a procedure", opt=PUBLIC)
async def procedure_slots(ward: NamedDependency[WardContext], procedure_id: FromPath[int]) -> list[DayOut]:
    try:
        procedure = await bookings.bookable_procedure(procedure_id)
    except RuleError:
        raise NotFoundException() from None
    days = await bookings.free_seats(ward.office_hours, procedure["service_group"], procedure["slot_capacity"])
    return [DayOut(day=day, slots=[_slot_out(s) for s in slots]) for day, slots in days]


@post(
    "/bookings",
    summary="Book a slot for a procedure",
    opt=PUBLIC_WRITE,
    status_code=201,
    responses={**{c: _SPECS[c] for c in (400, 422)}, **_FULL},
)
async def booking_create(
    request: Request,
    ward: NamedDependency[WardContext],
    data: JSONBody[BookingIn],
    idempotency_key: IdempotencyKey = None,
) -> BookingOut:
    try:
        await bookings.bookable_procedure(data.procedure_id)
    except RuleError as exc:
        raise InvalidInput({"procedure_id": exc.text}) from None
    c = _cleaned(BookingForm(_form_input(data)))
    url = await bookings.book(
        office_hours=ward.office_hours,
        ward_slug=ward.slug,
        procedure_id=data.procedure_id,
        day=c["day"],
        start=c["start"],
        applicant=Applicant(c["full_name"], c["phone"], c["id_number"]),
        form_token=_once_token(request, idempotency_key, c["phone"]),
        connection=request,
    )
    return _booking_out(ward, await _booking(url.rsplit("/", 1)[1]))


@get("/bookings/{token:str}", summary="A booking, by its token", opt=PUBLIC, responses={404: _SPECS[404]})
async def booking_detail(ward: NamedDependency[WardContext], token: FromPath[str]) -> BookingOut:
    return _booking_out(ward, await _booking(token))


@post(
    "/bookings/{token:str}/cancel",
    summary="Cancel a booking",
    opt=PUBLIC_WRITE,
    status_code=200,
    responses={404: _SPECS[404], 409: ResponseSpec(FieldErrorsOut, generate_examples=False)},
)
async def booking_cancel(request: Request, ward: NamedDependency[WardContext], token: FromPath[str]) -> BookingOut:
    await _booking(token)
    await bookings.cancel(token, connection=request)
    return _booking_out(ward, await _booking(token))


@post(
    "/bookings/{token:str}/move",
    summary="Move a booking to another slot (the same capacity check as booking)",
    opt=PUBLIC_WRITE,
    status_code=200,
    responses={404: _SPECS[404], 422: _SPECS[422], **_FULL},
)
async def booking_move(
    request: Request, ward: NamedDependency[WardContext], token: FromPath[str], data: JSONBody[MoveIn]
) -> BookingOut:
    await _booking(token)
    c = _cleaned(SlotForm(_form_input(data)))
    moved = await bookings.move(
        token, office_hours=ward.office_hours, day=c["day"], start=c["start"], connection=request
    )
    return _booking_out(ward, moved)


booking_api = Router(
    path="/",
    route_handlers=[procedure_list, procedure_slots, booking_create, booking_detail, booking_cancel, booking_move],
    exception_handlers={  # type: ignore[dict-item]
        InvalidInput: _invalid_input,
        SlotFull: _slot_full,
        RuleError: _rule_error,
        ValidationException: _undecodable,
    },
    tags=["booking"],
)

__all__ = ["booking_api"]
