"""Reading and checking a landlord's spreadsheet, without a database: what a file says, row by row."""

from __future__ import annotations

import codecs
import io
import unicodedata
from datetime import date, datetime

import openpyxl
import pytest

from app.housing import importer
from app.housing.importer import ImportFileError, Known, KnownRoom, Sheet, check, read_file

NOTHING = Known(rooms={}, staying={})


@pytest.fixture(autouse=True)
def english(in_locale):
    in_locale("en")


def _csv(*lines: str, encoding: str = "utf-8") -> bytes:
    return "\r\n".join(lines).encode(encoding)


def _xlsx(*rows: list) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def _rows(data: bytes) -> list[dict[str, str]]:
    return [values for _n, values in read_file(data).rows]


def _sheet(*rows: dict[str, str]) -> Sheet:
    return Sheet([(n, {f: row.get(f, "") for f in importer.FIELDS}) for n, row in enumerate(rows, start=2)])


def _errors(plan, number: int) -> list[str]:
    row = next(r for r in plan.rows if r.number == number)
    return [str(message) for _field, message in row.errors]


RENTER = {"id_number": "001090012345", "full_name": "Nguyễn Văn An", "from_date": "01/03/2026"}


@pytest.mark.parametrize(
    "header",
    [
        "Phòng;Số người tối đa;Số CCCD;Họ và tên",
        "PHONG;SO NGUOI TOI DA;SO CCCD;HO VA TEN",
        "Room;Max people;ID number;Full name",
        "Mã phòng;Sức chứa;Căn cước công dân;Họ tên",
        "Phòng;Số người tối đa (người);Số CCCD (12 số);Họ và tên",
    ],
)
def test_headers_in_vietnamese_without_diacritics_or_in_english(header):
    rows = _rows(_csv(header, "101;2;001090012345;Nguyễn Văn An"))
    assert {k: v for k, v in rows[0].items() if v} == {
        "room_code": "101",
        "max_occupancy": "2",
        "id_number": "001090012345",
        "full_name": "Nguyễn Văn An",
    }


def test_separators_bom_and_excels_sep_line():
    expected = [{"room_code": "101", "max_occupancy": "2", "full_name": "Lê, Văn C"}]
    for data in (
        codecs.BOM_UTF8 + _csv("Phòng,Số người tối đa,Họ và tên", '101,2,"Lê, Văn C"'),
        _csv("Phòng;Số người tối đa;Họ và tên", "101;2;Lê, Văn C"),
        _csv("Phòng\tSố người tối đa\tHọ và tên", "101\t2\tLê, Văn C", encoding="utf-16"),
        _csv("sep=;", "Phòng;Số người tối đa;Họ và tên", "101;2;Lê, Văn C"),
    ):
        assert [{k: v for k, v in r.items() if v} for r in _rows(data)] == expected, data[:30]


def _cp1258(text: str) -> bytes:
    """As Windows writes Vietnamese: a letter with a tone is its base letter and a combining tone mark."""
    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out = b""
    for char in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", char)
        if any(p in tones for p in parts):
            base = unicodedata.normalize("NFC", "".join(p for p in parts if p not in tones))
            out += (base + "".join(p for p in parts if p in tones)).encode("cp1258")
        else:
            out += char.encode("cp1258")
    return out


def test_windows_code_pages_and_decomposed_text_read_as_the_same_letters():
    # Windows-1258 writes "ễ" as "ê" followed by a combining tilde; a Mac may write every letter decomposed.
    cp1258 = _cp1258("Phòng,Họ và tên\r\n101,Nguyễn Văn An\r\n")
    assert b"Nguy\xea\xde" in cp1258  # ê, then the tilde
    assert _rows(cp1258)[0]["full_name"] == "Nguyễn Văn An"
    decomposed = unicodedata.normalize("NFD", "Phòng,Họ và tên\r\n101,Nguyễn Văn An\r\n")
    assert _rows(decomposed.encode())[0]["full_name"] == "Nguyễn Văn An"
    cp1252 = "Room,Full name\r\n101,José Müller\r\n".encode("cp1252")
    assert _rows(cp1252)[0]["full_name"] == "José Müller"


def test_a_title_above_the_header_and_blank_rows_are_passed_over():
    sheet = read_file(_csv("DANH SÁCH NGƯỜI THUÊ TRỌ;;", ";;", "STT;Phòng;Họ và tên", "1;101;An", ";;", "2;102;Bình"))
    assert [(n, v["room_code"]) for n, v in sheet.rows] == [(4, "101"), (6, "102")]
    assert sheet.ignored == ["STT"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (_csv("Họ và tên;Số CCCD", "An;001090012345"), "The room column is missing"),
        (_csv("101;2", "102;3"), "No header row was found"),
        (_csv("Phòng;Số người tối đa"), "There is no row under the header."),
        (_csv("Phòng;Room", "101;101"), "The columns Phòng and Room both mean the same thing"),
        (b"\xd0\xcf\x11\xe0" + b"\0" * 64, "old Excel file (.xls)"),
        (b"PK\x03\x04broken", "This Excel file could not be read"),
        (b"x" * (importer.MAX_BYTES + 1), "larger than 2 MB"),
        (_csv("Phòng", *(str(n) for n in range(importer.MAX_ROWS + 1))), "At most 2000 rows at once"),
    ],
)
def test_files_that_cannot_be_read_say_why(data, message):
    with pytest.raises(ImportFileError) as caught:
        read_file(data)
    assert message in str(caught.value.text)


def test_a_workbook_that_unpacks_to_far_more_than_its_size_is_refused():
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"<" * (importer.MAX_UNPACKED + 1))
    assert len(buf.getvalue()) < importer.MAX_BYTES
    with pytest.raises(ImportFileError, match="larger than 2 MB"):
        read_file(buf.getvalue())


def test_excel_cells_become_what_the_web_form_would_be_given():
    data = _xlsx(
        ["Phòng", "Diện tích", "Số người tối đa", "Giá thuê", "Số CCCD", "Ngày sinh", "Ngày đến ở", "Số điện thoại"],
        [101, 18.5, 2.0, 1800000.0, 1090012345, datetime(1990, 7, 9), 46082, 912345678],
    )
    assert {k: v for k, v in _rows(data)[0].items() if v} == {
        "room_code": "101",
        "area_m2": "18.5",
        "max_occupancy": "2",
        "monthly_rent": "1800000",
        "id_number": "1090012345",
        "birth_date": "09/07/1990",
        "from_date": "01/03/2026",  # 46082: Excel's count of days, from a date cell that lost its format
        "phone": "912345678",
    }
    # The same serial number after a trip through CSV, and an ISO date with a zero time.
    rows = _rows(_csv("Phòng;Ngày đến ở;Ngày sinh", "101;46082;1990-07-09 00:00:00"))
    assert (rows[0]["from_date"], rows[0]["birth_date"]) == ("01/03/2026", "1990-07-09")


def test_leading_zeros_are_restored_only_where_the_number_can_only_be_that():
    plan = check(
        _sheet(
            {"room_code": "101", "max_occupancy": "9", **RENTER, "id_number": "79090012345", "phone": "912345678"},
            {"room_code": "101", **RENTER, "id_number": "1090012346", "birth_date": "01/01/1990", "gender": "Nam"},
            # With a 0 in front this would say born 1990, female: it contradicts the row, so it is not guessed.
            {"room_code": "101", **RENTER, "id_number": "79190012347", "gender": "Nam"},
            # A 0 kept at the front means the number was text: it is short, not shortened by a spreadsheet.
            {"room_code": "101", **RENTER, "id_number": "07909001234"},
            {"room_code": "101", **RENTER, "id_number": "123456789"},  # 9 digits: an old CMND, "000…" is no province
            {"room_code": "101", **RENTER, "id_number": "7.909E+10", "phone": "9.12346E+08"},
            {"room_code": "101", **RENTER, "id_number": "97090012345"},  # 097 is no province either
        ),
        NOTHING,
    )
    assert [str(n) for n in plan.rows[0].notes] == [
        "Leading 0 of the phone number restored: 0912345678.",
        "Leading zeros of the ID number restored: 079090012345.",
    ]
    assert plan.stays[0].person["id_number"] == "079090012345" and plan.stays[0].person["phone"] == "0912345678"
    assert plan.stays[1].person["id_number"] == "001090012346" and not _errors(plan, 3)
    assert _errors(plan, 4)[0].startswith("The ID number has 11 digits: a spreadsheet may have dropped its leading")
    assert "does not match the gender" in _errors(plan, 4)[0]
    assert _errors(plan, 5) == ["An ID number has exactly 12 digits (the old 9-digit CMND is not accepted here)."]
    assert _errors(plan, 6) == ["An ID number has exactly 12 digits (the old 9-digit CMND is not accepted here)."]
    assert [e.split(" (")[0] for e in _errors(plan, 7)] == ["A spreadsheet wrote this number shortened"] * 2
    assert [n for n, _m in plan.rows[5].errors] == ["id_number", "phone"]
    assert "097090012345 is not right either. The first three digits are not a province code" in _errors(plan, 8)[0]
    assert len(plan.stays) == 2


def test_rooms_follow_the_room_forms_rules():
    plan = check(
        _sheet(
            {
                "room_code": "101",
                "floor": "1",
                "area_m2": "18,5 m2",
                "max_occupancy": "2",
                "monthly_rent": "1.800.000đ",
            },
            {"room_code": "102", "max_occupancy": "2.5"},
            {"room_code": "103", "max_occupancy": "0"},
            {"room_code": "104", "max_occupancy": "2", "monthly_rent": "1800000.5"},
            {"room_code": "101-110", "max_occupancy": "2"},
            {"room_code": "A" * 21, "max_occupancy": "2"},
            {"room_code": "105", "area_m2": "18"},
        ),
        NOTHING,
    )
    assert plan.rooms == [importer.NewRoom("101", 1, 18.5, 2, 1_800_000)]
    assert _errors(plan, 3) == ["Enter a whole number."]
    assert _errors(plan, 4) == ["At least 1."]
    assert _errors(plan, 5) == ["Enter a whole number."]
    assert _errors(plan, 6) == ["One room per row, e.g. 101."]
    assert _errors(plan, 7) == ["A room code has at most 20 characters."]
    assert _errors(plan, 8) == ["This field is required."]


def test_a_room_is_described_once_on_any_of_its_rows():
    plan = check(
        _sheet(
            {"room_code": "201", **RENTER},
            {"room_code": "201", "max_occupancy": "2"},
            {"room_code": "201", "max_occupancy": "3"},
            {"room_code": "202"},
        ),
        NOTHING,
    )
    assert [r.code for r in plan.rooms] == ["201"] and len(plan.stays) == 1
    assert _errors(plan, 2) == [] and plan.rows[1].new_room
    assert _errors(plan, 4) == ["Room 201 has other details on row 3."]
    assert _errors(plan, 5) == ["Room 202 does not exist yet: give its maximum number of people to add it."]


def test_the_ward_as_it_is_counts():
    known = Known(
        rooms={
            "101": KnownRoom("101", max_occupancy=2, people=1, archived=False),
            "102": KnownRoom("102", max_occupancy=2, people=0, archived=True),
        },
        staying={"001190012345": ("305", "Nhà trọ Hoa Sữa")},
    )
    plan = check(
        _sheet(
            {"room_code": "101", "max_occupancy": "4", **RENTER},  # room 101 exists: its details stay as they are
            {"room_code": "101", **RENTER, "id_number": "001090012346", "full_name": "Trần Văn Bình"},
            {"room_code": "101", **RENTER, "id_number": "001090012345"},  # the same person again
            {"room_code": "102", **RENTER, "id_number": "001090012347"},
            {"room_code": "101", **RENTER, "id_number": "001190012345", "full_name": "Lê Thị C"},
        ),
        known,
    )
    assert [str(n) for n in plan.rows[0].notes] == ["Room 101 already exists: the file does not change its details."]
    assert plan.rooms == [] and [s.row for s in plan.stays] == [2]
    assert _errors(plan, 3) == ["Room 101 is full (at most 2); this row would be person number 3."]
    assert _errors(plan, 4)[0] == "The same ID number is on row 2."  # and, counted, one too many for room 101
    assert _errors(plan, 5) == ["Room 102 is archived. Use another room code."]
    assert "already stays in room 305 of Nhà trọ Hoa Sữa" in _errors(plan, 6)[0]
    assert not plan.ok and len(plan.bad_rows) == 4


def test_renter_rows_follow_the_renter_forms_rules():
    plan = check(
        _sheet(
            {"room_code": "101", "max_occupancy": "9", **RENTER, "gender": "Nữ", "birth_date": "01/01/1990"},
            {"room_code": "101", **RENTER, "id_number": "001090012346", "from_date": ""},
            {"room_code": "101", **RENTER, "id_number": "001090012347", "expected_to": "01/01/2020"},
            {"room_code": "101", **RENTER, "id_number": "001090012348", "gender": "?"},
            {"room_code": "", **RENTER, "id_number": "001090012349"},
            {"room_code": "101", **RENTER, "id_number": "001090012350", "gender": "nam", "phone": "+84 912 345 678"},
        ),
        NOTHING,
    )
    assert _errors(plan, 2) == ["The 4th digit of the ID number does not match the gender."]
    assert _errors(plan, 3) == ["This field is required."]
    assert _errors(plan, 4) == ["The expected end is before the move-in date."]
    assert _errors(plan, 5) == ["Write Nam or Nữ (male or female), or leave it empty."]
    assert _errors(plan, 6) == ["This field is required."]
    last = plan.stays[-1]
    assert (last.person["gender"], last.person["phone"], last.from_date) == ("male", "0912345678", date(2026, 3, 1))


def test_the_preview_travels_signed_for_one_landlord_and_property():
    sheet = read_file(_csv("Phòng;Số người tối đa;Họ và tên", "101;2;Nguyễn Văn An"))
    sheet.filename = "danh-sach.csv"
    token = importer.seal(sheet, key="k" * 40, context="1:2:3")
    back = importer.unseal(token, key="k" * 40, context="1:2:3")
    assert (back.rows, back.filename) == (sheet.rows, "danh-sach.csv")
    body, signature = token.split(".")
    for bad, context in ((token, "1:2:4"), (body[:-2] + "AA." + signature, "1:2:3"), ("", "1:2:3")):
        with pytest.raises(ImportFileError, match="Upload the file again"):
            importer.unseal(bad, key="k" * 40, context=context)


@pytest.mark.parametrize("locale", ["vi", "en"])
def test_the_templates_are_read_back_with_every_column(locale):
    csv_sheet = read_file(importer.template_csv(locale) + b"\r\n101")
    assert csv_sheet.rows[0][1]["room_code"] == "101" and csv_sheet.ignored == []
    book = openpyxl.load_workbook(io.BytesIO(importer.template_xlsx(locale)))
    headers = [c.value for c in book.active[1]]
    assert [importer._HEADERS[importer.header_key(h)] for h in headers] == list(importer.FIELDS)
    assert book.active.column_dimensions["F"].number_format == "@"  # the ID column keeps its zeros
