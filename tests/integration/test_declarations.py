"""Declarations from the landlord's side: the one-tap filing from a stay, the state machine with its
history, the CT01 and receipt PDFs, and the removal after a check-out."""

import json
from datetime import UTC, datetime, timedelta

import pytest

from app.audit.tables import AuditEvent
from app.errors import RuleError
from app.housing.stays import today
from app.housing.tables import Renter, Stay
from app.residence.declarations import change_state
from app.residence.tables import Declaration, DeclarationEvent, DeskSettings
from tenants.scope import ward_scope
from tenants.tables import Ward
from tests.helpers import seen, text_of
from tests.integration.test_stays import PERSON, _house_with_rooms


def _dmy(day) -> str:
    return day.strftime("%d/%m/%Y")


async def _stay(browser, world, expected_to=""):
    """A landlord with a renter checked in today; the property's id and the stay's."""
    b, pid, rooms = await _house_with_rooms(browser, world)
    checked_in = await b.post(
        f"/w/ward-a/landlord/properties/{pid}/renters",
        {**PERSON, "from_date": _dmy(today()), "expected_to": expected_to, "room_id": str(rooms["101"]),
         "form_token": "c" * 32},
    )  # fmt: skip
    assert checked_in.status_code == 303, checked_in.text[:300]
    stay = await seen(Stay.select(Stay.id).first())
    return b, pid, stay["id"]


async def _declaration():
    return await seen(Declaration.select().order_by(Declaration.id, ascending=False).first())


async def _events(declaration_id):
    return await seen(
        DeclarationEvent.select().where(DeclarationEvent.declaration == declaration_id).order_by(DeclarationEvent.id)
    )


async def test_landlord_files_a_luu_tru_in_one_tap(browser, world):
    b, pid, stay_id = await _stay(browser, world, expected_to=_dmy(today() + timedelta(days=5)))
    page = text_of((await b.get(f"/w/ward-a/landlord/properties/{pid}")).text)
    assert "Lưu trú notification · due in" in page and "File: Lưu trú notification" in page

    declare = f"/w/ward-a/landlord/stays/{stay_id}/declare"
    filed = await b.post(declare, {"form_token": "d" * 32})
    assert filed.status_code == 303 and filed.headers["location"].endswith(f"/properties/{pid}#stay-{stay_id}")
    row = await _declaration()
    ward = await Ward.select(Ward.code, Ward.name).where(Ward.id == world.a.id).first()
    assert (row["kind"], row["state"], row["stay"]) == ("luu_tru", "submitted", stay_id)
    assert (row["full_name"], row["id_number"], row["id_type"], row["gender"]) == (
        "Nguyễn Thị Kim Thư", "093186002237", "1", "female"
    )  # fmt: skip
    assert (row["room_code"], row["phone"], row["reason"], row["ward_code"]) == (
        "101", "0988111222", "Làm việc", str(ward["code"])
    )  # fmt: skip
    assert row["arrival_date"] == today() and row["submitted_at"] is not None and row["deadline"] is not None
    assert [(e["from_state"], e["to_state"]) for e in await _events(row["id"])] == [
        ("", "draft"),
        ("draft", "submitted"),
    ]
    actions = await seen(AuditEvent.select(AuditEvent.action).where(AuditEvent.subject_type == "declaration"))
    assert [a["action"] for a in actions] == ["declaration_created", "declaration_submitted"]

    # The same tap again makes nothing more; another tap is told it is already filed.
    again = await b.post(declare, {"form_token": "d" * 32})
    assert again.status_code == 303
    other = await b.post(declare, {"form_token": "e" * 32})
    assert other.status_code == 409 and "already filed" in text_of(other.text)
    assert await seen(Declaration.count()) == 1

    page = text_of((await b.get(f"/w/ward-a/landlord/properties/{pid}")).text)
    assert "Lưu trú notification: Filed, waiting for the police" in page and "File: " not in page
    receipt = await b.get(f"/w/ward-a/landlord/declarations/{row['id']}/receipt.pdf")
    assert receipt.status_code == 200 and receipt.headers["content-type"] == "application/pdf"
    assert receipt.content.startswith(b"%PDF")
    assert (await b.get(f"/w/ward-a/landlord/declarations/{row['id']}/ct01.pdf")).status_code == 404  # no CT01


async def test_rejected_corrected_resubmitted_and_accepted_with_its_history(browser, world):
    b, pid, stay_id = await _stay(browser, world)  # no end date: a tạm trú
    assert (await b.post(f"/w/ward-a/landlord/stays/{stay_id}/declare", {"form_token": "f" * 32})).status_code == 303
    row = await _declaration()
    assert row["kind"] == "tam_tru"

    async with ward_scope(world.a.id):
        await change_state(row["id"], "received", connection=None)
        for target, kwargs in (("accepted", {}), ("rejected", {"reason": " "}), ("extended", {}), ("draft", {})):
            with pytest.raises(RuleError):
                await change_state(row["id"], target, connection=None, **kwargs)
    assert (await _declaration())["state"] == "received" and len(await _events(row["id"])) == 3  # nothing changed

    async with ward_scope(world.a.id):
        await change_state(row["id"], "rejected", connection=None, reason="Sai số phòng")
    page = text_of((await b.get(f"/w/ward-a/landlord/properties/{pid}")).text)
    assert "Tạm trú registration: Rejected" in page and "Reason: Sai số phòng" in page
    assert "Correct and resubmit" in page

    assert (await b.post(f"/w/ward-a/landlord/stays/{stay_id}/declare", {"form_token": "g" * 32})).status_code == 303
    resubmitted = await _declaration()
    assert (resubmitted["id"], resubmitted["state"], resubmitted["rejection_reason"]) == (row["id"], "submitted", "")
    events = await _events(row["id"])
    assert [(e["from_state"], e["to_state"]) for e in events[-2:]] == [
        ("received", "rejected"),
        ("rejected", "submitted"),
    ]
    assert json.loads(events[-2]["changes"]) == {"reason": "Sai số phòng"} and events[-1]["note"] == "corrected"

    async with ward_scope(world.a.id):
        await change_state(row["id"], "received", connection=None)
        await change_state(row["id"], "accepted", connection=None, reference="TT-2026-0042")
    accepted = await _declaration()
    assert (accepted["state"], accepted["reference"]) == ("accepted", "TT-2026-0042")
    assert accepted["decided_at"] is not None
    page = text_of((await b.get(f"/w/ward-a/landlord/properties/{pid}")).text)
    assert "Tạm trú registration: Accepted · Reference: TT-2026-0042" in page and "File: " not in page
    ct01 = await b.get(f"/w/ward-a/landlord/declarations/{row['id']}/ct01.pdf")
    assert ct01.status_code == 200 and ct01.content.startswith(b"%PDF")
    assert await seen(DeclarationEvent.count()) == 7  # drafted, filed, received, rejected, filed, received, accepted


async def test_leaving_after_an_accepted_tam_tru_files_the_removal_and_ends_it(browser, world):
    b, _pid, stay_id = await _stay(browser, world)
    await b.post(f"/w/ward-a/landlord/stays/{stay_id}/declare", {"form_token": "n" * 32})
    tam_tru = await _declaration()
    async with ward_scope(world.a.id):
        await change_state(tam_tru["id"], "received", connection=None)
        await change_state(tam_tru["id"], "accepted", connection=None, reference="TT-1")
    out = await b.post(f"/w/ward-a/landlord/stays/{stay_id}/check-out", {"to_date": _dmy(today())})
    assert out.status_code == 303

    assert (await b.post(f"/w/ward-a/landlord/stays/{stay_id}/declare", {"form_token": "i" * 32})).status_code == 303
    removal = await _declaration()
    assert (removal["kind"], removal["state"], removal["expected_departure"]) == ("removal", "submitted", today())
    ct01 = await b.get(f"/w/ward-a/landlord/declarations/{removal['id']}/ct01.pdf")
    assert ct01.status_code == 200 and ct01.content.startswith(b"%PDF")
    async with ward_scope(world.a.id):
        await change_state(removal["id"], "received", connection=None)
        await change_state(removal["id"], "accepted", connection=None, reference="XOA-1")
    ended = await seen(Declaration.select(Declaration.state).where(Declaration.id == tam_tru["id"]).first())
    assert ended["state"] == "ended"
    nothing = await b.post(f"/w/ward-a/landlord/stays/{stay_id}/declare", {"form_token": "j" * 32})
    assert nothing.status_code == 409 and await seen(Declaration.count()) == 2


async def test_someone_elses_stay_or_declaration_is_404(browser, world):
    b, _pid, stay_id = await _stay(browser, world)
    await b.post(f"/w/ward-a/landlord/stays/{stay_id}/declare", {"form_token": "k" * 32})
    row = await _declaration()
    police = await browser()
    await police.login(world.a.police)
    for response in (
        await police.post(f"/w/ward-a/landlord/stays/{stay_id}/declare", {"form_token": "l" * 32}),
        await police.get(f"/w/ward-a/landlord/declarations/{row['id']}/receipt.pdf"),
        await b.get(f"/w/ward-a/landlord/declarations/{row['id'] + 1}/receipt.pdf"),
        await b.post(f"/w/ward-a/landlord/stays/{stay_id + 1}/declare", {"form_token": "m" * 32}),
    ):
        assert response.status_code == 404
    assert await seen(Declaration.count()) == 1


FOREIGNER = {
    **PERSON, "nationality": "KR", "id_number": "m1234 5678", "full_name": "Kim Min Jun", "gender": "male",
    "birth_date": "02/03/1990", "old_id_number": "", "visa_expiry": "31/12/2026",
}  # fmt: skip


async def test_a_foreigner_is_registered_by_passport_and_declared_within_12_hours(browser, world):
    b, pid, rooms = await _house_with_rooms(browser, world)
    form = text_of((await b.get(f"/w/ward-a/landlord/properties/{pid}/renters/new")).text)
    assert "Nationality" in form and "passport number for a foreigner" in form
    bad = await b.post(
        f"/w/ward-a/landlord/properties/{pid}/renters",
        {**FOREIGNER, "id_number": "M1", "from_date": _dmy(today()), "room_id": str(rooms["101"]),
         "form_token": "p" * 32},
    )  # fmt: skip
    assert bad.status_code == 422 and "A passport number has 6 to 12 letters and digits." in text_of(bad.text)
    unknown = await b.post(
        f"/w/ward-a/landlord/properties/{pid}/renters",
        {**FOREIGNER, "nationality": "XX", "from_date": _dmy(today()), "room_id": str(rooms["101"]),
         "form_token": "p" * 32},
    )  # fmt: skip
    assert unknown.status_code == 422 and await seen(Stay.count()) == 0
    checked_in = await b.post(
        f"/w/ward-a/landlord/properties/{pid}/renters",
        {**FOREIGNER, "from_date": _dmy(today()), "room_id": str(rooms["101"]), "form_token": "q" * 32},
    )
    assert checked_in.status_code == 303, checked_in.text[:300]
    renter = await seen(Renter.select(Renter.id_number, Renter.nationality, Renter.visa_expiry).first())
    assert (renter["id_number"], renter["nationality"], str(renter["visa_expiry"])) == ("M12345678", "KR", "2026-12-31")
    stay = await seen(Stay.select(Stay.id, Stay.created_at).first())
    page = text_of((await b.get(f"/w/ward-a/landlord/properties/{pid}")).text)
    assert "Foreigner's tạm trú declaration · due in 11 hours" in page

    assert (await b.post(f"/w/ward-a/landlord/stays/{stay['id']}/declare", {"form_token": "r" * 32})).status_code == 303
    row = await _declaration()
    assert (row["kind"], row["id_type"], row["id_number"], row["nationality"]) == ("foreigner", "4", "M12345678", "KR")
    assert str(row["visa_expiry"]) == "2026-12-31"
    assert abs((row["deadline"] - stay["created_at"]) - timedelta(hours=12)) < timedelta(seconds=5)


async def test_a_remote_ward_gives_foreigners_24_hours(browser, world):
    async with ward_scope(world.a.id):
        await DeskSettings.ward_new(remote_area=True, updated_at=datetime.now(UTC)).save()
    b, pid, rooms = await _house_with_rooms(browser, world)
    await b.post(
        f"/w/ward-a/landlord/properties/{pid}/renters",
        {**FOREIGNER, "from_date": _dmy(today()), "room_id": str(rooms["101"]), "form_token": "s" * 32},
    )
    page = text_of((await b.get(f"/w/ward-a/landlord/properties/{pid}")).text)
    assert "Foreigner's tạm trú declaration · due in 23 hours" in page


async def test_a_rejected_declaration_is_corrected_and_filed_again(browser, world):
    b, pid, stay_id = await _stay(browser, world, expected_to=_dmy(today() + timedelta(days=5)))
    await b.post(f"/w/ward-a/landlord/stays/{stay_id}/declare", {"form_token": "t" * 32})
    row = await _declaration()
    async with ward_scope(world.a.id):
        await change_state(row["id"], "received", connection=None)
        await change_state(row["id"], "rejected", connection=None, reason="Sai họ tên, ở lâu hơn")
    page = text_of((await b.get(f"/w/ward-a/landlord/properties/{pid}")).text)
    assert "Correct and resubmit" in page and "Resubmit unchanged" in page

    url = f"/w/ward-a/landlord/declarations/{row['id']}/correct"
    form = await b.get(url)
    assert form.status_code == 200 and "Reason: Sai họ tên, ở lâu hơn" in text_of(form.text)
    values = {"full_name": "Nguyễn Thị Kim Thu", "birth_date": "11/01/1986", "gender": "female",
              "permanent_address": "56 Trần Hoàng Na", "phone": "0988111222", "reason": "Làm việc"}  # fmt: skip
    bad = await b.post(url, {**values, "expected_to": "31/02/2026", "form_token": "u" * 32})
    assert bad.status_code == 422 and (await _declaration())["state"] == "rejected"
    longer = _dmy(today() + timedelta(days=90))
    done = await b.post(url, {**values, "expected_to": longer, "form_token": "v" * 32})
    assert done.status_code == 303 and done.headers["location"].endswith(f"#stay-{stay_id}")
    again = await _declaration()
    assert (again["id"], again["state"], again["full_name"]) == (row["id"], "submitted", "Nguyễn Thị Kim Thu")
    assert again["kind"] == "tam_tru"  # now staying 90 days: a tạm trú registration, not a lưu trú
    last = (await _events(row["id"]))[-1]
    assert last["note"] == "corrected" and json.loads(last["changes"])["full_name"] == "Nguyễn Thị Kim Thu"
    renter = await seen(Renter.select(Renter.full_name, Renter.name_folded).first())
    assert renter == {"full_name": "Nguyễn Thị Kim Thu", "name_folded": "nguyen thi kim thu"}
    assert (await b.post(url, {**values, "form_token": "w" * 32})).status_code == 409  # already filed
