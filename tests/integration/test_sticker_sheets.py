import re
import subprocess
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from urllib.parse import quote

import pytest

from app.accounts.tables import User
from app.audit.tables import AuditEvent
from app.db import write_transaction
from app.housing import sticker_sheets, stickers
from app.housing.services import new_qr_token
from app.housing.tables import Property, StickerSheet
from tenants.scope import ward_scope
from tests.helpers import seen, text_of

GROUP = "Tổ dân phố 5"


@pytest.fixture(autouse=True)
async def no_render_outlives_its_test():
    """A sheet still rendering when a test ends would write into the next test's emptied database."""
    yield
    await sticker_sheets.stop_jobs()
    stickers.shutdown_pool()


async def _houses(ward_id: int, landlord_phone: str, count: int, *, status: str = "verified", group: str = GROUP):
    landlord = await User.select(User.id).where(User.phone == landlord_phone).first()
    async with ward_scope(ward_id), write_transaction():
        await Property.ward_insert(
            *[
                Property.ward_new(
                    landlord=landlord["id"],
                    name=f"Nhà trọ Hoa Sữa {status} {n:02d}",
                    street_address=f"Số {n} ngõ 34 đường Xuân Phương",
                    residential_group=group,
                    kind="rooms",
                    status=status,
                    qr_token=new_qr_token(),
                )
                for n in range(1, count + 1)
            ]
        )


async def _sheet(ward_id: int, **values) -> int:
    now = datetime.now(UTC)
    async with ward_scope(ward_id), write_transaction():
        sheet = StickerSheet.ward_new(**{"created_at": now, "updated_at": now, **values})
        await sheet.save()
    return sheet.id


async def _officer(browser, world):
    b = await browser()
    await b.login(world.a.officer)
    return b


def _pdf_info(path) -> dict[str, str]:
    output = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return dict(line.split(":", 1) for line in output.splitlines() if ":" in line)


async def test_officer_makes_a_sheet_for_the_filtered_houses_and_downloads_it(browser, world, tmp_path, monkeypatch):
    await _houses(world.a.id, world.a.landlord, 14)
    await _houses(world.a.id, world.a.landlord, 2, status="pending")
    await _houses(world.a.id, world.a.landlord, 3, group="Tổ dân phố 9")
    await _houses(world.b.id, world.b.landlord, 4)
    await _sheet(world.a.id, total=1, created_at=datetime.now(UTC) - timedelta(days=2))
    # One page a chunk: 14 stickers are three chunks, rendered by the worker processes, with progress after each.
    monkeypatch.setattr(stickers, "PAGES_PER_CHUNK", 1)
    progress: list[int] = []
    save_progress = sticker_sheets._save_progress

    async def watched(job, done):
        await save_progress(job, done)
        row = await seen(StickerSheet.select(StickerSheet.done).where(StickerSheet.id == job.sheet_id).first())
        progress.append(row["done"])

    monkeypatch.setattr(sticker_sheets, "_save_progress", watched)

    b = await _officer(browser, world)
    page = await b.get(f"/w/ward-a/officer/properties?status=verified&group={quote(GROUP)}")
    assert "Download stickers (14)" in text_of(page.text)
    form_token = re.search(r'name="form_token" value="([^"]+)"', page.text)[1]
    response = await b.post(
        "/w/ward-a/officer/sticker-sheets", {"status": "verified", "group": GROUP, "form_token": form_token}
    )
    assert response.status_code == 303
    url = response.headers["location"]
    sheet_id = int(url.rsplit("/", 1)[1])
    await sticker_sheets.wait_for_jobs()
    # Chunks of 6, 6 and 2 stickers, counted in the order they finish: the row said how far it was after each.
    assert sorted(after - before for before, after in pairwise([0, *progress])) == [2, 6, 6]

    done = await b.get(url)
    text = text_of(done.text)
    assert "Ready. Stickers: 14, A4 pages: 3." in text
    assert "every 1s" not in done.text and 'http-equiv="refresh"' not in done.text  # nothing polls any more
    assert f"{url}/stickers.pdf" in done.text

    pdf = await b.get(f"{url}/stickers.pdf")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    disposition = pdf.headers["content-disposition"]
    assert disposition.startswith("attachment;") and re.search(
        rf"nhan-qr-ward-a-\d{{4}}-\d\d-\d\d-{sheet_id}\.pdf", disposition
    )
    path = tmp_path / "sheet.pdf"
    path.write_bytes(pdf.content)
    assert _pdf_info(path)["Pages"].strip() == "3"
    words = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "Nhà trọ Hoa Sữa verified 01" in words and "Nhà trọ Hoa Sữa verified 14" in words
    assert "pending" not in words and "Số 1 ngõ 34 đường Xuân Phương" in words

    sheets = await seen(StickerSheet.select(StickerSheet.id, StickerSheet.total, StickerSheet.ward))
    assert sheets == [{"id": sheet_id, "total": 14, "ward": world.a.id}]  # the day-old one of 1 is gone
    event = await AuditEvent.select(AuditEvent.actor.phone, AuditEvent.summary, AuditEvent.ward).where(
        AuditEvent.action == "sticker_sheet_created"
    )
    assert event == [{"actor.phone": world.a.officer, "summary": f"14 · verified · {GROUP}", "ward": world.a.id}]


async def test_the_page_shows_progress_while_the_sheet_is_made(browser, world):
    sheet_id = await _sheet(world.a.id, status="running", total=370, done=96, property_status="verified")
    b = await _officer(browser, world)
    url = f"/w/ward-a/officer/sticker-sheets/{sheet_id}"
    page = await b.get(url)
    assert page.status_code == 200
    assert "Preparing the stickers: 96 of 370." in text_of(page.text)
    assert '<progress max="370" value="96"' in page.text
    assert 'hx-trigger="every 1s"' in page.text and f'hx-get="{url}"' in page.text
    assert '<noscript><meta http-equiv="refresh"' in page.text  # without JavaScript, the page reloads itself
    # Not ready yet: the download leads back to the progress.
    early = await b.get(f"{url}/stickers.pdf")
    assert early.status_code == 303 and early.headers["location"] == url

    # htmx's poll gets the fragment alone; once done, the fragment stops polling and offers the file.
    async with ward_scope(world.a.id), write_transaction():
        await StickerSheet.ward_update({StickerSheet.done: 200, StickerSheet.updated_at: datetime.now(UTC)}).where(
            StickerSheet.id == sheet_id
        )
    poll = await b.get(url, headers={"HX-Request": "true", "HX-Target": "sheet-job"})
    assert "200 of 370" in text_of(poll.text) and "<html" not in poll.text and "every 1s" in poll.text
    async with ward_scope(world.a.id), write_transaction():
        await StickerSheet.ward_update(
            {StickerSheet.status: "done", StickerSheet.done: 370, StickerSheet.pdf: b"%PDF-1.7 ready"}
        ).where(StickerSheet.id == sheet_id)
    poll = await b.get(url, headers={"HX-Request": "true", "HX-Target": "sheet-job"})
    assert "Ready. Stickers: 370, A4 pages: 62." in text_of(poll.text)
    assert "every 1s" not in poll.text and f"{url}/stickers.pdf" in poll.text
    assert (await b.get(f"{url}/stickers.pdf")).content == b"%PDF-1.7 ready"


async def test_a_sheet_whose_worker_died_shows_failed_and_can_be_tried_again(browser, world):
    await _houses(world.a.id, world.a.landlord, 2)
    quiet = datetime.now(UTC) - timedelta(minutes=3)
    sheet_id = await _sheet(
        world.a.id, status="running", total=2, done=0, property_status="verified", created_at=quiet, updated_at=quiet
    )
    b = await _officer(browser, world)
    page = await b.get(f"/w/ward-a/officer/sticker-sheets/{sheet_id}")
    text = text_of(page.text)
    assert "could not be made" in text and "Try again" in text and "every 1s" not in page.text
    form_token = re.search(r'name="form_token" value="([^"]+)"', page.text)[1]
    again = await b.post(
        "/w/ward-a/officer/sticker-sheets", {"status": "verified", "group": "", "form_token": form_token}
    )
    assert again.status_code == 303
    await sticker_sheets.wait_for_jobs()
    assert "Ready. Stickers: 2, A4 pages: 1." in text_of((await b.get(again.headers["location"])).text)
    pdf = await b.get(again.headers["location"] + "/stickers.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


async def test_a_sheet_cut_short_by_the_shutdown_shows_failed(browser, world):
    await _houses(world.a.id, world.a.landlord, 2)
    b = await _officer(browser, world)
    response = await b.post("/w/ward-a/officer/sticker-sheets", {"status": "verified", "form_token": "t" * 32})
    await sticker_sheets.stop_jobs()  # what the application does when it stops
    assert (await seen(StickerSheet.select(StickerSheet.status).first()))["status"] == "failed"
    text = text_of((await b.get(response.headers["location"])).text)
    assert "could not be made" in text and "Try again" in text


async def test_a_double_submit_makes_one_sheet(browser, world):
    await _houses(world.a.id, world.a.landlord, 3)
    b = await _officer(browser, world)
    data = {"status": "", "group": "", "form_token": "s" * 32}
    first = await b.post("/w/ward-a/officer/sticker-sheets", data)
    second = await b.post("/w/ward-a/officer/sticker-sheets", data)
    assert first.status_code == second.status_code == 303
    assert first.headers["location"] == second.headers["location"]
    await sticker_sheets.wait_for_jobs()
    assert await seen(StickerSheet.count()) == 1
    assert await AuditEvent.count().where(AuditEvent.action == "sticker_sheet_created") == 1
    status = await seen(StickerSheet.select(StickerSheet.status, StickerSheet.done).first())
    assert status == {"status": "done", "done": 3}


async def test_no_matching_house_makes_no_sheet(browser, world):
    await _houses(world.a.id, world.a.landlord, 1)
    b = await _officer(browser, world)
    page = text_of((await b.get("/w/ward-a/officer/properties?status=suspended")).text)
    assert "Download stickers" not in page
    response = await b.post("/w/ward-a/officer/sticker-sheets", {"status": "suspended", "form_token": "n" * 32})
    assert response.status_code == 409 and "No property matches." in text_of(response.text)
    bad = await b.post("/w/ward-a/officer/sticker-sheets", {"status": "demolished", "form_token": "m" * 32})
    assert bad.status_code == 422
    assert await seen(StickerSheet.count()) == 0


async def test_only_the_wards_officers_reach_its_sheets(browser, world):
    await _houses(world.a.id, world.a.landlord, 1)
    sheet_id = await _sheet(world.a.id, status="done", total=1, done=1, pdf=b"%PDF-1.7 ward a")
    urls = [f"/w/ward-a/officer/sticker-sheets/{sheet_id}", f"/w/ward-a/officer/sticker-sheets/{sheet_id}/stickers.pdf"]
    for phone in (world.a.landlord, world.a.police, world.b.officer):
        b = await browser()
        await b.login(phone)
        for url in urls:
            assert (await b.get(url)).status_code == 404, (phone, url)
        assert (await b.post("/w/ward-a/officer/sticker-sheets", {"form_token": "x" * 32})).status_code == 404
    # Ward B's officer, in ward B's own pages, with ward A's sheet id: not found either.
    b = await browser()
    await b.login(world.b.officer)
    for url in urls:
        assert (await b.get(url.replace("ward-a", "ward-b"))).status_code == 404
    assert await seen(StickerSheet.count()) == 1
