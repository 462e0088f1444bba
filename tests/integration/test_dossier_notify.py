"""The back office tells residents, in the transaction of each change: a dossier received, needing
documents, ready, late with a new date; a rating request once a dossier is handed back or a ticket finished;
a report answered. A refused change writes no message."""

from datetime import UTC, datetime

from app.counter.tables import Ticket
from app.db import write_transaction
from app.i18n import TIMEZONE
from app.notify.tables import OutboxMessage
from tenants.scope import ward_scope
from tests.helpers import seen
from tests.integration.test_dossiers import _make_late, _move, make_procedure, officer_of, receive
from tests.integration.test_ratings import make_ticket
from tests.integration.test_reports import REPORT, post_report


async def sent_to(phone: str) -> list[str]:
    rows = await seen(OutboxMessage.select(OutboxMessage.event).where(OutboxMessage.address == phone))
    return sorted({r["event"].removeprefix("counter.") for r in rows})


async def test_the_applicant_hears_of_each_step(browser, world):
    from app.counter.calendar import add_working_days

    proc_id = await make_procedure(world.a.id)
    officer = await officer_of(browser, world)
    dossier_id = await receive(officer, proc_id)
    assert await sent_to("0912345678") == ["dossier_received"]
    assert (await _move(officer, dossier_id, "returned")).status_code == 409  # refused: nothing more
    assert await sent_to("0912345678") == ["dossier_received"]
    await _move(officer, dossier_id, "processing")
    await _move(officer, dossier_id, "supplement", note="Bản sao hợp đồng")
    assert "dossier_needs_supplement" in await sent_to("0912345678")
    await _move(officer, dossier_id, "processing")
    await _make_late(world, dossier_id)
    new_day = add_working_days(datetime.now(TIMEZONE).date(), 2)
    await officer.post(
        f"/w/ward-a/officer/dossiers/{dossier_id}/apology",
        {"new_date": new_day.strftime("%d/%m/%Y"), "reason": "Chờ xác minh"},
    )
    await _move(officer, dossier_id, "result_ready")
    await _move(officer, dossier_id, "returned")
    assert await sent_to("0912345678") == [
        "dossier_needs_supplement", "dossier_overdue_apology", "dossier_received", "dossier_result_ready",
        "rating_request",
    ]  # fmt: skip


async def test_a_finished_ticket_asks_for_a_rating(world):
    from app.counter import tickets
    from app.counter.tables import Counter

    token = await make_ticket(world.a.id, status="serving")
    async with ward_scope(world.a.id), write_transaction():
        desk = Counter.ward_new(number=1, created_at=datetime.now(UTC))
        await desk.save()
        await Ticket.ward_update({Ticket.counter: desk.id, Ticket.phone: "0977000222"}).where(Ticket.token == token)
    async with ward_scope(world.a.id):
        await tickets.finish(desk.id, officer_id=None)
    assert await sent_to("0977000222") == ["rating_request"]


async def test_the_reporter_hears_the_answer(browser, world):
    resident = await browser()
    await post_report(resident, {**REPORT, "contact_phone": "0988000333", "consent": "on"})
    anonymous = await browser()
    await post_report(anonymous, {**REPORT, "form_token": "a" * 32})
    officer = await officer_of(browser, world)
    from app.counter.dossier_tables import Report

    for report in await seen(Report.select(Report.id)):
        answered = await officer.post(
            f"/w/ward-a/officer/reports/{report['id']}", {"to_state": "answered", "answer": "Đã xử lý"}
        )
        assert answered.status_code == 303
    assert await sent_to("0988000333") == ["report_answered"]
    assert await seen(OutboxMessage.count().where(OutboxMessage.event == "counter.report_answered")) == 1
