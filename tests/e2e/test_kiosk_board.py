"""A resident with a booking checks in at the kiosk by its code; the officer calls the ticket at the counter page and
the board, open on a second page, shows the call live; the resident's phone follows the ticket."""

import re

import pytest
from playwright.sync_api import expect

from app.counter.tables import Ticket
from tests.helpers import PASSWORD, seen
from tests.queue_fixtures import make_booking, make_counter, make_groups, make_procedure

pytestmark = pytest.mark.e2e
LIVE_MS = 3000  # a call must show without any reload, well within this


def sign_in(page, phone):
    page.goto("/login")
    page.locator("#f-phone").fill(phone)
    page.locator("#f-password").fill(PASSWORD)
    page.locator("main").get_by_role("button").click()
    expect(page).not_to_have_url(re.compile(r"/login"))


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


async def _set_up(ward_id: int) -> dict:
    groups = await make_groups(ward_id)
    counter = await make_counter(ward_id, 1, [groups["A"]])
    procedure = await make_procedure(ward_id, groups["A"])
    booking = await make_booking(ward_id, groups["A"], procedure, code="KX42QZ")
    return {"counter": counter, "booking": booking}


def test_check_in_at_the_kiosk_call_at_the_counter_and_the_board_shows_it_live(world, new_page, db):
    data = db(_set_up(world.a.id))

    board = new_page(lang="en")
    board.goto("/w/ward-a/board")
    expect(board.locator("#board-state")).to_contain_text("Counter 1")
    expect(board.locator("[data-board]")).to_have_attribute("data-live", "on")  # the live stream is open

    kiosk = new_page(lang="en")
    sign_in(kiosk, world.a.officer)
    kiosk.goto("/w/ward-a/kiosk")
    assert fits_the_screen(kiosk)
    expect(kiosk.locator("#f-scan")).to_be_focused()
    kiosk.locator("#f-scan").fill("kx42qz")  # as typed, or as a USB scanner types it
    kiosk.locator("#f-scan").press("Enter")
    expect(kiosk).to_have_url(re.compile(r"/w/ward-a/kiosk/tickets/\d+$"))
    expect(kiosk.locator(".ticket-label")).to_have_text("A001")
    expect(kiosk.locator(".printed-ticket")).to_contain_text("Booked")
    assert fits_the_screen(kiosk)
    # The board learnt of the new number without a reload.
    expect(board.locator("#board-state")).to_contain_text("A001", timeout=LIVE_MS)

    token = db(seen(Ticket.select(Ticket.token)))[0]["token"]
    phone = new_page(lang="en")
    phone.goto(f"/w/ward-a/t/{token}")
    expect(phone.locator("#ticket-live")).to_contain_text("You are next.")

    kiosk.goto(f"/w/ward-a/counters/{data['counter']}")
    kiosk.get_by_role("button", name="Call next").click()
    expect(kiosk.locator(".desk-label")).to_contain_text("A001")

    expect(board.locator("#board-call")).to_contain_text("A001", timeout=LIVE_MS)
    expect(board.locator("#board-call")).to_contain_text("Counter 1", timeout=LIVE_MS)
    expect(phone.locator("#ticket-live")).to_contain_text("please go to counter 1", timeout=LIVE_MS)

    kiosk.get_by_role("button", name="Start serving").click()
    kiosk.get_by_role("button", name="Finish", exact=True).click()
    expect(phone.locator("#ticket-live")).to_contain_text("You have been served", timeout=LIVE_MS)
