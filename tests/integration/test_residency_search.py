from datetime import date

from app.accounts.tables import User
from app.audit.tables import AuditEvent
from app.db import write_transaction
from app.housing.services import new_qr_token
from app.housing.tables import Property, Renter, Room, Stay
from tenants.communes import fold
from tenants.scope import ward_scope
from tests.helpers import text_of

URL = "/w/ward-a/police/search"


async def _renter(full_name, id_number, *, born, phone="", old_id_number="", stays=()):
    renter = Renter.ward_new(
        id_number=id_number,
        old_id_number=old_id_number,
        full_name=full_name,
        name_folded=fold(full_name),
        birth_date=born,
        phone=phone,
        permanent_address="Thôn Đông, xã Yên Sở, Hà Nội",
    )
    await renter.save()
    for room, start, end in stays:
        await Stay.ward_new(renter=renter.id, room=room, from_date=start, to_date=end).save()
    return renter.id


async def _house(landlord, name, *codes):
    prop = Property.ward_new(
        landlord=landlord, name=name, street_address=f"Số 1 {name}", kind="rooms", qr_token=new_qr_token()
    )
    await prop.save()
    rooms = {}
    for code in codes:
        room = Room.ward_new(property=prop.id, code=code, max_occupancy=2)
        await room.save()
        rooms[code] = room.id
    return rooms


async def _people(world) -> dict[str, int]:
    """Ward A: two Nguyễn Văn An (one staying, one gone), a Nguyễn Văn Anh, a Trần Văn An, a Trần Nguyễn Văn
    An. Ward B: its own Nguyễn Văn An, whom ward A's police must never find."""
    ids = {}
    for ward in (world.a, world.b):
        landlord = (await User.select(User.id).where(User.phone == ward.landlord).first())["id"]
        async with ward_scope(ward.id), write_transaction():
            hoa_sua = await _house(landlord, "Nhà trọ Hoa Sữa", "101", "102")
            binh_an = await _house(landlord, "Nhà trọ Bình An", "201")
            if ward is world.b:
                ids["b"] = await _renter(
                    "Nguyễn Văn An Bê", "001090000009", born=date(1990, 5, 1), phone="0912345679",
                    stays=[(hoa_sua["101"], date(2026, 1, 1), None)],
                )  # fmt: skip
                continue
            ids["an"] = await _renter(
                "Nguyễn Văn An", "001090000001", born=date(1990, 5, 1), phone="0912345678",
                stays=[(binh_an["201"], date(2025, 1, 1), date(2025, 6, 30)), (hoa_sua["101"], date(2025, 7, 1), None)],
            )  # fmt: skip
            ids["an_1988"] = await _renter(
                "Nguyễn Văn An", "001088000003", born=date(1988, 2, 3), old_id_number="123456789",
                stays=[(binh_an["201"], date(2024, 1, 1), date(2024, 12, 31))],
            )  # fmt: skip
            ids["anh"] = await _renter(
                "Nguyễn Văn Anh",
                "001095000002",
                born=date(1995, 3, 2),
                stays=[(hoa_sua["102"], date(2026, 2, 1), None)],
            )
            ids["tran"] = await _renter("Trần Văn An", "001092000004", born=date(1992, 1, 1))
            ids["tran_nguyen"] = await _renter("Trần Nguyễn Văn An", "001093000005", born=date(1993, 1, 1))
    return ids


async def _police(browser, world):
    b = await browser()
    await b.login(world.a.police)
    return b


async def test_a_name_typed_without_diacritics_finds_the_people_and_where_they_stay(browser, world):
    await _people(world)
    b = await _police(browser, world)
    response = await b.get(URL, params={"q": "nguyen van an"})
    assert response.status_code == 200
    page = text_of(response.text)
    assert "3 people found." in page
    # The exact name first, the same name by birth date, then the longer name it begins.
    assert page.index("Nguyễn Văn An · 03/02/1988") < page.index("Nguyễn Văn An · 01/05/1990")
    assert page.index("Nguyễn Văn An · 01/05/1990") < page.index("Nguyễn Văn Anh · 02/03/1995")
    assert "Trần" not in page and "Nguyễn Văn An Bê" not in page  # not from its start; another ward
    assert "Now: Nhà trọ Hoa Sữa , Số 1 Nhà trọ Hoa Sữa · room 101 · since 01/07/2025" in page
    assert "Before: Nhà trọ Bình An · room 201 · 01/01/2025 – 30/06/2025" in page
    assert "Not staying in this ward now. Before: Nhà trọ Bình An · room 201 · 01/01/2024 – 31/12/2024" in page
    # Capitals, diacritics and spacing as typed do not matter; the last word may be cut short.
    for typed in ("NGUYỄN  văn an", "Nguyen Van A"):
        assert "3 people found." in text_of((await b.get(URL, params={"q": typed})).text)
    assert "1 person found." in text_of((await b.get(URL, params={"q": "tran van"})).text)


async def test_an_id_number_finds_exactly_that_person(browser, world):
    await _people(world)
    b = await _police(browser, world)
    page = text_of((await b.get(URL, params={"q": "001 090 000 001"})).text)
    assert "1 person found." in page and "CCCD 001090000001" in page and "0912 345 678" in page
    old = text_of((await b.get(URL, params={"q": "123456789"})).text)
    assert "1 person found." in old and "CMND 123456789" in old and "03/02/1988" in old
    # Ward B's renter is not found by ward A's police, even by the exact number.
    other = text_of((await b.get(URL, params={"q": "001090000009"})).text)
    assert "Nobody in this ward matches “001090000009”." in other
    partial = await b.get(URL, params={"q": "0010900000"})
    assert partial.status_code == 422 and 'id="e-q"' in partial.text
    assert "An ID number has 12 digits" in text_of(partial.text)


async def test_a_phone_number_is_found_however_it_is_written(browser, world):
    await _people(world)
    b = await _police(browser, world)
    for typed in ("0912345678", "0912 345 678", "+84 912 345 678", "84912345678", "0912.345.678"):
        page = text_of((await b.get(URL, params={"q": typed})).text)
        assert "1 person found." in page and "CCCD 001090000001" in page, typed
    assert "Nobody in this ward matches" in text_of((await b.get(URL, params={"q": "0912345679"})).text)


async def test_the_birth_year_narrows_a_common_name(browser, world, monkeypatch):
    from app.residence import search

    await _people(world)
    b = await _police(browser, world)
    page = text_of((await b.get(URL, params={"q": "nguyen van an", "birth_year": "1988"})).text)
    assert "1 person found." in page and "03/02/1988" in page and "01/05/1990" not in page
    none = text_of((await b.get(URL, params={"q": "nguyen van an", "birth_year": "2001"})).text)
    assert "Nobody in this ward matches “nguyen van an”. (born in 2001)" in none
    bad = await b.get(URL, params={"q": "nguyen van an", "birth_year": "88"})
    assert bad.status_code == 422 and 'id="e-birth_year"' in bad.text and "birth year between 1900" in bad.text
    monkeypatch.setattr(search, "LIMIT", 2)
    more = text_of((await b.get(URL, params={"q": "nguyen van"})).text)
    assert "2 people found. More people match than the first 2 shown: narrow with the birth year" in more


async def test_every_person_shown_is_written_to_the_audit_log(browser, world):
    ids = await _people(world)
    b = await _police(browser, world)
    await b.get(URL, params={"q": "nguyen van an"})
    police_id = (await User.select(User.id).where(User.phone == world.a.police).first())["id"]
    rows = await AuditEvent.select(
        AuditEvent.subject_id, AuditEvent.actor, AuditEvent.ward, AuditEvent.summary, AuditEvent.subject_type
    ).where(AuditEvent.action == "renter_viewed")
    assert sorted(r["subject_id"] for r in rows) == sorted([ids["an"], ids["an_1988"], ids["anh"]])
    assert {(r["actor"], r["ward"], r["subject_type"]) for r in rows} == {(police_id, world.a.id, "renter")}
    assert "police/search “nguyen van an”: Nguyễn Văn Anh" in {r["summary"] for r in rows}
    # Nothing shown, nothing written.
    await b.get(URL, params={"q": "pham"})
    await b.get(URL, params={"q": ""})
    assert await AuditEvent.count().where(AuditEvent.action == "renter_viewed") == 3


async def test_only_the_police_of_the_ward_can_search(browser, world):
    await _people(world)
    for phone in (world.a.landlord, world.a.officer, world.b.police):
        b = await browser()
        await b.login(phone)
        assert (await b.get(URL, params={"q": "nguyen van an"})).status_code == 404, phone
    assert await AuditEvent.count().where(AuditEvent.action == "renter_viewed") == 0


async def test_an_empty_or_too_short_query_says_what_to_type(browser, world):
    b = await _police(browser, world)
    home = await b.get("/w/ward-a/police/")
    assert 'action="/w/ward-a/police/search"' in home.text  # the desk's search box
    empty = await b.get(URL)
    assert empty.status_code == 200 and 'id="f-q"' in empty.text and 'id="e-q"' not in empty.text
    short = await b.get(URL, params={"q": "n"})
    assert short.status_code == 422 and "Type at least 2 letters of the name." in text_of(short.text)
    year_alone = await b.get(URL, params={"birth_year": "1990"})
    assert year_alone.status_code == 422 and "Type a name, a phone number or an ID number." in text_of(year_alone.text)


async def test_htmx_gets_the_results_alone(browser, world):
    await _people(world)
    b = await _police(browser, world)
    response = await b.get(
        URL, params={"q": "nguyen van anh"}, headers={"HX-Request": "true", "HX-Target": "police-results"}
    )
    assert response.status_code == 200 and "<html" not in response.text and 'id="f-q"' not in response.text
    assert "1 person found. Nguyễn Văn Anh · 02/03/1995" in text_of(response.text)
