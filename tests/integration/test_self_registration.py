from app.housing.tables import Property, Renter, SelfRegistration, Stay
from tests.helpers import seen, text_of
from tests.integration.test_stays import PAYLOAD, PERSON, _house_with_rooms


async def _token(pid: int) -> str:
    return (await seen(Property.select(Property.qr_token).where(Property.id == pid).first()))["qr_token"]


async def test_a_resident_asks_and_the_landlord_accepts(browser, world):
    landlord, pid, rooms = await _house_with_rooms(browser, world, max_occupancy="2")
    token = await _token(pid)
    resident = await browser()
    page = await resident.get(f"/q/{token}")
    assert f"/q/{token}/register" in page.text
    scanned = await resident.post(f"/q/{token}/register/scan", {"qr_text": PAYLOAD})
    assert scanned.status_code == 200 and 'value="Nguyễn Thị Kim Thư"' in scanned.text
    response = await resident.post(
        f"/q/{token}/register",
        {**PERSON, "room_id": str(rooms["102"]), "consent": "on", "form_token": "r" * 32},
    )
    assert response.status_code == 303 and response.headers["location"].startswith("/q/r/")
    status_url = response.headers["location"]
    # Nothing but the request exists until the landlord accepts.
    assert await seen(Renter.count()) == 0 and await seen(Stay.count()) == 0
    status = text_of((await resident.get(status_url)).text)
    assert "Waiting for the landlord." in status and "093186002237" not in status

    home = text_of((await landlord.get("/w/ward-a/landlord/")).text)
    assert "Requests to be registered" in home and "Nguyễn Thị Kim Thư" in home
    request_id = (await seen(SelfRegistration.select(SelfRegistration.id).first()))["id"]
    assert (await landlord.post(f"/w/ward-a/landlord/requests/{request_id}/accept")).status_code == 303
    stay = await seen(Stay.select(Stay.room, Stay.to_date).first())
    assert stay == {"room": rooms["102"], "to_date": None}
    assert "Accepted" in text_of((await resident.get(status_url)).text)
    assert (await landlord.post(f"/w/ward-a/landlord/requests/{request_id}/accept")).status_code == 409


async def test_a_rejection_reaches_the_status_page_and_creates_nothing(browser, world):
    landlord, pid, rooms = await _house_with_rooms(browser, world)
    token = await _token(pid)
    resident = await browser()
    response = await resident.post(
        f"/q/{token}/register", {**PERSON, "room_id": str(rooms["101"]), "consent": "on", "form_token": "q" * 32}
    )
    status_url = response.headers["location"]
    request_id = (await seen(SelfRegistration.select(SelfRegistration.id).first()))["id"]
    no_reason = await landlord.post(f"/w/ward-a/landlord/requests/{request_id}/reject", {"reason": ""})
    assert no_reason.status_code == 422
    await landlord.post(f"/w/ward-a/landlord/requests/{request_id}/reject", {"reason": "Phòng đã có người"})
    status = text_of((await resident.get(status_url)).text)
    assert "Not accepted." in status and "Phòng đã có người" in status
    assert await seen(Renter.count()) == 0


async def test_the_resident_form_checks_its_input(browser, world):
    _landlord, pid, _rooms = await _house_with_rooms(browser, world)
    token = await _token(pid)
    resident = await browser()
    bad = await resident.post(
        f"/q/{token}/register", {**PERSON, "phone": "", "room_id": "999999", "form_token": "p" * 32}
    )
    assert bad.status_code == 422
    for field in ("phone", "room_id", "consent"):
        assert f'id="e-{field}"' in bad.text, field
    assert await seen(SelfRegistration.count()) == 0
    assert (await resident.get("/q/r/not-a-code")).status_code == 404
    assert (await resident.get("/q/not-a-token/register")).status_code == 404
