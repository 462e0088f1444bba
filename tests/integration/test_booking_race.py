"""No overbooking under concurrency: 500 residents submit the same 10-seat slot at once, through the whole app
(CSRF, form, ward scope, transaction). Exactly 10 are booked; the other 490 are told the slot just filled and
shown the nearest free times. Runs on SQLite and on PostgreSQL (where the requests' transactions really run
side by side on a pool of connections and queue on the slot's seat row)."""

from __future__ import annotations

import asyncio
import re
from collections import Counter
from datetime import date, time

from app.counter.tables import Booking, SlotSeat
from tenants.scope import across_wards
from tests.helpers import seen
from tests.integration.test_booking import PERSON, clock, make_counter  # noqa: F401 - fixtures

PEOPLE = 500
SEATS = 10
SLOT = "2026-12-07T09:00"


async def test_500_simultaneous_bookings_of_a_10_seat_slot_book_exactly_10(browser, world, clock):  # noqa: F811
    ids = await make_counter(world.a.id, capacity=SEATS)
    b = await browser()
    token = await b.csrf()

    async def one(i: int):
        data = {**PERSON, "phone": f"09{i:08d}", "slot": SLOT, "form_token": f"race-{i:04d}-" + "x" * 20}
        return await b.client.post(
            f"/w/ward-a/book/{ids['procedure']}", data={**data, "_csrf_token": token}, follow_redirects=False
        )

    responses = await asyncio.gather(*(one(i) for i in range(PEOPLE)))
    statuses = Counter(r.status_code for r in responses)
    assert statuses == {303: SEATS, 409: PEOPLE - SEATS}, statuses
    assert await seen(Booking.count().where(Booking.status == "booked")) == SEATS
    assert (await seen(SlotSeat.select(SlotSeat.taken).first()))["taken"] == SEATS
    codes = [r["code"] for r in await seen(Booking.select(Booking.code))]
    assert len(set(codes)) == SEATS
    refused = next(r for r in responses if r.status_code == 409)
    assert "just filled up" in refused.text
    nearest = re.search(r'id="nearest".*?</div>\s*</div>', refused.text, re.S).group(0)
    assert 'value="2026-12-07T08:30"' in nearest and 'value="2026-12-07T09:30"' in nearest
    assert f'value="{SLOT}"' not in nearest


async def test_simultaneous_moves_into_the_last_seat_take_it_once(browser, world, clock):  # noqa: F811
    """Moving is the same capacity check: 20 bookings race for one free seat in another slot."""
    ids = await make_counter(world.a.id, capacity=20)
    b = await browser()
    urls = []
    for i in range(20):
        data = {**PERSON, "phone": f"091{i:07d}", "slot": "2026-12-07T08:00", "form_token": f"m-{i:02d}-" + "y" * 20}
        response = await b.post(f"/w/ward-a/book/{ids['procedure']}", data)
        urls.append(response.headers["location"])
    # The 10:00 slot of a 20-seat group: fill 19 seats directly, leaving one.
    async with across_wards():
        seat = SlotSeat(
            ward=world.a.id, service_group=ids["group"], day=date(2026, 12, 7), slot_start=time(10), taken=19
        )
        await SlotSeat.insert(seat)
    token = await b.csrf()
    responses = await asyncio.gather(
        *(
            b.client.post(
                f"{url}/move", data={"slot": "2026-12-07T10:00", "_csrf_token": token}, follow_redirects=False
            )
            for url in urls
        )
    )
    assert Counter(r.status_code for r in responses) == {303: 1, 409: 19}
    seats = {r["slot_start"].strftime("%H:%M"): r["taken"] for r in await seen(SlotSeat.select())}
    assert seats == {"08:00": 19, "10:00": 20}
    assert await seen(Booking.count().where(Booking.slot_start == time(10))) == 1
