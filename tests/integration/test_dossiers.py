"""Dossiers at the counter: receiving with a receipt and a promised date, the state machine with the paused
clock, overdue flags and apology slips, the fee, the applicant's tracking, on both engines."""

import re
from datetime import UTC, datetime, timedelta

from app.counter.calendar import add_working_days
from app.counter.dossier_tables import Dossier, DossierEvent, PaymentAccount
from app.counter.tables import ClosedDay, Procedure, ServiceGroup
from app.db import write_transaction
from app.i18n import TIMEZONE
from tenants.scope import ward_scope
from tests.helpers import seen, text_of

DOCS = "Tờ khai thay đổi thông tin cư trú (CT01)\nHợp đồng thuê nhà\nCăn cước của chủ hộ"


async def make_procedure(ward_id: int, *, days: int | None = 3, hours: int | None = None, fee: int = 0, name=""):
    async with ward_scope(ward_id), write_transaction():
        group = await ServiceGroup.ward_select(ServiceGroup.id).where(ServiceGroup.letter == "A").first()
        if group is None:
            g = ServiceGroup.ward_new(letter="A", name="Cư trú")
            await g.save()
            group = {"id": g.id}
        proc = Procedure.ward_new(
            service_group=group["id"],
            name=name or "Đăng ký tạm trú",
            processing_days=days,
            processing_hours=hours,
            fee=fee,
            documents=DOCS,
            created_at=datetime.now(UTC),
        )
        await proc.save()
    return proc.id


async def officer_of(browser, world):
    officer = await browser()
    await officer.login(world.a.officer)
    return officer


APPLICANT = {"full_name": "Lê Thị Hoa", "phone": "0912 345 678", "id_number": "", "address": "12 ngõ 5"}


async def receive(officer, proc_id: int, token: str = "d" * 32, **extra) -> int:
    data = {**APPLICANT, "procedure_id": str(proc_id), "doc_0": "on", "doc_2": "on", "form_token": token, **extra}
    response = await officer.post("/w/ward-a/officer/dossiers/new", data)
    assert response.status_code == 303, text_of(response.text)[:500]
    return int(response.headers["location"].split("/")[-1].split("?")[0])


async def row(dossier_id: int) -> dict:
    return await seen(Dossier.select().where(Dossier.id == dossier_id).first())


async def test_an_officer_receives_a_dossier_and_prints_the_receipt(browser, world):
    proc_id = await make_procedure(world.a.id, days=3, fee=50_000)
    officer = await officer_of(browser, world)
    form = await officer.get(f"/w/ward-a/officer/dossiers/new?procedure_id={proc_id}")
    assert "Hợp đồng thuê nhà" in text_of(form.text)  # the procedure's checklist
    dossier_id = await receive(officer, proc_id)
    assert await receive(officer, proc_id) == dossier_id  # a double submit receives once
    d = await row(dossier_id)
    received_day = d["received_at"].astimezone(TIMEZONE).date()
    assert d["code"] == f"{received_day:%y%m%d}-001"
    assert d["due_at"].astimezone(TIMEZONE).date() == add_working_days(received_day, 3)
    assert d["due_at"].astimezone(TIMEZONE).strftime("%H:%M") == "17:00"  # the office's close (ward-a's hours)
    assert d["applicant_phone"] == "0912345678" and d["fee"] == 50_000
    assert "Hợp đồng thuê nhà" not in d["documents"] and "Căn cước của chủ hộ" in d["documents"]
    page = text_of((await officer.get(f"/w/ward-a/officer/dossiers/{dossier_id}?received=1")).text)
    assert d["code"] in page and "Print the receipt" in page and "Lê Thị Hoa" in page
    pdf = await officer.get(f"/w/ward-a/officer/dossiers/{dossier_id}/receipt.pdf")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF") and len(pdf.content) > 5000
    history = await seen(DossierEvent.select(DossierEvent.kind).where(DossierEvent.dossier == dossier_id))
    assert [h["kind"] for h in history] == ["created"]


async def test_a_day_the_ward_closed_does_not_count_towards_the_promise(browser, world):
    proc_id = await make_procedure(world.a.id, days=3)
    today = datetime.now(TIMEZONE).date()
    shut = add_working_days(today, 1)  # the next working day: the counter is shut then
    async with ward_scope(world.a.id), write_transaction():
        await ClosedDay.ward_new(day=shut, reason="Đại hội", created_at=datetime.now(UTC)).save()
    officer = await officer_of(browser, world)
    d = await row(await receive(officer, proc_id))
    received_day = d["received_at"].astimezone(TIMEZONE).date()
    assert d["due_at"].astimezone(TIMEZONE).date() == add_working_days(received_day, 3, closed={shut})
    assert d["due_at"].astimezone(TIMEZONE).date() == add_working_days(received_day, 4)  # one day later


async def test_the_receive_form_checks_its_input(browser, world):
    proc_id = await make_procedure(world.a.id)
    officer = await officer_of(browser, world)
    bad = await officer.post(
        "/w/ward-a/officer/dossiers/new",
        {"procedure_id": str(proc_id), "full_name": "", "phone": "12", "id_number": "123", "form_token": "x" * 32},
    )
    assert bad.status_code == 422
    for field in ("full_name", "phone", "id_number"):
        assert f'id="e-{field}"' in bad.text, field
    unknown = await officer.post(
        "/w/ward-a/officer/dossiers/new", {**APPLICANT, "procedure_id": "999999", "form_token": "y" * 32}
    )
    assert unknown.status_code == 422
    assert await seen(Dossier.count()) == 0


async def test_the_fee_account_puts_a_vietqr_code_on_the_receipt(browser, world):
    from app.counter.dossier_controllers import receipt_data
    from app.counter.dossiers import dossier
    from tenants.resolve import WardContext, find_ward_by_id

    proc_id = await make_procedure(world.a.id, fee=30_000)
    officer = await officer_of(browser, world)
    bad = await officer.post("/w/ward-a/officer/payment-account", {"bank_bin": "123456", "account_number": "12 ab!"})
    assert bad.status_code == 422 and 'id="e-bank_bin"' in bad.text and 'id="e-account_number"' in bad.text
    saved = await officer.post(
        "/w/ward-a/officer/payment-account",
        {"bank_bin": "970415", "account_number": "1140 2658 8899", "account_name": "ubnd phuong a"},
    )
    assert saved.status_code == 303
    account = await seen(PaymentAccount.select(PaymentAccount.account_number, PaymentAccount.account_name).first())
    assert account == {"account_number": "114026588899", "account_name": "UBND PHUONG A"}
    dossier_id = await receive(officer, proc_id)
    async with ward_scope(world.a.id):
        d = await dossier(dossier_id)
        data = await receipt_data(WardContext(**await find_ward_by_id(world.a.id)), d)
    assert "0006970415" in data.fee_payload and "540530000" in data.fee_payload
    assert f"{d['code']} phi ho so" in data.fee_payload


async def _move(officer, dossier_id, to_state, **data):
    return await officer.post(f"/w/ward-a/officer/dossiers/{dossier_id}/move", {"to_state": to_state, **data})


async def test_the_dossier_moves_through_its_states_and_refuses_illegal_moves(browser, world):
    proc_id = await make_procedure(world.a.id)
    officer = await officer_of(browser, world)
    dossier_id = await receive(officer, proc_id)
    assert (await _move(officer, dossier_id, "returned")).status_code == 409
    assert (await row(dossier_id))["state"] == "received"
    assert (await _move(officer, dossier_id, "processing")).status_code == 303
    no_note = await _move(officer, dossier_id, "supplement", note="")
    assert no_note.status_code == 422 and 'id="e-note"' in no_note.text
    assert (await _move(officer, dossier_id, "supplement", note="Bản sao hợp đồng có chứng thực")).status_code == 303
    assert (await row(dossier_id))["paused_at"] is not None
    assert (await _move(officer, dossier_id, "processing")).status_code == 303  # supplied: the clock runs again
    for state in ("approval", "result_ready", "returned"):
        assert (await _move(officer, dossier_id, state)).status_code == 303, state
    d = await row(dossier_id)
    assert d["state"] == "returned" and d["result_at"] and d["closed_at"] and d["paused_at"] is None
    assert (await _move(officer, dossier_id, "processing")).status_code == 409
    assert (await _move(officer, dossier_id, "nonsense")).status_code == 409
    events = await seen(
        DossierEvent.select(DossierEvent.to_state, DossierEvent.who.full_name)
        .where(DossierEvent.dossier == dossier_id)
        .order_by(DossierEvent.id)
    )
    assert [e["to_state"] for e in events] == [
        "received", "processing", "supplement", "processing", "approval", "result_ready", "returned",
    ]  # fmt: skip
    assert {e["who.full_name"] for e in events} == {"Officer ward-a"}
    page = text_of((await officer.get(f"/w/ward-a/officer/dossiers/{dossier_id}")).text)
    assert "Bản sao hợp đồng có chứng thực" in page


async def test_a_rejection_needs_its_reason(browser, world):
    proc_id = await make_procedure(world.a.id)
    officer = await officer_of(browser, world)
    dossier_id = await receive(officer, proc_id)
    assert (await _move(officer, dossier_id, "rejected", reason="")).status_code == 422
    assert (await row(dossier_id))["state"] == "received"
    assert (await _move(officer, dossier_id, "rejected", reason="Không thuộc thẩm quyền")).status_code == 303
    d = await row(dossier_id)
    assert d["state"] == "rejected" and d["rejection_reason"] == "Không thuộc thẩm quyền"


async def test_waiting_for_documents_moves_the_promise_by_the_days_waited(browser, world):
    from app.counter import dossiers

    proc_id = await make_procedure(world.a.id, days=5)
    officer = await officer_of(browser, world)
    dossier_id = await receive(officer, proc_id)
    # Pause on Monday 7 Dec 2026, resume on Thursday 10 Dec: three working days waited (Tue, Wed, Thu).
    monday = datetime(2026, 12, 7, 9, 0, tzinfo=TIMEZONE)
    async with ward_scope(world.a.id):
        before = await row(dossier_id)
        await dossiers.move(dossier_id, "supplement", connection=None, note="CT01 ký lại", at=monday)
        await dossiers.move(dossier_id, "processing", connection=None, at=monday + timedelta(days=3))
    d = await row(dossier_id)
    assert d["paused_days"] == 3
    assert d["legal_due_at"].astimezone(TIMEZONE).date() == add_working_days(
        before["legal_due_at"].astimezone(TIMEZONE).date(), 3
    )
    assert d["due_at"] == d["legal_due_at"]


async def _make_late(world, dossier_id: int, days_ago: int = 1) -> None:
    past = datetime.now(UTC) - timedelta(days=days_ago)
    async with ward_scope(world.a.id), write_transaction():
        await Dossier.ward_update({Dossier.due_at: past, Dossier.legal_due_at: past}).where(Dossier.id == dossier_id)


async def test_late_dossiers_are_flagged_and_an_apology_slip_gives_a_new_date(browser, world):
    proc_id = await make_procedure(world.a.id, days=10)
    officer = await officer_of(browser, world)
    late = await receive(officer, proc_id, token="l" * 32)
    on_time = await receive(officer, proc_id, token="o" * 32, full_name="Trần Văn Bình")
    await _make_late(world, late)
    flagged = text_of((await officer.get("/w/ward-a/officer/dossiers?due=soon")).text)
    assert "Late" in flagged and "Lê Thị Hoa" in flagged and "Trần Văn Bình" not in flagged
    assert (await row(on_time))["state"] == "received"

    too_early = await officer.post(
        f"/w/ward-a/officer/dossiers/{late}/apology", {"new_date": "01/01/2020", "reason": "Chờ xác minh"}
    )
    assert too_early.status_code == 422 and 'id="e-new_date"' in too_early.text
    no_reason = await officer.post(f"/w/ward-a/officer/dossiers/{late}/apology", {"new_date": "", "reason": ""})
    assert no_reason.status_code == 422
    new_day = add_working_days(datetime.now(TIMEZONE).date(), 3)
    response = await officer.post(
        f"/w/ward-a/officer/dossiers/{late}/apology",
        {"new_date": new_day.strftime("%d/%m/%Y"), "reason": "Chờ xác minh của công an"},
    )
    assert response.status_code == 303
    d = await row(late)
    assert d["due_at"].astimezone(TIMEZONE).date() == new_day and d["apologies"] == 1
    assert d["legal_due_at"] < d["due_at"]  # on-time counts against the legal time, not the new promise
    assert "Lê Thị Hoa" not in text_of((await officer.get("/w/ward-a/officer/dossiers?due=soon")).text)
    pdf = await officer.get(f"/w/ward-a/officer/dossiers/{late}/apology.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert (await officer.get(f"/w/ward-a/officer/dossiers/{on_time}/apology.pdf")).status_code == 404
    kinds = await seen(DossierEvent.select(DossierEvent.kind, DossierEvent.note).where(DossierEvent.dossier == late))
    assert {"kind": "apology", "note": "Chờ xác minh của công an"} in kinds


async def test_the_officer_marks_the_fee_paid_once(browser, world):
    proc_id = await make_procedure(world.a.id, fee=20_000)
    free_id = await make_procedure(world.a.id, fee=0, name="Chứng thực chữ ký")
    officer = await officer_of(browser, world)
    dossier_id = await receive(officer, proc_id)
    assert (await officer.post(f"/w/ward-a/officer/dossiers/{dossier_id}/fee-paid")).status_code == 303
    assert (await row(dossier_id))["fee_paid_at"] is not None
    assert (await officer.post(f"/w/ward-a/officer/dossiers/{dossier_id}/fee-paid")).status_code == 409
    free = await receive(officer, free_id, token="f" * 32)
    assert (await officer.post(f"/w/ward-a/officer/dossiers/{free}/fee-paid")).status_code == 409


async def test_the_applicant_follows_the_dossier_without_seeing_anyone_s_data(browser, world):
    proc_id = await make_procedure(world.a.id)
    officer = await officer_of(browser, world)
    dossier_id = await receive(officer, proc_id, id_number="001190012345")
    await _move(officer, dossier_id, "processing")
    d = await row(dossier_id)
    resident = await browser()
    page = await resident.get(f"/w/ward-a/d/{d['token']}")
    text = text_of(page.text)
    assert page.status_code == 200 and d["code"] in text and "Being processed" in text
    assert "Lê Thị Hoa" not in text and "0912" not in text and "001190012345" not in text
    assert "Officer ward-a" not in text
    assert (await resident.get("/w/ward-a/d/not-a-token")).status_code == 404
    assert (await resident.get(f"/w/ward-b/d/{d['token']}")).status_code == 404  # another ward's link

    found = await resident.post("/w/ward-a/track", {"code": d["code"], "phone": "0912.345.678"})
    assert found.status_code == 303 and found.headers["location"] == f"/w/ward-a/d/{d['token']}"
    wrong_phone = await resident.post("/w/ward-a/track", {"code": d["code"], "phone": "0987654321"})
    unknown = await resident.post("/w/ward-a/track", {"code": "991231-999", "phone": "0912345678"})
    assert wrong_phone.status_code == unknown.status_code == 404
    message = "No dossier matches this code and phone number."
    assert message in text_of(wrong_phone.text) and message in text_of(unknown.text)
    for _ in range(8):
        await resident.post("/w/ward-a/track", {"code": "991231-998", "phone": "0912345678"})
    throttled = await resident.post("/w/ward-a/track", {"code": d["code"], "phone": "0912345678"})
    assert throttled.status_code == 429  # even the right pair waits once an address guessed too often


async def test_the_demo_has_a_dossier_in_every_state_and_one_late(browser, world):
    from app.counter.dossier_demo import load_dossier_demo
    from app.counter.dossier_tables import Rating, Report

    await load_dossier_demo(world.a.id, "ward-a", world.a.officer, "T2-T6 07:30-11:30 13:30-17:00", seed=1)
    await load_dossier_demo(world.a.id, "ward-a", world.a.officer, "", seed=1)  # loaded once
    states = {r["state"] for r in await seen(Dossier.select(Dossier.state))}
    assert states == {"received", "processing", "supplement", "approval", "result_ready", "returned", "rejected"}
    assert await seen(Rating.count()) >= 10 and await seen(Report.count()) == 5
    officer = await officer_of(browser, world)
    flagged = text_of((await officer.get("/w/ward-a/officer/dossiers?due=soon")).text)
    assert "Late" in flagged
    dashboard = await officer.get("/w/ward-a/officer/dashboard")
    assert dashboard.status_code == 200 and re.search(r"\d+(\.\d)? % satisfied", text_of(dashboard.text))


async def test_a_dossier_received_from_a_ticket_knows_its_holder(browser, world):
    from app.counter.tables import Ticket
    from tests.integration.test_ratings import make_ticket

    proc_id = await make_procedure(world.a.id)
    token = await make_ticket(world.a.id, status="serving")
    async with ward_scope(world.a.id), write_transaction():
        await Ticket.ward_update(
            {Ticket.full_name: "Đinh Thị Thu", Ticket.phone: "0977123456", Ticket.procedure: proc_id}
        ).where(Ticket.token == token)
    ticket_id = (await seen(Ticket.select(Ticket.id).where(Ticket.token == token).first()))["id"]
    officer = await officer_of(browser, world)
    form = await officer.get(f"/w/ward-a/officer/dossiers/new?ticket={ticket_id}")
    assert 'value="Đinh Thị Thu"' in form.text and 'value="0977123456"' in form.text
    data = {"procedure_id": str(proc_id), "full_name": "Đinh Thị Thu", "phone": "0977123456", "ticket": str(ticket_id)}
    response = await officer.post("/w/ward-a/officer/dossiers/new", {**data, "form_token": "t" * 32})
    dossier_id = int(response.headers["location"].split("/")[-1].split("?")[0])
    d = await row(dossier_id)
    assert d["ticket"] == ticket_id and d["source"] == "ticket"


async def test_the_pages_read_in_vietnamese(browser, world):
    proc_id = await make_procedure(world.a.id)
    officer = await officer_of(browser, world)
    dossier_id = await receive(officer, proc_id)
    token = (await row(dossier_id))["token"]
    resident = await browser(lang="vi")
    assert "Tra cứu hồ sơ" in text_of((await resident.get("/w/ward-a/track")).text)
    status = text_of((await resident.get(f"/w/ward-a/d/{token}")).text)
    assert "Đã tiếp nhận" in status and "Hẹn trả kết quả" in status
    assert "Gửi phản ánh, kiến nghị" in text_of((await resident.get("/w/ward-a/report")).text)
