import io

import qrcode

from app.housing.tables import Renter, Room, Stay
from tests.helpers import seen, text_of
from tests.integration.test_housing import _landlord_with_house

PAYLOAD = "093186002237|362499103|Nguyễn Thị Kim Thư|11011986|Nữ|56 Trần Hoàng Na, Ninh Kiều, Cần Thơ|04102024||||"
PERSON = {
    "id_number": "093186002237", "full_name": "Nguyễn Thị Kim Thư", "birth_date": "11/01/1986", "gender": "female",
    "old_id_number": "362499103", "permanent_address": "56 Trần Hoàng Na, Ninh Kiều, Cần Thơ", "phone": "0988 111 222",
    "occupation": "Công nhân", "hometown": "", "from_date": "01/11/2026", "expected_to": "", "reason": "Làm việc",
}  # fmt: skip


async def _house_with_rooms(browser, world, rooms="101-102", max_occupancy="1"):
    b, pid = await _landlord_with_house(browser, world)
    await b.post(f"/w/ward-a/landlord/properties/{pid}/rooms", {"codes": rooms, "max_occupancy": max_occupancy})
    rows = await seen(Room.select().where(Room.property == pid))
    return b, pid, {r["code"]: r["id"] for r in rows}


def _qr_png(text: str) -> bytes:
    buf = io.BytesIO()
    qrcode.make(text).save(buf, format="PNG")
    return buf.getvalue()


async def test_the_qr_text_and_the_photo_fill_the_confirm_form(browser, world):
    b, pid, _rooms = await _house_with_rooms(browser, world)
    url = f"/w/ward-a/landlord/properties/{pid}/renters/scan"
    typed = await b.post(url, {"qr_text": PAYLOAD})
    assert typed.status_code == 200
    for value in ('value="093186002237"', 'value="Nguyễn Thị Kim Thư"', 'value="11/01/1986"', 'value="362499103"'):
        assert value in typed.text
    assert '<option value="female" selected>' in typed.text
    photo = await b.client.post(
        url, data={"_csrf_token": await b.csrf()}, files={"photo": ("card.png", _qr_png(PAYLOAD), "image/png")}
    )
    assert photo.status_code == 200 and 'value="Nguyễn Thị Kim Thư"' in photo.text
    assert await seen(Renter.count()) == 0  # nothing is saved before the landlord confirms


async def test_a_payload_that_is_not_a_cccd_is_explained(browser, world):
    b, pid, _rooms = await _house_with_rooms(browser, world)
    url = f"/w/ward-a/landlord/properties/{pid}/renters/scan"
    response = await b.post(url, {"qr_text": "https://example.com/x"})
    assert response.status_code == 422 and 'id="e-qr_text"' in response.text
    assert "web address, not a citizen ID card" in text_of(response.text)
    truncated = await b.post(url, {"qr_text": "093186002237|362499103|Nguyễn"})
    assert truncated.status_code == 422 and "cut short" in text_of(truncated.text)
    photo = await b.client.post(
        url, data={"_csrf_token": await b.csrf()}, files={"photo": ("x.png", b"not an image", "image/png")}
    )
    assert photo.status_code == 422 and 'id="e-photo"' in photo.text


async def test_check_in_out_and_move(browser, world):
    b, pid, rooms = await _house_with_rooms(browser, world, max_occupancy="1")
    url = f"/w/ward-a/landlord/properties/{pid}/renters"
    response = await b.post(url, {**PERSON, "room_id": str(rooms["101"]), "form_token": "s" * 32})
    assert response.status_code == 303
    stay = await seen(Stay.select().first())
    assert stay["to_date"] is None and stay["room"] == rooms["101"]
    renter = await seen(Renter.select().first())
    assert renter["name_folded"] == "nguyen thi kim thu" and renter["phone"] == "0988111222"
    page = text_of((await b.get(f"/w/ward-a/landlord/properties/{pid}")).text)
    assert "Nguyễn Thị Kim Thư" in page and "1/1" in page

    # Full room, and the same person cannot stay twice at once.
    other = {
        **PERSON,
        "id_number": "001090012345",
        "full_name": "Trần Văn Bình",
        "birth_date": "",
        "gender": "",
        "old_id_number": "",
    }
    full = await b.post(url, {**other, "room_id": str(rooms["101"]), "form_token": "t" * 32})
    assert full.status_code == 409 and "Room 101 is full: 1 of 1 people." in text_of(full.text)
    twice = await b.post(url, {**PERSON, "room_id": str(rooms["102"]), "form_token": "u" * 32})
    assert twice.status_code == 409 and "already stays in room 101" in text_of(twice.text)
    assert await seen(Stay.count()) == 1

    moved = await b.post(
        f"/w/ward-a/landlord/stays/{stay['id']}/move", {"room_id": str(rooms["102"]), "on": "15/11/2026"}
    )
    assert moved.status_code == 303
    stays = await seen(Stay.select(Stay.room, Stay.to_date).order_by(Stay.id))
    assert [s["room"] for s in stays] == [rooms["101"], rooms["102"]]
    assert str(stays[0]["to_date"]) == "2026-11-15" and stays[1]["to_date"] is None

    open_stay = (await seen(Stay.select(Stay.id).where(Stay.to_date.is_null()).first()))["id"]
    out = await b.post(f"/w/ward-a/landlord/stays/{open_stay}/check-out", {"to_date": "20/11/2026"})
    assert out.status_code == 303
    assert await seen(Stay.count().where(Stay.to_date.is_null())) == 0
    # A later stay finds the same person again: one renter per ID number in the ward.
    again = await b.post(url, {**PERSON, "phone": "", "room_id": str(rooms["101"]), "form_token": "v" * 32})
    assert again.status_code == 303
    assert await seen(Renter.count()) == 1
    assert (await seen(Renter.select(Renter.phone).first()))["phone"] == "0988111222"  # kept, not blanked


async def test_confirm_form_errors(browser, world):
    b, pid, _rooms = await _house_with_rooms(browser, world)
    url = f"/w/ward-a/landlord/properties/{pid}/renters"
    bad = await b.post(
        url,
        {
            **PERSON,
            "gender": "male",
            "from_date": "31/02/2026",
            "expected_to": "01/01/2020",
            "room_id": "999999",
            "form_token": "w" * 32,
        },
    )
    assert bad.status_code == 422
    for field in ("id_number", "from_date", "room_id"):
        assert f'id="e-{field}"' in bad.text, field
    assert "does not match the gender" in text_of(bad.text)
    assert await seen(Renter.count()) == 0 and await seen(Stay.count()) == 0


async def test_another_landlords_stay_is_404(browser, world):
    from tests.helpers import make_user

    b, pid, rooms = await _house_with_rooms(browser, world)
    await b.post(
        f"/w/ward-a/landlord/properties/{pid}/renters", {**PERSON, "room_id": str(rooms["101"]), "form_token": "x" * 32}
    )
    stay = await seen(Stay.select(Stay.id).first())
    await make_user("0977999888", "Chủ trọ khác", world.a.id, "landlord")
    other = await browser()
    await other.login("0977999888")
    assert (
        await other.post(f"/w/ward-a/landlord/stays/{stay['id']}/check-out", {"to_date": "20/11/2026"})
    ).status_code == 404
    assert (await other.get(f"/w/ward-a/landlord/properties/{pid}/renters/new")).status_code == 404
    assert await seen(Stay.count().where(Stay.to_date.is_null())) == 1


async def test_police_see_who_stays_where_and_each_view_is_audited(browser, world):
    from app.audit.tables import AuditEvent

    b, pid, rooms = await _house_with_rooms(browser, world, max_occupancy="2")
    await b.post(
        f"/w/ward-a/landlord/properties/{pid}/renters", {**PERSON, "room_id": str(rooms["102"]), "form_token": "y" * 32}
    )
    police = await browser()
    await police.login(world.a.police)
    listing = text_of((await police.get("/w/ward-a/police/")).text)
    assert "Nhà trọ Hoa Sữa" in listing and "1 of 4 people" in listing
    roster = await police.get(f"/w/ward-a/police/properties/{pid}")
    text = text_of(roster.text)
    assert "Room 102" in text and "Nguyễn Thị Kim Thư" in text and "093186002237" in text
    renter_id = (await seen(Renter.select(Renter.id).first()))["id"]
    views = await AuditEvent.select(AuditEvent.actor.phone, AuditEvent.ward).where(
        (AuditEvent.action == "renter_viewed") & (AuditEvent.subject_id == renter_id)
    )
    assert views == [{"actor.phone": world.a.police, "ward": world.a.id}]
    # Read-only: the landlord's pages stay closed to the police.
    assert (await police.get(f"/w/ward-a/landlord/properties/{pid}/renters/new")).status_code == 404
    officer = await browser()
    await officer.login(world.a.officer)
    assert "1 of 4 people" in text_of((await officer.get("/w/ward-a/officer/properties")).text)
    # The landlord's own view of their renters is not audited as someone else's look.
    await b.get(f"/w/ward-a/landlord/properties/{pid}")
    assert await AuditEvent.count().where(AuditEvent.action == "renter_viewed") == 1
