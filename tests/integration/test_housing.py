import re

from app.housing.tables import Property, Room
from tests.helpers import seen, text_of

HOUSE = {
    "name": "Nhà trọ Hoa Sữa",
    "street_address": "Số 12, ngõ 34 Phương Canh",
    "residential_group": "Tổ 5",
    "kind": "rooms",
    "contact_phone": "0911 000 003",
    "show_contact": "on",
    "house_rules": "Giữ trật tự sau 22:00",
}


async def _landlord_with_house(browser, world, **overrides):
    b = await browser()
    await b.login(world.a.landlord)
    response = await b.post("/w/ward-a/landlord/properties/new", {**HOUSE, **overrides, "form_token": "h" * 32})
    assert response.status_code == 303, response.text[:300]
    property_id = int(response.headers["location"].rsplit("/", 1)[1])
    return b, property_id


async def test_landlord_registers_a_house_pending_the_wards_check(browser, world):
    b, property_id = await _landlord_with_house(browser, world)
    row = await seen(Property.select().where(Property.id == property_id).first())
    assert (row["ward"], row["status"], row["contact_phone"]) == (world.a.id, "pending", "0911000003")
    assert len(row["qr_token"]) >= 14  # 80 random bits
    home = text_of((await b.get("/w/ward-a/landlord/")).text)
    assert "Nhà trọ Hoa Sữa" in home and "Waiting for the ward's check" in home
    # The same form sent twice makes one house.
    again = await b.post("/w/ward-a/landlord/properties/new", {**HOUSE, "form_token": "h" * 32})
    assert again.headers["location"].endswith(f"/properties/{property_id}")
    assert await seen(Property.count()) == 1


async def test_bad_house_input_is_explained(browser, world):
    b = await browser()
    await b.login(world.a.landlord)
    response = await b.post(
        "/w/ward-a/landlord/properties/new",
        {**HOUSE, "name": "", "kind": "castle", "contact_phone": "12", "form_token": "i" * 32},
    )
    assert response.status_code == 422
    for field in ("name", "kind", "contact_phone"):
        assert f'id="e-{field}"' in response.text
    assert await seen(Property.count()) == 0


async def test_a_pending_landlord_cannot_register_houses(browser, world):
    from tests.test_support import pending_landlord

    await pending_landlord(world.a.id)
    b = await browser()
    await b.login("0977000111")
    assert "Waiting for approval." in text_of((await b.get("/w/ward-a/landlord/")).text)
    assert (await b.get("/w/ward-a/landlord/properties/new")).status_code == 404


async def test_rooms_one_by_one_and_as_a_range(browser, world):
    b, pid = await _landlord_with_house(browser, world)
    url = f"/w/ward-a/landlord/properties/{pid}/rooms"
    one = await b.post(url, {"codes": "G01", "area_m2": "15,5", "max_occupancy": "2", "monthly_rent": "1.800.000"})
    assert one.status_code == 303
    many = await b.post(url, {"codes": "101-120", "area_m2": "18", "max_occupancy": "3", "monthly_rent": ""})
    assert many.status_code == 303 and "added=20" in many.headers["location"]
    rooms = await seen(
        Room.select(Room.code, Room.floor, Room.area_m2, Room.max_occupancy, Room.monthly_rent).where(
            Room.property == pid
        )
    )
    assert len(rooms) == 21
    by_code = {r["code"]: r for r in rooms}
    assert by_code["G01"]["area_m2"] == 15.5 and by_code["G01"]["monthly_rent"] == 1_800_000
    assert by_code["120"]["floor"] == 1 and by_code["120"]["max_occupancy"] == 3
    page = text_of((await b.get(f"/w/ward-a/landlord/properties/{pid}")).text)
    assert "1,800,000" in page or "1.800.000" in page
    # Overlapping codes: all or nothing.
    overlap = await b.post(url, {"codes": "118-125", "max_occupancy": "3"})
    assert overlap.status_code == 409 and "118, 119, 120" in text_of(overlap.text)
    assert await seen(Room.count().where(Room.property == pid)) == 21
    bad = await b.post(url, {"codes": "120-101", "max_occupancy": "0", "area_m2": "abc"})
    assert bad.status_code == 422
    for field in ("max_occupancy", "area_m2"):
        assert f'id="e-{field}"' in bad.text


async def test_archive_a_room(browser, world):
    b, pid = await _landlord_with_house(browser, world)
    await b.post(f"/w/ward-a/landlord/properties/{pid}/rooms", {"codes": "101, 102", "max_occupancy": "2"})
    room = await seen(Room.select(Room.id).where(Room.code == "101").first())
    assert (await b.post(f"/w/ward-a/landlord/rooms/{room['id']}/archive")).status_code == 303
    assert (await seen(Room.select(Room.archived).where(Room.id == room["id"]).first()))["archived"] is True
    assert "101" not in re.findall(
        r"<strong>(\w+)</strong>", (await b.get(f"/w/ward-a/landlord/properties/{pid}")).text
    )


async def test_another_landlord_cannot_see_or_change_my_house(browser, world):
    from tests.helpers import make_user

    _b, pid = await _landlord_with_house(browser, world)
    await make_user("0977999888", "Chủ trọ khác", world.a.id, "landlord")
    other = await browser()
    await other.login("0977999888")
    for url in (f"/w/ward-a/landlord/properties/{pid}", f"/w/ward-a/landlord/properties/{pid}/sticker.pdf"):
        assert (await other.get(url)).status_code == 404
    assert (
        await other.post(f"/w/ward-a/landlord/properties/{pid}/rooms", {"codes": "1", "max_occupancy": "1"})
    ).status_code == 404
    assert await seen(Room.count()) == 0


async def test_officer_verifies_sends_back_and_suspends(browser, world):
    b, pid = await _landlord_with_house(browser, world)
    officer = await browser()
    await officer.login(world.a.officer)
    queue = text_of((await officer.get("/w/ward-a/officer/properties?status=pending")).text)
    assert "Nhà trọ Hoa Sữa" in queue
    no_reason = await officer.post(f"/w/ward-a/officer/properties/{pid}/send-back", {"reason": ""})
    assert no_reason.status_code == 422
    await officer.post(f"/w/ward-a/officer/properties/{pid}/send-back", {"reason": "Thiếu số nhà"})
    home = text_of((await b.get("/w/ward-a/landlord/")).text)
    assert "Sent back for correction" in home and "Thiếu số nhà" in home
    # Corrected by the landlord: back in the queue.
    await b.post(f"/w/ward-a/landlord/properties/{pid}", {**HOUSE, "street_address": "Số 12A, ngõ 34 Phương Canh"})
    assert (await seen(Property.select(Property.status).where(Property.id == pid).first()))["status"] == "pending"
    assert (await officer.post(f"/w/ward-a/officer/properties/{pid}/verify")).status_code == 303
    assert (await seen(Property.select(Property.status).where(Property.id == pid).first()))["status"] == "verified"
    assert (await officer.post(f"/w/ward-a/officer/properties/{pid}/verify")).status_code == 409
    await officer.post(f"/w/ward-a/officer/properties/{pid}/suspend", {"reason": "Vi phạm PCCC"})
    assert (await seen(Property.select(Property.status).where(Property.id == pid).first()))["status"] == "suspended"


async def test_the_public_page_shows_the_house_and_the_ward_and_no_renter(browser, world):
    b, pid = await _landlord_with_house(browser, world)
    token = (await seen(Property.select(Property.qr_token).where(Property.id == pid).first()))["qr_token"]
    resident = await browser()
    page = await resident.get(f"/q/{token}")
    assert page.status_code == 200
    text = text_of(page.text)
    assert "Nhà trọ Hoa Sữa" in text and "Not yet verified by the ward" in text
    assert "0911 000 003" in text and "Giữ trật tự sau 22:00" in text
    assert "Phường Xuân Phương" in text and "Monday" in text
    assert "Landlord ward-a" not in text  # the landlord's name is not shown, only the chosen phone
    officer = await browser()
    await officer.login(world.a.officer)
    await officer.post(f"/w/ward-a/officer/properties/{pid}/verify")
    assert "Verified by Phường Xuân Phương" in text_of((await resident.get(f"/q/{token}")).text)
    # Hidden contact stays hidden.
    await b.post(f"/w/ward-a/landlord/properties/{pid}", {**HOUSE, "show_contact": ""})
    assert "0911 000 003" not in text_of((await resident.get(f"/q/{token}")).text)
    assert (await resident.get("/q/not-a-real-token")).status_code == 404


async def test_rotating_the_token_replaces_the_sticker(browser, world):
    b, pid = await _landlord_with_house(browser, world)
    old = (await seen(Property.select(Property.qr_token).where(Property.id == pid).first()))["qr_token"]
    assert (await b.post(f"/w/ward-a/landlord/properties/{pid}/rotate")).status_code == 303
    new = (await seen(Property.select(Property.qr_token).where(Property.id == pid).first()))["qr_token"]
    assert new != old
    resident = await browser()
    assert "This sticker was replaced" in text_of((await resident.get(f"/q/{old}")).text)
    assert "This sticker was replaced" not in text_of((await resident.get(f"/q/{new}")).text)
    page = await b.get(f"/w/ward-a/landlord/properties/{pid}")
    assert f"/q/{new}" in page.text and "<svg" in page.text


async def test_the_sticker_downloads_as_a_pdf(browser, world):
    b, pid = await _landlord_with_house(browser, world)
    response = await b.get(f"/w/ward-a/landlord/properties/{pid}/sticker.pdf")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


async def test_the_officer_replaces_a_sticker_and_prints_it(browser, world):
    _b, pid = await _landlord_with_house(browser, world)
    old = (await seen(Property.select(Property.qr_token).where(Property.id == pid).first()))["qr_token"]
    officer = await browser()
    await officer.login(world.a.officer)
    page = await officer.get("/w/ward-a/officer/properties")
    assert f"/officer/properties/{pid}/sticker.pdf" in page.text
    pdf = await officer.get(f"/w/ward-a/officer/properties/{pid}/sticker.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert (await officer.post(f"/w/ward-a/officer/properties/{pid}/rotate")).status_code == 303
    new = (await seen(Property.select(Property.qr_token).where(Property.id == pid).first()))["qr_token"]
    assert new != old
    assert "This sticker was replaced" in text_of((await (await browser()).get(f"/q/{old}")).text)
    police = await browser()
    await police.login(world.a.police)
    assert (await police.post(f"/w/ward-a/officer/properties/{pid}/rotate")).status_code == 404
