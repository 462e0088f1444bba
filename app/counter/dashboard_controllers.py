"""The ward's dashboard for officers: today's queue and a period's results, with server-drawn SVG charts and
the tables as CSV or XLSX."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta

from litestar import Response, get
from litestar.di import NamedDependency
from litestar.params import FromQuery
from litestar.response import Template

from app.accounts.tables import Role
from app.counter import charts, dashboard
from app.counter.ratings import LEVELS
from app.i18n import TIMEZONE, gettext
from app.web.templating import render
from tenants.resolve import WardContext

OFFICER = {"roles": {Role.officer}}
DEFAULT_DAYS = 30
MAX_DAYS = 366


def _day(raw: str) -> date | None:
    try:
        return datetime.strptime(raw, "%Y-%m-%d").date() if raw else None
    except ValueError:
        return None


def period_of(start: str, end: str) -> tuple[date, date]:
    """The chosen range, or the last 30 days; at most a year, and never reversed."""
    today = datetime.now(TIMEZONE).date()
    last = _day(end) or today
    first = _day(start) or last - timedelta(days=DEFAULT_DAYS - 1)
    if first > last:
        first, last = last, first
    if (last - first).days >= MAX_DAYS:
        first = last - timedelta(days=MAX_DAYS - 1)
    return first, last


@get("/officer/dashboard", name="dashboard", opt=OFFICER, include_in_schema=False)
async def dashboard_page(
    ward: NamedDependency[WardContext], start: FromQuery[str] = "", end: FromQuery[str] = ""
) -> Template:
    first, last = period_of(start, end)
    now_ = await dashboard.today()
    p = await dashboard.period(first, last)
    return render(
        "counter/dashboard.html",
        ward=ward,
        t=now_,
        p=p,
        levels=LEVELS,
        chart_levels=charts.hbars([(str(LEVELS[k]), v) for k, v in p["levels"].items()]),
        chart_on_time=charts.hbars(
            [(x.name, x.on_time_pct) for x in p["procedures"] if x.resolved], suffix=" %", maximum=100
        ),
        chart_daily=charts.columns([(f"{d:%d/%m}", n) for d, n in p["daily_served"]]),
        query=f"start={first:%Y-%m-%d}&end={last:%Y-%m-%d}",
    )


def _table(p: dict) -> tuple[list[str], list[list]]:
    head = [
        gettext("Procedure"), gettext("Received"), gettext("Resolved"), gettext("On time"), gettext("On time rate"),
        gettext("Late, still open"), gettext("Ratings"), gettext("Satisfaction rate"), gettext("Bookings kept"),
        gettext("No-shows"),
    ]  # fmt: skip
    rows = [
        [x.name, x.received, x.resolved, x.on_time, x.on_time_pct, x.open_late, x.ratings, x.satisfaction_pct, x.kept,
         x.no_show]
        for x in p["procedures"]
    ]  # fmt: skip
    rows.append(
        [gettext("All procedures"), p["received"], p["resolved"], p["on_time"], p["on_time_pct"], p["open_late"],
         p["ratings"], p["satisfaction_pct"], p["kept"], p["no_show"]]
    )  # fmt: skip
    return head, rows


def _summary(p: dict) -> list[list]:
    return [
        [gettext("Period"), f"{p['start']:%d/%m/%Y} – {p['end']:%d/%m/%Y}"],
        [gettext("Dossiers on time, rate"), p["on_time_pct"]],
        [gettext("Satisfaction rate"), p["satisfaction_pct"]],
        [gettext("Rating participation rate"), p["participation_pct"]],
        [gettext("Reports received"), p["reports"]],
        [gettext("Reports still open"), p["reports_open"]],
        [gettext("Reports answered or closed"), p["reports_closed"]],
        [gettext("Bookings kept"), p["kept"]],
        [gettext("No-shows"), p["no_show"]],
    ]


def _filename(p: dict, ext: str) -> str:
    return f"bao-cao-mot-cua-{p['start']:%Y%m%d}-{p['end']:%Y%m%d}.{ext}"


@get("/officer/dashboard.csv", name="dashboard_csv", opt=OFFICER, include_in_schema=False)
async def dashboard_csv(
    ward: NamedDependency[WardContext], start: FromQuery[str] = "", end: FromQuery[str] = ""
) -> Response:
    p = await dashboard.period(*period_of(start, end))
    out = io.StringIO()
    writer = csv.writer(out)
    for line in _summary(p):
        writer.writerow(["" if v is None else v for v in line])
    writer.writerow([])
    head, rows = _table(p)
    writer.writerow(head)
    writer.writerows([["" if v is None else v for v in row] for row in rows])
    body = "\ufeff" + out.getvalue()  # the BOM makes Excel read UTF-8 (Vietnamese) correctly
    return Response(
        body.encode("utf-8"),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{_filename(p, "csv")}"'},
    )


@get("/officer/dashboard.xlsx", name="dashboard_xlsx", opt=OFFICER, include_in_schema=False)
async def dashboard_xlsx(
    ward: NamedDependency[WardContext], start: FromQuery[str] = "", end: FromQuery[str] = ""
) -> Response:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    p = await dashboard.period(*period_of(start, end))
    book = Workbook()
    summary = book.active
    summary.title = gettext("Summary")[:31]
    summary.append([ward.name])
    summary["A1"].font = Font(bold=True)
    for line in _summary(p):
        summary.append(line)
    summary.column_dimensions["A"].width = 34
    summary.column_dimensions["B"].width = 26
    sheet = book.create_sheet(gettext("Per procedure")[:31])
    head, rows = _table(p)
    sheet.append(head)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    sheet.column_dimensions["A"].width = 48
    out = io.BytesIO()
    book.save(out)
    return Response(
        out.getvalue(),
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="{_filename(p, "xlsx")}"'},
    )


ROUTES = [dashboard_page, dashboard_csv, dashboard_xlsx]
