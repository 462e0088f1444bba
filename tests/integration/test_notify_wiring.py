"""The changes that notify: each writes its message in its own transaction, to the right person."""

from __future__ import annotations

import json

from app.accounts.tables import User
from app.housing.tables import Property, SelfRegistration
from app.notify.tables import Notification, OutboxMessage
from app.residence.declarations import change_state
from tenants.scope import ward_scope
from tests.helpers import seen, text_of
from tests.integration.test_declarations import _declaration, _stay
from tests.integration.test_self_registration import _token
from tests.integration.test_stays import PERSON, _house_with_rooms
from tests.test_support import pending_landlord


async def inbox(phone: str) -> list[dict]:
    user = await User.select(User.id).where(User.phone == phone).first()
    rows = await Notification.select(Notification.event, Notification.data).where(Notification.user == user["id"])
    return [{"event": r["event"], **json.loads(r["data"])} for r in rows]


async def sent_to(address: str) -> list[str]:
    rows = await seen(OutboxMessage.select(OutboxMessage.event).where(OutboxMessage.address == address))
    return [r["event"] for r in rows]


async def test_a_landlord_hears_of_the_wards_decision_on_their_account(browser, world):
    pending = await pending_landlord(world.a.id)
    officer = await browser()
    await officer.login(world.a.officer)
    await officer.post(f"/w/ward-a/officer/landlords/{pending}/approve")
    [note] = await inbox("0977000111")
    assert note["event"] == "accounts.landlord_approved" and note["url"] == "/w/ward-a/landlord/"
    assert await sent_to("0977000111") == ["accounts.landlord_approved"]
    landlord = await browser()
    await landlord.login("0977000111")
    assert "approved your landlord account" in text_of((await landlord.get("/notifications")).text)


async def test_a_refused_decision_writes_no_message(browser, world):
    pending = await pending_landlord(world.a.id)
    officer = await browser()
    await officer.login(world.a.officer)
    assert (await officer.post(f"/w/ward-a/officer/landlords/{pending}/reject", {"reason": ""})).status_code == 422
    assert await inbox("0977000111") == [] and await sent_to("0977000111") == []


async def test_the_landlord_hears_their_house_was_verified(browser, world):
    _landlord, pid, _rooms = await _house_with_rooms(browser, world)
    officer = await browser()
    await officer.login(world.a.officer)
    assert (await officer.post(f"/w/ward-a/officer/properties/{pid}/verify")).status_code == 303
    events = [n["event"] for n in await inbox(world.a.landlord)]
    assert "housing.property_verified" in events
    name = (await seen(Property.select(Property.name).where(Property.id == pid).first()))["name"]
    assert any(n.get("property") == name for n in await inbox(world.a.landlord))


async def test_a_residents_request_reaches_the_landlord_and_the_answer_the_resident(browser, world):
    landlord, pid, rooms = await _house_with_rooms(browser, world)
    resident = await browser()
    await resident.post(
        f"/q/{await _token(pid)}/register",
        {**PERSON, "room_id": str(rooms["101"]), "consent": "on", "form_token": "r" * 32},
    )
    assert "housing.self_registration_received" in [n["event"] for n in await inbox(world.a.landlord)]
    request = await seen(SelfRegistration.select(SelfRegistration.id, SelfRegistration.phone).first())
    await landlord.post(f"/w/ward-a/landlord/requests/{request['id']}/reject", {"reason": "Phòng đã có người"})
    [message] = await seen(
        OutboxMessage.select(OutboxMessage.event, OutboxMessage.data, OutboxMessage.locale).where(
            OutboxMessage.address == request["phone"]
        )
    )
    assert message["event"] == "housing.self_registration_rejected" and message["locale"] == "vi"
    assert json.loads(message["data"])["reason"] == "Phòng đã có người"


async def test_the_landlord_hears_the_police_accepted_a_declaration(browser, world):
    b, pid, stay_id = await _stay(browser, world)
    await b.post(f"/w/ward-a/landlord/stays/{stay_id}/declare", {"form_token": "f" * 32})
    row = await _declaration()
    async with ward_scope(world.a.id):
        await change_state(row["id"], "received", connection=None)
        await change_state(row["id"], "accepted", connection=None, reference="TT-2026-0042")
    [note] = [n for n in await inbox(world.a.landlord) if n["event"].startswith("residence.")]
    assert note["event"] == "residence.declaration_accepted" and note["reference"] == "TT-2026-0042"
    assert note["url"] == f"/w/ward-a/landlord/properties/{pid}#stay-{stay_id}"
    page = text_of((await b.get("/notifications")).text)
    assert "accepted the Tạm trú registration of Nguyễn Thị Kim Thư" in page  # the kind in the reader's language
