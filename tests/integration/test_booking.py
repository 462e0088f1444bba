"""Booking the counter as a resident does it on a phone, and what officers see: slots from the office hours,
the code and QR, cancelling and moving, a full slot's nearest free times, and nothing written on bad input."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest

from app.counter import bookings
from app.counter.tables import Booking, ClosedDay, Procedure, ServiceGroup, SlotSeat
from app.db import write_transaction
from tenants.scope import ward_scope
from tests.helpers import seen, text_of

MONDAY_EARLY = datetime(2026, 12, 7, 6, 0)  # a Monday, before the office opens at 07:30
PERSON = {"full_name": "Trần Thị Mai", "phone": "0912345678", "id_number": "", "consent": "on"}


async def make_counter(ward_id: int, *, capacity: int = 3) -> dict[str, int]:
    """Group A (Cư trú) with a bookable procedure and one that is not; group B inactive."""
    async with ward_scope(ward_id), write_transaction():
        group = ServiceGroup.ward_new(letter="A", name="Cư trú", slot_capacity=capacity)
        await group.save()
        hidden = ServiceGroup.ward_new(letter="B", name="Chứng thực", slot_capacity=2, active=False)
        await hidden.save()
        now = datetime.now(UTC)
        temp = Procedure.ward_new(
            service_group=group.id,
            name="Đăng ký tạm trú",
            field="Cư trú",
            processing_days=3,
            fee=15000,
            fee_note="7.000 đ nếu nộp trực tuyến",
            documents="Tờ khai CT01\n- Hợp đồng thuê nhà",
            created_at=now,
        )
        await temp.save()
        walk_in = Procedure.ward_new(
            service_group=group.id, name="Xóa đăng ký tạm trú", processing_days=1, bookable=False, created_at=now
        )
        await walk_in.save()
        copy = Procedure.ward_new(service_group=hidden.id, name="Chứng thực bản sao", processing_days=0, created_at=now)
        await copy.save()
    return {"group": group.id, "procedure": temp.id, "walk_in": walk_in.id, "hidden": copy.id}


@pytest.fixture
def clock(monkeypatch):
    """The ward's wall clock, settable: `clock(datetime(...))`."""

    def set_to(moment: datetime) -> None:
        monkeypatch.setattr(bookings, "now_local", lambda: moment)

    set_to(MONDAY_EARLY)
    return set_to


async def book(resident, procedure_id: int, slot: str, **fields):
    data = {**PERSON, "slot": slot, "form_token": fields.pop("form_token", "t" * 32), **fields}
    return await resident.post(f"/w/ward-a/book/{procedure_id}", data)


async def test_the_catalogue_is_public(browser, world):
    ids = await make_counter(world.a.id)
    visitor = await browser()
    page = text_of((await visitor.get("/w/ward-a/procedures")).text)
    assert "Đăng ký tạm trú" in page and "3 working days" in page and "₫15,000" in page
    assert "Xóa đăng ký tạm trú" in page and "Chứng thực bản sao" not in page  # its group is inactive
    one = await visitor.get(f"/w/ward-a/procedures/{ids['procedure']}")
    text = text_of(one.text)
    assert "Tờ khai CT01" in text and "Hợp đồng thuê nhà" in text and "7.000 đ nếu nộp trực tuyến" in text
    assert f"/w/ward-a/book/{ids['procedure']}" in one.text
    walk_in = await visitor.get(f"/w/ward-a/procedures/{ids['walk_in']}")
    assert "cannot be booked online" in walk_in.text and f"/book/{ids['walk_in']}" not in walk_in.text
    assert (await visitor.get(f"/w/ward-a/procedures/{ids['hidden']}")).status_code == 404
    assert (await visitor.get(f"/w/ward-b/procedures/{ids['procedure']}")).status_code == 404
    assert (await visitor.get(f"/w/ward-b/book/{ids['procedure']}")).status_code == 404
    home = (await visitor.get("/w/ward-a/")).text
    assert "/w/ward-a/procedures" in home and "/w/ward-a/book" in home


async def test_a_resident_books_and_gets_a_code_and_qr(browser, world, clock):
    ids = await make_counter(world.a.id)
    resident = await browser()
    start = text_of((await resident.get("/w/ward-a/book")).text)
    assert "Đăng ký tạm trú" in start and "Xóa đăng ký tạm trú" not in start
    page = await resident.get(f"/w/ward-a/book/{ids['procedure']}")
    assert page.status_code == 200
    assert 'value="2026-12-07T07:30"' in page.text and 'value="2026-12-07T11:00"' in page.text
    assert 'value="2026-12-07T11:30"' not in page.text  # the morning ends at 11:30
    assert "3 seats left" in text_of(page.text)
    response = await book(resident, ids["procedure"], "2026-12-07T08:00")
    assert response.status_code == 303, response.text[:2000]
    url = response.headers["location"]
    assert re.fullmatch(r"/w/ward-a/booking/[\w-]{20,}", url)
    shown = await resident.get(url)
    assert shown.headers["cache-control"] == "private, no-store"
    row = await seen(Booking.select().first())
    text = text_of(shown.text)
    assert row["code"] in text and "07/12/2026" in text and "08:00–08:30" in text and "Trần Thị Mai" in text
    assert "<svg" in shown.text and "Tờ khai CT01" in text
    assert row["status"] == "booked" and row["phone"] == "0912345678" and row["locale"] == "en"
    assert (await seen(SlotSeat.select(SlotSeat.taken).first()))["taken"] == 1
    again = await resident.get(f"/w/ward-a/book/{ids['procedure']}?day=2026-12-07")
    assert "2 seats left" in text_of(again.text)
    # The booking's page needs its token, and only in its ward.
    assert (await resident.get("/w/ward-a/booking/" + "x" * 22)).status_code == 404
    assert (await resident.get(url.replace("ward-a", "ward-b"))).status_code == 404


async def test_a_double_submit_books_once(browser, world, clock):
    ids = await make_counter(world.a.id)
    resident = await browser()
    first = await book(resident, ids["procedure"], "2026-12-07T08:00", form_token="d" * 32)
    second = await book(resident, ids["procedure"], "2026-12-07T08:00", form_token="d" * 32)
    assert first.status_code == second.status_code == 303
    assert first.headers["location"] == second.headers["location"]
    assert await seen(Booking.count()) == 1
    assert (await seen(SlotSeat.select(SlotSeat.taken).first()))["taken"] == 1


async def test_bad_input_is_shown_beside_the_fields_and_nothing_is_written(browser, world, clock):
    ids = await make_counter(world.a.id)
    resident = await browser()
    response = await book(
        resident, ids["procedure"], "", full_name="", phone="12345", id_number="12345", consent="", form_token="b" * 32
    )
    assert response.status_code == 422
    for field in ("slot", "full_name", "phone", "id_number", "consent"):
        assert f'id="e-{field}"' in response.text, field
    assert "Choose a time." in response.text
    not_offered = await book(resident, ids["procedure"], "2026-12-07T12:00")  # lunch break
    assert not_offered.status_code == 422 and "not open for booking" in not_offered.text
    sunday = await book(resident, ids["procedure"], "2026-12-13T08:00")
    assert sunday.status_code == 422
    assert (await book(resident, ids["walk_in"], "2026-12-07T08:00")).status_code == 404
    assert await seen(Booking.count()) == 0 and await seen(SlotSeat.count()) == 0


async def test_one_live_booking_per_phone_procedure_and_day(browser, world, clock):
    ids = await make_counter(world.a.id)
    resident = await browser()
    assert (await book(resident, ids["procedure"], "2026-12-07T08:00", form_token="1" * 32)).status_code == 303
    again = await book(resident, ids["procedure"], "2026-12-07T09:00", form_token="2" * 32)
    assert again.status_code == 409 and "already have a booking" in again.text
    other_day = await book(resident, ids["procedure"], "2026-12-08T09:00", form_token="3" * 32)
    assert other_day.status_code == 303
    assert await seen(Booking.count()) == 2


async def test_a_full_slot_offers_the_nearest_free_times(browser, world, clock):
    ids = await make_counter(world.a.id, capacity=1)
    first, late = await browser(), await browser()
    assert (await book(first, ids["procedure"], "2026-12-07T08:00", form_token="f" * 32)).status_code == 303
    page = await late.get(f"/w/ward-a/book/{ids['procedure']}?day=2026-12-07")
    assert re.search(r'value="2026-12-07T08:00" disabled', page.text)  # shown full
    response = await book(late, ids["procedure"], "2026-12-07T08:00", phone="0987654321", form_token="g" * 32)
    assert response.status_code == 409
    text = text_of(response.text)
    assert "just filled up" in text
    nearest = re.search(r'id="nearest".*?</div>\s*</div>', response.text, re.S).group(0)
    assert 'value="2026-12-07T07:30"' in nearest and 'value="2026-12-07T08:30"' in nearest
    assert 'value="2026-12-07T08:00"' not in nearest
    assert 'value="Trần Thị Mai"' in response.text  # what was typed is kept
    assert await seen(Booking.count()) == 1


async def test_cancel_frees_the_seat(browser, world, clock):
    ids = await make_counter(world.a.id, capacity=1)
    resident, other = await browser(), await browser()
    url = (await book(resident, ids["procedure"], "2026-12-07T08:00")).headers["location"]
    token = url.rsplit("/", 1)[1]
    assert (await resident.post(f"{url}/cancel")).status_code == 303
    assert "Cancelled" in text_of((await resident.get(url)).text)
    assert (await seen(Booking.select(Booking.status).first()))["status"] == "cancelled"
    assert (await resident.post(f"{url}/cancel")).status_code == 409
    assert (await resident.get(f"/w/ward-a/booking/{token}/move")).status_code == 303  # nothing to move
    taken = await book(other, ids["procedure"], "2026-12-07T08:00", phone="0987654321", form_token="o" * 32)
    assert taken.status_code == 303
    assert (await seen(SlotSeat.select(SlotSeat.taken).first()))["taken"] == 1


async def test_move_to_another_slot_checks_its_capacity(browser, world, clock):
    ids = await make_counter(world.a.id, capacity=1)
    resident, other = await browser(), await browser()
    url = (await book(resident, ids["procedure"], "2026-12-07T08:00")).headers["location"]
    await book(other, ids["procedure"], "2026-12-07T09:00", phone="0987654321", form_token="o" * 32)
    page = await resident.get(f"{url}/move")
    assert page.status_code == 200 and "Move to this time" in page.text and "Trần Thị Mai" not in page.text
    full = await resident.post(f"{url}/move", {"slot": "2026-12-07T09:00"})
    assert full.status_code == 409 and "just filled up" in full.text
    moved = await resident.post(f"{url}/move", {"slot": "2026-12-08T10:30"})
    assert moved.status_code == 303
    text = text_of((await resident.get(moved.headers["location"])).text)
    assert "08/12/2026" in text and "10:30–11:00" in text and "moved to the new time" in text
    seats = {
        (r["day"], r["slot_start"].strftime("%H:%M")): r["taken"]
        for r in await seen(SlotSeat.select(SlotSeat.day, SlotSeat.slot_start, SlotSeat.taken))
    }
    assert seats == {(date(2026, 12, 7), "08:00"): 0, (date(2026, 12, 7), "09:00"): 1, (date(2026, 12, 8), "10:30"): 1}
    # The freed 08:00 seat can be booked again.
    third = await browser()
    assert (await book(third, ids["procedure"], "2026-12-07T08:00", phone="0977000111")).status_code == 303
    bad = await resident.post(f"{url}/move", {"slot": "tomorrow"})
    assert bad.status_code == 422


async def test_past_times_and_closed_days_are_not_offered(browser, world, clock):
    ids = await make_counter(world.a.id)
    clock(datetime(2026, 12, 7, 8, 10))
    officer, resident = await browser(), await browser()
    page = await resident.get(f"/w/ward-a/book/{ids['procedure']}")
    assert 'value="2026-12-07T08:00"' not in page.text and 'value="2026-12-07T08:30"' in page.text
    assert (await book(resident, ids["procedure"], "2026-12-07T08:00")).status_code == 422
    await officer.login(world.a.officer)
    bad = await officer.post("/w/ward-a/officer/closed-days", {"day": "31/02/2026", "reason": "x"})
    assert bad.status_code == 422 and await seen(ClosedDay.count()) == 0
    past = await officer.post("/w/ward-a/officer/closed-days", {"day": "01/12/2026", "reason": "x"})
    assert past.status_code == 422
    assert (await book(resident, ids["procedure"], "2026-12-08T09:00", form_token="z" * 32)).status_code == 303
    closed = await officer.post("/w/ward-a/officer/closed-days", {"day": "08/12/2026", "reason": "Hội nghị"})
    assert closed.status_code == 303 and "booked=1" in closed.headers["location"]
    listing = text_of((await officer.get(closed.headers["location"])).text)
    assert "08/12/2026: 1 booking was made before the day closed" in listing and "Hội nghị" in listing
    again = await officer.post("/w/ward-a/officer/closed-days", {"day": "08/12/2026", "reason": "x"})
    assert again.status_code == 422 and "already closed" in again.text
    page = await resident.get(f"/w/ward-a/book/{ids['procedure']}?day=2026-12-08")
    assert "2026-12-08T" not in page.text and "Hội nghị" in page.text
    closed_id = (await seen(ClosedDay.select(ClosedDay.id).first()))["id"]
    assert (await officer.post(f"/w/ward-a/officer/closed-days/{closed_id}/reopen")).status_code == 303
    assert "2026-12-08T09:00" in (await resident.get(f"/w/ward-a/book/{ids['procedure']}?day=2026-12-08")).text


async def test_officers_edit_the_catalogue(browser, world):
    officer = await browser()
    await officer.login(world.a.officer)
    bad = await officer.post("/w/ward-a/officer/groups/new", {"letter": "1", "name": "", "slot_capacity": "-1"})
    assert bad.status_code == 422 and await seen(ServiceGroup.count()) == 0
    for field in ("letter", "name", "slot_capacity"):
        assert f'id="e-{field}"' in bad.text
    made = await officer.post(
        "/w/ward-a/officer/groups/new",
        {"letter": "c", "name": "Hộ tịch", "slot_capacity": "5", "active": "on", "form_token": "g" * 32},
    )
    assert made.status_code == 303
    group = await seen(ServiceGroup.select().first())
    assert (group["letter"], group["slot_capacity"], group["active"]) == ("C", 5, True)
    twice = await officer.post(
        "/w/ward-a/officer/groups/new", {"letter": "C", "name": "Khác", "slot_capacity": "1", "form_token": "h" * 32}
    )
    assert twice.status_code == 422 and "has this letter" in twice.text
    values = {
        "service_group": str(group["id"]),
        "name": "Trích lục khai sinh (bản sao)",
        "processing_days": "0",
        "processing_hours": "2",
        "fee": "8.000",
        "documents": "CCCD",
        "bookable": "on",
        "active": "on",
        "form_token": "p" * 32,
    }
    both = await officer.post("/w/ward-a/officer/procedures/new", values)
    assert both.status_code == 422 and "not both" in both.text and await seen(Procedure.count()) == 0
    assert (
        await officer.post("/w/ward-a/officer/procedures/new", {**values, "processing_hours": ""})
    ).status_code == 303
    procedure = await seen(Procedure.select().first())
    assert (procedure["fee"], procedure["processing_days"], procedure["processing_hours"]) == (8000, 0, None)
    catalogue = text_of((await officer.get("/w/ward-a/officer/procedures")).text)
    assert "Trích lục khai sinh (bản sao)" in catalogue and "5 bookings per slot" in catalogue
    edit = await officer.get(f"/w/ward-a/officer/procedures/{procedure['id']}")
    assert 'value="8000"' in edit.text
    withdrawn = await officer.post(
        f"/w/ward-a/officer/procedures/{procedure['id']}", {**values, "processing_hours": "", "active": ""}
    )
    assert withdrawn.status_code == 303
    visitor = await browser()
    assert "Trích lục khai sinh" not in (await visitor.get("/w/ward-a/procedures")).text
    assert (await visitor.get(f"/w/ward-a/procedures/{procedure['id']}")).status_code == 404
    settings = await officer.post("/w/ward-a/officer/booking-settings", {"slot_minutes": "7", "days_ahead": "0"})
    assert settings.status_code == 422
    ok = await officer.post("/w/ward-a/officer/booking-settings", {"slot_minutes": "60", "days_ahead": "3"})
    assert ok.status_code == 303
    async with ward_scope(world.a.id):
        assert await bookings.settings() == {"slot_minutes": 60, "days_ahead": 3}
    assert (await visitor.get("/w/ward-a/officer/procedures")).status_code in (401, 303)


async def test_officers_see_the_days_bookings_by_slot_and_group(browser, world, clock):
    ids = await make_counter(world.a.id)
    for i, slot in enumerate(("2026-12-07T08:00", "2026-12-07T08:00", "2026-12-07T09:30")):
        resident = await browser()
        await book(
            resident, ids["procedure"], slot, phone=f"091234500{i}", full_name=f"Người {i}", form_token=f"{i}" * 32
        )
    officer = await browser()
    await officer.login(world.a.officer)
    page = text_of((await officer.get("/w/ward-a/officer/bookings?day=2026-12-07")).text)
    assert "3 bookings" in page and "08:00–08:30" in page and "2/3" in page and "Người 2" in page
    assert page.index("08:00–08:30") < page.index("09:30–10:00")
    # Each live booking leads to receiving its dossier, the applicant and procedure already filled in.
    html = (await officer.get("/w/ward-a/officer/bookings?day=2026-12-07")).text
    receive = re.findall(r'href="(/w/ward-a/officer/dossiers/new\?booking=\d+)"', html)
    assert len(receive) == 3
    form = (await officer.get(receive[2])).text
    assert 'value="Người 2"' in form and 'value="0912345002"' in form
    other = await browser()
    await other.login(world.b.officer)
    assert "Người 0" not in (await other.get("/w/ward-b/officer/bookings?day=2026-12-07")).text


async def test_expired_bookings_become_no_shows(world, clock):
    ids = await make_counter(world.a.id)
    async with ward_scope(world.a.id):
        url = await bookings.book(
            office_hours="T2-T6 07:30-11:30",
            ward_slug="ward-a",
            procedure_id=ids["procedure"],
            day=date(2026, 12, 7),
            start=datetime(2026, 12, 7, 9, 0).time(),
            applicant=bookings.Applicant("Lê Văn Tám", "0911222333", "001090000001"),
            form_token="",
            connection=None,
        )
        token = url.rsplit("/", 1)[1]
        found = await bookings.bookings_for_id_number("001090000001", date(2026, 12, 7))
        assert [b["token"] for b in found] == [token]
        assert (await bookings.booking_by_code(found[0]["code"].lower()))["token"] == token
        assert await bookings.expire_bookings(date(2026, 12, 7)) == 1
        assert (await bookings.booking_by_token(token))["status"] == "no_show"
        assert await bookings.check_in(found[0]["id"]) is False


async def test_a_booking_code_drawn_twice_is_drawn_again(browser, world, clock, monkeypatch):
    ids = await make_counter(world.a.id)
    codes = iter(["AAAAAA", "AAAAAA", "BBBBBB"])
    monkeypatch.setattr(bookings, "new_code", lambda: next(codes))
    first, second = await browser(), await browser()
    assert (await book(first, ids["procedure"], "2026-12-07T08:00", form_token="c" * 32)).status_code == 303
    again = await book(second, ids["procedure"], "2026-12-07T08:00", phone="0987654321", form_token="e" * 32)
    assert again.status_code == 303
    assert sorted(r["code"] for r in await seen(Booking.select(Booking.code))) == ["AAAAAA", "BBBBBB"]
    assert (await seen(SlotSeat.select(SlotSeat.taken).first()))["taken"] == 2


async def test_booking_made_moved_and_cancelled_are_sent_to_the_phone(browser, world, clock):
    from app.notify.tables import OutboxMessage

    ids = await make_counter(world.a.id, capacity=1)
    resident, late = await browser(), await browser()
    url = (await book(resident, ids["procedure"], "2026-12-07T08:00")).headers["location"]
    refused = await book(late, ids["procedure"], "2026-12-07T08:00", phone="0987654321", form_token="r" * 32)
    assert refused.status_code == 409
    await resident.post(f"{url}/move", {"slot": "2026-12-07T09:00"})
    await resident.post(f"{url}/cancel")
    sent = await seen(OutboxMessage.select(OutboxMessage.event, OutboxMessage.address).order_by(OutboxMessage.id))
    events = [m["event"] for m in sent]
    assert events == ["counter.booking_made", "counter.booking_moved", "counter.booking_cancelled"]
    assert {m["address"] for m in sent} == {"0912345678"}  # nothing for the refused booking
