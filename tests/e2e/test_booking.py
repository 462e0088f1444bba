"""A resident books the counter on a 360 px phone from the ward's home page and sees the code and the QR."""

import re

import pytest
from playwright.sync_api import expect

from app.counter.tables import Booking
from tests.helpers import seen
from tests.integration.test_booking import make_counter

pytestmark = pytest.mark.e2e


@pytest.fixture
async def counter(world):
    return await make_counter(world.a.id)


def test_a_resident_books_on_a_phone_and_sees_the_code_and_qr(counter, new_page, db):
    page = new_page(lang="en")
    page.goto("/w/ward-a/")
    page.get_by_role("link", name="Book a time at the counter").first.click()
    expect(page.locator("h1")).to_have_text("Book a time at the counter")
    page.get_by_role("link", name=re.compile("Đăng ký tạm trú")).click()
    expect(page.locator("h1")).to_have_text("Book a time")
    # The first day with free seats is chosen; take its first free time.
    page.locator(".slot-grid input[name=slot]:not([disabled])").first.check()
    page.locator("#f-full_name").fill("Trần Thị Mai")
    page.locator("#f-phone").fill("0912 345 678")
    page.locator("input[name=consent]").check()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # nothing wider than the phone
    page.get_by_role("button", name="Book this time").click()
    expect(page).to_have_url(re.compile(r"/w/ward-a/booking/[\w-]{20,}$"))
    code = db(seen(Booking.select(Booking.code).first()))["code"]
    expect(page.locator(".booking-code")).to_have_text(code)
    qr = page.locator(".booking-qr svg")
    expect(qr).to_be_visible()
    box = qr.bounding_box()
    assert box and 150 <= box["width"] <= 360 and box["x"] >= 0
    expect(page.locator("main")).to_contain_text("Trần Thị Mai")
    # Cancel from the same page.
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Cancel the booking").click()
    expect(page.locator(".booking-status")).to_contain_text("Cancelled")
    assert db(seen(Booking.select(Booking.status).first()))["status"] == "cancelled"
