"""The housing API: properties, rooms, renters and their stays, residents' requests to be registered, the
ward's verification and the police's roster, under /api/v1/w/<ward>/.

The same operations as the landlord's, the officer's and the police's pages, through the same forms and
services: a body is validated by the page's form, and every rule (capacity, one open stay per person,
who may decide what) is the service's. Who may call what is declared exactly as on the pages; an id of
another ward, or of another landlord, is 404 before anything about the body is said.

Errors with a cause beside a field come back as `{"status_code", "detail", "errors": {field: message}}`,
in the language of `Accept-Language`. A create call may carry an `Idempotency-Key`: a retry with the same
key returns what the first call made instead of making it again (the pages' one-time form token).
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Awaitable, Mapping
from datetime import date
from typing import Annotated, Any, TypeVar

import msgspec
from litestar import Request, Response, Router, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException, ValidationException
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import FromPath, HeaderParameter, JSONBody, QueryParameter

from app.accounts.tables import Role
from app.api.housing_schemas import (
    CheckInIn,
    CheckOutIn,
    FieldErrorsOut,
    MoveIn,
    PropertyIn,
    PropertyOut,
    PropertySummaryOut,
    RequestDecisionOut,
    RequestOut,
    RoomOut,
    RoomsAddedOut,
    RoomsIn,
    RosterOut,
    RosterPersonOut,
    RosterRoomOut,
    StayOut,
    WardPropertyOut,
)
from app.api.schemas import DecisionIn, ErrorOut
from app.errors import RuleError
from app.housing import overview, self_registration, services, stays
from app.housing.forms import CheckOutForm, MoveForm, PropertyForm, ReasonForm, RenterForm, RoomsForm
from app.housing.qr_svg import property_qr_url
from app.housing.tables import PropertyStatus, Stay
from app.i18n import LazyText, _l
from app.once import run_once
from app.web.forms import Form
from tenants.resolve import WardContext

T = TypeVar("T")
S = TypeVar("S", bound=msgspec.Struct)

LANDLORD = {"roles": {Role.landlord}}
OFFICER = {"roles": {Role.officer}}
POLICE = {"roles": {Role.police}}

CHECK_INPUT = _l("Please check what you entered")

IdempotencyKey = Annotated[
    str | None,
    HeaderParameter(
        name="Idempotency-Key",
        required=False,
        description="Any unique string per intended change (a UUID): a retry with the same key returns what "
        "the first call made, and makes nothing new.",
    ),
]

_SPECS = {
    400: ResponseSpec(ErrorOut, generate_examples=False, description="The body is not JSON"),
    404: ResponseSpec(ErrorOut, generate_examples=False, description="Not in this ward, or not yours"),
    409: ResponseSpec(FieldErrorsOut, generate_examples=False, description="A rule refuses it (e.g. the room is full)"),
    422: ResponseSpec(FieldErrorsOut, generate_examples=False, description="A field's value is not accepted"),
}


def _responses(*codes: int) -> dict[int, ResponseSpec]:
    return {code: _SPECS[code] for code in codes}


# --- errors -----------------------------------------------------------------------------------------------


class InvalidInput(Exception):
    """A form's messages, one per field."""

    def __init__(self, errors: Mapping[str, LazyText]) -> None:
        super().__init__(", ".join(errors))
        self.errors = dict(errors)


def _field_errors(status: int, detail: object, errors: Mapping[str, object]) -> Response:
    body = FieldErrorsOut(status_code=status, detail=str(detail), errors={k: str(v) for k, v in errors.items()})
    return Response(body, status_code=status)


def _invalid_input(_request: Request, exc: InvalidInput) -> Response:
    return _field_errors(422, CHECK_INPUT, exc.errors)


def _rule_error(_request: Request, exc: RuleError) -> Response:
    return _field_errors(exc.status_code, exc.text, {exc.field: exc.text} if exc.field else {})


def _type_message(problem: str) -> LazyText:
    """A value of the wrong JSON type, said as the page would say it (the decoder's words are English:
    "Expected `int | null`, got `str`", "Invalid RFC3339 encoded date")."""
    expected = problem.split(", got", 1)[0]
    if "`date" in expected or "encoded date" in problem:
        return _l("Give the date as yyyy-mm-dd, e.g. 2026-11-01.")
    if "`int" in expected:
        return _l("Enter a whole number.")
    if "`float" in expected:
        return _l("Enter a number.")
    return _l("This value is not of the expected kind.")


def _undecodable(_request: Request, exc: ValidationException) -> Response:
    problems = exc.extra if isinstance(exc.extra, list) else []
    # Only what the caller sent in the body: when a body fails, Litestar checks every other parameter of the
    # handler one by one too, and may list the router's path parameter as missing.
    errors = {
        p["key"]: _type_message(str(p.get("message", "")))
        for p in problems
        if isinstance(p, dict) and p.get("key") and p.get("source") == "body"
    }
    if not errors:  # not JSON at all, or nothing to point at
        return Response(ErrorOut(status_code=exc.status_code, detail=str(exc.detail)), status_code=exc.status_code)
    return _field_errors(422, CHECK_INPUT, errors)


# --- helpers ----------------------------------------------------------------------------------------------


def _me(request: Request) -> int:
    return request.scope["user"].id


async def _found(call: Awaitable[T]) -> T:
    """Not of this ward, or not this landlord's: 404, as on the pages."""
    try:
        return await call
    except LookupError:
        raise NotFoundException() from None


def _form_input(data: msgspec.Struct) -> dict[str, str]:
    """A JSON body as the page's form would have posted it, so the form's validation is the one used."""
    values = {}
    for name in data.__struct_fields__:
        value = getattr(data, name)
        if value is None or value is False:
            values[name] = ""
        elif value is True:
            values[name] = "on"
        elif isinstance(value, date):
            values[name] = value.isoformat()
        else:
            values[name] = str(value)
    return values


def _cleaned(form: Form) -> dict[str, Any]:
    if not form.is_valid():
        raise InvalidInput(form.errors)
    return form.cleaned


def _once_token(request: Request, key: str | None) -> str:
    """The one-time token of `run_once` for the caller's key: the key is the caller's, so it is made unique
    to them and to this URL (two users, or two operations, never share a result)."""
    if not key:
        return ""
    scope = f"{_me(request)}|{request.method} {request.url.path}|{key}"
    return "api-" + base64.urlsafe_b64encode(hashlib.sha256(scope.encode()).digest()).decode().rstrip("=")


def _tail_id(url: str) -> int:
    """The id at the end of a result URL such as `properties/12` (what `run_once` keeps)."""
    return int(url.split("?", 1)[0].rsplit("/", 1)[1])


def _of(cls: type[S], row: Mapping[str, Any], **extra: Any) -> S:
    return cls(**{name: row[name] for name in cls.__struct_fields__ if name not in extra}, **extra)


def _property_out(row: dict) -> PropertyOut:
    return _of(PropertyOut, row, qr_url=property_qr_url(row["qr_token"]))


def _ward_property_out(row: dict) -> WardPropertyOut:
    return _of(WardPropertyOut, row, landlord_name=row["landlord.full_name"], landlord_phone=row["landlord.phone"])


_STAY_COLUMNS = (
    Stay.id,
    Stay.room,
    Stay.room.code,
    Stay.renter,
    Stay.renter.full_name,
    Stay.renter.phone,
    Stay.from_date,
    Stay.expected_to,
    Stay.to_date,
)


def _stay_out(row: dict) -> StayOut:
    return StayOut(
        id=row["id"],
        room_id=row["room"],
        room_code=row["room.code"],
        full_name=row["renter.full_name"],
        phone=row["renter.phone"],
        from_date=row["from_date"],
        expected_to=row["expected_to"],
        to_date=row.get("to_date"),
    )


async def _stay(stay_id: int) -> dict:
    """A stay as the answer shows it, once a service has written it."""
    return await Stay.ward_select(*_STAY_COLUMNS).where(Stay.id == stay_id).first()


# --- the landlord: properties -----------------------------------------------------------------------------


@get("/landlord/properties", summary="The landlord's properties, with rooms and people staying now", opt=LANDLORD)
async def landlord_properties(request: Request, ward: NamedDependency[WardContext]) -> list[PropertySummaryOut]:
    return [_of(PropertySummaryOut, row) for row in await overview.house_summaries(_me(request))]


@post(
    "/landlord/properties",
    summary="Register a property, pending the ward's check",
    opt=LANDLORD,
    responses=_responses(400, 422),
)
async def property_create(
    request: Request,
    ward: NamedDependency[WardContext],
    data: JSONBody[PropertyIn],
    idempotency_key: IdempotencyKey = None,
) -> PropertyOut:
    cleaned = _cleaned(PropertyForm(_form_input(data)))
    url = await services.create_property(
        landlord_id=_me(request),
        values={k: cleaned[k] for k in services.PROPERTY_FIELDS},
        form_token=_once_token(request, idempotency_key),
        connection=request,
    )
    return _property_out(await services.property_of(_tail_id(url), landlord_id=_me(request)))


@get("/landlord/properties/{property_id:int}", summary="One of the landlord's properties", opt=LANDLORD)
async def property_detail(
    request: Request, ward: NamedDependency[WardContext], property_id: FromPath[int]
) -> PropertyOut:
    return _property_out(await _found(services.property_of(property_id, landlord_id=_me(request))))


@post(
    "/landlord/properties/{property_id:int}",
    summary="Change a property (all its fields); one sent back by the ward returns to its queue",
    opt=LANDLORD,
    status_code=200,
    responses=_responses(400, 404, 422),
)
async def property_update(
    request: Request, ward: NamedDependency[WardContext], property_id: FromPath[int], data: JSONBody[PropertyIn]
) -> PropertyOut:
    await _found(services.property_of(property_id, landlord_id=_me(request)))
    cleaned = _cleaned(PropertyForm(_form_input(data)))
    await _found(
        services.update_property(
            property_id,
            landlord_id=_me(request),
            values={k: cleaned[k] for k in services.PROPERTY_FIELDS},
            connection=request,
        )
    )
    return _property_out(await services.property_of(property_id, landlord_id=_me(request)))


# --- the landlord: rooms ----------------------------------------------------------------------------------


async def _rooms_out(property_id: int, *, include_archived: bool = False) -> list[RoomOut]:
    people = await stays.occupancy(property_id)
    return [
        _of(RoomOut, room, people=people.get(room["id"], 0))
        for room in await services.rooms_of(property_id, include_archived=include_archived)
    ]


@get(
    "/landlord/properties/{property_id:int}/rooms",
    summary="The rooms of a property in use, with people staying in each now",
    opt=LANDLORD,
    responses=_responses(404),
)
async def rooms_list(request: Request, ward: NamedDependency[WardContext], property_id: FromPath[int]) -> list[RoomOut]:
    await _found(services.property_of(property_id, landlord_id=_me(request)))
    return await _rooms_out(property_id)


@post(
    "/landlord/properties/{property_id:int}/rooms",
    summary="Add one room or many (101-120) with the same size and rent; all or nothing",
    opt=LANDLORD,
    responses=_responses(400, 404, 409, 422),
)
async def rooms_add(
    request: Request,
    ward: NamedDependency[WardContext],
    property_id: FromPath[int],
    data: JSONBody[RoomsIn],
    idempotency_key: IdempotencyKey = None,
) -> RoomsAddedOut:
    await _found(services.property_of(property_id, landlord_id=_me(request)))
    cleaned = _cleaned(RoomsForm(_form_input(data)))
    codes = services.expand_room_codes(cleaned["codes"])

    async def add() -> str:
        added = await services.add_rooms(
            property_id,
            landlord_id=_me(request),
            codes=codes,
            floor=cleaned["floor"],
            area_m2=cleaned["area_m2"],
            max_occupancy=cleaned["max_occupancy"],
            monthly_rent=cleaned["monthly_rent"],
            connection=request,
        )
        return f"properties/{property_id}/rooms?added={added}"

    done = await _found(run_once(_once_token(request, idempotency_key), add))
    added = int(done.rsplit("=", 1)[1])
    return RoomsAddedOut(added=added, rooms=[r for r in await _rooms_out(property_id) if r.code in codes])


@post(
    "/landlord/rooms/{room_id:int}/archive",
    summary="Archive a room: it is no longer offered",
    opt=LANDLORD,
    status_code=200,
    responses=_responses(404),
)
async def room_archive(request: Request, ward: NamedDependency[WardContext], room_id: FromPath[int]) -> RoomOut:
    property_id = await _found(services.archive_room(room_id, landlord_id=_me(request), connection=request))
    return next(r for r in await _rooms_out(property_id, include_archived=True) if r.id == room_id)


# --- the landlord: renters and stays ----------------------------------------------------------------------


@get(
    "/landlord/properties/{property_id:int}/stays",
    summary="Who stays in the property now",
    opt=LANDLORD,
    responses=_responses(404),
)
async def stays_list(request: Request, ward: NamedDependency[WardContext], property_id: FromPath[int]) -> list[StayOut]:
    await _found(services.property_of(property_id, landlord_id=_me(request)))
    return [_stay_out(row) for row in await stays.open_stays(property_id)]


@post(
    "/landlord/properties/{property_id:int}/stays",
    summary="Register a renter (found again by ID number) and check them in to a room",
    description="The fields of the page's confirm form. Refused with 409 when the room is full or the person "
    "already stays somewhere in the ward.",
    opt=LANDLORD,
    responses=_responses(400, 404, 409, 422),
)
async def stay_check_in(
    request: Request,
    ward: NamedDependency[WardContext],
    property_id: FromPath[int],
    data: JSONBody[CheckInIn],
    idempotency_key: IdempotencyKey = None,
) -> StayOut:
    await _found(services.property_of(property_id, landlord_id=_me(request)))
    rooms = [str(r["id"]) for r in await services.rooms_of(property_id)]
    cleaned = _cleaned(RenterForm(_form_input(data), rooms=rooms))
    done = await _found(
        stays.check_in(
            landlord_id=_me(request),
            person=stays.RenterInput.of(cleaned),
            room_id=int(cleaned["room_id"]),
            from_date=cleaned["from_date"],
            expected_to=cleaned["expected_to"],
            reason=cleaned["reason"],
            form_token=_once_token(request, idempotency_key),
            connection=request,
            done_url=lambda stay_id: f"stays/{stay_id}",
        )
    )
    return _stay_out(await _stay(_tail_id(done)))


@post(
    "/landlord/stays/{stay_id:int}/check-out",
    summary="Check a renter out on a date",
    opt=LANDLORD,
    status_code=200,
    responses=_responses(400, 404, 422),
)
async def stay_check_out(
    request: Request, ward: NamedDependency[WardContext], stay_id: FromPath[int], data: JSONBody[CheckOutIn]
) -> StayOut:
    await _found(stays.property_of_stay(stay_id, _me(request)))
    cleaned = _cleaned(CheckOutForm(_form_input(data)))
    await _found(stays.check_out(stay_id, landlord_id=_me(request), on=cleaned["to_date"], connection=request))
    return _stay_out(await _stay(stay_id))


@post(
    "/landlord/stays/{stay_id:int}/move",
    summary="Move a renter to another room on a date; returns the new stay",
    opt=LANDLORD,
    status_code=200,
    responses=_responses(400, 404, 409, 422),
)
async def stay_move(
    request: Request, ward: NamedDependency[WardContext], stay_id: FromPath[int], data: JSONBody[MoveIn]
) -> StayOut:
    await _found(stays.property_of_stay(stay_id, _me(request)))
    renter = (await _stay(stay_id))["renter"]
    values = _form_input(data)
    cleaned = _cleaned(MoveForm(values, rooms=[values["room_id"]] if values["room_id"] else []))
    try:
        await _found(
            stays.move(
                stay_id,
                landlord_id=_me(request),
                room_id=int(cleaned["room_id"]),
                on=cleaned["on"],
                connection=request,
            )
        )
    except RuleError as exc:
        if exc.field == "to_date":  # the page's name for the day the old stay ends; here it is `on`
            raise RuleError(exc.text, field="on", status_code=exc.status_code) from None
        raise
    row = await Stay.ward_select(*_STAY_COLUMNS).where((Stay.renter == renter) & Stay.to_date.is_null()).first()
    return _stay_out(row)


# --- the landlord: residents' requests --------------------------------------------------------------------


@get(
    "/landlord/requests",
    summary="Residents' requests, made from a property's QR, waiting for the landlord",
    opt=LANDLORD,
)
async def requests_list(request: Request, ward: NamedDependency[WardContext]) -> list[RequestOut]:
    return [
        _of(RequestOut, row, property_name=row["property.name"], room_code=row["room.code"])
        for row in await self_registration.pending_for(_me(request))
    ]


@post(
    "/landlord/requests/{request_id:int}/accept",
    summary="Accept a request: registers the person and checks them in to the room they chose",
    opt=LANDLORD,
    status_code=200,
    responses=_responses(404, 409),
)
async def request_accept(
    request: Request, ward: NamedDependency[WardContext], request_id: FromPath[int]
) -> RequestDecisionOut:
    stay_id = await _found(self_registration.accept(request_id, landlord_id=_me(request), connection=request))
    return RequestDecisionOut(id=request_id, status="accepted", stay=_stay_out(await _stay(stay_id)))


@post(
    "/landlord/requests/{request_id:int}/reject",
    summary="Reject a request (reason required, shown to the resident)",
    opt=LANDLORD,
    status_code=200,
    responses=_responses(400, 404, 409, 422),
)
async def request_reject(
    request: Request, ward: NamedDependency[WardContext], request_id: FromPath[int], data: JSONBody[DecisionIn]
) -> RequestDecisionOut:
    reason = _cleaned(ReasonForm(_form_input(data)))["reason"]  # its presence is the service's rule
    await _found(self_registration.reject(request_id, landlord_id=_me(request), reason=reason, connection=request))
    return RequestDecisionOut(id=request_id, status="rejected", reason=reason)


# --- the officer ------------------------------------------------------------------------------------------


@get("/officer/properties", summary="The ward's properties, with occupancy", opt=OFFICER)
async def officer_properties(
    ward: NamedDependency[WardContext],
    status: Annotated[str, QueryParameter(description="pending, verified, sent_back or suspended")] = "",
    group: Annotated[str, QueryParameter(description="A residential group (tổ dân phố)")] = "",
) -> list[WardPropertyOut]:
    status = status if status in PropertyStatus.__members__ else ""  # as on the page: an unknown filter is none
    return [_ward_property_out(row) for row in await services.ward_properties(status=status, group=group)]


async def _decide(request: Request, property_id: int, status: PropertyStatus, data: DecisionIn | None) -> PropertyOut:
    reason = _cleaned(ReasonForm(_form_input(data or DecisionIn())))["reason"]  # needed or not: the service says
    await _found(services.decide_property(property_id, status=status, reason=reason, connection=request))
    return _property_out(await services.property_of(property_id))


@post(
    "/officer/properties/{property_id:int}/verify",
    summary="Verify a property",
    opt=OFFICER,
    status_code=200,
    responses=_responses(400, 404, 409),
)
async def property_verify(
    request: Request,
    ward: NamedDependency[WardContext],
    property_id: FromPath[int],
    data: JSONBody[DecisionIn | None] = None,
) -> PropertyOut:
    return await _decide(request, property_id, PropertyStatus.verified, data)


@post(
    "/officer/properties/{property_id:int}/send-back",
    summary="Send a property back to its landlord for correction (reason required)",
    opt=OFFICER,
    status_code=200,
    responses=_responses(400, 404, 409, 422),
)
async def property_send_back(
    request: Request, ward: NamedDependency[WardContext], property_id: FromPath[int], data: JSONBody[DecisionIn]
) -> PropertyOut:
    return await _decide(request, property_id, PropertyStatus.sent_back, data)


@post(
    "/officer/properties/{property_id:int}/suspend",
    summary="Suspend a property (reason required): its sticker's page no longer shows it",
    opt=OFFICER,
    status_code=200,
    responses=_responses(400, 404, 409, 422),
)
async def property_suspend(
    request: Request, ward: NamedDependency[WardContext], property_id: FromPath[int], data: JSONBody[DecisionIn]
) -> PropertyOut:
    return await _decide(request, property_id, PropertyStatus.suspended, data)


# --- the police -------------------------------------------------------------------------------------------


@get("/police/properties", summary="The ward's properties, with occupancy", opt=POLICE)
async def police_properties(
    ward: NamedDependency[WardContext],
    group: Annotated[str, QueryParameter(description="A residential group (tổ dân phố)")] = "",
) -> list[WardPropertyOut]:
    return [_ward_property_out(row) for row in await services.ward_properties(group=group)]


@get(
    "/police/properties/{property_id:int}",
    summary="Who stays in which room of a property now",
    description="Read-only. Every person returned is written to the audit log: who saw them, and when.",
    opt=POLICE,
    responses=_responses(404),
)
async def police_roster(request: Request, ward: NamedDependency[WardContext], property_id: FromPath[int]) -> RosterOut:
    prop = await _found(services.property_of(property_id))
    people = await services.roster_shown(prop, connection=request)
    by_room: dict[str, list[RosterPersonOut]] = {r["code"]: [] for r in await services.rooms_of(property_id)}
    for p in people:
        by_room.setdefault(p["room.code"], []).append(
            RosterPersonOut(
                stay_id=p["id"],
                renter_id=p["renter.id"],
                full_name=p["renter.full_name"],
                id_number=p["renter.id_number"],
                birth_date=p["renter.birth_date"],
                gender=p["renter.gender"],
                phone=p["renter.phone"],
                permanent_address=p["renter.permanent_address"],
                from_date=p["from_date"],
                expected_to=p["expected_to"],
            )
        )
    return _of(RosterOut, prop, rooms=[RosterRoomOut(code=code, people=found) for code, found in by_room.items()])


housing_api = Router(
    path="/",
    route_handlers=[
        landlord_properties,
        property_create,
        property_detail,
        property_update,
        rooms_list,
        rooms_add,
        room_archive,
        stays_list,
        stay_check_in,
        stay_check_out,
        stay_move,
        requests_list,
        request_accept,
        request_reject,
        officer_properties,
        property_verify,
        property_send_back,
        property_suspend,
        police_properties,
        police_roster,
    ],
    exception_handlers={  # type: ignore[dict-item]
        InvalidInput: _invalid_input,
        RuleError: _rule_error,
        ValidationException: _undecodable,
    },
    tags=["housing"],
)
