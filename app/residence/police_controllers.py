"""The ward police's desk: the residency search (who is this person, where do they stay, where did they stay),
and the declaration inbox (open one, receive, accept with the reference, reject with the reason)."""

from __future__ import annotations

from typing import Annotated

import anyio
from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery, QueryParameter
from litestar.response import Template

from app.accounts.tables import Role
from app.errors import RuleError
from app.housing import services, stays
from app.housing.forms import parse_date
from app.residence import alerts, declarations, exports, inbox, search
from app.residence.deadlines import DeclarationKind
from app.residence.tables import DeclarationState
from app.web.forms import Form
from app.web.http import form_data, see_other
from app.web.ids import as_id
from app.web.templating import render
from tenants.resolve import WardContext

POLICE = {"roles": {Role.police}}
RESULTS_ID = "police-results"


@get("/police/search", name="police_search", opt=POLICE, include_in_schema=False)
async def police_search(
    request: Request, ward: NamedDependency[WardContext], q: FromQuery[str] = "", birth_year: FromQuery[str] = ""
) -> Template:
    """The search page; htmx asks for the results alone as the officer types. Every person shown is written
    to the audit log. An empty query shows the form alone; an unusable one, why, with status 422."""
    q, birth_year = " ".join(q.split()), birth_year.strip()
    result, error_field, error, status_code = None, "", None, 200
    if q or birth_year:
        try:
            year = search.parse_birth_year(birth_year)
            result = await search.search_shown(q, year, connection=request)
        except RuleError as exc:
            error_field, error, status_code = exc.field or "q", exc.text, exc.status_code
    results_only = request.headers.get("HX-Target") == RESULTS_ID
    return render(
        "residence/_police_search_results.html" if results_only else "residence/police_search.html",
        status=status_code,
        ward=ward,
        q=q,
        birth_year=birth_year,
        result=result,
        error_field=error_field,
        error=error,
        limit=search.LIMIT,
    )


ROUTES = [police_search]


# --- the declaration inbox -------------------------------------------------------------------------------

INBOX_ID = "inbox-list"


async def _inbox_page(
    request: Request,
    ward: WardContext,
    filters: inbox.InboxFilter,
    *,
    status: int = 200,
    outcomes: list[inbox.Outcome] | None = None,
    form: Form | None = None,
) -> Template:
    rows, more = await inbox.inbox_shown(filters, connection=request)
    list_only = request.headers.get("HX-Target") == INBOX_ID and request.method == "GET"
    return render(
        "residence/_inbox_list.html" if list_only else "residence/police_inbox.html",
        status=status,
        ward=ward,
        filters=filters,
        rows=rows,
        more=more,
        limit=inbox.LIMIT,
        counts=await inbox.counts(),
        groups=await services.residential_groups(),
        properties=await inbox.house_names(),
        kinds=list(DeclarationKind),
        states=[s.value for s in DeclarationState],
        outcomes=outcomes,
        form=form or Form(),
        remote_area=await declarations.remote_area(),
    )


@get("/police/declarations", name="police_inbox", opt=POLICE, include_in_schema=False)
async def police_inbox(
    request: Request,
    ward: NamedDependency[WardContext],
    kind: FromQuery[str] = "",
    state_filter: Annotated[str, QueryParameter(name="state")] = inbox.TO_DO,
    group: FromQuery[str] = "",
    property_id: FromQuery[str] = "",
) -> Template:
    """New and late declarations first; htmx asks for the list alone when a filter changes. Every person
    listed is written to the audit log."""
    return await _inbox_page(request, ward, inbox.InboxFilter.of(kind, state_filter, group, property_id))


@post("/police/declarations", name="police_inbox_decide", opt=POLICE, include_in_schema=False)
async def police_inbox_decide(request: Request, ward: NamedDependency[WardContext]) -> Template:
    """One decision on the selected declarations; the page then says, for each, whether it was done."""
    form_data_ = await request.form()
    ids = [i for v in form_data_.getall("ids", []) if (i := as_id(v))]
    form = Form({k: form_data_.get(k) for k in ("action", "reference", "reason", "kind", "state", "group")})
    filters = inbox.InboxFilter.of(
        form.value("kind"), form.value("state") or inbox.TO_DO, form.value("group"), form_data_.get("property_id") or ""
    )
    try:
        outcomes = await inbox.decide_many(
            ids,
            form.value("action"),
            connection=request,
            reference=form.value("reference"),
            reason=form.value("reason"),
        )
    except RuleError as exc:
        form.error(exc.field or "__all__", exc.text)
        return await _inbox_page(request, ward, filters, status=exc.status_code, form=form)
    return await _inbox_page(request, ward, filters, outcomes=outcomes)


async def _declaration_page(
    request: Request, ward: WardContext, declaration_id: int, *, form: Form | None = None, status: int = 200
) -> Template:
    try:
        shown = await inbox.declaration_shown(declaration_id, connection=request)
    except LookupError:
        raise NotFoundException() from None
    return render(
        "residence/police_declaration.html",
        status=status,
        ward=ward,
        form=form or Form(),
        **shown,
    )


@get("/police/declarations/{declaration_id:int}", name="police_declaration", opt=POLICE, include_in_schema=False)
async def police_declaration(
    request: Request, ward: NamedDependency[WardContext], declaration_id: FromPath[int]
) -> Template:
    """Everything filed, its history and who has seen the person; this view is written to the audit log."""
    return await _declaration_page(request, ward, declaration_id)


@post(
    "/police/declarations/{declaration_id:int}/decide",
    name="police_declaration_decide",
    opt=POLICE,
    include_in_schema=False,
)
async def police_declaration_decide(
    request: Request, ward: NamedDependency[WardContext], declaration_id: FromPath[int]
) -> Template | Response:
    try:
        await inbox.declaration(declaration_id)  # another ward's id is 404 before the form is read
    except LookupError:
        raise NotFoundException() from None
    form = Form(await form_data(request))
    try:
        await inbox.decide(
            declaration_id,
            form.value("action"),
            connection=request,
            reference=form.value("reference"),
            reason=form.value("reason"),
        )
    except RuleError as exc:
        form.error(exc.field or "__all__", exc.text)
        return await _declaration_page(request, ward, declaration_id, form=form, status=exc.status_code)
    return see_other(f"{ward.base}/police/declarations/{declaration_id}")


@post("/police/settings", name="police_settings", opt=POLICE, include_in_schema=False)
async def police_settings(request: Request, ward: NamedDependency[WardContext]) -> Response:
    form = Form(await form_data(request))
    await inbox.set_remote_area(form.checkbox("remote_area"), connection=request)
    return see_other(f"{ward.base}/police/declarations")


ROUTES += [police_inbox, police_inbox_decide, police_declaration, police_declaration_decide, police_settings]


# --- alerts and exports ----------------------------------------------------------------------------------


@get("/police/alerts", name="police_alerts", opt=POLICE, include_in_schema=False)
async def police_alerts(request: Request, ward: NamedDependency[WardContext], group: FromQuery[str] = "") -> Template:
    """Late declarations, tạm trú ending soon, rooms over capacity, people in two houses; audited."""
    return render(
        "residence/police_alerts.html",
        ward=ward,
        lists=await alerts.alerts_shown(connection=request, group=group.strip()),
        titles=alerts.LIST_TITLES,
        group=group.strip(),
        groups=await services.residential_groups(),
    )


def _export_page(ward: WardContext, form: Form, status: int = 200) -> Template:
    return render("residence/police_export.html", status=status, ward=ward, form=form, titles=alerts.LIST_TITLES)


@get("/police/export", name="police_export", opt=POLICE, include_in_schema=False)
async def police_export(ward: NamedDependency[WardContext]) -> Template:
    today = stays.today()
    return _export_page(
        ward, Form({"from": today.replace(day=1).strftime("%d/%m/%Y"), "to": today.strftime("%d/%m/%Y")})
    )


def _file(body: bytes, name: str, fmt: str) -> Response:
    media = "text/csv; charset=utf-8" if fmt == "csv" else XLSX
    return Response(body, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'})


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@get("/police/export/declarations", name="police_export_declarations", opt=POLICE, include_in_schema=False)
async def police_export_declarations(
    request: Request,
    ward: NamedDependency[WardContext],
    start: Annotated[str, QueryParameter(name="from")] = "",
    end: Annotated[str, QueryParameter(name="to")] = "",
    fmt: Annotated[str, QueryParameter(name="format")] = "csv",
) -> Response | Template:
    """The declarations filed in a date range, as CSV or XLSX; everyone in the file is audited."""
    form = Form({"from": start, "to": end, "format": fmt})
    first, last = parse_date(form, "from", required=True), parse_date(form, "to", required=True)
    fmt = fmt if fmt in exports.FORMATS else "csv"
    try:
        first, last = exports.check_range(first, last) if not form.errors else (first, last)
    except RuleError as exc:
        form.error(exc.field or "to", exc.text)
    if form.errors:
        return _export_page(ward, form, status=422)
    header, rows, people = await exports.declarations_table(first, last)
    name = f"declarations-{first:%Y%m%d}-{last:%Y%m%d}"
    await exports.audit_export(people, what=name, connection=request)
    if fmt == "xlsx":
        return _file(await anyio.to_thread.run_sync(exports.to_xlsx, header, rows, name), name, fmt)
    return _file(exports.to_csv(header, rows), name, fmt)


@get("/police/export/alerts", name="police_export_alerts", opt=POLICE, include_in_schema=False)
async def police_export_alerts(
    request: Request,
    ward: NamedDependency[WardContext],
    alert_list: Annotated[str, QueryParameter(name="list")] = "late",
    fmt: Annotated[str, QueryParameter(name="format")] = "csv",
) -> Response:
    """One alert list, as CSV or XLSX; everyone in the file is audited."""
    if alert_list not in alerts.LISTS:
        raise NotFoundException()
    fmt = fmt if fmt in exports.FORMATS else "csv"
    header, rows, people = await exports.alert_table(alert_list)
    name = f"alerts-{alert_list}-{stays.today():%Y%m%d}"
    await exports.audit_export(people, what=name, connection=request)
    if fmt == "xlsx":
        return _file(await anyio.to_thread.run_sync(exports.to_xlsx, header, rows, alert_list), name, fmt)
    return _file(exports.to_csv(header, rows), name, fmt)


ROUTES += [police_alerts, police_export, police_export_declarations, police_export_alerts]
