import io
import re
import unicodedata
from datetime import date, datetime

import openpyxl

from app.audit.tables import AuditEvent
from app.errors import RuleError
from app.housing import stays
from app.housing.tables import Renter, Room, Stay
from app.i18n import _l
from tests.helpers import make_user, seen, text_of
from tests.integration.test_housing import _landlord_with_house

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_VI = (
    "Phòng;Tầng;Số người tối đa;Giá thuê (đồng/tháng);Số CCCD;Họ và tên;Ngày sinh;Giới tính;Số điện thoại;Ngày đến ở"
)


def _csv(*lines: str, bom: bool = True) -> bytes:
    return ("\ufeff" if bom else "").encode() + "\r\n".join(lines).encode("utf-8")


async def _house(browser, world, rooms: str = "", max_occupancy: str = "1"):
    b, pid = await _landlord_with_house(browser, world)
    if rooms:
        response = await b.post(
            f"/w/ward-a/landlord/properties/{pid}/rooms", {"codes": rooms, "max_occupancy": max_occupancy}
        )
        assert response.status_code == 303
    return b, pid


async def _upload(b, pid: int, content: bytes, name: str = "nguoi-thue.csv", mime: str = "text/csv"):
    return await b.client.post(
        f"/w/ward-a/landlord/properties/{pid}/import",
        data={"_csrf_token": await b.csrf()},
        files={"file": (name, content, mime)},
    )


def _confirm_form(html: str) -> dict:
    payload = re.search(r'name="payload" value="([^"]+)"', html)
    token = re.search(r'name="form_token" value="([^"]+)"', html)
    assert payload and token, "the preview offers no confirm"
    return {"payload": payload.group(1), "form_token": token.group(1)}


async def _confirm(b, pid: int, preview_html: str):
    return await b.post(f"/w/ward-a/landlord/properties/{pid}/import/confirm", _confirm_form(preview_html))


async def _counts(pid: int) -> tuple[int, int, int]:
    return (
        await seen(Room.count().where(Room.property == pid)),
        await seen(Renter.count()),
        await seen(Stay.count()),
    )


async def test_a_vietnamese_excel_csv_is_previewed_then_imported_once(browser, world):
    b, pid = await _house(browser, world, rooms="101", max_occupancy="3")
    content = _csv(
        "DANH SÁCH NGƯỜI THUÊ;;;;;;;;;",  # a title above the header
        HEADER_VI + ";STT",
        # Excel stored the ID and phone as numbers: 079090012345 -> 79090012345, 0912345678 -> 912345678
        "101;;;;79090012345;Nguyễn Văn An;01/02/1990;Nam;912345678;01/03/2026;1",
        "101;;;;001190012345;Trần Thị Bình;15/06/1990;Nữ;;01/03/2026;2",
        "102;1;2;1.800.000;048095012345;Lê Văn Cường;;nam;0987 654 321;5/3/2026;3",
        "201;2;2;2000000;;;;;;;4",
        "",
    )
    preview = await _upload(b, pid, content)
    assert preview.status_code == 200, text_of(preview.text)[:800]
    page = text_of(preview.text)
    assert "Rooms to add 2" in page and "Renters to register and check in 3" in page and "Rows with errors 0" in page
    assert "Leading zeros of the ID number restored: 079090012345." in page
    assert "Leading 0 of the phone number restored: 0912345678." in page
    assert "Columns not read: STT" in page
    assert await _counts(pid) == (1, 0, 0)  # the preview writes nothing

    form = _confirm_form(preview.text)
    done = await b.post(f"/w/ward-a/landlord/properties/{pid}/import/confirm", form)
    assert done.status_code == 303 and done.headers["location"].endswith(f"/properties/{pid}/import?rooms=2&renters=3")
    rooms = {r["code"]: r for r in await seen(Room.select().where(Room.property == pid))}
    assert set(rooms) == {"101", "102", "201"}
    assert (rooms["102"]["monthly_rent"], rooms["102"]["max_occupancy"], rooms["201"]["floor"]) == (1_800_000, 2, 2)
    renters = {r["id_number"]: r for r in await seen(Renter.select())}
    assert set(renters) == {"079090012345", "001190012345", "048095012345"}
    an = renters["079090012345"]
    assert (an["full_name"], an["phone"], an["gender"], an["birth_date"]) == (
        "Nguyễn Văn An", "0912345678", "male", date(1990, 2, 1),
    )  # fmt: skip
    stays_now = await seen(Stay.select(Stay.room.code, Stay.from_date, Stay.renter.id_number))
    assert sorted((s["room.code"], s["from_date"]) for s in stays_now) == [
        ("101", date(2026, 3, 1)), ("101", date(2026, 3, 1)), ("102", date(2026, 3, 5)),
    ]  # fmt: skip
    imported = await AuditEvent.select(AuditEvent.summary, AuditEvent.ward).where(
        AuditEvent.action == "property_imported"
    )
    assert len(imported) == 1 and imported[0]["ward"] == world.a.id
    assert "nguoi-thue.csv" in imported[0]["summary"] and "+2 rooms, +3 renters" in imported[0]["summary"]

    # The same confirm again (a double tap, a resent request): the first result, nothing twice.
    again = await b.post(f"/w/ward-a/landlord/properties/{pid}/import/confirm", form)
    assert again.status_code == 303 and again.headers["location"] == done.headers["location"]
    assert await _counts(pid) == (3, 3, 3)
    assert await AuditEvent.count().where(AuditEvent.action == "property_imported") == 1
    shown = text_of((await b.get(done.headers["location"])).text)
    assert "Rooms added: 2. Renters registered and checked in: 3." in shown
    # Uploading the same file now: the people stay here already, so nothing can be imported twice.
    repeat = await _upload(b, pid, content)
    assert repeat.status_code == 422 and "already stays in room 101" in text_of(repeat.text)
    assert 'name="payload"' not in repeat.text
    rooms_only = await _upload(b, pid, _csv("Phòng;Số người tối đa", "101;3", "102;2"))
    assert "There is nothing to import" in text_of(rooms_only.text) and 'name="payload"' not in rooms_only.text


async def test_an_excel_workbook_with_number_and_date_cells(browser, world):
    b, pid = await _house(browser, world)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Room", "Max people", "Area (m²)", "ID number", "Full name", "Birth date", "Gender", "Phone",
                  "Move-in date", "Expected move-out"])  # fmt: skip
    sheet.append([101, 2, 18.5, 1090012345, "Phạm Minh Đức", datetime(1990, 7, 9), "male", 912345678,
                  datetime(2026, 3, 1), 46387])  # fmt: skip  # 46387: a date cell that lost its date format
    sheet.append(["A2", 1, None, None, None, None, None, None, None, None])
    buf = io.BytesIO()
    book.save(buf)
    preview = await _upload(b, pid, buf.getvalue(), name="phong.xlsx", mime=XLSX)
    assert preview.status_code == 200, text_of(preview.text)[:800]
    assert "Leading zeros of the ID number restored: 001090012345." in text_of(preview.text)
    done = await b.post(f"/w/ward-a/landlord/properties/{pid}/import/confirm", _confirm_form(preview.text))
    assert done.status_code == 303
    rooms = {r["code"]: r for r in await seen(Room.select().where(Room.property == pid))}
    assert set(rooms) == {"101", "A2"} and rooms["101"]["area_m2"] == 18.5 and rooms["101"]["floor"] == 1
    renter = await seen(Renter.select().first())
    assert (renter["id_number"], renter["phone"]) == ("001090012345", "0912345678")
    assert renter["birth_date"] == date(1990, 7, 9)
    stay = await seen(Stay.select().first())
    assert (stay["from_date"], stay["expected_to"]) == (date(2026, 3, 1), date(2026, 12, 31))


async def test_a_windows_1258_csv_with_commas(browser, world):
    b, pid = await _house(browser, world)
    text = "Phòng,Số người tối đa,Số CCCD,Họ và tên,Ngày đến ở\r\n101,2,001090012345,Nguyễn Thị Hương,01/03/2026\r\n"
    preview = await _upload(b, pid, _cp1258(text))
    assert preview.status_code == 200, text_of(preview.text)[:800]
    assert "Nguyễn Thị Hương" in text_of(preview.text)
    assert (await _confirm(b, pid, preview.text)).status_code == 303
    assert (await seen(Renter.select(Renter.full_name).first()))["full_name"] == "Nguyễn Thị Hương"


def _cp1258(text: str) -> bytes:
    """As Windows writes Vietnamese: letters with a tone as the base letter and a combining tone mark."""
    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out = b""
    for char in unicodedata.normalize("NFC", text):
        try:
            out += char.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", char)
            base = unicodedata.normalize("NFC", "".join(p for p in parts if p not in tones))
            out += (base + "".join(p for p in parts if p in tones)).encode("cp1258")
    return out


async def test_bad_rows_are_shown_with_their_errors_and_nothing_is_written(browser, world):
    b, pid = await _house(browser, world, rooms="101", max_occupancy="1")
    # Someone already staying in the ward cannot be checked in again by the file.
    checked_in = await b.post(
        f"/w/ward-a/landlord/properties/{pid}/renters",
        {"id_number": "001190012345", "full_name": "Trần Thị Bình", "from_date": "01/01/2026",
         "room_id": str((await seen(Room.select(Room.id).first()))["id"]), "form_token": "c" * 32},
    )  # fmt: skip
    assert checked_in.status_code == 303
    before = await _counts(pid)
    content = _csv(
        HEADER_VI,
        "102;1;2;;048095012345;Lê Văn Cường;;Nam;;01/03/2026",  # a good row: still not written
        "102;;;;048095012345;Lê Văn Cường;;Nam;;01/03/2026",  # the same ID twice in the file
        "103;;2;;12345;Ngô Thị Dung;;Nữ;;01/03/2026",  # not an ID number
        "104;;;;001090012346;Đỗ Văn Em;;Nam;;01/03/2026",  # room 104 neither exists nor is given its size
        "103;;;;001090012347;Phan Văn Giang;;ông;;31/02/2026",  # no such gender, no such date
        "101;;;;001190012345;Trần Thị Bình;;Nữ;;01/03/2026",  # already staying in room 101
        "105;;2;;001090012350;Hồ Văn Lâm;;Nam;0123;01/03/2026",  # not a mobile number
        "106;;2;;001090012348;Vũ Văn Hải;;Nam;9.12346E+08;01/03/2026",  # Excel shortened the phone
        "102;;;;001090012349;Bùi Văn Khoa;;Nam;;01/03/2026",  # room 102 takes 2: this would be the 3rd
    )
    preview = await _upload(b, pid, content)
    assert preview.status_code == 422
    page = text_of(preview.text)
    assert "Rows with errors 8" in page
    expected = {
        3: "The same ID number is on row 2.",
        4: "An ID number has exactly 12 digits",
        5: "Room 104 does not exist yet: give its maximum number of people to add it.",
        6: "Write Nam or Nữ (male or female), or leave it empty.",
        7: "This person already stays in room 101 of Nhà trọ Hoa Sữa.",
        8: "Enter a Vietnamese mobile number",
        9: "shortened (like 7.9E+10)",
        10: "Room 102 is full (at most 2); this row would be person number 3.",
    }
    for row, message in expected.items():
        item = re.search(rf'<li id="row-{row}">(.*?)</li>', preview.text, re.S)
        assert item and message in text_of(item.group(1)), (row, item and text_of(item.group(1)))
    row6 = text_of(re.search(r'<li id="row-6">(.*?)</li>', preview.text, re.S).group(1))
    assert "Move-in date: Write the date as dd/mm/yyyy" in row6
    assert "Nothing has been written." in page and 'name="payload"' not in preview.text
    assert await _counts(pid) == before


async def test_a_change_between_preview_and_confirm_writes_nothing(browser, world):
    b, pid = await _house(browser, world, rooms="101", max_occupancy="1")
    content = _csv(
        "Phong;So nguoi toi da;So CCCD;Ho va ten;Ngay den o",  # headers without diacritics
        "101;;001090012345;Nguyễn Văn An;01/03/2026",
        "102;2;001190012345;Trần Thị Bình;01/03/2026",
        bom=False,
    )
    preview = await _upload(b, pid, content)
    assert preview.status_code == 200, text_of(preview.text)[:800]
    room_101 = (await seen(Room.select(Room.id).where(Room.code == "101").first()))["id"]
    # Meanwhile, on another phone, room 101 fills up.
    other = await b.post(
        f"/w/ward-a/landlord/properties/{pid}/renters",
        {"id_number": "048095012345", "full_name": "Lê Văn Cường", "from_date": "01/02/2026",
         "room_id": str(room_101), "form_token": "d" * 32},
    )  # fmt: skip
    assert other.status_code == 303
    before = await _counts(pid)
    confirm = await b.post(f"/w/ward-a/landlord/properties/{pid}/import/confirm", _confirm_form(preview.text))
    assert confirm.status_code == 409
    page = text_of(confirm.text)
    assert "Nothing was imported" in page and "Room 101 is full (at most 1); this row would be person number 2." in page
    assert await _counts(pid) == before  # not even room 102
    assert await AuditEvent.count().where(AuditEvent.action == "property_imported") == 0


async def test_a_failure_while_writing_leaves_nothing_half_written(browser, world, monkeypatch):
    b, pid = await _house(browser, world)
    content = _csv(
        HEADER_VI,
        "101;1;2;;001090012345;Nguyễn Văn An;;;;01/03/2026",
        "102;1;2;;001190012345;Trần Thị Bình;;;;01/03/2026",
    )
    preview = await _upload(b, pid, content)
    assert preview.status_code == 200
    real_open_stay = stays.open_stay
    calls = []

    async def second_fails(**kwargs):
        calls.append(kwargs["person"].id_number)
        if len(calls) == 2:  # e.g. a constraint only the database sees, after the first stay was written
            raise RuleError(_l("This person already has an open stay in this ward."), status_code=409)
        return await real_open_stay(**kwargs)

    monkeypatch.setattr(stays, "open_stay", second_fails)
    confirm = await b.post(f"/w/ward-a/landlord/properties/{pid}/import/confirm", _confirm_form(preview.text))
    assert confirm.status_code == 409 and len(calls) == 2
    assert "This person already has an open stay in this ward." in text_of(confirm.text)
    assert await _counts(pid) == (0, 0, 0)
    assert await AuditEvent.count().where(AuditEvent.action.is_in(["rooms_added", "stay_checked_in"])) == 0
    # Once the cause is gone, the same preview imports everything.
    monkeypatch.setattr(stays, "open_stay", real_open_stay)
    retry = await b.post(f"/w/ward-a/landlord/properties/{pid}/import/confirm", _confirm_form(confirm.text))
    assert retry.status_code == 303 and await _counts(pid) == (2, 2, 2)


async def test_a_changed_preview_is_refused(browser, world):
    b, pid = await _house(browser, world)
    preview = await _upload(b, pid, _csv("Phòng;Số người tối đa", "101;2"))
    form = _confirm_form(preview.text)
    body, signature = form["payload"].split(".")
    for payload in (body + "A." + signature, "", "x"):
        response = await b.post(f"/w/ward-a/landlord/properties/{pid}/import/confirm", {**form, "payload": payload})
        assert response.status_code == 422 and "Upload the file again" in text_of(response.text)
    # Nor does one property's preview import into another.
    second = await b.post("/w/ward-a/landlord/properties/new", {"name": "Nhà B", "street_address": "Số 1 ngõ 2",
                                                                "kind": "rooms", "form_token": "e" * 32})  # fmt: skip
    other_pid = int(second.headers["location"].rsplit("/", 1)[1])
    elsewhere = await b.post(f"/w/ward-a/landlord/properties/{other_pid}/import/confirm", form)
    assert elsewhere.status_code == 422
    assert await seen(Room.count()) == 0


async def test_another_landlords_property_is_404(browser, world):
    b, pid = await _house(browser, world)
    preview = await _upload(b, pid, _csv("Phòng;Số người tối đa", "101;2"))
    form = _confirm_form(preview.text)
    await make_user("0977999888", "Chủ trọ khác", world.a.id, "landlord")
    other = await browser()
    await other.login("0977999888")
    base = f"/w/ward-a/landlord/properties/{pid}/import"
    for url in (base, f"{base}/template.csv", f"{base}/template.xlsx"):
        assert (await other.get(url)).status_code == 404, url
    assert (await _upload(other, pid, _csv("Phòng;Số người tối đa", "101;2"))).status_code == 404
    assert (await other.post(f"{base}/confirm", form)).status_code == 404
    assert await seen(Room.count()) == 0


async def test_files_that_cannot_be_used_are_explained(browser, world):
    b, pid = await _house(browser, world)
    too_large = await _upload(b, pid, b"Phong;So nguoi toi da\r\n" + b"101;2\r\n" * 400_000)
    assert too_large.status_code == 413 and "larger than 2 MB" in text_of(too_large.text)
    assert 'id="e-file"' in too_large.text
    many = await _upload(b, pid, _csv("Phòng;Số người tối đa", *(f"{n};2" for n in range(1, 2002))))
    assert many.status_code == 422 and "At most 2000 rows at once" in text_of(many.text)
    old_excel = await _upload(b, pid, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, name="x.xls")
    assert old_excel.status_code == 422 and "old Excel file (.xls)" in text_of(old_excel.text)
    no_header = await _upload(b, pid, _csv("101;2", "102;2"))
    assert no_header.status_code == 422 and "No header row was found" in text_of(no_header.text)
    broken = await _upload(b, pid, b"PK\x03\x04not really a workbook", name="x.xlsx", mime=XLSX)
    assert broken.status_code == 422 and "could not be read" in text_of(broken.text)
    nothing = await b.client.post(
        f"/w/ward-a/landlord/properties/{pid}/import", data={"_csrf_token": await b.csrf()}, files={}
    )
    assert nothing.status_code == 422 and "Choose a CSV or Excel (.xlsx) file." in text_of(nothing.text)
    assert await seen(Room.count()) == 0


async def test_the_templates_download_and_come_back_filled(browser, world):
    b, pid = await _house(browser, world)
    page = await b.get(f"/w/ward-a/landlord/properties/{pid}")
    assert f"/landlord/properties/{pid}/import" in page.text  # the property page leads here
    importer_page = text_of((await b.get(f"/w/ward-a/landlord/properties/{pid}/import")).text)
    assert "Số CCCD / ID number" in importer_page and "Template for Excel (.xlsx)" in importer_page

    csv_file = await b.get(f"/w/ward-a/landlord/properties/{pid}/import/template.csv")
    assert csv_file.status_code == 200 and "attachment" in csv_file.headers["content-disposition"]
    assert csv_file.content.startswith(b"\xef\xbb\xbfRoom,Floor,")  # English, as this browser reads English
    vi = await browser(lang="vi")
    await vi.login(world.a.landlord)
    vi_csv = await vi.get(f"/w/ward-a/landlord/properties/{pid}/import/template.csv")
    assert vi_csv.content.decode("utf-8-sig").startswith("Phòng,Tầng,Diện tích (m²),Số người tối đa")

    xlsx = await b.get(f"/w/ward-a/landlord/properties/{pid}/import/template.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    sheet = book.active
    headers = [c.value for c in sheet[1]]
    assert headers[:2] == ["Room", "Floor"]
    # Filled in as Excel would with the columns formatted as text: the zeros stay.
    row = {"Room": "101", "Max people": "2", "ID number": "001090012345", "Full name": "Nguyễn Văn An",
           "Phone": "0912345678", "Move-in date": "01/03/2026"}  # fmt: skip
    sheet.append([row.get(h) for h in headers])
    buf = io.BytesIO()
    book.save(buf)
    preview = await _upload(b, pid, buf.getvalue(), name="template.xlsx", mime=XLSX)
    assert preview.status_code == 200 and "Leading zero" not in preview.text
    assert (await _confirm(b, pid, preview.text)).status_code == 303
    assert (await seen(Renter.select(Renter.id_number, Renter.phone).first())) == {
        "id_number": "001090012345",
        "phone": "0912345678",
    }
