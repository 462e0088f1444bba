"""Importing a property's rooms and renters from a spreadsheet: the upload, a preview of every row with each
bad row's errors (nothing written), and the confirm, which checks every row again and writes them all in one
transaction, or nothing."""

from __future__ import annotations

import anyio
from litestar import Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.response import Template

from app.accounts.tables import Role
from app.audit.service import record
from app.db import is_unique_violation
from app.errors import RuleError
from app.housing import importer, services, stays
from app.housing.tables import Stay
from app.i18n import _l, current_locale
from app.once import run_once
from app.settings import get_settings
from app.web.forms import Form
from app.web.http import form_data, see_other
from app.web.templating import render
from tenants.resolve import WardContext

LANDLORD = {"roles": {Role.landlord}}
IMPORTED = "property_imported"
CHANGED = _l(
    "Something changed since the preview, for example a renter was registered in one of these rooms. "
    "Nothing was imported: see the rows below."
)


class _Rejected(Exception):
    """The rows no longer pass at confirm time: the transaction is rolled back and the preview shown."""

    def __init__(self, plan: importer.Plan) -> None:
        super().__init__("import rejected")
        self.plan = plan


def _me(request: Request) -> int:
    return request.scope["user"].id


async def _own_property(request: Request, property_id: int) -> dict:
    try:
        return await services.property_of(property_id, landlord_id=_me(request))
    except LookupError:
        raise NotFoundException() from None


async def _known(property_id: int, sheet: importer.Sheet) -> importer.Known:
    """The property's rooms with who stays in them, and the open stays in the ward of the file's people."""
    rooms = await services.rooms_of(property_id, include_archived=True)
    counts = await stays.occupancy(property_id)
    ids = sorted(importer.candidate_ids(sheet))
    staying: dict[str, tuple[str, str]] = {}
    for start in range(0, len(ids), 500):  # well under either engine's limit of query parameters
        rows = await Stay.ward_select(Stay.renter.id_number, Stay.room.code, Stay.room.property.name).where(
            Stay.to_date.is_null() & Stay.renter.id_number.is_in(ids[start : start + 500])
        )
        for row in rows:
            staying[row["renter.id_number"]] = (row["room.code"], row["room.property.name"])
    return importer.Known(
        rooms={
            r["code"]: importer.KnownRoom(r["code"], r["max_occupancy"], counts.get(r["id"], 0), r["archived"])
            for r in rooms
        },
        staying=staying,
    )


async def _plan(property_id: int, sheet: importer.Sheet) -> importer.Plan:
    return importer.check(sheet, await _known(property_id, sheet))


async def _write(
    property_id: int, sheet: importer.Sheet, plan: importer.Plan, *, landlord_id: int, request: Request
) -> None:
    """The rooms and the check-ins, through the same functions as the web forms. Call inside a transaction."""
    groups: dict[tuple, list[str]] = {}
    for room in plan.rooms:  # rooms alike go in together, as "101-120" does on the form
        groups.setdefault((room.floor, room.area_m2, room.max_occupancy, room.monthly_rent), []).append(room.code)
    for (floor, area_m2, max_occupancy, monthly_rent), codes in groups.items():
        await services.add_rooms(
            property_id,
            landlord_id=landlord_id,
            codes=codes,
            floor=floor,
            area_m2=area_m2,
            max_occupancy=max_occupancy,
            monthly_rent=monthly_rent,
            connection=request,
        )
    room_ids = {r["code"]: r["id"] for r in await services.rooms_of(property_id)}
    for stay in plan.stays:
        await stays.open_stay(
            landlord_id=landlord_id,
            person=stays.RenterInput.of(stay.person),
            room_id=room_ids[stay.room_code],
            from_date=stay.from_date,
            expected_to=stay.expected_to,
            reason=stay.reason,
            connection=request,
        )
    await record(
        IMPORTED,
        connection=request,
        subject_type="property",
        subject_id=property_id,
        summary=f"{sheet.filename}: +{len(plan.rooms)} rooms, +{len(plan.stays)} renters, {len(plan.rows)} rows",
    )


def _seal_context(request: Request, ward: WardContext, property_id: int) -> str:
    return f"{ward.id}:{_me(request)}:{property_id}"


def _page(ward: WardContext, prop: dict, *, form: Form | None = None, status: int = 200, done: tuple = ()):
    return render(
        "housing/import.html",
        status=status,
        ward=ward,
        prop=prop,
        form=form or Form(),
        columns=importer.COLUMNS,
        max_rows=importer.MAX_ROWS,
        done=done,
    )


def _preview(
    request: Request,
    ward: WardContext,
    prop: dict,
    sheet: importer.Sheet,
    plan: importer.Plan,
    *,
    status: int,
    form: Form | None = None,
):
    key = get_settings().secret_key
    payload = importer.seal(sheet, key=key, context=_seal_context(request, ward, prop["id"])) if plan.ok else ""
    return render(
        "housing/import_preview.html",
        status=status,
        ward=ward,
        prop=prop,
        plan=plan,
        filename=sheet.filename,
        payload=payload,
        form=form or Form(),
        max_rows=importer.MAX_ROWS,
    )


@get("/landlord/properties/{property_id:int}/import", name="property_import", opt=LANDLORD, include_in_schema=False)
async def import_page(
    request: Request,
    ward: NamedDependency[WardContext],
    property_id: FromPath[int],
    rooms: FromQuery[int | None] = None,
    renters: FromQuery[int] = 0,
) -> Template:
    """The explanation, the templates and the upload; after an import, what it added."""
    prop = await _own_property(request, property_id)
    return _page(ward, prop, done=(rooms, renters) if rooms is not None else ())


@post(
    "/landlord/properties/{property_id:int}/import",
    name="property_import_preview",
    opt=LANDLORD,
    include_in_schema=False,
)
async def import_preview(request: Request, ward: NamedDependency[WardContext], property_id: FromPath[int]) -> Template:
    """Read the file and show what it would do; nothing is written."""
    prop = await _own_property(request, property_id)
    upload = (await request.form()).get("file")
    form = Form()
    if not isinstance(upload, UploadFile) or not upload.filename:
        form.error("file", _l("Choose a CSV or Excel (.xlsx) file."))
        return _page(ward, prop, form=form, status=422)
    content = await upload.read(importer.MAX_BYTES + 1)
    try:
        sheet = await anyio.to_thread.run_sync(importer.read_file, content)  # a workbook takes a while: off the loop
    except importer.ImportFileError as exc:
        form.error("file", exc.text)
        return _page(ward, prop, form=form, status=413 if len(content) > importer.MAX_BYTES else 422)
    sheet.filename = upload.filename[-120:]
    plan = await _plan(property_id, sheet)
    return _preview(request, ward, prop, sheet, plan, status=200 if plan.ok else 422)


@post(
    "/landlord/properties/{property_id:int}/import/confirm",
    name="property_import_confirm",
    opt=LANDLORD,
    include_in_schema=False,
)
async def import_confirm(
    request: Request, ward: NamedDependency[WardContext], property_id: FromPath[int]
) -> Template | Response:
    """Check every row again against the ward as it is now and write them all, in one transaction; once per
    form token, so a double tap imports once."""
    prop = await _own_property(request, property_id)
    data = await form_data(request)
    key = get_settings().secret_key
    try:
        sheet = importer.unseal(data.get("payload") or "", key=key, context=_seal_context(request, ward, property_id))
    except importer.ImportFileError as exc:
        form = Form()
        form.error("file", exc.text)
        return _page(ward, prop, form=form, status=422)
    landlord_id = _me(request)

    async def act() -> str:
        plan = await _plan(property_id, sheet)  # inside the write transaction: what is there now
        if not plan.ok:
            raise _Rejected(plan)
        await _write(property_id, sheet, plan, landlord_id=landlord_id, request=request)
        return f"{ward.base}/landlord/properties/{property_id}/import?rooms={len(plan.rooms)}&renters={len(plan.stays)}"

    form = Form()
    try:
        return see_other(await run_once(data.get("form_token"), act))
    except _Rejected as exc:
        form.error("__all__", CHANGED)
        return _preview(request, ward, prop, sheet, exc.plan, status=409, form=form)
    except RuleError as exc:  # a rule of the writing functions, e.g. a room filled at the same moment
        form.error("__all__", exc.text)
        status = exc.status_code
    except LookupError:  # a room archived at the same moment
        form.error("__all__", CHANGED)
        status = 409
    except Exception as exc:
        if not is_unique_violation(exc):  # a room or a stay created by a concurrent request
            raise
        form.error("__all__", CHANGED)
        status = 409
    return _preview(request, ward, prop, sheet, await _plan(property_id, sheet), status=status, form=form)


# The template downloads take `ward` like every ward page: resolving it is what sets the ward scope.


def _download(content: bytes, media_type: str, filename: str) -> Response:
    return Response(
        content, media_type=media_type, headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )


def _template_name(extension: str) -> str:
    return ("mau-phong-nguoi-thue." if current_locale() == "vi" else "rooms-renters-template.") + extension


@get(
    "/landlord/properties/{property_id:int}/import/template.csv",
    name="property_import_template_csv",
    opt=LANDLORD,
    include_in_schema=False,
)
async def import_template_csv(
    request: Request, ward: NamedDependency[WardContext], property_id: FromPath[int]
) -> Response:
    await _own_property(request, property_id)
    return _download(importer.template_csv(current_locale()), "text/csv; charset=utf-8", _template_name("csv"))


@get(
    "/landlord/properties/{property_id:int}/import/template.xlsx",
    name="property_import_template_xlsx",
    opt=LANDLORD,
    include_in_schema=False,
)
async def import_template_xlsx(
    request: Request, ward: NamedDependency[WardContext], property_id: FromPath[int]
) -> Response:
    await _own_property(request, property_id)
    return _download(
        importer.template_xlsx(current_locale()),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _template_name("xlsx"),
    )


ROUTES = [import_page, import_preview, import_confirm, import_template_csv, import_template_xlsx]
