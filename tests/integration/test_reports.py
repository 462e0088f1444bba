"""Reports: a resident reports a problem (with a photo, anonymously or not) and follows it by its code;
officers triage, assign, answer and close; the photo and the contact reach officers only."""

import io

from PIL import Image

from app.counter.dossier_tables import Report, ReportEvent, ReportPhoto
from tests.helpers import seen, text_of
from tests.integration.test_stays import _house_with_rooms


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (2400, 1200), (200, 40, 40))
    exif = Image.Exif()
    exif[0x8825] = {2: (21.0, 3.0, 0.0), 4: (105.0, 45.0, 0.0)}  # GPS position: must not be kept
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


async def post_report(resident, data: dict, photo: bytes | None = None, name: str = "p.jpg"):
    files = {"photo": (name, photo, "image/jpeg")} if photo is not None else None
    data = {"form_token": "r" * 32, **data, "_csrf_token": await resident.csrf()}
    return await resident.client.post("/w/ward-a/report", data=data, files=files, follow_redirects=False)


REPORT = {"category": "environment", "text": "Rác thải đổ bừa bãi đầu ngõ 12 mấy ngày nay."}


async def test_a_resident_reports_with_a_photo_and_follows_the_answer(browser, world):
    resident = await browser()
    home = text_of((await resident.get("/w/ward-a/")).text)
    assert "Report a problem" in home
    response = await post_report(
        resident, {**REPORT, "contact_name": "Phạm Văn Nam", "contact_phone": "0987 111 222", "consent": "on"},
        jpeg_with_gps(),
    )  # fmt: skip
    assert response.status_code == 303, text_of(response.text)[:300]
    follow_url = response.headers["location"]
    again = await post_report(resident, REPORT)  # the same form token: one report
    assert again.headers["location"] == follow_url
    report = await seen(Report.select().first())
    assert await seen(Report.count()) == 1 and report["has_photo"] and report["contact_phone"] == "0987111222"
    stored = await seen(ReportPhoto.select(ReportPhoto.data).first())
    picture = Image.open(io.BytesIO(stored["data"]))
    assert picture.format == "JPEG" and max(picture.size) == 1600 and not picture.getexif().get(0x8825)

    page = text_of((await resident.get(follow_url)).text)
    assert len(report["code"]) == 16  # 80 bits: the code alone opens the report
    assert report["code"] in page and "New" in page and "Phạm Văn Nam" not in page and "0987" not in page

    officer = await browser()
    await officer.login(world.a.officer)
    listing = text_of((await officer.get("/w/ward-a/officer/reports")).text)
    assert "Environment and sanitation" in listing
    detail = await officer.get(f"/w/ward-a/officer/reports/{report['id']}")
    assert "Phạm Văn Nam" in text_of(detail.text) and f"/reports/{report['id']}/photo" in detail.text
    photo = await officer.get(f"/w/ward-a/officer/reports/{report['id']}/photo")
    assert photo.status_code == 200 and photo.headers["content-type"] == "image/jpeg"
    assert "no-store" in photo.headers["cache-control"]

    officer_id = (await seen(Report.select(Report.id).first()))["id"]
    from app.accounts.tables import User

    me = (await User.select(User.id).where(User.phone == world.a.officer).first())["id"]
    assigned = await officer.post(f"/w/ward-a/officer/reports/{officer_id}", {"assign_to": str(me), "to_state": ""})
    assert assigned.status_code == 303
    assert (await seen(Report.select(Report.state, Report.assigned_to).first())) == {
        "state": "in_progress", "assigned_to": me,
    }  # fmt: skip
    no_answer = await officer.post(f"/w/ward-a/officer/reports/{officer_id}", {"to_state": "answered", "answer": ""})
    assert no_answer.status_code == 422 and 'id="e-answer"' in no_answer.text
    answer = "Đã giao tổ dân phố 5 thu gom; đội vệ sinh sẽ dọn trong ngày 03/12."
    answered = await officer.post(f"/w/ward-a/officer/reports/{officer_id}", {"to_state": "answered", "answer": answer})
    assert answered.status_code == 303
    assert answer in text_of((await resident.get(follow_url)).text)
    closed = await officer.post(f"/w/ward-a/officer/reports/{officer_id}", {"to_state": "closed"})
    assert closed.status_code == 303
    assert (await officer.post(f"/w/ward-a/officer/reports/{officer_id}", {"to_state": "new"})).status_code == 409
    states = [e["to_state"] for e in await seen(ReportEvent.select(ReportEvent.to_state).order_by(ReportEvent.id))]
    assert states == ["new", "in_progress", "answered", "closed"]


async def test_the_photo_is_for_officers_only(browser, world):
    resident = await browser()
    await post_report(resident, REPORT, jpeg_with_gps())
    report_id = (await seen(Report.select(Report.id).first()))["id"]
    url = f"/w/ward-a/officer/reports/{report_id}/photo"
    assert (await resident.get(url)).status_code in (303, 401)  # sent to sign in
    for role in ("landlord", "police"):
        other = await browser()
        await other.login(getattr(world.a, role))
        assert (await other.get(url)).status_code == 404, role
    officer_b = await browser()
    await officer_b.login(world.b.officer)
    assert (await officer_b.get(f"/w/ward-b/officer/reports/{report_id}/photo")).status_code == 404


async def test_bad_reports_are_refused_with_messages(browser, world):
    resident = await browser()
    bad = await post_report(resident, {"category": "nope", "text": "short", "contact_phone": "0987111222"})
    assert bad.status_code == 422
    for field in ("category", "text", "consent"):
        assert f'id="e-{field}"' in bad.text, field
    not_a_photo = await post_report(resident, REPORT, b"<svg onload=alert(1)></svg>", name="x.jpg")
    assert not_a_photo.status_code == 422 and 'id="e-photo"' in not_a_photo.text
    huge = await post_report(resident, REPORT, b"\xff\xd8\xff" + b"0" * (8 * 1024 * 1024 + 1))
    assert huge.status_code == 422 and "larger than 8 MB" in text_of(huge.text)
    assert await seen(Report.count()) == 0
    assert (await resident.get("/w/ward-a/reports/NOSUCHCODE")).status_code == 404


async def test_the_property_page_links_to_a_report_about_it(browser, world):
    from app.housing.tables import Property

    _landlord, pid, _rooms = await _house_with_rooms(browser, world)
    token = (await seen(Property.select(Property.qr_token).where(Property.id == pid).first()))["qr_token"]
    resident = await browser()
    page = await resident.get(f"/q/{token}")
    assert f"/w/ward-a/report?property={token}" in page.text
    assert f"/w/ward-a/report?property={token}" in (await resident.get(f"/q/{token}")).text  # kept page too
    form = await resident.get(f"/w/ward-a/report?property={token}")
    assert "About" in text_of(form.text)
    response = await post_report(resident, {**REPORT, "category": "housing", "property": token})
    assert response.status_code == 303
    assert (await seen(Report.select(Report.property).first()))["property"] == pid
