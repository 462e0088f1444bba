"""Pages of the procedure catalogue: the public list and each procedure's page; the officers' catalogue, its
groups, the booking slots' settings and the days the counter is closed."""

from __future__ import annotations

from datetime import date

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.response import Template

from app.accounts.tables import Role
from app.counter import bookings, procedures
from app.counter.booking_forms import BookingSettingsForm, ClosedDayForm, GroupForm, ProcedureForm
from app.counter.slots import SLOT_MINUTES
from app.errors import RuleError
from app.web.http import form_data, see_other
from app.web.templating import render
from tenants.resolve import WardContext

PUBLIC = {"public": True}
OFFICER = {"roles": {Role.officer}}


# --- public ---------------------------------------------------------------------------------------------------


@get("/procedures", name="procedures", opt=PUBLIC, include_in_schema=False)
async def procedure_list(ward: NamedDependency[WardContext]) -> Template:
    rows = await procedures.procedures(public=True)
    return render(
        "counter/procedures.html", ward=ward, grouped=procedures.by_group(rows), is_bookable=procedures.is_bookable
    )


@get("/procedures/{procedure_id:int}", name="procedure", opt=PUBLIC, include_in_schema=False)
async def procedure_page(ward: NamedDependency[WardContext], procedure_id: FromPath[int]) -> Template:
    try:
        procedure = await procedures.procedure_of(procedure_id, public=True)
    except LookupError:
        raise NotFoundException() from None
    return render(
        "counter/procedures_detail.html",
        ward=ward,
        p=procedure,
        documents=procedures.documents_of(procedure),
        bookable=procedures.is_bookable(procedure),
    )


# --- officers: the catalogue ---------------------------------------------------------------------------------


def _as_form_data(row: dict, fields: tuple[str, ...]) -> dict[str, str]:
    return {k: ("on" if row[k] is True else "" if row[k] in (False, None) else str(row[k])) for k in fields}


@get("/officer/procedures", name="officer_procedures", opt=OFFICER, include_in_schema=False)
async def officer_procedures(ward: NamedDependency[WardContext]) -> Template:
    return await _catalogue(ward)


async def _catalogue(ward: WardContext, settings_form: BookingSettingsForm | None = None, status: int = 200):
    conf = await bookings.settings()
    return render(
        "counter/procedures_officer.html",
        status=status,
        ward=ward,
        groups=await procedures.groups(),
        grouped=procedures.by_group(await procedures.procedures()),
        settings_form=settings_form or BookingSettingsForm({k: str(v) for k, v in conf.items()}),
        slot_minutes=SLOT_MINUTES,
        office_hours_set=bool(bookings.periods_of(ward.office_hours)),
    )


async def _group_choices() -> list[dict]:
    return await procedures.groups()


async def _procedure_form_page(
    ward: WardContext, form: ProcedureForm, *, procedure: dict | None = None, status: int = 200
) -> Template:
    return render(
        "counter/procedures_form.html",
        status=status,
        ward=ward,
        form=form,
        procedure=procedure,
        groups=await _group_choices(),
    )


async def _procedure_form(data: dict) -> ProcedureForm:
    return ProcedureForm(data, groups=[str(g["id"]) for g in await _group_choices()])


@get("/officer/procedures/new", name="procedure_new", opt=OFFICER, include_in_schema=False)
async def procedure_new(ward: NamedDependency[WardContext]) -> Template:
    form = await _procedure_form({"bookable": "on", "active": "on", "fee": "0"})
    return await _procedure_form_page(ward, form)


@post("/officer/procedures/new", name="procedure_create", opt=OFFICER, include_in_schema=False)
async def procedure_create(request: Request, ward: NamedDependency[WardContext]) -> Template | Response:
    form = await _procedure_form(await form_data(request))
    if not form.is_valid():
        return await _procedure_form_page(ward, form, status=422)
    try:
        await procedures.create_procedure(
            values={k: form.cleaned[k] for k in procedures.PROCEDURE_FIELDS},
            form_token=form.value("form_token"),
            connection=request,
        )
    except RuleError as exc:
        form.error(exc.field or "__all__", exc.text)
        return await _procedure_form_page(ward, form, status=exc.status_code)
    return see_other(f"{ward.base}/officer/procedures")


@get("/officer/procedures/{procedure_id:int}", name="procedure_edit", opt=OFFICER, include_in_schema=False)
async def procedure_edit(ward: NamedDependency[WardContext], procedure_id: FromPath[int]) -> Template:
    try:
        procedure = await procedures.procedure_of(procedure_id)
    except LookupError:
        raise NotFoundException() from None
    form = await _procedure_form(_as_form_data(procedure, procedures.PROCEDURE_FIELDS))
    return await _procedure_form_page(ward, form, procedure=procedure)


@post("/officer/procedures/{procedure_id:int}", name="procedure_update", opt=OFFICER, include_in_schema=False)
async def procedure_update(
    request: Request, ward: NamedDependency[WardContext], procedure_id: FromPath[int]
) -> Template | Response:
    try:
        procedure = await procedures.procedure_of(procedure_id)
    except LookupError:
        raise NotFoundException() from None
    form = await _procedure_form(await form_data(request))
    if not form.is_valid():
        return await _procedure_form_page(ward, form, procedure=procedure, status=422)
    try:
        await procedures.update_procedure(
            procedure_id, values={k: form.cleaned[k] for k in procedures.PROCEDURE_FIELDS}, connection=request
        )
    except RuleError as exc:
        form.error(exc.field or "__all__", exc.text)
        return await _procedure_form_page(ward, form, procedure=procedure, status=exc.status_code)
    return see_other(f"{ward.base}/officer/procedures#procedure-{procedure_id}")


# --- officers: groups ------------------------------------------------------------------------------------------


def _group_page(ward: WardContext, form: GroupForm, *, group: dict | None = None, status: int = 200) -> Template:
    return render("counter/procedures_group_form.html", status=status, ward=ward, form=form, group=group)


@get("/officer/groups/new", name="group_new", opt=OFFICER, include_in_schema=False)
async def group_new(ward: NamedDependency[WardContext]) -> Template:
    return _group_page(ward, GroupForm({"slot_capacity": "4", "active": "on"}))


@post("/officer/groups/new", name="group_create", opt=OFFICER, include_in_schema=False)
async def group_create(request: Request, ward: NamedDependency[WardContext]) -> Template | Response:
    form = GroupForm(await form_data(request))
    if not form.is_valid():
        return _group_page(ward, form, status=422)
    try:
        await procedures.create_group(
            values={k: form.cleaned[k] for k in procedures.GROUP_FIELDS},
            form_token=form.value("form_token"),
            connection=request,
        )
    except RuleError as exc:
        form.error(exc.field or "__all__", exc.text)
        return _group_page(ward, form, status=exc.status_code)
    return see_other(f"{ward.base}/officer/procedures#groups")


@get("/officer/groups/{service_group_id:int}", name="group_edit", opt=OFFICER, include_in_schema=False)
async def group_edit(ward: NamedDependency[WardContext], service_group_id: FromPath[int]) -> Template:
    try:
        group = await procedures.group_of(service_group_id)
    except LookupError:
        raise NotFoundException() from None
    return _group_page(ward, GroupForm(_as_form_data(group, procedures.GROUP_FIELDS)), group=group)


@post("/officer/groups/{service_group_id:int}", name="group_update", opt=OFFICER, include_in_schema=False)
async def group_update(
    request: Request, ward: NamedDependency[WardContext], service_group_id: FromPath[int]
) -> Template | Response:
    try:
        group = await procedures.group_of(service_group_id)
    except LookupError:
        raise NotFoundException() from None
    form = GroupForm(await form_data(request))
    if not form.is_valid():
        return _group_page(ward, form, group=group, status=422)
    try:
        await procedures.update_group(
            service_group_id, values={k: form.cleaned[k] for k in procedures.GROUP_FIELDS}, connection=request
        )
    except RuleError as exc:
        form.error(exc.field or "__all__", exc.text)
        return _group_page(ward, form, group=group, status=exc.status_code)
    return see_other(f"{ward.base}/officer/procedures#groups")


# --- officers: slots and closed days -------------------------------------------------------------------------------


@post("/officer/booking-settings", name="booking_settings_update", opt=OFFICER, include_in_schema=False)
async def booking_settings_update(request: Request, ward: NamedDependency[WardContext]) -> Template | Response:
    form = BookingSettingsForm(await form_data(request))
    if not form.is_valid():
        return await _catalogue(ward, form, status=422)
    await bookings.update_settings(
        slot_minutes=form.cleaned["slot_minutes"], days_ahead=form.cleaned["days_ahead"], connection=request
    )
    return see_other(f"{ward.base}/officer/procedures#slots")


async def _closed_days_page(
    ward: WardContext, form: ClosedDayForm | None = None, *, status: int = 200, affected: int | None = None
) -> Template:
    today = bookings.now_local().date()
    return render(
        "counter/closed_days.html",
        status=status,
        ward=ward,
        form=form or ClosedDayForm(),
        days=await bookings.closed_days(since=today),
        affected=affected,
    )


@get("/officer/closed-days", name="closed_days", opt=OFFICER, include_in_schema=False)
async def closed_days(
    ward: NamedDependency[WardContext], booked: FromQuery[int | None] = None, day: FromQuery[str] = ""
) -> Template:
    affected = None
    if booked is not None and day:
        try:
            affected = {"count": booked, "day": date.fromisoformat(day)}
        except ValueError:
            affected = None
    return await _closed_days_page(ward, affected=affected)


@post("/officer/closed-days", name="closed_day_add", opt=OFFICER, include_in_schema=False)
async def closed_day_add(request: Request, ward: NamedDependency[WardContext]) -> Template | Response:
    form = ClosedDayForm(await form_data(request))
    if not form.is_valid():
        return await _closed_days_page(ward, form, status=422)
    day = form.cleaned["day"]
    try:
        booked = await bookings.close_day(day=day, reason=form.cleaned["reason"], connection=request)
    except RuleError as exc:
        form.error(exc.field or "__all__", exc.text)
        return await _closed_days_page(ward, form, status=exc.status_code)
    return see_other(f"{ward.base}/officer/closed-days?booked={booked}&day={day.isoformat()}")


@post("/officer/closed-days/{closed_day_id:int}/reopen", name="closed_day_reopen", opt=OFFICER, include_in_schema=False)
async def closed_day_reopen(
    request: Request, ward: NamedDependency[WardContext], closed_day_id: FromPath[int]
) -> Response:
    try:
        await bookings.reopen_day(closed_day_id, connection=request)
    except LookupError:
        raise NotFoundException() from None
    return see_other(f"{ward.base}/officer/closed-days")


ROUTES = [
    procedure_list,
    procedure_page,
    officer_procedures,
    procedure_new,
    procedure_create,
    procedure_edit,
    procedure_update,
    group_new,
    group_create,
    group_edit,
    group_update,
    booking_settings_update,
    closed_days,
    closed_day_add,
    closed_day_reopen,
]
