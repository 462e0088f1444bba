"""A landlord's spreadsheet of rooms and renters (CSV or XLSX), read and checked row by row before anything
is written.

The sheet has one row per renter with the room's columns beside them; a row with only room columns adds a
room nobody stays in yet. Headers may be Vietnamese (with or without diacritics) or English. What Excel does
to such a list is undone where that is certain: a phone or ID number stored as a number lost its leading
zeros, a date became a date cell or a serial number, the text was saved as Windows-1258 or with a BOM, and
a Vietnamese Excel separates with `;`. Every row is checked with the web forms' own rules
(RoomsForm, RenterForm), then against what the ward already holds, passed in as `Known`: this module reads
no database and knows nothing of the web, so what it accepts is the same at preview and at confirm.
"""

from __future__ import annotations

import base64
import codecs
import csv
import hashlib
import hmac
import io
import json
import re
import unicodedata
import zipfile
import zlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from app.errors import RuleError
from app.housing.forms import RenterForm, RoomsForm
from app.housing.services import expand_room_codes
from app.i18n import LazyText, _l
from app.vn.phone import PhoneError, normalize_phone
from app.web.forms import REQUIRED
from tenants.communes import fold

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 2000
MAX_COLUMNS = 60
MAX_UNPACKED = 40 * 1024 * 1024  # an .xlsx is a zip: refuse one that would unpack to far more than 2 MB of data
HEADER_SEARCH_ROWS = 10  # a title such as "DANH SÁCH NGƯỜI THUÊ" may stand above the header row


class ImportFileError(ValueError):
    """The file as a whole cannot be used; the message says why and what to do."""

    def __init__(self, message: LazyText) -> None:
        super().__init__(message.message)
        self.text = message


@dataclass(frozen=True)
class Column:
    field: str
    vi: str  # the template's header; headers are a file format, so they are fixed, not translated
    en: str
    label: LazyText  # what the page calls the field, as on the web forms
    hint: LazyText
    aliases: tuple[str, ...] = ()


_OPTIONAL = _l("Optional.")
_DMY = _l("dd/mm/yyyy")

COLUMNS = (
    Column("room_code", "Phòng", "Room", _l("Room"), _l("The room's code, e.g. 101. On every row."),
           ("ma phong", "so phong", "phong so", "room code", "room no", "room number")),
    Column("floor", "Tầng", "Floor", _l("Floor"), _l("Left empty, room 305 is on floor 3")),
    Column("area_m2", "Diện tích (m²)", "Area (m²)", _l("Area (m²)"), _l("Optional, e.g. 18 or 18,5."),
           ("dien tich m2", "area m2")),
    Column("max_occupancy", "Số người tối đa", "Max people", _l("Maximum people per room"),
           _l("Needed once for each room that does not exist yet."),
           ("toi da", "so nguoi o toi da", "suc chua", "max occupancy", "maximum people", "capacity")),
    Column("monthly_rent", "Giá thuê (đồng/tháng)", "Monthly rent (đồng)", _l("Monthly rent (đồng)"),
           _l("Optional, in đồng, e.g. 1800000."),
           ("gia phong", "tien phong", "tien thue", "gia thue thang", "rent")),
    Column("id_number", "Số CCCD", "ID number", _l("Citizen ID number (CCCD)"),
           _l("12 digits. On every renter's row."),
           ("cccd", "so can cuoc", "can cuoc", "so dinh danh", "so dinh danh ca nhan", "can cuoc cong dan",
            "so can cuoc cong dan", "so cccd can cuoc", "id", "citizen id", "cccd number", "id no")),
    Column("full_name", "Họ và tên", "Full name", _l("Full name"), _l("On every renter's row."),
           ("ho ten", "ten", "name")),
    Column("birth_date", "Ngày sinh", "Birth date", _l("Birth date"), _DMY,
           ("ngay thang nam sinh", "date of birth", "dob")),
    Column("gender", "Giới tính", "Gender", _l("Gender"), _l("Nam or Nữ (male or female)."), ("sex",)),
    Column("phone", "Số điện thoại", "Phone", _l("Phone number"), _OPTIONAL,
           ("dien thoai", "sdt", "so dt", "phone number", "mobile")),
    Column("permanent_address", "Nơi thường trú", "Permanent address", _l("Permanent address"), _OPTIONAL,
           ("thuong tru", "dia chi thuong tru", "dia chi", "address")),
    Column("occupation", "Nghề nghiệp", "Occupation", _l("Occupation or workplace"), _OPTIONAL,
           ("noi lam viec", "nghe nghiep noi lam viec", "workplace", "occupation or workplace")),
    Column("hometown", "Quê quán", "Hometown", _l("Hometown, if different"), _OPTIONAL),
    Column("old_id_number", "Số CMND cũ", "Old ID (CMND)", _l("Old ID (CMND)"), _OPTIONAL,
           ("cmnd", "so cmnd", "cmnd cu", "old id number")),
    Column("from_date", "Ngày đến ở", "Move-in date", _l("Move-in date"),
           _l("dd/mm/yyyy. On every renter's row."),
           ("ngay den", "ngay vao o", "ngay bat dau o", "tu ngay", "ngay chuyen den", "move in", "from date")),
    Column("expected_to", "Dự kiến đến ngày", "Expected move-out", _l("Expected move-out"), _DMY,
           ("den ngay", "ngay di du kien", "du kien di", "expected to", "until")),
    Column("reason", "Lý do lưu trú", "Reason for staying", _l("Reason for staying"), _OPTIONAL,
           ("ly do", "reason")),
)  # fmt: skip

BY_FIELD = {c.field: c for c in COLUMNS}
ROOM_FIELDS = ("floor", "area_m2", "max_occupancy", "monthly_rent")
RENTER_FIELDS = tuple(c.field for c in COLUMNS if c.field not in ("room_code", *ROOM_FIELDS))
DATE_FIELDS = ("birth_date", "from_date", "expected_to")
FIELDS = tuple(c.field for c in COLUMNS)


def header_key(text: str) -> str:
    """ "Diện tích (m²)", "dien tich", "DIỆN TÍCH" -> "dien tich": what a header is matched on."""
    text = re.sub(r"\([^)]*\)", " ", unicodedata.normalize("NFC", text))
    return " ".join(re.sub(r"[^a-z0-9]+", " ", fold(text)).split())


_HEADERS: dict[str, str] = {}
for _column in COLUMNS:
    for _name in (_column.vi, _column.en, *_column.aliases):
        _HEADERS.setdefault(header_key(_name), _column.field)


# Reading the file --------------------------------------------------------------------------------------


@dataclass
class Sheet:
    """The rows under the header, each as (its row number in the file, field -> text)."""

    rows: list[tuple[int, dict[str, str]]]
    ignored: list[str] = field(default_factory=list)  # headers of columns that are not read
    filename: str = ""


def read_file(data: bytes) -> Sheet:
    """Read an .xlsx workbook's first sheet or a CSV file, told apart by their content, not their name."""
    if not data:
        raise ImportFileError(_l("The file is empty."))
    if len(data) > MAX_BYTES:
        raise ImportFileError(_l("The file is larger than 2 MB. Split it into smaller files."))
    if data.startswith(b"PK\x03\x04"):
        return _sheet(_xlsx_rows(data))
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(_l("This is an old Excel file (.xls). Save it as .xlsx or CSV and upload that."))
    return _sheet(_csv_rows(data))


def _decode(data: bytes) -> str:
    """UTF-8 with or without BOM, UTF-16 ("Unicode text"), else the Windows code page of Vietnamese
    (1258; its Latin letters are those of 1252), else 1252 itself."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    for encoding in ("utf-8", "cp1258"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("cp1252", errors="replace")


def _csv_rows(data: bytes) -> Iterator[list[Any]]:
    # Windows-1258 writes a tone as a combining mark after the letter: NFC joins them again, and also
    # joins what a Mac wrote decomposed, so "Nguyễn" is one spelling whatever saved the file.
    text = unicodedata.normalize("NFC", _decode(data))
    if "\x00" in text:
        raise ImportFileError(_l("This file is neither CSV nor Excel (.xlsx)."))
    lines = [line for line in text.splitlines()[: HEADER_SEARCH_ROWS * 2] if line.strip()][:HEADER_SEARCH_ROWS]
    first = lines[0] if lines else ""
    if re.fullmatch(r"\s*sep=(.)\s*", first):  # Excel's own hint line names the separator
        delimiter = first.strip()[4]
        text = text.split(first, 1)[1]
    else:
        # Excel uses the list separator of the computer's region: ";" where the decimal mark is ",". The
        # header is the line that has most of them (a title line above it has none).
        delimiter = max((";", ",", "\t"), key=lambda d: (max((line.count(d) for line in lines), default=0), d == ","))
    try:
        yield from csv.reader(io.StringIO(text.lstrip("\r\n"), newline=""), delimiter=delimiter)
    except csv.Error as exc:
        raise ImportFileError(_l("This CSV file could not be read. Save it again from Excel as CSV UTF-8.")) from exc


def _xlsx_rows(data: bytes) -> Iterator[list[Any]]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as exc:
        raise ImportFileError(_l("This Excel file could not be read. Save it again as .xlsx.")) from exc
    if unpacked > MAX_UNPACKED:
        raise ImportFileError(_l("The file is larger than 2 MB. Split it into smaller files."))
    from openpyxl import load_workbook  # only when an .xlsx comes: it is a large import

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # a damaged workbook fails in many ways (zip, XML, missing parts)
        raise ImportFileError(_l("This Excel file could not be read. Save it again as .xlsx.")) from exc
    try:
        sheet = book.worksheets[0]
        sheet.reset_dimensions()  # some programs write a wrong size; read what is there
        for row in sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS):
            yield list(row)
    except Exception as exc:  # as above, while the rows are read
        raise ImportFileError(_l("This Excel file could not be read. Save it again as .xlsx.")) from exc
    finally:
        book.close()


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


NO_HEADER = _l("No header row was found. The first row names the columns, e.g. Phòng, Họ và tên, Số CCCD.")


def _sheet(rows: Iterable[list[Any]]) -> Sheet:
    mapping: dict[int, str] | None = None
    ignored: list[str] = []
    found: list[tuple[int, dict[str, str]]] = []
    for number, row in enumerate(rows, start=1):
        row = row[:MAX_COLUMNS]
        if all(_empty(v) for v in row):
            continue
        if mapping is None:
            mapping, ignored = _header(row, number)
            continue
        values = {name: _text(name, row[i]) if i < len(row) else "" for i, name in mapping.items()}
        if not any(values.values()):
            continue  # something only in columns that are not read
        if len(found) >= MAX_ROWS:
            raise ImportFileError(_l("At most %(n)s rows at once. Split the file.", n=MAX_ROWS))
        found.append((number, {name: values.get(name, "") for name in FIELDS}))
    if mapping is None:
        raise ImportFileError(NO_HEADER)
    if not found:
        raise ImportFileError(_l("There is no row under the header."))
    return Sheet(found, ignored)


def _header(row: list[Any], number: int) -> tuple[dict[int, str] | None, list[str]]:
    """The columns this row names, if it names the room column; a title row above it is passed over."""
    mapping: dict[int, str] = {}
    ignored: list[str] = []
    names = [str(v).strip() if not _empty(v) else "" for v in row]
    for i, name in enumerate(names):
        if not name:
            continue
        key = _HEADERS.get(header_key(name))
        if key is None:
            ignored.append(name)
        elif key in mapping.values():
            other = names[next(j for j, k in mapping.items() if k == key)]
            raise ImportFileError(
                _l("The columns %(a)s and %(b)s both mean the same thing. Keep one.", a=other, b=name)
            )
        else:
            mapping[i] = key
    if not mapping:
        if number < HEADER_SEARCH_ROWS:
            return None, []  # a title above the header: read on
        raise ImportFileError(NO_HEADER)
    if "room_code" not in mapping.values():
        raise ImportFileError(_l("The room column is missing. The header row needs a column named Phòng (or Room)."))
    return mapping, ignored


_EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 is 1 Jan 1900 (Excel counts a 29 Feb 1900 that never was)
# Five digits, 1927 to 2173: a date's day count and nothing else; a year typed as 1990 is left to be refused.
SERIAL_DAYS = (10_000, 100_000)


def _from_serial(value: float) -> str:
    return (_EXCEL_EPOCH + timedelta(days=int(value))).strftime("%d/%m/%Y")


def _text(name: str, value: Any) -> str:
    """A cell as the text the web form would have been given."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date() if value.time() == time(0) or name in DATE_FIELDS else value
    if isinstance(value, date) and not isinstance(value, datetime):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, time | datetime):
        return str(value)
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        if name in DATE_FIELDS and SERIAL_DAYS[0] <= value < SERIAL_DAYS[1]:
            return _from_serial(value)  # a date cell formatted as a number: Excel's day count
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value)
    text = " ".join(unicodedata.normalize("NFC", str(value)).split())
    if name in DATE_FIELDS:
        if re.fullmatch(r"\d{5}", text):
            return _from_serial(int(text))  # the same, after a trip through CSV
        text = re.sub(r"^(\d{4}-\d{2}-\d{2})[ T]00:00(:00)?$", r"\1", text)
    return text


# Checking the rows -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class KnownRoom:
    code: str
    max_occupancy: int
    people: int  # staying now
    archived: bool


@dataclass(frozen=True)
class Known:
    """What the ward already holds that the rows are checked against."""

    rooms: Mapping[str, KnownRoom]  # every room of the property by code, archived ones too
    staying: Mapping[str, tuple[str, str]]  # ID number -> (room, property) of an open stay in the ward


@dataclass(frozen=True)
class NewRoom:
    code: str
    floor: int | None
    area_m2: float | None
    max_occupancy: int
    monthly_rent: int | None


@dataclass(frozen=True)
class NewStay:
    row: int
    room_code: str
    person: dict[str, Any]  # the fields of stays.RenterInput, cleaned
    from_date: date
    expected_to: date | None
    reason: str


@dataclass
class RowResult:
    number: int
    room_code: str
    full_name: str
    new_room: bool = False
    renter: bool = False
    errors: list[tuple[str, LazyText]] = field(default_factory=list)
    notes: list[LazyText] = field(default_factory=list)

    def error(self, name: str, message: LazyText) -> None:
        self.errors.append((name, message))

    @property
    def errors_shown(self) -> list[tuple[LazyText, LazyText]]:
        """Each error beside its column's name, in the order of the template's columns."""
        ordered = sorted(self.errors, key=lambda e: FIELDS.index(e[0]))
        return [(BY_FIELD[name].label, message) for name, message in ordered]


@dataclass
class Plan:
    rows: list[RowResult]
    rooms: list[NewRoom]
    stays: list[NewStay]
    ignored: list[str]

    @property
    def bad_rows(self) -> list[RowResult]:
        return [r for r in self.rows if r.errors]

    @property
    def good_rows(self) -> list[RowResult]:
        return [r for r in self.rows if not r.errors]

    @property
    def ok(self) -> bool:
        return not self.bad_rows


_ID_SEPARATORS = re.compile(r"[\s.\-]")
_EXCEL_SHORT = re.compile(r"^\d+([.,]\d+)?[eE][+]\d+$")
EXCEL_SHORTENED = _l(
    "A spreadsheet wrote this number shortened (like 7.9E+10) and lost digits. "
    "Format the column as Text and type the number again."
)


def _phone(raw: str, row: RowResult) -> str:
    """A mobile number stored as a number lost its leading 0: 912345678 is 0912345678, nothing else."""
    digits = _ID_SEPARATORS.sub("", raw)
    if re.fullmatch(r"[1-9]\d{8}", digits):
        try:
            value = normalize_phone("0" + digits)
        except PhoneError:
            return raw
        row.notes.append(_l("Leading 0 of the phone number restored: %(phone)s.", phone=value))
        return value
    return raw


def _gender(raw: str) -> str | None:
    if not raw.strip():
        return ""
    key = header_key(raw)
    if key in ("nam", "male", "m", "trai"):
        return "male"
    if key in ("nu", "female", "f", "gai"):
        return "female"
    return None


def _check_room(code: str, values: dict[str, str], row: RowResult) -> NewRoom | None:
    data = {"codes": code, **{name: values[name] for name in ROOM_FIELDS}}
    data["area_m2"] = re.sub(r"\s*m(2|²)$", "", data["area_m2"], flags=re.I)
    data["monthly_rent"] = re.sub(r"\s*(đồng|dong|vnđ|vnd|đ|₫)$", "", data["monthly_rent"], flags=re.I)
    form = RoomsForm(data)
    form.is_valid()
    for name in ("floor", "max_occupancy"):  # "2.5" people is not 25, as the web form would read it
        if re.search(r"[.,]", data[name]):
            form.errors[name] = _l("Enter a whole number.")
    rent = data["monthly_rent"]
    if rent and not re.fullmatch(r"\d+|\d{1,3}([.,\s]\d{3})+", rent) and "monthly_rent" not in form.errors:
        form.errors["monthly_rent"] = _l("Enter a whole number.")
    for name, message in form.errors.items():
        row.error("room_code" if name == "codes" else name, message)
    if form.errors:
        return None
    c = form.cleaned
    return NewRoom(code, c["floor"], c["area_m2"], c["max_occupancy"], c["monthly_rent"])


def _check_renter(values: dict[str, str], row: RowResult) -> NewStay | None:
    data = {name: values[name] for name in RENTER_FIELDS}
    gender = _gender(data["gender"])
    if gender is None:
        row.error("gender", _l("Write Nam or Nữ (male or female), or leave it empty."))
        gender = ""
    data["gender"] = gender
    for name in ("id_number", "phone"):
        if _EXCEL_SHORT.fullmatch(data[name].replace(" ", "")):
            row.error(name, EXCEL_SHORTENED)
            data[name] = ""
    data["phone"] = _phone(data["phone"], row) if data["phone"] else ""
    data["room_id"] = "room"
    form = RenterForm(data, rooms=["room"])
    form.is_valid()
    digits = _ID_SEPARATORS.sub("", data["id_number"])
    if "id_number" in form.errors and re.fullmatch(r"[1-9]\d{9,10}", digits):
        # Only leading zeros are lost when a spreadsheet stores the number as a number, so the 12 digits
        # are these with zeros in front, if that is a valid number for this birth date and gender. Province
        # codes run 001-096: one or two zeros, never three (nine digits are an old CMND's).
        retry = RenterForm({**data, "id_number": digits.zfill(12)}, rooms=["room"])
        retry.is_valid()
        if "id_number" in retry.errors:
            form.errors["id_number"] = _l(
                "The ID number has %(n)s digits: a spreadsheet may have dropped its leading zeros, but %(number)s "
                "is not right either. %(reason)s",
                n=len(digits),
                number=digits.zfill(12),
                reason=retry.errors["id_number"],
            )
        else:
            form = retry
            row.notes.append(_l("Leading zeros of the ID number restored: %(number)s.", number=digits.zfill(12)))
    for name, message in form.errors.items():
        if not any(name == n for n, _m in row.errors):
            row.error(name, message)
    if row.errors:
        return None
    c = form.cleaned
    person = {name: c[name] for name in RENTER_FIELDS if name not in ("from_date", "expected_to", "reason")}
    return NewStay(row.number, row.room_code, person, c["from_date"], c["expected_to"], c["reason"])


def check(sheet: Sheet, known: Known) -> Plan:
    """Every row's status, each bad row's errors, and what would be written if there are none."""
    rows: list[RowResult] = []
    new_rooms: dict[str, tuple[int, NewRoom]] = {}
    bad_rooms: set[str] = set()
    staying: list[tuple[RowResult, NewStay]] = []
    renters_in: dict[str, list[RowResult]] = {}
    seen_ids: dict[str, int] = {}
    existing_noted: set[str] = set()
    for number, values in sheet.rows:
        row = RowResult(number=number, room_code=values["room_code"], full_name=values["full_name"])
        rows.append(row)
        code = values["room_code"]
        has_room = any(values[name] for name in ROOM_FIELDS)
        if not code:
            row.error("room_code", REQUIRED)
        else:
            try:
                if expand_room_codes(code) != [code]:
                    row.error("room_code", _l("One room per row, e.g. 101."))
            except RuleError as exc:
                row.error("room_code", exc.text)
        if code and not row.errors:
            existing = known.rooms.get(code)
            if existing is not None:
                if existing.archived:
                    row.error("room_code", _l("Room %(room)s is archived. Use another room code.", room=code))
                elif has_room and code not in existing_noted:
                    existing_noted.add(code)
                    row.notes.append(
                        _l("Room %(room)s already exists: the file does not change its details.", room=code)
                    )
            elif has_room:
                room = _check_room(code, values, row)
                if room is None:
                    bad_rooms.add(code)
                elif code in new_rooms and new_rooms[code][1] != room:
                    row.error(
                        "room_code",
                        _l("Room %(room)s has other details on row %(row)s.", room=code, row=new_rooms[code][0]),
                    )
                elif code not in new_rooms:
                    new_rooms[code] = (number, room)
                    row.new_room = True
        if any(values[name] for name in RENTER_FIELDS):
            row.renter = True
            renters_in.setdefault(code, []).append(row)
            stay = _check_renter(values, row)
            if stay is not None:
                number_id = stay.person["id_number"]
                if number_id in seen_ids:
                    row.error("id_number", _l("The same ID number is on row %(row)s.", row=seen_ids[number_id]))
                else:
                    seen_ids[number_id] = number
                    if number_id in known.staying:
                        room, house = known.staying[number_id]
                        row.error(
                            "id_number",
                            _l(
                                "This person already stays in room %(room)s of %(house)s. "
                                "Check them out or move them first.",
                                room=room,
                                house=house,
                            ),
                        )
                    else:
                        staying.append((row, stay))
    # A room may be described on any of its rows; now that all are read, each renter's room must exist.
    for code, renters in renters_in.items():
        if not code or code in bad_rooms or any(n == "room_code" for r in renters for n, _m in r.errors):
            continue
        existing = known.rooms.get(code)
        if existing is None and code not in new_rooms:
            renters[0].error(
                "room_code",
                _l("Room %(room)s does not exist yet: give its maximum number of people to add it.", room=code),
            )
            continue
        limit = existing.max_occupancy if existing else new_rooms[code][1].max_occupancy
        people = existing.people if existing else 0
        for row in renters:
            people += 1
            if people > limit:
                row.error(
                    "room_code",
                    _l(
                        "Room %(room)s is full (at most %(max)s); this row would be person number %(n)s.",
                        room=code,
                        max=limit,
                        n=people,
                    ),
                )
    for row in rows:  # a room named only by rooms' columns elsewhere: the row must not stay unexplained
        code = row.room_code
        if not (row.renter or row.errors or code in known.rooms or code in new_rooms or code in bad_rooms):
            row.error(
                "room_code",
                _l("Room %(room)s does not exist yet: give its maximum number of people to add it.", room=code),
            )
    return Plan(
        rows=rows,
        rooms=[room for _n, room in new_rooms.values()],
        stays=[stay for row, stay in staying if not row.errors],
        ignored=sheet.ignored,
    )


def candidate_ids(sheet: Sheet) -> set[str]:
    """The ID numbers the rows may stand for, zeros restored or not: whose open stays to look up."""
    found = set()
    for _number, values in sheet.rows:
        digits = _ID_SEPARATORS.sub("", values["id_number"])
        if digits.isdigit() and len(digits) <= 12:
            found.update({digits, digits.zfill(12)})
    return found


# Between the preview and the confirm --------------------------------------------------------------------
#
# The rows travel in the preview's form, compressed and signed with the app's secret for this ward, landlord
# and property. The signature keeps the confirm to exactly the rows the landlord saw (nothing else can be
# slipped in), and a hidden field needs no table, no file on one worker's disk and no clean-up. The confirm
# checks every row again anyway, inside the transaction that writes them: the ward may have changed since.


def seal(sheet: Sheet, *, key: str, context: str) -> str:
    rows = [[number, {k: v for k, v in values.items() if v}] for number, values in sheet.rows]
    body = base64.urlsafe_b64encode(
        zlib.compress(
            json.dumps({"rows": rows, "ignored": sheet.ignored, "file": sheet.filename}, ensure_ascii=False).encode(), 9
        )
    ).decode()
    return f"{body}.{_signature(body, key=key, context=context)}"


def unseal(token: str, *, key: str, context: str) -> Sheet:
    body, _dot, signature = (token or "").partition(".")
    if not body or not hmac.compare_digest(signature, _signature(body, key=key, context=context)):
        raise ImportFileError(_l("The preview could not be read back. Upload the file again."))
    payload = json.loads(zlib.decompress(base64.urlsafe_b64decode(body)))
    rows = [(int(number), {name: str(values.get(name, "")) for name in FIELDS}) for number, values in payload["rows"]]
    return Sheet(rows, [str(name) for name in payload["ignored"]], str(payload["file"]))


def _signature(body: str, *, key: str, context: str) -> str:
    message = f"rooms-import\n{context}\n{body}".encode()
    return hmac.new(key.encode(), message, hashlib.sha256).hexdigest()


# The template -------------------------------------------------------------------------------------------


def template_headers(locale: str) -> list[str]:
    return [c.vi if locale == "vi" else c.en for c in COLUMNS]


def template_csv(locale: str) -> bytes:
    """UTF-8 with a BOM: without it Excel reads the Vietnamese headers as Windows text."""
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="\r\n").writerow(template_headers(locale))
    return codecs.BOM_UTF8 + buf.getvalue().encode()


def template_xlsx(locale: str) -> bytes:
    """The header row, and every column formatted as text, so Excel keeps the leading zeros of ID and
    phone numbers and leaves dd/mm/yyyy dates as typed."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = "Danh sách" if locale == "vi" else "List"
    sheet.append(template_headers(locale))
    for i, name in enumerate(template_headers(locale), start=1):
        letter = get_column_letter(i)
        sheet[f"{letter}1"].font = Font(bold=True)
        sheet.column_dimensions[letter].width = max(12, len(name) + 4)
        sheet.column_dimensions[letter].number_format = "@"
    sheet.freeze_panes = "A2"
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()
