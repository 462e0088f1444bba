"""The ward's dashboard: today's queue per group and counter, a period's rates per procedure, the SVG charts
and the CSV/XLSX exports, from rows a ward would have."""

import csv
import io
from datetime import UTC, datetime, timedelta

from openpyxl import load_workbook

from app.counter.dossier_tables import Dossier, Rating, Report
from app.counter.tables import Booking, Counter, ServiceGroup, Ticket
from app.db import write_transaction
from app.i18n import TIMEZONE
from tenants.scope import ward_scope
from tests.helpers import text_of
from tests.integration.test_dossiers import make_procedure


async def seed(ward_id: int) -> None:
    now = datetime.now(UTC)
    today = now.astimezone(TIMEZONE).date()
    proc_id = await make_procedure(ward_id, days=3, name="Chứng thực bản sao")
    async with ward_scope(ward_id), write_transaction():
        group = (await ServiceGroup.ward_select(ServiceGroup.id).first())["id"]
        desk = Counter.ward_new(number=1, name="Quầy 1", created_at=now)
        await desk.save()
        minutes = timedelta(minutes=1)
        tickets = [  # (status, queued minutes ago, waited minutes before the call)
            ("done", 60, 10), ("done", 50, 20), ("serving", 30, 6), ("waiting", 45, None), ("waiting", 5, None),
        ]  # fmt: skip
        for n, (status, ago, waited) in enumerate(tickets, 1):
            queued = now - ago * minutes
            await Ticket.ward_new(
                day=today, service_group=group, number=n, label=f"A{n:03d}", status=status, arrived_at=queued,
                queued_at=queued, called_at=queued + waited * minutes if waited else None,
                counter=desk.id if waited else None, token=f"dash-ticket-{ward_id}-{n}",
            ).save()  # fmt: skip
        for i, (level, late) in enumerate(((5, False), (4, False), (2, True), (5, False))):
            due = now - timedelta(days=2)
            result = due + (timedelta(days=1) if late else -timedelta(hours=3))
            d = Dossier.ward_new(
                code=f"D-{i}", token=f"dash-dossier-{ward_id}-{i}", procedure=proc_id, applicant_name="X",
                applicant_phone="0912345678", received_at=due - timedelta(days=3), legal_due_at=due, due_at=due,
                state="returned", result_at=result, closed_at=result,
            )  # fmt: skip
            await d.save()
            if i < 3:
                await Rating.ward_new(dossier=d.id, level=level, procedure=proc_id, created_at=now).save()
        await Report.ward_new(code="R1", category="other", text="x" * 20, created_at=now).save()
        await Report.ward_new(code="R2", category="other", text="y" * 20, state="closed", created_at=now).save()
        for i, status in enumerate(("checked_in", "checked_in", "no_show")):
            await Booking.ward_new(
                procedure=proc_id, service_group=group, day=today - timedelta(days=1), slot_start=datetime.min.time(),
                slot_end=datetime.min.time(), full_name="Y", phone="0912345678", status=status, code=f"B{i}",
                token=f"dash-booking-{ward_id}-{i}", created_at=now,
            ).save()  # fmt: skip


async def test_the_dashboard_shows_today_and_the_period(browser, world):
    await seed(world.a.id)
    officer = await browser()
    await officer.login(world.a.officer)
    page = await officer.get("/w/ward-a/officer/dashboard")
    assert page.status_code == 200
    text = text_of(page.text)
    # Today: 2 waiting, 2 served; waits 10, 20, 6 → average 12, longest 45 (still waiting).
    assert "2 waiting" in text and "2 served" in text
    assert "12 min average wait" in text and "45 min longest wait" in text
    assert "Quầy 1" in text
    # Period: 3 of 4 on time; 2 of 3 ratings satisfied; 3 ratings for 6 transactions (2 tickets done, 4 dossiers
    # handed back); bookings 2 kept, 1 no-show.
    assert "75 % dossiers on time" in text
    assert "66.7 % satisfied" in text and "50 % rated their service" in text
    assert "1 / 1 reports open / answered" in text and "2 / 1 bookings kept / no-shows" in text
    assert page.text.count("<svg") >= 3 and "Chứng thực bản sao" in text


async def test_the_tables_export_to_csv_and_xlsx(browser, world):
    await seed(world.a.id)
    officer = await browser()
    await officer.login(world.a.officer)
    response = await officer.get("/w/ward-a/officer/dashboard.csv")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    procedure = next(r for r in rows if r and r[0] == "Chứng thực bản sao")
    assert procedure[1:5] == ["4", "4", "3", "75.0"]
    response = await officer.get("/w/ward-a/officer/dashboard.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[1]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][0] == "Procedure" and values[1][:5] == ["Chứng thực bản sao", 4, 4, 3, 75.0]


async def test_another_ward_sees_none_of_it(browser, world):
    await seed(world.a.id)
    officer = await browser()
    await officer.login(world.b.officer)
    text = text_of((await officer.get("/w/ward-b/officer/dashboard")).text)
    assert "Chứng thực bản sao" not in text and "No ticket yet today." in text
