"""The residence API: a landlord files the declaration a stay needs and resubmits a rejected one; the police
work the inbox and search, audited as on the pages."""

from app.audit.tables import AuditEvent
from app.housing.stays import today
from app.residence.tables import Declaration, DeclarationEvent
from tests.helpers import seen
from tests.integration.test_api_housing import _api, _house

FOREIGNER = {
    "nationality": "KR", "id_number": "M12345678", "full_name": "Kim Min Jun", "gender": "male",
    "birth_date": "1990-03-02", "visa_expiry": "2026-12-31",
}  # fmt: skip


async def test_a_landlord_files_a_foreigners_declaration_and_the_police_accept_it(browser, world):
    api, pid, rooms = await _house(browser, world)
    stay = await api.post(
        f"/landlord/properties/{pid}/stays", {**FOREIGNER, "room_id": rooms["101"], "from_date": str(today())}
    )
    assert stay.status_code == 201, stay.text
    stay_id = stay.json()["id"]
    filed = await api.post(f"/landlord/stays/{stay_id}/declarations", key="decl-1")
    assert filed.status_code == 201, filed.text
    body = filed.json()
    assert (body["kind"], body["state"], body["id_type"], body["nationality"]) == ("foreigner", "submitted", "4", "KR")
    assert body["visa_expiry"] == "2026-12-31" and body["property_id"] == pid
    again = await api.post(f"/landlord/stays/{stay_id}/declarations", key="decl-1")
    assert again.status_code == 201 and again.json()["id"] == body["id"]  # the retry makes nothing new
    assert (await api.post(f"/landlord/stays/{stay_id}/declarations")).status_code == 409
    assert await seen(Declaration.count()) == 1

    police = await _api(browser, world.a.police)
    inbox = await police.get("/police/declarations")
    assert inbox.status_code == 200 and [d["id"] for d in inbox.json()] == [body["id"]]
    no_reference = await police.post(f"/police/declarations/{body['id']}/accept", {"reference": ""})
    assert no_reference.status_code == 422 and "reference" in no_reference.json()["errors"]
    accepted = await police.post(f"/police/declarations/{body['id']}/accept", {"reference": "NN-7"})
    assert accepted.status_code == 200 and (accepted.json()["state"], accepted.json()["reference"]) == (
        "accepted",
        "NN-7",
    )
    mine = await api.get("/landlord/declarations")
    assert [(d["state"], d["reference"]) for d in mine.json()] == [("accepted", "NN-7")]
    assert (await api.get("/police/declarations")).status_code in (403, 404)  # the landlord is not the police
    views = await AuditEvent.select(AuditEvent.summary).where(AuditEvent.action == "renter_viewed")
    # The inbox, and the accepted declaration the answer showed in full.
    assert [v["summary"] for v in views] == [
        "police/inbox: Kim Min Jun",
        f"police/declarations/{body['id']}: Kim Min Jun",
    ]


async def test_rejected_then_resubmitted_and_the_search_without_diacritics(browser, world):
    api, pid, rooms = await _house(browser, world)
    stay = await api.post(
        f"/landlord/properties/{pid}/stays",
        {"id_number": "093186002237", "full_name": "Nguyễn Thị Kim Thư", "room_id": rooms["101"],
         "from_date": str(today())},
    )  # fmt: skip
    declaration = (await api.post(f"/landlord/stays/{stay.json()['id']}/declarations")).json()
    police = await _api(browser, world.a.police)
    assert (await police.post(f"/police/declarations/{declaration['id']}/receive")).json()["state"] == "received"
    rejected = await police.post(f"/police/declarations/{declaration['id']}/reject", {"reason": "Thiếu ngày sinh"})
    assert rejected.json()["state"] == "rejected" and rejected.json()["rejection_reason"] == "Thiếu ngày sinh"
    resubmitted = await api.post(f"/landlord/declarations/{declaration['id']}/submit")
    assert resubmitted.status_code == 200 and resubmitted.json()["state"] == "submitted"
    assert (await api.post(f"/landlord/declarations/{declaration['id']}/submit")).status_code == 409
    assert await seen(DeclarationEvent.count()) == 5  # drafted, filed, received, rejected, filed

    found = await police.get("/police/search", q="nguyen thi kim")
    assert found.status_code == 200
    people = found.json()["people"]
    assert [p["full_name"] for p in people] == ["Nguyễn Thị Kim Thư"] and people[0]["now"]["room_code"] == "101"
    bad = await police.get("/police/search", q="x")
    assert bad.status_code == 422 and "q" in bad.json()["errors"]
    other_ward = await _api(browser, world.b.police)
    assert (await other_ward.client.get(
        f"/api/v1/w/ward-a/police/declarations/{declaration['id']}", headers=other_ward.headers
    )).status_code == 404  # fmt: skip
