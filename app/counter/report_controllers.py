"""Report pages: a resident reports a problem (from the ward's home or a property's page) and follows it
with its code; the ward's officers triage, assign, answer and close, and only they see the photo and the
contact."""

from __future__ import annotations

import anyio
from litestar import Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.response import Template

from app.accounts.tables import Role
from app.counter import reports
from app.errors import RuleError
from app.i18n import _l
from app.web.forms import Form
from app.web.http import see_other
from app.web.templating import render
from tenants.resolve import WardContext

OFFICER = {"roles": {Role.officer}}
PUBLIC = {"public": True}


class ReportForm(Form):
    def validate(self) -> None:
        self.choice("category", list(reports.CATEGORIES))
        self.multiline("text", required=True, max_length=3000)
        if self.cleaned["text"] and len(self.cleaned["text"]) < 10:
            self.error("text", _l("At least %(n)s characters.", n=10))
        self.text("place", required=False, max_length=255)
        self.text("contact_name", required=False, max_length=120)
        self.phone("contact_phone", required=False)
        if (self.cleaned["contact_name"] or self.cleaned["contact_phone"]) and not self.checkbox("consent"):
            self.error("consent", _l("Tick to let the ward use your contact for this report, or leave it empty."))


class HandleForm(Form):
    def __init__(self, data=None, *, officers: list[str] | None = None) -> None:
        super().__init__(data)
        self.officers = officers or []

    def validate(self) -> None:
        self.choice("to_state", [s.value for s in reports.ReportState], required=False)
        self.choice("assign_to", self.officers, required=False)
        self.multiline("answer", max_length=3000)
        self.multiline("note", max_length=1000)


def _new_page(ward: WardContext, form: ReportForm, prop: dict | None, token: str, *, status: int = 200) -> Template:
    return render(
        "counter/report_new.html",
        status=status,
        ward=ward,
        form=form,
        prop=prop,
        token=token,
        categories=reports.CATEGORIES,
    )


@get("/report", name="report_new", opt=PUBLIC, include_in_schema=False)
async def report_new(ward: NamedDependency[WardContext], property: FromQuery[str] = "") -> Template:
    prop = await reports.property_by_token(property)
    form = ReportForm({"category": "housing"} if prop else {})
    return _new_page(ward, form, prop, property if prop else "")


@post("/report", name="report_submit", opt=PUBLIC, include_in_schema=False, request_max_body_size=10 * 1024 * 1024)
async def report_submit(request: Request, ward: NamedDependency[WardContext]) -> Template | Response:
    data = await request.form()
    values = {k: data.get(k) for k in data.keys() if k != "photo"}  # noqa: SIM118 - FormMultiDict has no dict()
    token = values.get("property") or ""
    prop = await reports.property_by_token(token) if token else None
    form = ReportForm(values)
    valid = form.is_valid()
    photo = None
    upload = data.get("photo")
    if isinstance(upload, UploadFile) and upload.filename:
        try:
            photo = await anyio.to_thread.run_sync(reports.clean_photo, await upload.read())
        except reports.PhotoError as exc:
            form.error("photo", exc.text)
            valid = False
    if not valid:
        return _new_page(ward, form, prop, token if prop else "", status=422)
    c = form.cleaned
    url = await reports.submit(
        category=c["category"],
        text=c["text"],
        place=c["place"],
        contact_name=c["contact_name"],
        contact_phone=c["contact_phone"],
        photo=photo,
        property_id=prop["id"] if prop else None,
        ward_slug=ward.slug,
        form_token=form.value("form_token"),
        connection=request,
    )
    return see_other(url)


@get("/reports/{code:str}", name="report_follow", opt=PUBLIC, include_in_schema=False)
async def report_follow(ward: NamedDependency[WardContext], code: FromPath[str], new: FromQuery[int] = 0) -> Template:
    row = await reports.public_view(code)
    if row is None:
        raise NotFoundException()
    return render(
        "counter/report_follow.html",
        ward=ward,
        r=row,
        new=bool(new),
        category_label=reports.category_label,
        state_label=reports.state_label,
    )


# --- officers ---------------------------------------------------------------------------------------------


@get("/officer/reports", name="report_list", opt=OFFICER, include_in_schema=False)
async def report_list(
    request: Request, ward: NamedDependency[WardContext], status: FromQuery[str] = "open"
) -> Template:
    mine = request.scope["user"].id if status == "mine" else None
    return render(
        "counter/reports.html",
        ward=ward,
        rows=await reports.search(state=status, mine=mine),
        status_filter=status,
        states=list(reports.ReportState),
        category_label=reports.category_label,
        state_label=reports.state_label,
    )


async def _detail(ward: WardContext, report_id: int, *, form: HandleForm | None = None, status: int = 200):
    try:
        row = await reports.report(report_id)
    except LookupError:
        raise NotFoundException() from None
    state = reports.ReportState(row["state"])
    return render(
        "counter/report.html",
        status=status,
        ward=ward,
        r=row,
        events=await reports.history(report_id),
        officers=await reports.officers(),
        moves=sorted(reports.TRANSITIONS[state], key=list(reports.ReportState).index),
        form=form or HandleForm({"answer": row["answer"]}),
        category_label=reports.category_label,
        state_label=reports.state_label,
    )


@get("/officer/reports/{report_id:int}", name="report_detail", opt=OFFICER, include_in_schema=False)
async def report_detail(ward: NamedDependency[WardContext], report_id: FromPath[int]) -> Template:
    return await _detail(ward, report_id)


@post("/officer/reports/{report_id:int}", name="report_handle", opt=OFFICER, include_in_schema=False)
async def report_handle(
    request: Request, ward: NamedDependency[WardContext], report_id: FromPath[int]
) -> Template | Response:
    data = await request.form()
    officers = [str(o["id"]) for o in await reports.officers()]
    form = HandleForm({k: data.get(k) for k in data.keys()}, officers=officers)  # noqa: SIM118
    if not form.is_valid():
        return await _detail(ward, report_id, form=form, status=422)
    c = form.cleaned
    try:
        await reports.handle(
            report_id,
            to_state=c["to_state"],
            answer=c["answer"],
            note=c["note"],
            assign_to=int(c["assign_to"]) if c["assign_to"] else None,
            connection=request,
        )
    except LookupError:
        raise NotFoundException() from None
    except RuleError as exc:
        if exc.status_code == 409 and exc.field is None:
            raise
        form.error(exc.field or "__all__", exc.text)
        return await _detail(ward, report_id, form=form, status=exc.status_code)
    return see_other(f"{ward.base}/officer/reports/{report_id}")


@get("/officer/reports/{report_id:int}/photo", name="report_photo", opt=OFFICER, include_in_schema=False)
async def report_photo(ward: NamedDependency[WardContext], report_id: FromPath[int]) -> Response:
    row = await reports.photo(report_id)
    if row is None:
        raise NotFoundException()
    return Response(
        row["data"],
        media_type=row["content_type"],
        headers={
            "Cache-Control": "private, no-store",  # a shared cache must never keep a resident's photo
            "X-Content-Type-Options": "nosniff",
            "Content-Disposition": "inline",
        },
    )


ROUTES = [report_new, report_submit, report_follow, report_list, report_detail, report_handle, report_photo]
