"""Rooms after they are added: edited within the rules, archived only when nobody stays in them."""

from app.housing.tables import Room
from tests.helpers import seen, text_of
from tests.integration.test_stays import PERSON, _house_with_rooms


async def test_a_room_is_edited_and_its_rules_hold(browser, world):
    b, pid, rooms = await _house_with_rooms(browser, world, rooms="101-102", max_occupancy="2")
    url = f"/w/ward-a/landlord/rooms/{rooms['101']}/edit"
    form = await b.get(url)
    assert form.status_code == 200 and 'value="101"' in form.text
    saved = await b.post(url, {"code": "101A", "floor": "-1", "area_m2": "18,5", "max_occupancy": "3",
                               "monthly_rent": "2.500.000"})  # fmt: skip
    assert saved.status_code == 303
    row = await seen(Room.select().where(Room.id == rooms["101"]).first())
    assert (row["code"], row["floor"], row["area_m2"], row["max_occupancy"], row["monthly_rent"]) == (
        "101A",
        -1,
        18.5,
        3,
        2_500_000,
    )
    clash = await b.post(url, {"code": "102", "max_occupancy": "3"})
    assert clash.status_code == 409 and "Room 102 already exists in this house." in text_of(clash.text)
    checked_in = await b.post(
        f"/w/ward-a/landlord/properties/{pid}/renters",
        {**PERSON, "room_id": str(rooms["101"]), "form_token": "r" * 32},
    )
    assert checked_in.status_code == 303
    too_small = await b.post(url, {"code": "101A", "max_occupancy": "0"})
    assert too_small.status_code == 422 and 'id="e-max_occupancy"' in too_small.text
    assert (await seen(Room.select(Room.max_occupancy).where(Room.id == rooms["101"]).first()))["max_occupancy"] == 3


async def test_the_capacity_cannot_go_below_the_people_staying(browser, world):
    b, pid, rooms = await _house_with_rooms(browser, world, rooms="101", max_occupancy="2")
    await b.post(f"/w/ward-a/landlord/properties/{pid}/renters",
                 {**PERSON, "room_id": str(rooms["101"]), "form_token": "c" * 32})  # fmt: skip
    second = {**PERSON, "id_number": "001090054321", "full_name": "Lê Minh Đức", "birth_date": "02/03/1990",
              "gender": "male", "old_id_number": "", "room_id": str(rooms["101"]), "form_token": "d" * 32}  # fmt: skip
    assert (await b.post(f"/w/ward-a/landlord/properties/{pid}/renters", second)).status_code == 303
    lower = await b.post(f"/w/ward-a/landlord/rooms/{rooms['101']}/edit", {"code": "101", "max_occupancy": "1"})
    assert lower.status_code == 409
    assert "2 people stay in this room now" in text_of(lower.text)


async def test_only_an_empty_room_is_archived(browser, world):
    b, pid, rooms = await _house_with_rooms(browser, world, rooms="101-102", max_occupancy="2")
    await b.post(f"/w/ward-a/landlord/properties/{pid}/renters",
                 {**PERSON, "room_id": str(rooms["101"]), "form_token": "a" * 32})  # fmt: skip
    page = await b.get(f"/w/ward-a/landlord/properties/{pid}")
    assert f"/rooms/{rooms['101']}/archive" not in page.text and f"/rooms/{rooms['102']}/archive" in page.text
    refused = await b.post(f"/w/ward-a/landlord/rooms/{rooms['101']}/archive")
    assert refused.status_code == 409 and "has people staying in it" in text_of(refused.text)
    assert (await seen(Room.select(Room.archived).where(Room.id == rooms["101"]).first()))["archived"] is False
    assert (await b.post(f"/w/ward-a/landlord/rooms/{rooms['102']}/archive")).status_code == 303
    assert (await seen(Room.select(Room.archived).where(Room.id == rooms["102"]).first()))["archived"] is True


async def test_a_reason_too_long_is_refused_and_nothing_changes(browser, world):
    from app.housing.tables import Property

    _b, pid, _rooms = await _house_with_rooms(browser, world)
    officer = await browser()
    await officer.login(world.a.officer)
    response = await officer.post(f"/w/ward-a/officer/properties/{pid}/send-back", {"reason": "x" * 501})
    assert response.status_code == 422 and "At most 500 characters." in text_of(response.text)
    row = await seen(Property.select(Property.status).where(Property.id == pid).first())
    assert row["status"] == "pending"


async def test_a_decimal_is_not_read_as_a_whole_number(browser, world):
    b, pid, _rooms = await _house_with_rooms(browser, world, rooms="101")
    response = await b.post(f"/w/ward-a/landlord/properties/{pid}/rooms", {"codes": "201", "max_occupancy": "2.5"})
    assert response.status_code == 422 and "Enter a whole number." in text_of(response.text)
    assert await seen(Room.count().where(Room.code == "201")) == 0
