"""The demo opens on a real catalogue and real bookings: the procedures, free slots and the day's bookings."""

from __future__ import annotations

from piccolo.querystring import QueryString

from app.counter.tables import Booking, Procedure
from app.db import DB
from tenants.scope import across_wards
from tests.helpers import seen, text_of


async def test_the_demo_has_procedures_slots_and_bookings(browser, database):
    from app.demo import load_demo

    assert await load_demo(only_if_empty=True) is True
    visitor = await browser()
    catalogue = text_of((await visitor.get("/w/xuan-phuong/procedures")).text)
    for name in ("Đăng ký tạm trú", "Chứng thực bản sao từ bản chính", "Cấp bản sao trích lục hộ tịch"):
        assert name in catalogue
    assert "₫15,000" in catalogue and "3 working days" in catalogue
    procedure = await seen(Procedure.select(Procedure.id).where(Procedure.name == "Đăng ký tạm trú").first())
    page = await visitor.get(f"/w/xuan-phuong/book/{procedure['id']}")
    assert page.status_code == 200 and 'name="slot"' in page.text
    assert await seen(Booking.count()) > 10
    officer = await browser()
    await officer.login("0900000001", "demo12345")
    day = (await seen(Booking.select(Booking.day).order_by(Booking.day).first()))["day"]
    listing = await officer.get(f"/w/xuan-phuong/officer/bookings?day={day.isoformat()}")
    assert "bookings" in text_of(listing.text) and "No booking on this day." not in listing.text
    async with across_wards():  # every seat count equals its live and checked-in bookings
        wrong = await DB.run_querystring(
            QueryString(
                """SELECT count(*) AS n FROM slot_seat s WHERE s.taken <> (SELECT count(*) FROM booking b
                   WHERE b.service_group = s.service_group AND b.day = s.day AND b.slot_start = s.slot_start
                   AND b.status IN ('booked', 'checked_in'))"""
            )
        )
    assert wrong[0]["n"] == 0
