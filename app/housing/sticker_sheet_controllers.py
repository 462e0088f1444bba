"""The officer's sheets of QR stickers: ask for the stickers of the properties on the list, follow the
progress, download the PDF when it is ready."""

from __future__ import annotations

from litestar import Request, Response, get, post
from litestar.background_tasks import BackgroundTask
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Template

from app.accounts.tables import Role
from app.errors import RuleError
from app.housing import sticker_sheets
from app.housing.tables import PropertyStatus
from app.web.forms import Form
from app.web.http import form_data, see_other
from app.web.templating import render
from tenants.resolve import WardContext

OFFICER = {"roles": {Role.officer}}
PROGRESS_ID = "sheet-job"  # the element the job page polls into (htmx sends it as HX-Target)


class SheetForm(Form):
    """The filter of the officer's property list, sent back with the button."""

    def validate(self) -> None:
        self.choice("status", [s.value for s in PropertyStatus], required=False)
        self.text("group", required=False, max_length=60)


@post("/officer/sticker-sheets", name="sticker_sheet_create", opt=OFFICER, include_in_schema=False)
async def sticker_sheet_create(request: Request, ward: NamedDependency[WardContext]) -> Response:
    form = SheetForm(await form_data(request))
    if not form.is_valid():
        raise RuleError(next(iter(form.errors.values())))
    new = await sticker_sheets.request_sheet(
        ward,
        status=form.cleaned["status"],
        group=form.cleaned["group"],
        form_token=form.value("form_token"),
        connection=request,
    )
    response = see_other(new.url)
    if new.job is not None:
        # Runs after the response is sent, so after the request's transaction committed the job's row.
        response.background = BackgroundTask(sticker_sheets.launch, new.job)
    return response


@get("/officer/sticker-sheets/{sheet_id:int}", name="sticker_sheet_job", opt=OFFICER, include_in_schema=False)
async def sticker_sheet_job(request: Request, ward: NamedDependency[WardContext], sheet_id: FromPath[int]) -> Template:
    try:
        sheet = await sticker_sheets.sheet_of(sheet_id)
    except LookupError:
        raise NotFoundException() from None
    polled = request.headers.get("hx-target") == PROGRESS_ID
    template = "housing/_sticker_sheet_progress.html" if polled else "housing/sticker_sheet_job.html"
    return render(template, ward=ward, sheet=sheet, progress_id=PROGRESS_ID)


@get(
    "/officer/sticker-sheets/{sheet_id:int}/stickers.pdf",
    name="sticker_sheet_pdf",
    opt=OFFICER,
    include_in_schema=False,
)
async def sticker_sheet_pdf(ward: NamedDependency[WardContext], sheet_id: FromPath[int]) -> Response:
    try:
        pdf, filename = await sticker_sheets.pdf_of(sheet_id, ward)
    except LookupError:
        raise NotFoundException() from None
    if pdf is None:  # not ready (or failed): the job's page says which
        return see_other(f"{ward.base}/officer/sticker-sheets/{sheet_id}")
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


ROUTES = [sticker_sheet_create, sticker_sheet_job, sticker_sheet_pdf]
