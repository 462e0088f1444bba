"""The police desk's exports: the declarations filed in a date range, or one of the alert lists, as CSV (UTF-8
with the byte-order mark Excel needs to read Vietnamese) or XLSX. Every person in a file is written to the
audit log, with one line saying what was exported, in the transaction that reads them."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

from litestar.connection import ASGIConnection

from app.audit.service import record, record_views
from app.db import write_transaction
from app.errors import RuleError
from app.i18n import TIMEZONE, _l, gettext, to_local
from app.residence import alerts
from app.residence.declarations import kind_label, state_label
from app.residence.inbox import DeskAction
from app.residence.labels import id_type_label
from app.residence.tables import Declaration

FORMATS = ("csv", "xlsx")
MAX_DAYS = 366
MAX_ROWS = 100_000

_DECLARATION_COLUMNS = (
    Declaration.id,
    Declaration.renter,
    Declaration.kind,
    Declaration.state,
    Declaration.full_name,
    Declaration.id_type,
    Declaration.id_number,
    Declaration.nationality,
    Declaration.visa_expiry,
    Declaration.birth_date,
    Declaration.gender,
    Declaration.phone,
    Declaration.permanent_address,
    Declaration.stay.room.property.name,
    Declaration.room_code,
    Declaration.address,
    Declaration.arrival_date,
    Declaration.expected_departure,
    Declaration.reason,
    Declaration.submitted_at,
    Declaration.deadline,
    Declaration.reference,
    Declaration.rejection_reason,
)


def _day(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def _moment(value: datetime | None) -> str:
    return to_local(value).strftime("%d/%m/%Y %H:%M") if value else ""


def _gender(value: str) -> str:
    return {"male": gettext("Male"), "female": gettext("Female")}.get(value, "")


def check_range(start: date | None, end: date | None) -> tuple[date, date]:
    if start is None:
        raise RuleError(_l("Write the date as dd/mm/yyyy, e.g. 05/03/2026."), field="from")
    if end is None:
        raise RuleError(_l("Write the date as dd/mm/yyyy, e.g. 05/03/2026."), field="to")
    if end < start:
        raise RuleError(_l("The end is before the start."), field="to")
    if (end - start).days >= MAX_DAYS:
        raise RuleError(_l("At most %(n)s days at once.", n=MAX_DAYS), field="to")
    return start, end


async def declarations_table(start: date, end: date) -> tuple[list[str], list[list[Any]], list[tuple[int, str]]]:
    """The declarations filed from `start` to `end` (days in Vietnam, both included): header, rows, people."""
    first = datetime.combine(start, time(0), tzinfo=TIMEZONE)
    after = datetime.combine(end + timedelta(days=1), time(0), tzinfo=TIMEZONE)
    found = await (
        Declaration.ward_select(*_DECLARATION_COLUMNS)
        .where((Declaration.submitted_at >= first) & (Declaration.submitted_at < after))
        .order_by(Declaration.submitted_at)
        .order_by(Declaration.id)
        .limit(MAX_ROWS)
    )
    header = [
        gettext("No."), gettext("Kind"), gettext("State"), gettext("Full name"), gettext("ID paper"),
        gettext("ID number"), gettext("Nationality"), gettext("Visa or residence card valid until"),
        gettext("Birth date"), gettext("Gender"), gettext("Phone number"), gettext("Permanent address"),
        gettext("House"), gettext("Room"), gettext("Address of the stay"), gettext("Arrival"),
        gettext("Expected departure"), gettext("Reason for staying"), gettext("Filed"), gettext("Deadline"),
        gettext("Reference"), gettext("Reason for rejecting"),
    ]  # fmt: skip
    rows = [_declaration_cells(d) for d in found]
    return header, rows, [(d["renter"], d["full_name"]) for d in found]


def _declaration_cells(d: dict) -> list[Any]:
    return [
        d["id"],
        kind_label(d["kind"]),
        state_label(d["state"]),
        d["full_name"],
        id_type_label(d["id_type"]),
        d["id_number"],
        d["nationality"],
        _day(d["visa_expiry"]),
        _day(d["birth_date"]),
        _gender(d["gender"]),
        d["phone"],
        d["permanent_address"],
        d["stay.room.property.name"],
        d["room_code"],
        d["address"],
        _day(d["arrival_date"]),
        _day(d["expected_departure"]),
        d["reason"],
        _moment(d["submitted_at"]),
        _moment(d["deadline"]),
        d["reference"],
        d["rejection_reason"],
    ]


def _stay_cells(s: dict) -> list[Any]:
    return [
        s["renter.full_name"], s["renter.id_number"], s["renter.phone"], s["room.property.name"], s["room.code"],
        s["room.property.residential_group"], _day(s["from_date"]), _day(s["expected_to"]),
    ]  # fmt: skip


async def alert_table(name: str) -> tuple[list[str], list[list[Any]], list[tuple[int, str]]]:
    """One alert list as a table: header, rows, people."""
    lists = await alerts.alert_lists()
    stay_header = [
        gettext("Full name"), gettext("ID number"), gettext("Phone number"), gettext("House"), gettext("Room"),
        gettext("Residential group (tổ dân phố)"), gettext("Arrival"), gettext("Expected departure"),
    ]  # fmt: skip
    people: list[tuple[int, str]] = []
    if name == "late":
        header = [*stay_header, gettext("Needed"), gettext("Deadline"), gettext("Late by")]
        rows = [[*_stay_cells(s), s["need"], _moment(s["due"].deadline), s["due"].text] for s in lists.late]
        people = [(s["renter"], s["renter.full_name"]) for s in lists.late]
    elif name == "expiring":
        header = [*stay_header, gettext("Reference"), gettext("Last day")]
        rows = [[*_stay_cells(s), s["reference"], _day(s["last_day"])] for s in lists.expiring]
        people = [(s["renter"], s["renter.full_name"]) for s in lists.expiring]
    elif name == "over_capacity":
        header = [*stay_header, gettext("People allowed")]
        rows = [[*_stay_cells(s), room["max_occupancy"]] for room in lists.over_capacity for s in room["stays"]]
        people = [(s["renter"], s["renter.full_name"]) for room in lists.over_capacity for s in room["stays"]]
    elif name == "two_houses":
        header = stay_header
        rows = [_stay_cells(s) for p in lists.two_houses for s in p["stays"]]
        people = [person for p in lists.two_houses for person in p["renters"]]
    else:
        raise LookupError(name)
    return header, rows, people


async def audit_export(people: Sequence[tuple[int, str]], *, what: str, connection: ASGIConnection) -> None:
    async with write_transaction():
        await record_views(people, connection=connection, page=f"police/export {what}")
        await record(DeskAction.EXPORTED, connection=connection, subject_type="ward", summary=f"{what}: {len(people)}")


def to_csv(header: list[str], rows: list[list[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(header: list[str], rows: list[list[Any]], title: str) -> bytes:
    from openpyxl import Workbook  # only when a spreadsheet is asked for: it is a large import

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=title[:31])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
