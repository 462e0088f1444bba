"""The housing API: the pages' operations for a mobile app or the ward's other systems, with the pages' rules."""

from app.accounts.tokens import create_token
from app.audit.tables import AuditEvent
from app.housing.tables import Property, Renter, Room, SelfRegistration, Stay
from tests.helpers import make_user, seen
from tests.integration.test_stays import PERSON as PERSON_FORM

A = "/api/v1/w/ward-a"
HOUSE = {
    "name": "Nhà trọ Hoa Sữa",
    "street_address": "Số 12, ngõ 34 Phương Canh",
    "residential_group": "Tổ 5",
    "kind": "rooms",
    "contact_phone": "0911 000 003",
    "show_contact": True,
    "house_rules": "Giữ trật tự sau 22:00",
}
PERSON = {
    "id_number": "093186002237", "full_name": "Nguyễn Thị Kim Thư", "birth_date": "1986-01-11", "gender": "female",
    "old_id_number": "362499103", "permanent_address": "56 Trần Hoàng Na, Ninh Kiều, Cần Thơ", "phone": "0988 111 222",
    "occupation": "Công nhân", "from_date": "2026-11-01", "reason": "Làm việc",
}  # fmt: skip
BINH = {"id_number": "001090012345", "full_name": "Trần Văn Bình", "from_date": "2026-11-01"}


class Api:
    """An app calling with a personal token, in the language it asks for."""

    def __init__(self, client, token: str, lang: str) -> None:
        self.client = client
        self.headers = {"Authorization": f"Bearer {token}", "Accept-Language": lang}

    async def get(self, path: str, **params):
        return await self.client.get(A + path, headers=self.headers, params=params)

    async def post(self, path: str, body: dict | None = None, *, key: str = ""):
        headers = {**self.headers, **({"Idempotency-Key": key} if key else {})}
        return await self.client.post(A + path, json=body if body is not None else {}, headers=headers)


async def _api(browser, phone: str, lang: str = "en") -> Api:
    token = await create_token(await make_user(phone, "x"), "app")
    return Api((await browser(lang="")).client, token, lang)


async def _house(browser, world, rooms: str = "101-102", max_occupancy: int = 1) -> tuple[Api, int, dict[str, int]]:
    api = await _api(browser, world.a.landlord)
    created = await api.post("/landlord/properties", HOUSE)
    assert created.status_code == 201, created.text
    pid = created.json()["id"]
    added = await api.post(f"/landlord/properties/{pid}/rooms", {"codes": rooms, "max_occupancy": max_occupancy})
    assert added.status_code == 201, added.text
    return api, pid, {r["code"]: r["id"] for r in added.json()["rooms"]}


async def test_a_landlord_registers_a_property_and_a_retry_makes_one(browser, world):
    api = await _api(browser, world.a.landlord)
    first = await api.post("/landlord/properties", HOUSE, key="3f1c6a62-house-1")
    assert first.status_code == 201, first.text
    body = first.json()
    row = await seen(Property.select().where(Property.id == body["id"]).first())
    assert (row["ward"], row["status"], row["contact_phone"], row["name"]) == (
        world.a.id, "pending", "0911000003", "Nhà trọ Hoa Sữa"
    )  # fmt: skip
    assert body["status"] == "pending" and body["contact_phone"] == "0911000003"
    assert body["qr_url"].endswith(f"/q/{row['qr_token']}")
    # The response was lost and the app sends the same call again: the same property, not a second.
    again = await api.post("/landlord/properties", HOUSE, key="3f1c6a62-house-1")
    assert again.status_code == 201 and again.json() == body
    assert await seen(Property.count()) == 1
    # Another landlord's call with the same key is theirs: keys never share a result across users.
    await make_user("0977999888", "Chủ trọ khác", world.a.id, "landlord")
    other = await _api(browser, "0977999888")
    theirs = await other.post("/landlord/properties", {**HOUSE, "name": "Nhà khác"}, key="3f1c6a62-house-1")
    assert theirs.status_code == 201 and theirs.json()["id"] != body["id"]
    assert await seen(Property.count()) == 2

    listing = await api.get("/landlord/properties")
    assert listing.status_code == 200
    assert [(p["id"], p["name"], p["people"], p["capacity"]) for p in listing.json()] == [
        (body["id"], "Nhà trọ Hoa Sữa", 0, 0)
    ]
    assert (await api.get(f"/landlord/properties/{body['id']}")).json() == body


async def test_bad_input_names_each_field_in_the_callers_language(browser, world):
    api = await _api(browser, world.a.landlord)
    bad = await api.post("/landlord/properties", {**HOUSE, "name": "", "kind": "castle", "contact_phone": "12"})
    assert bad.status_code == 422
    errors = bad.json()["errors"]
    assert set(errors) == {"name", "kind", "contact_phone"}
    assert errors["name"] == "This field is required." and errors["kind"] == "Choose one of the options."
    missing = await api.post("/landlord/properties", {})
    assert set(missing.json()["errors"]) == {"name", "street_address", "kind"}  # all at once, as the page does
    vi = await _api(browser, world.a.landlord, lang="vi")
    bad_vi = await vi.post("/landlord/properties", {**HOUSE, "name": ""})
    assert bad_vi.status_code == 422
    assert bad_vi.json()["errors"] == {"name": "Vui lòng nhập thông tin này."}
    assert bad_vi.json()["detail"] == "Vui lòng kiểm tra lại thông tin đã nhập"
    # A value of the wrong JSON type is named too, with the page's words where the page has them.
    pid = (await api.post("/landlord/properties", HOUSE)).json()["id"]
    wrong = await vi.post(f"/landlord/properties/{pid}/rooms", {"codes": "101", "max_occupancy": "hai"})
    assert wrong.status_code == 422 and wrong.json()["errors"] == {"max_occupancy": "Vui lòng nhập số nguyên."}
    number_for_text = await api.post("/landlord/properties", {**HOUSE, "name": 5})
    assert number_for_text.json()["errors"] == {"name": "This value is not of the expected kind."}
    not_json = await api.client.post(
        f"{A}/landlord/properties", content=b"{name", headers={**api.headers, "Content-Type": "application/json"}
    )
    assert not_json.status_code == 400
    assert await seen(Property.count()) == 1 and await seen(Room.count()) == 0


async def test_a_landlord_changes_a_property(browser, world):
    api, pid, _rooms = await _house(browser, world)
    change = {**HOUSE, "street_address": "Số 12A", "show_contact": False}
    changed = await api.post(f"/landlord/properties/{pid}", change)
    assert changed.status_code == 200
    assert (changed.json()["street_address"], changed.json()["show_contact"]) == ("Số 12A", False)
    row = await seen(Property.select().where(Property.id == pid).first())
    assert (row["street_address"], row["show_contact"]) == ("Số 12A", False)
    bad = await api.post(f"/landlord/properties/{pid}", {**HOUSE, "street_address": ""})
    assert bad.status_code == 422 and set(bad.json()["errors"]) == {"street_address"}
    assert (await seen(Property.select(Property.street_address).where(Property.id == pid).first()))[
        "street_address"
    ] == "Số 12A"


async def test_rooms_one_by_one_as_a_range_and_archived(browser, world):
    api, pid, _rooms = await _house(browser, world, rooms="G01")
    url = f"/landlord/properties/{pid}/rooms"
    body = {"codes": "101-103", "area_m2": 18.5, "max_occupancy": 3, "monthly_rent": 1_800_000}
    many = await api.post(url, body, key="rooms-101-103-first-try")
    assert many.status_code == 201, many.text
    assert many.json()["added"] == 3
    shown = [(r["code"], r["floor"], r["area_m2"], r["max_occupancy"], r["monthly_rent"], r["people"])
             for r in many.json()["rooms"]]  # fmt: skip
    assert shown == [(code, 1, 18.5, 3, 1_800_000, 0) for code in ("101", "102", "103")]
    assert await seen(Room.count().where(Room.property == pid)) == 4
    retry = await api.post(url, body, key="rooms-101-103-first-try")
    assert retry.status_code == 201 and retry.json() == many.json()
    assert await seen(Room.count().where(Room.property == pid)) == 4
    # Overlapping codes: all or nothing, as on the page.
    overlap = await api.post(url, {"codes": "103-105", "max_occupancy": 2})
    assert overlap.status_code == 409
    assert overlap.json()["errors"] == {"codes": "These room codes already exist: 103"}
    backwards = await api.post(url, {"codes": "120-101", "max_occupancy": 2})
    assert backwards.status_code == 422 and set(backwards.json()["errors"]) == {"codes"}
    bad = await api.post(url, {"codes": "201", "max_occupancy": 0, "area_m2": 5000})
    assert bad.status_code == 422 and set(bad.json()["errors"]) == {"max_occupancy", "area_m2"}
    assert await seen(Room.count().where(Room.property == pid)) == 4

    room_id = many.json()["rooms"][0]["id"]
    archived = await api.post(f"/landlord/rooms/{room_id}/archive")
    assert archived.status_code == 200 and archived.json()["archived"] is True
    assert (await seen(Room.select(Room.archived).where(Room.id == room_id).first()))["archived"] is True
    listing = await api.get(url)
    assert [r["code"] for r in listing.json()] == ["102", "103", "G01"]
    assert (await api.post(f"/landlord/rooms/{room_id}/archive")).status_code == 404  # already archived


async def test_check_in_out_and_move(browser, world):
    api, pid, rooms = await _house(browser, world, max_occupancy=1)
    url = f"/landlord/properties/{pid}/stays"
    first = await api.post(url, {**PERSON, "room_id": rooms["101"]}, key="check-in-thu-0001")
    assert first.status_code == 201, first.text
    stay = first.json()
    assert (stay["room_code"], stay["full_name"], stay["phone"], stay["from_date"], stay["to_date"]) == (
        "101", "Nguyễn Thị Kim Thư", "0988111222", "2026-11-01", None
    )  # fmt: skip
    renter = await seen(Renter.select().first())
    assert renter["name_folded"] == "nguyen thi kim thu" and renter["birth_date"].isoformat() == "1986-01-11"
    # A retried call returns the first stay; no second stay or renter.
    retry = await api.post(url, {**PERSON, "room_id": rooms["101"]}, key="check-in-thu-0001")
    assert retry.status_code == 201 and retry.json() == stay
    assert await seen(Stay.count()) == 1 and await seen(Renter.count()) == 1

    # The rules answer 409 with the message beside the field.
    full = await api.post(url, {**BINH, "room_id": rooms["101"]})
    assert full.status_code == 409
    assert full.json()["errors"] == {"room_id": "Room 101 is full: 1 of 1 people."}
    twice = await api.post(url, {**PERSON, "room_id": rooms["102"]})
    assert twice.status_code == 409 and "already stays in room 101" in twice.json()["errors"]["room_id"]
    assert await seen(Stay.count()) == 1
    assert [s["id"] for s in (await api.get(url)).json()] == [stay["id"]]

    early = await api.post(f"/landlord/stays/{stay['id']}/move", {"room_id": rooms["102"], "on": "2026-10-01"})
    assert early.status_code == 422 and set(early.json()["errors"]) == {"on"}
    same = await api.post(f"/landlord/stays/{stay['id']}/move", {"room_id": rooms["101"], "on": "2026-11-15"})
    assert same.status_code == 422 and set(same.json()["errors"]) == {"room_id"}
    moved = await api.post(f"/landlord/stays/{stay['id']}/move", {"room_id": rooms["102"], "on": "2026-11-15"})
    assert moved.status_code == 200, moved.text
    new = moved.json()
    assert (new["room_code"], new["from_date"], new["to_date"]) == ("102", "2026-11-15", None)
    rows = await seen(Stay.select(Stay.id, Stay.room, Stay.to_date).order_by(Stay.id))
    assert [(r["room"], str(r["to_date"])) for r in rows] == [(rooms["101"], "2026-11-15"), (rooms["102"], "None")]

    no_date = await api.post(f"/landlord/stays/{new['id']}/check-out", {})
    assert no_date.status_code == 422 and set(no_date.json()["errors"]) == {"to_date"}
    out = await api.post(f"/landlord/stays/{new['id']}/check-out", {"to_date": "2026-11-20"})
    assert out.status_code == 200 and out.json()["to_date"] == "2026-11-20"
    assert await seen(Stay.count().where(Stay.to_date.is_null())) == 0
    assert (await api.post(f"/landlord/stays/{new['id']}/check-out", {"to_date": "2026-11-21"})).status_code == 404


async def test_the_check_in_form_checks_its_input(browser, world):
    api, pid, _rooms = await _house(browser, world)
    url = f"/landlord/properties/{pid}/stays"
    bad = await api.post(url, {**PERSON, "gender": "male", "expected_to": "2020-01-01", "room_id": 999999})
    assert bad.status_code == 422
    errors = bad.json()["errors"]
    assert set(errors) == {"id_number", "expected_to", "room_id"}
    assert "does not match the gender" in errors["id_number"]
    missing = await api.post(url, {"full_name": "Trần Văn Bình"})
    assert set(missing.json()["errors"]) == {"id_number", "room_id", "from_date"}
    not_a_date = await api.post(url, {**PERSON, "from_date": "31/02/2026"})
    assert not_a_date.status_code == 422
    assert not_a_date.json()["errors"] == {"from_date": "Give the date as yyyy-mm-dd, e.g. 2026-11-01."}
    assert await seen(Renter.count()) == 0 and await seen(Stay.count()) == 0


async def test_residents_requests_accepted_and_rejected(browser, world):
    api, pid, rooms = await _house(browser, world, max_occupancy=2)
    token = (await seen(Property.select(Property.qr_token).where(Property.id == pid).first()))["qr_token"]
    resident = await browser()
    binh = {**PERSON_FORM, "id_number": BINH["id_number"], "full_name": BINH["full_name"], "birth_date": "",
            "gender": "", "old_id_number": ""}  # fmt: skip
    for person, form_token in ((PERSON_FORM, "r" * 32), (binh, "s" * 32)):
        sent = await resident.post(
            f"/q/{token}/register",
            {**person, "room_id": str(rooms["102"]), "consent": "on", "form_token": form_token},
        )
        assert sent.status_code == 303, sent.text[:300]
    pending = await api.get("/landlord/requests")
    assert [(r["full_name"], r["room_code"], r["move_in"]) for r in pending.json()] == [
        ("Nguyễn Thị Kim Thư", "102", "2026-11-01"),
        ("Trần Văn Bình", "102", "2026-11-01"),
    ]
    thu, binh = (r["id"] for r in pending.json())

    accepted = await api.post(f"/landlord/requests/{thu}/accept")
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["status"] == "accepted" and accepted.json()["stay"]["room_code"] == "102"
    assert await seen(Stay.select(Stay.room, Stay.to_date)) == [{"room": rooms["102"], "to_date": None}]
    assert (await api.post(f"/landlord/requests/{thu}/accept")).status_code == 409

    no_reason = await api.post(f"/landlord/requests/{binh}/reject", {"reason": "  "})
    assert no_reason.status_code == 422 and set(no_reason.json()["errors"]) == {"reason"}
    rejected = await api.post(f"/landlord/requests/{binh}/reject", {"reason": "Phòng đã đủ người"})
    assert rejected.status_code == 200 and rejected.json() == {
        "id": binh, "status": "rejected", "reason": "Phòng đã đủ người", "stay": None
    }  # fmt: skip
    row = await seen(SelfRegistration.select(SelfRegistration.status, SelfRegistration.reason).where(
        SelfRegistration.id == binh).first())  # fmt: skip
    assert row == {"status": "rejected", "reason": "Phòng đã đủ người"}
    assert (await api.get("/landlord/requests")).json() == []
    assert await seen(Stay.count()) == 1


async def test_the_officer_lists_verifies_sends_back_and_suspends(browser, world):
    landlord, pid, _rooms = await _house(browser, world, max_occupancy=2)
    officer = await _api(browser, world.a.officer)
    queue = await officer.get("/officer/properties", status="pending")
    assert [(p["id"], p["landlord_phone"], p["capacity"], p["people"]) for p in queue.json()] == [
        (pid, world.a.landlord, 4, 0)
    ]
    assert (await officer.get("/officer/properties", status="verified")).json() == []
    assert [p["id"] for p in (await officer.get("/officer/properties", group="Tổ 5")).json()] == [pid]

    no_reason = await officer.post(f"/officer/properties/{pid}/send-back", {"reason": ""})
    assert no_reason.status_code == 422 and set(no_reason.json()["errors"]) == {"reason"}
    sent_back = await officer.post(f"/officer/properties/{pid}/send-back", {"reason": "Thiếu số nhà"})
    assert sent_back.status_code == 200
    assert (sent_back.json()["status"], sent_back.json()["status_reason"]) == ("sent_back", "Thiếu số nhà")
    # The landlord corrects it through the API: back in the ward's queue.
    await landlord.post(f"/landlord/properties/{pid}", {**HOUSE, "street_address": "Số 12A, ngõ 34"})
    assert (await seen(Property.select(Property.status).where(Property.id == pid).first()))["status"] == "pending"
    verified = await officer.post(f"/officer/properties/{pid}/verify")
    assert verified.status_code == 200 and verified.json()["status"] == "verified"
    again = await officer.post(f"/officer/properties/{pid}/verify")
    assert again.status_code == 409 and again.json()["detail"] == "This property is not in a state that allows this."
    suspended = await officer.post(f"/officer/properties/{pid}/suspend", {"reason": "Vi phạm PCCC"})
    assert suspended.status_code == 200
    assert (await seen(Property.select(Property.status).where(Property.id == pid).first()))["status"] == "suspended"
    actions = await AuditEvent.select(AuditEvent.action).where(AuditEvent.subject_id == pid).order_by(AuditEvent.id)
    assert [a["action"] for a in actions if a["action"].startswith("property_")][-4:] == [
        "property_sent_back", "property_updated", "property_verified", "property_suspended"
    ]  # fmt: skip
    # The landlord's endpoints are not the officer's, nor the officer's the landlord's.
    assert (await officer.get("/landlord/properties")).status_code == 404
    assert (await landlord.post(f"/officer/properties/{pid}/verify")).status_code == 404


async def test_police_see_the_roster_and_each_person_shown_is_audited(browser, world):
    landlord, pid, rooms = await _house(browser, world, max_occupancy=2)
    await landlord.post(f"/landlord/properties/{pid}/stays", {**PERSON, "room_id": rooms["102"]})
    police = await _api(browser, world.a.police)
    listing = await police.get("/police/properties")
    assert [(p["name"], p["people"], p["capacity"]) for p in listing.json()] == [("Nhà trọ Hoa Sữa", 1, 4)]
    roster = await police.get(f"/police/properties/{pid}")
    assert roster.status_code == 200
    by_room = {r["code"]: r["people"] for r in roster.json()["rooms"]}
    assert by_room["101"] == []
    assert [(p["full_name"], p["id_number"], p["birth_date"]) for p in by_room["102"]] == [
        ("Nguyễn Thị Kim Thư", "093186002237", "1986-01-11")
    ]
    renter_id = (await seen(Renter.select(Renter.id).first()))["id"]
    views = await AuditEvent.select(AuditEvent.actor.phone, AuditEvent.ward, AuditEvent.subject_id).where(
        AuditEvent.action == "renter_viewed"
    )
    assert views == [{"actor.phone": world.a.police, "ward": world.a.id, "subject_id": renter_id}]
    # Read-only: the landlord's operations stay closed to the police.
    refused = await police.post(f"/landlord/properties/{pid}/stays", {**BINH, "room_id": rooms["101"]})
    assert refused.status_code == 404
    assert (await police.get(f"/police/properties/{pid + 1000}")).status_code == 404
    assert await seen(Stay.count()) == 1


async def test_another_landlords_property_is_404_and_untouched(browser, world):
    api, pid, rooms = await _house(browser, world)
    stay = (await api.post(f"/landlord/properties/{pid}/stays", {**PERSON, "room_id": rooms["101"]})).json()
    await make_user("0977999888", "Chủ trọ khác", world.a.id, "landlord")
    other = await _api(browser, "0977999888")
    mine = f"/landlord/properties/{pid}"
    for path in (mine, f"{mine}/rooms", f"{mine}/stays"):
        assert (await other.get(path)).status_code == 404, path
    calls = [
        (f"/landlord/properties/{pid}", HOUSE),
        (f"/landlord/properties/{pid}/rooms", {"codes": "999", "max_occupancy": 1}),
        (f"/landlord/properties/{pid}/stays", {**BINH, "room_id": rooms["102"]}),
        (f"/landlord/properties/{pid}/stays", {}),  # 404 before anything about the body is said
        (f"/landlord/rooms/{rooms['102']}/archive", {}),
        (f"/landlord/stays/{stay['id']}/check-out", {"to_date": "2026-11-20"}),
        (f"/landlord/stays/{stay['id']}/move", {"room_id": rooms["102"], "on": "2026-11-20"}),
    ]
    for path, body in calls:
        response = await other.post(path, body)
        assert response.status_code == 404, (path, response.text)
        assert "Hoa Sữa" not in response.text and "Kim Thư" not in response.text
    assert (await other.get("/landlord/properties")).json() == []
    assert await seen(Room.count().where(Room.archived == False)) == 2  # noqa: E712
    assert await seen(Stay.count().where(Stay.to_date.is_null())) == 1
    assert (await seen(Property.select(Property.name).first()))["name"] == "Nhà trọ Hoa Sữa"


async def test_a_ward_a_token_gets_404_in_ward_b(browser, world):
    api, pid, _rooms = await _house(browser, world)
    b_path = "/api/v1/w/ward-b/landlord/properties"
    assert (await api.client.get(b_path, headers=api.headers)).status_code == 404
    created = await api.client.post(b_path, json=HOUSE, headers=api.headers)
    assert created.status_code == 404
    assert (await api.client.get(f"{b_path}/{pid}", headers=api.headers)).status_code == 404
    assert await seen(Property.count()) == 1


async def test_a_pending_landlord_is_refused(browser, world):
    from tests.test_support import pending_landlord

    await pending_landlord(world.a.id)
    api = await _api(browser, "0977000111")
    assert (await api.get("/landlord/properties")).status_code == 404
    assert (await api.post("/landlord/properties", HOUSE)).status_code == 404
    assert (await api.get("/landlord/requests")).status_code == 404
    assert await seen(Property.count()) == 0


async def test_the_openapi_document_describes_the_housing_api(browser, world):
    doc = (await (await browser()).get("/api/v1/schema/openapi.json")).json()
    paths = doc["paths"]
    base = "/api/v1/w/{ward_slug}"
    for path, method in (
        ("/landlord/properties", "get"), ("/landlord/properties", "post"),
        ("/landlord/properties/{property_id}", "get"), ("/landlord/properties/{property_id}", "post"),
        ("/landlord/properties/{property_id}/rooms", "post"), ("/landlord/rooms/{room_id}/archive", "post"),
        ("/landlord/properties/{property_id}/stays", "post"), ("/landlord/stays/{stay_id}/check-out", "post"),
        ("/landlord/stays/{stay_id}/move", "post"), ("/landlord/requests", "get"),
        ("/landlord/requests/{request_id}/accept", "post"), ("/landlord/requests/{request_id}/reject", "post"),
        ("/officer/properties", "get"), ("/officer/properties/{property_id}/verify", "post"),
        ("/officer/properties/{property_id}/send-back", "post"), ("/officer/properties/{property_id}/suspend", "post"),
        ("/police/properties", "get"), ("/police/properties/{property_id}", "get"),
    ):  # fmt: skip
        operation = paths[base + path][method]
        assert operation["summary"] and "housing" in operation["tags"], path
    check_in = paths[base + "/landlord/properties/{property_id}/stays"]["post"]
    assert check_in["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("/CheckInIn")
    assert {"409", "422"} <= set(check_in["responses"])
    assert any(p["name"] == "Idempotency-Key" and p["in"] == "header" for p in check_in["parameters"])
    schemas = doc["components"]["schemas"]
    assert {"id_number", "room_id", "from_date"} <= set(schemas["CheckInIn"]["properties"])
    assert schemas["RosterOut"]["properties"]["rooms"]
