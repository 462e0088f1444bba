"""The ward police's desk: the declaration inbox (filters, one opened with its history and who viewed it,
decisions one by one or several together), the roster with each person's declaration, the alerts, the
exports; every page that shows a person writes who saw them to the audit log."""

from datetime import timedelta

from app.audit.tables import AuditEvent
from app.housing.stays import today
from app.housing.tables import Renter, Stay
from app.residence.tables import Declaration, DeclarationEvent, DeskSettings
from tenants.communes import fold
from tenants.scope import ward_scope
from tests.helpers import seen, text_of
from tests.integration.test_declarations import PERSON, _dmy
from tests.integration.test_stays import _house_with_rooms

OTHER = {**PERSON, "id_number": "001095012345", "full_name": "Nguyễn Văn An", "birth_date": "15/08/1995",
         "gender": "male", "old_id_number": "", "phone": "0912 345 678"}  # fmt: skip


async def _two_filed(browser, world):
    """A landlord with two renters checked in today, each declaration filed; the police signed in."""
    b, pid, rooms = await _house_with_rooms(browser, world)
    for person, room, token in ((PERSON, "101", "a"), (OTHER, "102", "b")):
        response = await b.post(
            f"/w/ward-a/landlord/properties/{pid}/renters",
            {**person, "from_date": _dmy(today()), "expected_to": _dmy(today() + timedelta(days=3)),
             "room_id": str(rooms[room]), "form_token": token * 32},
        )  # fmt: skip
        assert response.status_code == 303, response.text[:300]
    for i, stay in enumerate(await seen(Stay.select(Stay.id).order_by(Stay.id))):
        filed = await b.post(f"/w/ward-a/landlord/stays/{stay['id']}/declare", {"form_token": str(i) * 32})
        assert filed.status_code == 303
    police = await browser()
    await police.login(world.a.police)
    rows = await seen(Declaration.select(Declaration.id, Declaration.renter).order_by(Declaration.id))
    return b, police, pid, rows


async def _views(renter_id=None):
    query = AuditEvent.select(AuditEvent.subject_id, AuditEvent.summary, AuditEvent.actor).where(
        AuditEvent.action == "renter_viewed"
    )
    if renter_id is not None:
        query = query.where(AuditEvent.subject_id == renter_id)
    return await query


async def test_the_inbox_lists_filters_and_audits_every_person_shown(browser, world):
    _b, police, pid, rows = await _two_filed(browser, world)
    page = await police.get("/w/ward-a/police/declarations")
    text = text_of(page.text)
    assert page.status_code == 200 and "2 new · 0 received · 0 late" in text
    assert "Nguyễn Thị Kim Thư" in text and "Nguyễn Văn An" in text and "Lưu trú notification" in text
    assert {v["subject_id"] for v in await _views()} == {r["renter"] for r in rows}
    assert all(v["summary"].startswith("police/inbox: ") for v in await _views())

    only = text_of((await police.get("/w/ward-a/police/declarations?kind=tam_tru")).text)
    assert "No declaration matches." in only
    assert "Nguyễn Văn An" in text_of((await police.get(f"/w/ward-a/police/declarations?property_id={pid}")).text)
    partial = await police.get("/w/ward-a/police/declarations?state=accepted", headers={"HX-Target": "inbox-list"})
    assert "No declaration matches." in text_of(partial.text) and "<html" not in partial.text


async def test_a_declaration_opened_accepted_with_its_reference_shows_who_viewed_it(browser, world):
    landlord, police, pid, rows = await _two_filed(browser, world)
    url = f"/w/ward-a/police/declarations/{rows[0]['id']}"
    page = text_of((await police.get(url)).text)
    assert "Nguyễn Thị Kim Thư" in page and "093186002237" in page and "0988 111 222" in page
    assert "Who has viewed this person" in page and "Police ward-a" in page
    assert f"police/declarations/{rows[0]['id']}" in page
    assert len(await _views(rows[0]["renter"])) == 1

    missing = await police.post(f"{url}/decide", {"action": "accept", "reference": " "})
    assert missing.status_code == 422 and "Enter the registration number or reference." in text_of(missing.text)
    assert (await seen(Declaration.select(Declaration.state).where(Declaration.id == rows[0]["id"]).first()))[
        "state"
    ] == "submitted"
    accepted = await police.post(f"{url}/decide", {"action": "accept", "reference": "LT-2026-001"})
    assert accepted.status_code == 303
    row = await seen(Declaration.select().where(Declaration.id == rows[0]["id"]).first())
    assert (row["state"], row["reference"]) == ("accepted", "LT-2026-001")
    events = await seen(DeclarationEvent.select().where(DeclarationEvent.declaration == rows[0]["id"]))
    assert [e["to_state"] for e in events] == ["draft", "submitted", "received", "accepted"]
    history = text_of((await police.get(url)).text).split("History", 1)[1]
    assert "Received by the police → Accepted Reference: LT-2026-001" in history
    again = await police.post(f"{url}/decide", {"action": "reject", "reason": "x"})
    assert again.status_code == 409

    home = text_of((await landlord.get(f"/w/ward-a/landlord/properties/{pid}")).text)
    assert "Lưu trú notification: Accepted · Reference: LT-2026-001" in home


async def test_several_selected_are_decided_each_on_its_own(browser, world):
    _b, police, _pid, rows = await _two_filed(browser, world)
    ids = [r["id"] for r in rows]
    no_reason = await police.post("/w/ward-a/police/declarations", {"ids": ids, "action": "reject", "reason": ""})
    assert no_reason.status_code == 422 and "Say what the landlord must correct." in text_of(no_reason.text)
    assert await seen(DeclarationEvent.count().where(DeclarationEvent.to_state == "rejected")) == 0

    # One is accepted on its own page meanwhile; the batch rejects the other and says why not the first.
    await police.post(f"/w/ward-a/police/declarations/{ids[0]}/decide", {"action": "accept", "reference": "R1"})
    batch = await police.post("/w/ward-a/police/declarations", {"ids": ids, "action": "reject", "reason": "Sai phòng"})
    text = text_of(batch.text)
    assert batch.status_code == 200 and "1 of 2 done." in text
    assert "Nguyễn Thị Kim Thư : A declaration that is “Accepted” cannot become “Rejected”." in text
    states = {r["id"]: r["state"] for r in await seen(Declaration.select(Declaration.id, Declaration.state))}
    assert states == {ids[0]: "accepted", ids[1]: "rejected"}

    received = await police.post("/w/ward-a/police/declarations", {"ids": [ids[1]], "action": "receive"})
    assert "0 of 1 done." in text_of(received.text)  # a rejected one waits for the landlord


async def test_the_desk_sets_the_remote_area(browser, world):
    police = await browser()
    await police.login(world.a.police)
    assert (await police.post("/w/ward-a/police/settings", {"remote_area": "on"})).status_code == 303
    assert (await seen(DeskSettings.select(DeskSettings.remote_area).first()))["remote_area"] is True
    await police.post("/w/ward-a/police/settings", {})
    assert (await seen(DeskSettings.select(DeskSettings.remote_area).first()))["remote_area"] is False
    assert await seen(DeskSettings.count()) == 1
    landlord = await browser()
    await landlord.login(world.a.landlord)
    assert (await landlord.post("/w/ward-a/police/settings", {"remote_area": "on"})).status_code in (403, 404)


async def test_the_roster_shows_each_persons_declaration(browser, world):
    _b, police, pid, rows = await _two_filed(browser, world)
    await police.post(f"/w/ward-a/police/declarations/{rows[0]['id']}/decide", {"action": "accept", "reference": "A1"})
    page = text_of((await police.get(f"/w/ward-a/police/properties/{pid}")).text)
    assert "Lưu trú notification: Accepted · Reference: A1" in page
    assert "Lưu trú notification: Filed, waiting for the police" in page


async def _alerting_ward(browser, world):
    """Ward A with one of each alert: a lưu trú never filed (arrived 3 days ago), a tạm trú accepted and ending
    in 10 days, a room over capacity, and a person with open stays in two houses."""
    b, pid, rooms = await _house_with_rooms(browser, world, rooms="101-103", max_occupancy="1")
    late = await b.post(
        f"/w/ward-a/landlord/properties/{pid}/renters",
        {**PERSON, "from_date": _dmy(today() - timedelta(days=3)), "expected_to": _dmy(today() + timedelta(days=2)),
         "room_id": str(rooms["101"]), "form_token": "a" * 32},
    )  # fmt: skip
    assert late.status_code == 303
    ending = await b.post(
        f"/w/ward-a/landlord/properties/{pid}/renters",
        {**OTHER, "from_date": _dmy(today() - timedelta(days=40)), "expected_to": _dmy(today() + timedelta(days=10)),
         "room_id": str(rooms["102"]), "form_token": "b" * 32},
    )  # fmt: skip
    assert ending.status_code == 303
    stay = await seen(Stay.select(Stay.id).where(Stay.room == rooms["102"]).first())
    await b.post(f"/w/ward-a/landlord/stays/{stay['id']}/declare", {"form_token": "c" * 32})
    police = await browser()
    await police.login(world.a.police)
    declaration = await seen(Declaration.select(Declaration.id).first())
    await police.post(
        f"/w/ward-a/police/declarations/{declaration['id']}/decide", {"action": "accept", "reference": "TT-9"}
    )
    # Over capacity and two houses cannot be made through the pages (check-in refuses both): an import of old
    # records, or a room's capacity lowered in the database, can leave them.
    async with ward_scope(world.a.id):
        for number, name in (("001200000001", "Lê Văn Ba"), ("001200000003", "Lê Văn Bốn")):
            extra = Renter.ward_new(id_number=number, full_name=name, name_folded=fold(name))
            await extra.save()
            await Stay.ward_new(renter=extra.id, room=rooms["103"], from_date=today()).save()
    return police, pid


async def test_alerts_list_late_expiring_over_capacity_and_two_houses(browser, world):
    police, _pid = await _alerting_ward(browser, world)
    page = await police.get("/w/ward-a/police/alerts")
    text = text_of(page.text)
    assert page.status_code == 200
    late = text.split("Late: no accepted declaration past the deadline", 1)[1].split("Tạm trú ending", 1)[0]
    assert "Nguyễn Thị Kim Thư" in late and "Lưu trú notification · overdue by" in late
    expiring = text.split("Tạm trú ending within 15 days", 1)[1].split("Rooms over capacity", 1)[0]
    assert "Nguyễn Văn An" in expiring and f"Registered until {_dmy(today() + timedelta(days=10))}" in expiring
    over = text.split("Rooms over capacity", 1)[1].split("Staying in two houses", 1)[0]
    assert "room 103" in over and "2 of 1 people" in over
    views = {v["summary"] for v in await _views()}
    assert "police/alerts: Nguyễn Thị Kim Thư" in views and "police/alerts: Lê Văn Ba" in views


async def test_one_person_recorded_twice_staying_in_two_houses(browser, world):
    """By the old CMND in one house and the CCCD in another (one renter row has one open stay at most)."""
    b, _pid, rooms = await _house_with_rooms(browser, world)
    await b.post("/w/ward-a/landlord/properties/new", {"name": "Nhà hai", "street_address": "Số 2", "kind": "rooms"})
    from app.housing.tables import Property, Room

    other = await seen(Property.select(Property.id).where(Property.name == "Nhà hai").first())
    async with ward_scope(world.a.id):
        room = Room.ward_new(property=other["id"], code="201", max_occupancy=2)
        await room.save()
        by_cccd = Renter.ward_new(
            id_number="001200000002", old_id_number="123456789", full_name="Phạm Thị Hai", name_folded="pham thi hai"
        )
        await by_cccd.save()
        by_cmnd = Renter.ward_new(id_number="123456789", full_name="Phạm Thị Hai", name_folded="pham thi hai")
        await by_cmnd.save()
        await Stay.ward_new(renter=by_cccd.id, room=rooms["101"], from_date=today()).save()
        await Stay.ward_new(renter=by_cmnd.id, room=room.id, from_date=today()).save()
    police = await browser()
    await police.login(world.a.police)
    text = text_of((await police.get("/w/ward-a/police/alerts")).text)
    two = text.split("Staying in two houses at once", 1)[1]
    assert "Phạm Thị Hai" in two and "001200000002" in two and "123456789" in two and "Nhà hai" in two
    assert "Nothing." in text.split("Rooms over capacity", 1)[1].split("Staying in two", 1)[0]


async def test_exports_as_csv_and_xlsx_are_audited(browser, world):
    police, _pid = await _alerting_ward(browser, world)
    this_month = f"from={_dmy(today().replace(day=1))}&to={_dmy(today())}"
    csv_file = await police.get(f"/w/ward-a/police/export/declarations?{this_month}&format=csv")
    assert csv_file.status_code == 200 and csv_file.headers["content-type"].startswith("text/csv")
    body = csv_file.content.decode("utf-8-sig")
    assert "Nguyễn Văn An" in body and "TT-9" in body and "Tạm trú registration" in body
    xlsx = await police.get(f"/w/ward-a/police/export/declarations?{this_month}&format=xlsx")
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(xlsx.content)).active
    cells = [c.value for row in sheet.iter_rows() for c in row]
    assert "Nguyễn Văn An" in cells and "TT-9" in cells

    bad = await police.get("/w/ward-a/police/export/declarations?from=31/12/2026&to=01/12/2026&format=csv")
    assert bad.status_code == 422 and "The end is before the start." in text_of(bad.text)

    alert_csv = await police.get("/w/ward-a/police/export/alerts?list=late&format=csv")
    assert alert_csv.status_code == 200 and "Nguyễn Thị Kim Thư" in alert_csv.content.decode("utf-8-sig")
    assert (await police.get("/w/ward-a/police/export/alerts?list=nope")).status_code == 404
    exported = await AuditEvent.select(AuditEvent.summary).where(AuditEvent.action == "declarations_exported")
    assert len(exported) == 3
    views = {v["summary"] for v in await _views()}
    assert any(s.startswith("police/export declarations-") and s.endswith("Nguyễn Văn An") for s in views)
    assert any(s.startswith("police/export alerts-late-") and s.endswith("Nguyễn Thị Kim Thư") for s in views)


async def test_the_landlord_home_shows_what_is_late_due_today_and_sent_back(browser, world):
    b, pid, rooms = await _house_with_rooms(browser, world)
    await b.post(
        f"/w/ward-a/landlord/properties/{pid}/renters",
        {**PERSON, "from_date": _dmy(today() - timedelta(days=3)), "expected_to": _dmy(today() + timedelta(days=2)),
         "room_id": str(rooms["101"]), "form_token": "a" * 32},
    )  # fmt: skip
    home = text_of((await b.get("/w/ward-a/landlord/")).text)
    assert (
        "Declarations to file Late 1 Nguyễn Thị Kim Thư" in home and "Lưu trú notification · overdue by 2 days" in home
    )

    stay = await seen(Stay.select(Stay.id).first())
    filed = await b.post(
        f"/w/ward-a/landlord/stays/{stay['id']}/declare", {"form_token": "b" * 32, "next": "/w/ward-a/landlord/"}
    )
    assert filed.status_code == 303 and filed.headers["location"] == "/w/ward-a/landlord/"
    assert "Declarations to file" not in text_of((await b.get("/w/ward-a/landlord/")).text)  # with the police now

    police = await browser()
    await police.login(world.a.police)
    declaration = await seen(Declaration.select(Declaration.id).first())
    await police.post(
        f"/w/ward-a/police/declarations/{declaration['id']}/decide", {"action": "reject", "reason": "Thiếu số phòng"}
    )
    home = text_of((await b.get("/w/ward-a/landlord/")).text)
    assert "Lưu trú notification: Rejected" in home and "Reason: Thiếu số phòng" in home
    assert "Correct and resubmit" in home


async def test_each_demo_wards_police_desk_opens_on_real_work(browser, database):
    from collections import Counter

    from app.demo import load_demo

    assert await load_demo(only_if_empty=True) is True
    for phone, slug in (("0900000002", "xuan-phuong"), ("0900000012", "lien-chieu")):
        rows = await seen(Declaration.select(Declaration.state, Declaration.kind).where(Declaration.ward.slug == slug))
        states = Counter(r["state"] for r in rows)
        assert {"submitted", "received", "accepted", "rejected", "ended"} <= set(states), (slug, states)
        police = await browser()
        await police.login(phone, "demo12345")
        text = text_of((await police.get(f"/w/{slug}/police/declarations")).text)
        assert "Filed, waiting for the police" in text and "overdue by" in text
        alerts = text_of((await police.get(f"/w/{slug}/police/alerts")).text)
        late = alerts.split("Late: no accepted declaration past the deadline", 1)[1].split("Tạm trú ending", 1)[0]
        expiring = alerts.split("Tạm trú ending within 15 days", 1)[1].split("Rooms over capacity", 1)[0]
        assert "overdue by" in late and "Registered until" in expiring
    big = await seen(
        Declaration.select(Declaration.state, Declaration.kind).where(Declaration.ward.slug == "xuan-phuong")
    )
    assert {"extended", "draft"} & {r["state"] for r in big} == {"extended"}
    kinds = {r["kind"] for r in big}
    assert {"luu_tru", "tam_tru", "extension", "removal"} <= kinds


async def test_ids_no_row_can_have_are_not_found_not_an_error(browser, world):
    """A typed id that int() refuses ("²") or the database's integer cannot hold is no row: 404 in a path,
    ignored in a form or query string; never a 500."""
    _b, police, _pid, rows = await _two_filed(browser, world)
    for path in ("/w/ward-a/police/declarations/99999999999999999999", "/w/ward-a/police/declarations/2147483648"):
        assert (await police.get(path)).status_code == 404
    assert (await police.get("/w/ward-a/police/declarations?property_id=²")).status_code == 200
    assert (await police.get("/w/ward-a/police/declarations?property_id=99999999999")).status_code == 200
    decided = await police.post(
        "/w/ward-a/police/declarations",
        {"ids": ["²", "99999999999", str(rows[1]["id"])], "action": "accept", "reference": "R2"},
    )
    assert decided.status_code == 200 and "1 of 1 done." in text_of(decided.text)
    states = {r["id"]: r["state"] for r in await seen(Declaration.select(Declaration.id, Declaration.state))}
    assert states == {rows[0]["id"]: "submitted", rows[1]["id"]: "accepted"}
