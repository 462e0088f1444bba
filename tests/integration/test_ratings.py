"""Ratings: after a dossier is handed back or a ticket finished, the resident rates it once, from the phone
link or on the counter's tablet; a double submit keeps one rating."""

import asyncio
import secrets
from datetime import UTC, datetime

from app.counter.dossier_tables import Rating
from app.counter.tables import ServiceGroup, Ticket
from app.db import write_transaction
from app.i18n import TIMEZONE
from tenants.scope import ward_scope
from tests.helpers import seen, text_of
from tests.integration.test_dossiers import _move, make_procedure, officer_of, receive, row


async def returned_dossier(browser, world) -> tuple[object, int, str]:
    proc_id = await make_procedure(world.a.id)
    officer = await officer_of(browser, world)
    dossier_id = await receive(officer, proc_id)
    for state in ("processing", "result_ready", "returned"):
        assert (await _move(officer, dossier_id, state)).status_code == 303
    return officer, dossier_id, (await row(dossier_id))["token"]


async def make_ticket(ward_id: int, status: str = "done") -> str:
    now = datetime.now(UTC)
    token = secrets.token_urlsafe(16)
    async with ward_scope(ward_id), write_transaction():
        group = await ServiceGroup.ward_select(ServiceGroup.id).first()
        if group is None:
            g = ServiceGroup.ward_new(letter="B", name="Chứng thực")
            await g.save()
            group = {"id": g.id}
        count = await Ticket.ward_count()
        await Ticket.ward_new(
            day=now.astimezone(TIMEZONE).date(), service_group=group["id"], number=count + 1,
            label=f"B{count + 1:03d}", status=status, arrived_at=now, queued_at=now, token=token,
            called_at=now, started_at=now, ended_at=now if status == "done" else None,
        ).save()  # fmt: skip
    return token


async def test_the_resident_rates_a_returned_dossier_once_from_the_phone(browser, world):
    _officer, dossier_id, token = await returned_dossier(browser, world)
    resident = await browser()
    status = text_of((await resident.get(f"/w/ward-a/d/{token}")).text)
    assert "Rate the service" in status
    page = await resident.get(f"/w/ward-a/d/{token}/rate")
    assert page.status_code == 200 and "Very satisfied" in text_of(page.text)
    no_level = await resident.post(f"/w/ward-a/d/{token}/rate", {"comment": "x"})
    assert no_level.status_code == 422 and 'id="e-level"' in no_level.text
    odd_level = await resident.post(f"/w/ward-a/d/{token}/rate", {"level": "²"})  # a digit int() refuses
    assert odd_level.status_code == 422 and 'id="e-level"' in odd_level.text
    data = {"level": "4", "r_quick": "on", "r_friendly": "on", "r_bogus": "on", "comment": "Cán bộ nhiệt tình"}
    first, second = await asyncio.gather(
        resident.post(f"/w/ward-a/d/{token}/rate", data), resident.post(f"/w/ward-a/d/{token}/rate", {"level": "1"})
    )
    assert first.status_code == second.status_code == 303
    ratings = await seen(Rating.select(Rating.level, Rating.reasons, Rating.channel, Rating.dossier))
    assert len(ratings) == 1 and ratings[0]["dossier"] == dossier_id
    assert ratings[0]["level"] in (4, 1) and ratings[0]["channel"] == "phone"
    again = await resident.get(f"/w/ward-a/d/{token}/rate")
    assert again.status_code == 303 and again.headers["location"].endswith("/rate/thanks")
    assert "Thank you for rating" in text_of((await resident.get(f"/w/ward-a/d/{token}")).text)


async def test_the_officer_hands_the_tablet_over(browser, world):
    officer, dossier_id, token = await returned_dossier(browser, world)
    page = text_of((await officer.get(f"/w/ward-a/officer/dossiers/{dossier_id}")).text)
    assert "Hand the tablet to the applicant to rate" in page
    response = await officer.post(f"/w/ward-a/d/{token}/rate", {"level": "5", "channel": "tablet"})
    assert response.status_code == 303 and response.headers["location"].endswith("?tablet=1")
    thanks = await officer.get(response.headers["location"])
    assert f"/w/ward-a/officer/dossiers/{dossier_id}" in thanks.text  # back to the counter's page
    assert (await seen(Rating.select(Rating.channel).first()))["channel"] == "tablet"
    assert "Rated: Very satisfied" in text_of((await officer.get(f"/w/ward-a/officer/dossiers/{dossier_id}")).text)


async def test_only_finished_services_are_rated(browser, world):
    proc_id = await make_procedure(world.a.id)
    officer = await officer_of(browser, world)
    dossier_id = await receive(officer, proc_id)
    token = (await row(dossier_id))["token"]
    resident = await browser()
    assert (await resident.get(f"/w/ward-a/d/{token}/rate")).status_code == 409
    assert (await resident.post(f"/w/ward-a/d/{token}/rate", {"level": "5"})).status_code == 409
    waiting = await make_ticket(world.a.id, status="waiting")
    assert (await resident.post(f"/w/ward-a/rate/ticket/{waiting}", {"level": "5"})).status_code == 409
    assert (await resident.get("/w/ward-a/rate/ticket/unknown-token")).status_code == 404
    assert await seen(Rating.count()) == 0


async def test_a_finished_ticket_is_rated_once(browser, world):
    token = await make_ticket(world.a.id)
    resident = await browser()
    assert (await resident.get(f"/w/ward-a/rate/ticket/{token}")).status_code == 200
    for level in ("3", "5"):
        response = await resident.post(f"/w/ward-a/rate/ticket/{token}", {"level": level, "r_long_wait": "on"})
        assert response.status_code == 303
    rows = await seen(Rating.select(Rating.level, Rating.reasons, Rating.ticket))
    assert len(rows) == 1 and rows[0]["level"] == 3 and rows[0]["reasons"] == "long_wait"
    assert (await resident.get(f"/w/ward-b/rate/ticket/{token}")).status_code == 404
