"""The landlord's home: occupancy and free rooms per house, this week's moves, and finding a renter again."""

from datetime import timedelta

from app.housing import stays
from app.housing.overview import week_of
from app.housing.tables import Stay
from tests.helpers import make_user, seen, text_of
from tests.integration.test_stays import PERSON, _house_with_rooms

ANH = {**PERSON, "id_number": "001195012345", "full_name": "Trần Thị Ánh", "birth_date": "15/08/1995",
       "old_id_number": "", "phone": "0912 345 678", "permanent_address": "1 Phố Huế, Hà Nội"}  # fmt: skip
DUC = {**PERSON, "id_number": "001090054321", "full_name": "Lê Minh Đức", "birth_date": "02/03/1990",
       "gender": "male", "old_id_number": "", "phone": "0977 000 111", "permanent_address": "2 Lê Lợi"}  # fmt: skip


def _dmy(day) -> str:
    return day.strftime("%d/%m/%Y")


async def _check_in(b, pid, room_id, person, from_date, expected_to=None):
    response = await b.post(
        f"/w/ward-a/landlord/properties/{pid}/renters",
        {
            **person,
            "room_id": str(room_id),
            "from_date": _dmy(from_date),
            "expected_to": _dmy(expected_to) if expected_to else "",
            "form_token": person["id_number"] * 3,
        },
    )
    assert response.status_code == 303, text_of(response.text)[:400]


async def test_home_shows_occupancy_free_rooms_and_this_weeks_moves(browser, world):
    b, pid, rooms = await _house_with_rooms(browser, world, rooms="101-103", max_occupancy="2")
    today = stays.today()
    monday, sunday = week_of(today)
    long_ago = monday - timedelta(days=40)
    await _check_in(b, pid, rooms["101"], ANH, monday)
    await _check_in(b, pid, rooms["101"], PERSON, long_ago, expected_to=sunday)
    await _check_in(b, pid, rooms["102"], DUC, long_ago)
    duc_stay = await seen(Stay.select(Stay.id).where(Stay.room == rooms["102"]).first())
    out = await b.post(f"/w/ward-a/landlord/stays/{duc_stay['id']}/check-out", {"to_date": _dmy(monday)})
    assert out.status_code == 303

    page = text_of((await b.get("/w/ward-a/landlord/")).text)
    assert "2 / 6 people" in page  # two stay now in three rooms of two
    assert "3 rooms" in page and "2 rooms free" in page  # 102 (checked out) and 103 are empty
    week = page.split("Moving this week", 1)[1]
    assert f"moves in {_dmy(monday)} · Trần Thị Ánh" in week
    assert f"moved out {_dmy(monday)} · Lê Minh Đức" in week
    assert f"due to move out {_dmy(sunday)} · Nguyễn Thị Kim Thư" in week
    assert _dmy(long_ago) not in week  # an arrival of an earlier week is not this week's news


async def test_search_finds_own_renters_by_name_without_diacritics_phone_or_id(browser, world):
    b, pid, rooms = await _house_with_rooms(browser, world, rooms="101-102", max_occupancy="2")
    today = stays.today()
    await _check_in(b, pid, rooms["101"], ANH, today)
    await _check_in(b, pid, rooms["102"], DUC, today - timedelta(days=30))

    async def found(q: str, **headers) -> str:
        response = await b.get("/w/ward-a/landlord/renters", params={"q": q}, headers=headers)
        assert response.status_code == 200
        return text_of(response.text)

    assert "Trần Thị Ánh" in await found("tran thi anh")
    assert "Trần Thị Ánh" in await found("THỊ ÁNH")
    assert "Lê Minh Đức" in await found("duc")  # đ is d
    by_phone = await found("0912 345 678")
    assert "Trần Thị Ánh" in by_phone and "Lê Minh Đức" not in by_phone
    assert "Lê Minh Đức" in await found("+84 977 000 111")
    assert "Lê Minh Đức" in await found("001090054321")
    assert "No renter of yours matches “nobody”" in await found("nobody")
    assert "Trần Thị Ánh" not in await found("%")  # wildcards are not patterns

    # htmx asks for the results alone as the landlord types
    fragment = await b.get(
        "/w/ward-a/landlord/renters", params={"q": "anh"}, headers={"HX-Request": "true", "HX-Target": "renter-results"}
    )
    assert "Trần Thị Ánh" in fragment.text and "<html" not in fragment.text


async def test_search_never_shows_another_landlords_renters(browser, world):
    b, pid, rooms = await _house_with_rooms(browser, world, rooms="101", max_occupancy="2")
    await _check_in(b, pid, rooms["101"], ANH, stays.today())
    await make_user("0911000099", "Another landlord", world.a.id, "landlord")
    other = await browser()
    await other.login("0911000099")
    page = text_of((await other.get("/w/ward-a/landlord/renters", params={"q": "anh"})).text)
    assert "Trần Thị Ánh" not in page and "No renter of yours matches" in page
    assert (await other.get("/w/ward-a/landlord/renters", params={"q": "001195012345"})).status_code == 200
    assert "Trần Thị Ánh" not in text_of((await other.get("/w/ward-a/landlord/renters?q=001195012345")).text)
