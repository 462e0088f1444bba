"""The kiosk at the door: a booking's QR or code, a citizen ID card, or a service tapped for a walk-in."""

import re
from datetime import timedelta

import pytest

from app.counter.queue import today
from app.counter.tables import Booking, Ticket
from tests.helpers import seen, text_of
from tests.queue_fixtures import make_booking, make_counter, make_groups, make_procedure

CARD = "093186002237|362499103|Nguyễn Thị Kim Thư|11011986|Nữ|56 Trần Hoàng Na, Ninh Kiều, Cần Thơ|04102024||||"
ELDER_CARD = "001055012345||Lê Văn Cả|02031955|Nam|1 Hàng Bạc, Hà Nội|01012022"


@pytest.fixture
async def kiosk(browser, world):
    groups = await make_groups(world.a.id)
    await make_counter(world.a.id, 1, [groups["A"], groups["B"]])
    proc = await make_procedure(world.a.id, groups["A"])
    b = await browser()
    await b.login(world.a.officer)
    return {"b": b, "groups": groups, "proc": proc, "ward": world.a.id}


def _ticket_path(response) -> str:
    assert response.status_code == 303, response.text[:800]
    location = response.headers["location"]
    assert re.fullmatch(r"/w/ward-a/kiosk/tickets/\d+", location), location
    return location


async def test_the_kiosk_offers_scanning_and_the_services(kiosk):
    page = await kiosk["b"].get("/w/ward-a/kiosk")
    assert page.status_code == 200
    text = text_of(page.text)
    assert "Scan your booking QR or your citizen ID card" in text
    assert "A Cư trú" in text and "B Chứng thực" in text
    assert 'id="f-scan"' in page.text and "autofocus" in page.text


async def test_a_walk_in_gets_a_numbered_ticket_with_a_qr(kiosk):
    b, groups = kiosk["b"], kiosk["groups"]
    taken = await b.post("/w/ward-a/kiosk/tickets", {"group": str(groups["B"]), "form_token": "t" * 24})
    page = await b.get(_ticket_path(taken))
    assert page.status_code == 200
    text = text_of(page.text)
    assert "B001" in text and "Chứng thực" in text and "0 people ahead of you" in text
    token = (await seen(Ticket.select(Ticket.token)))[0]["token"]
    assert f"/w/ward-a/t/{token}" in page.text and "<svg" in page.text
    again = await b.post("/w/ward-a/kiosk/tickets", {"group": str(groups["B"]), "form_token": "t" * 24})
    assert again.headers["location"] == taken.headers["location"]  # a double tap: one ticket


async def test_priority_is_a_tap(kiosk):
    b, groups = kiosk["b"], kiosk["groups"]
    await b.post("/w/ward-a/kiosk/tickets", {"group": str(groups["A"]), "disabled": "on"})
    assert (await seen(Ticket.select(Ticket.priority)))[0]["priority"] == "disabled"


async def test_no_service_chosen_is_explained(kiosk):
    response = await kiosk["b"].post("/w/ward-a/kiosk/tickets", {"group": "999999"})
    assert response.status_code == 422 and "Choose a service." in text_of(response.text)
    assert await seen(Ticket.count()) == 0


async def test_a_booking_code_checks_in_and_gives_priority(kiosk):
    b = kiosk["b"]
    booking = await make_booking(kiosk["ward"], kiosk["groups"]["A"], kiosk["proc"], code="HX7K2P")
    response = await b.post("/w/ward-a/kiosk/scan", {"scan": " hx7k2p "})
    page = await b.get(_ticket_path(response))
    assert "A001" in text_of(page.text) and "Booked" in text_of(page.text)
    row = (await seen(Booking.select(Booking.status).where(Booking.id == booking["id"])))[0]
    assert row["status"] == "checked_in"
    again = await b.post("/w/ward-a/kiosk/scan", {"scan": "HX7K2P"})  # scanned again: the same ticket (a reprint)
    assert again.headers["location"] == response.headers["location"] and await seen(Ticket.count()) == 1


async def test_a_booking_qr_link_checks_in(kiosk):
    booking = await make_booking(kiosk["ward"], kiosk["groups"]["A"], kiosk["proc"])
    link = f"https://nhatro.example.vn/w/ward-a/bookings/{booking['token']}"
    _ticket_path(await kiosk["b"].post("/w/ward-a/kiosk/scan", {"scan": link}))
    assert (await seen(Ticket.select(Ticket.booking)))[0]["booking"] == booking["id"]


async def test_a_booking_of_another_day_is_explained(kiosk):
    day = today() + timedelta(days=2)
    await make_booking(kiosk["ward"], kiosk["groups"]["A"], kiosk["proc"], day=day, code="LATER1")
    response = await kiosk["b"].post("/w/ward-a/kiosk/scan", {"scan": "LATER1"})
    assert response.status_code == 409
    assert f"This booking is for {day:%d/%m/%Y}, not today." in text_of(response.text)


async def test_a_card_finds_todays_booking(kiosk):
    booking = await make_booking(kiosk["ward"], kiosk["groups"]["A"], kiosk["proc"], id_number="093186002237")
    _ticket_path(await kiosk["b"].post("/w/ward-a/kiosk/scan", {"scan": CARD}))
    assert (await seen(Ticket.select(Ticket.booking)))[0]["booking"] == booking["id"]


async def test_a_card_without_booking_chooses_a_service_and_an_elder_gets_priority(kiosk):
    b, groups = kiosk["b"], kiosk["groups"]
    choice = await b.post("/w/ward-a/kiosk/scan", {"scan": ELDER_CARD})
    assert choice.status_code == 200
    text = text_of(choice.text)
    assert "Hello Cả." in text and "You have no booking today." in text
    assert re.search(r'name="elderly"\s+checked', choice.text)
    taken = await b.post(
        "/w/ward-a/kiosk/tickets",
        {"group": str(groups["A"]), "elderly": "on", "id_number": "001055012345", "full_name": "Lê Văn Cả"},
    )
    _ticket_path(taken)
    row = (await seen(Ticket.select()))[0]
    assert row["priority"] == "elderly" and row["id_number"] == "001055012345"
    young = await b.post("/w/ward-a/kiosk/scan", {"scan": CARD})
    assert not re.search(r'name="elderly"\s+checked', young.text)


async def test_unknown_codes_and_bad_cards_are_explained(kiosk):
    b = kiosk["b"]
    unknown = await b.post("/w/ward-a/kiosk/scan", {"scan": "NOPE99"})
    assert unknown.status_code == 404 and "No booking has this code." in text_of(unknown.text)
    bad_card = await b.post("/w/ward-a/kiosk/scan", {"scan": "123|456"})
    assert bad_card.status_code == 422 and 'id="e-scan"' in bad_card.text
    empty = await b.post("/w/ward-a/kiosk/scan", {"scan": ""})
    assert empty.status_code == 422
    assert await seen(Ticket.count()) == 0


async def test_the_heartbeat_reloads_a_stale_kiosk_and_needs_a_session(kiosk, browser):
    b = kiosk["b"]
    page = await b.get("/w/ward-a/kiosk")
    version = re.search(r"heartbeat\?v=(\w+)", page.text).group(1)
    fresh = await b.get(f"/w/ward-a/kiosk/heartbeat?v={version}")
    assert fresh.status_code == 204 and "HX-Refresh" not in fresh.headers
    stale = await b.get("/w/ward-a/kiosk/heartbeat?v=old")
    assert stale.headers.get("HX-Refresh") == "true"
    anonymous = await browser()
    assert (await anonymous.get(f"/w/ward-a/kiosk/heartbeat?v={version}")).status_code in (302, 303, 401)


async def test_residents_and_other_wards_cannot_use_the_kiosk(kiosk, browser, world):
    landlord = await browser()
    await landlord.login(world.a.landlord)
    assert (await landlord.get("/w/ward-a/kiosk")).status_code == 404
    assert (await kiosk["b"].get("/w/ward-b/kiosk")).status_code == 404
