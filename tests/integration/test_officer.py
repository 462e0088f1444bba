from app.accounts.tables import Membership, SessionRecord, User
from app.audit.tables import AuditEvent
from tests.helpers import PASSWORD, seen, text_of
from tests.test_support import pending_landlord


async def test_officer_approves_apending_landlord(browser, world):
    pending = await pending_landlord(world.a.id)
    officer = await browser()
    await officer.login(world.a.officer)
    page = await officer.get("/w/ward-a/officer/")
    assert "Trần Thị Chờ" in text_of(page.text)
    response = await officer.post(f"/w/ward-a/officer/landlords/{pending}/approve")
    assert response.status_code == 303
    row = await seen(
        Membership.select(Membership.status, Membership.decided_by).where(Membership.id == pending).first()
    )
    assert row["status"] == "active"
    assert "Trần Thị Chờ" not in text_of((await officer.get("/w/ward-a/officer/")).text)
    landlord = await browser()
    await landlord.login("0977000111")
    assert "Register a house" in text_of((await landlord.get("/w/ward-a/landlord/")).text)
    assert await AuditEvent.exists().where(
        (AuditEvent.action == "membership_approved") & (AuditEvent.subject_id == pending)
    )
    # Deciding twice is refused.
    again = await officer.post(f"/w/ward-a/officer/landlords/{pending}/reject", {"reason": "late"})
    assert again.status_code == 409


async def test_rejecting_needs_a_reason(browser, world):
    pending = await pending_landlord(world.a.id)
    officer = await browser()
    await officer.login(world.a.officer)
    response = await officer.post(f"/w/ward-a/officer/landlords/{pending}/reject", {"reason": ""})
    assert response.status_code == 422
    assert "Give the reason" in text_of(response.text)
    assert (await seen(Membership.select(Membership.status).where(Membership.id == pending).first()))[
        "status"
    ] == "pending"
    response = await officer.post(f"/w/ward-a/officer/landlords/{pending}/reject", {"reason": "Sai số CCCD"})
    assert response.status_code == 303
    row = await seen(Membership.select(Membership.status, Membership.reason).where(Membership.id == pending).first())
    assert row == {"status": "rejected", "reason": "Sai số CCCD"}


async def test_officer_creates_a_police_account_that_must_change_its_password(browser, world):
    officer = await browser()
    await officer.login(world.a.officer)
    response = await officer.post(
        "/w/ward-a/officer/accounts", {"role": "police", "full_name": "Đỗ Văn Công", "phone": "0966 555 444"}
    )
    assert response.status_code == 201
    temp = response.text.split('<code class="token">')[1].split("</code>")[0]
    assert len(temp) == 10
    police = await browser()
    first = await police.login("0966555444", temp)
    assert first.headers["location"] == "/account/password"
    blocked = await police.get("/w/ward-a/police/")
    assert blocked.status_code == 303 and blocked.headers["location"] == "/account/password"
    bad = await police.post(
        "/account/password",
        {"current_password": temp, "new_password": "new-pass-99", "new_password_again": "other-pass-99"},
    )
    assert bad.status_code == 422 and "The two passwords are not the same." in text_of(bad.text)
    ok = await police.post(
        "/account/password",
        {"current_password": temp, "new_password": "new-pass-99", "new_password_again": "new-pass-99"},
    )
    assert ok.status_code == 303
    assert (await police.get("/w/ward-a/police/")).status_code == 200


async def test_staff_form_errors_and_duplicates(browser, world):
    officer = await browser()
    await officer.login(world.a.officer)
    bad = await officer.post("/w/ward-a/officer/accounts", {"role": "mayor", "full_name": "", "phone": "1"})
    assert bad.status_code == 422
    for field in ("role", "full_name", "phone"):
        assert f'id="e-{field}"' in bad.text or "Choose one of the options." in bad.text
    dup = await officer.post(
        "/w/ward-a/officer/accounts", {"role": "police", "full_name": "X Y", "phone": world.a.police}
    )
    assert dup.status_code == 409 and "already has this role" in text_of(dup.text)


async def test_reset_password_ends_sessions_and_forces_a_change(browser, world):
    police = await browser()
    await police.login(world.a.police)
    assert (await police.get("/w/ward-a/police/")).status_code == 200
    officer = await browser()
    await officer.login(world.a.officer)
    mid = world.a.memberships["police"]
    response = await officer.post(f"/w/ward-a/officer/accounts/{mid}/reset-password")
    assert response.status_code == 200
    temp = response.text.split('<code class="token">')[1].split("</code>")[0]
    # The old session is gone and the old password no longer works.
    assert (await police.get("/w/ward-a/police/")).status_code == 303
    assert (await police.post("/login", {"phone": world.a.police, "password": PASSWORD})).status_code == 401
    assert (await police.login(world.a.police, temp)).headers["location"] == "/account/password"
    user = await User.select(User.must_change_password).where(User.phone == world.a.police).first()
    assert user["must_change_password"] is True
    assert await SessionRecord.count().where(SessionRecord.user_id.is_not_null()) >= 1


async def test_reset_is_refused_for_someone_who_works_in_another_ward_too(browser, world):
    from app.accounts.admin_service import create_user
    from app.accounts.tables import Role

    await create_user(phone=world.a.landlord, full_name="x", password="x" * 8, ward_id=world.b.id, role=Role.landlord)
    officer = await browser()
    await officer.login(world.a.officer)
    response = await officer.post(f"/w/ward-a/officer/accounts/{world.a.memberships['landlord']}/reset-password")
    assert response.status_code == 409
    assert "also works in another ward" in text_of(response.text)


async def test_deactivated_account_loses_the_ward(browser, world):
    officer = await browser()
    await officer.login(world.a.officer)
    mid = world.a.memberships["police"]
    assert (await officer.post(f"/w/ward-a/officer/accounts/{mid}/deactivate")).status_code == 303
    police = await browser()
    await police.login(world.a.police)
    assert (await police.get("/w/ward-a/police/")).status_code == 404
    # Officers cannot lock themselves out.
    own = await officer.post(f"/w/ward-a/officer/accounts/{world.a.memberships['officer']}/deactivate")
    assert own.status_code == 409
    assert (await officer.post(f"/w/ward-a/officer/accounts/{mid}/reactivate")).status_code == 303
    assert (await police.get("/w/ward-a/police/")).status_code in (200, 303)


async def test_the_audit_log_shows_the_wards_events_only(browser, world):
    b_officer = await browser()
    await b_officer.login(world.b.officer)  # an event of ward B
    officer = await browser()
    await officer.login(world.a.officer)
    await officer.post(
        "/w/ward-a/officer/accounts", {"role": "police", "full_name": "Lý Văn Mới", "phone": "0966111222"}
    )
    page = await officer.get("/w/ward-a/officer/audit")
    assert page.status_code == 200
    text = text_of(page.text)
    assert "Account created: police: Lý Văn Mới" in text
    assert "Signed in" in text
    assert "Officer ward-b" not in text
    filtered = await officer.get("/w/ward-a/officer/audit?action=account_created")
    assert "Signed in" not in text_of(filtered.text).replace("Signed in", "", 1)  # only the filter's option


async def test_a_rejected_landlord_reads_the_reason(browser, world):
    pending = await pending_landlord(world.a.id)
    officer = await browser()
    await officer.login(world.a.officer)
    await officer.post(f"/w/ward-a/officer/landlords/{pending}/reject", {"reason": "Số CCCD không khớp"})
    landlord = await browser()
    response = await landlord.login("0977000111")
    assert response.headers["location"] == "/account"
    text = text_of((await landlord.get("/account")).text)
    assert "Rejected" in text and "Reason: Số CCCD không khớp" in text
    assert (await landlord.get("/w/ward-a/landlord/")).status_code == 404


async def test_switching_ward_changes_where_the_session_works(browser, world):
    from app.accounts.admin_service import create_user
    from app.accounts.tables import Role

    await create_user(phone=world.a.landlord, full_name="x", password="x" * 8, ward_id=world.b.id, role=Role.landlord)
    b = await browser()
    await b.login(world.a.landlord)
    assert (await b.get("/w/ward-a/landlord/")).status_code == 200
    assert (await b.get("/w/ward-b/landlord/")).status_code == 404  # one ward at a time
    from tests.helpers import membership_id

    target = await membership_id(world.b.id, world.a.landlord, "landlord")
    response = await b.post("/account/switch", {"membership_id": str(target)})
    assert response.headers["location"] == "/w/ward-b/landlord/"
    assert (await b.get("/w/ward-b/landlord/")).status_code == 200
    assert (await b.get("/w/ward-a/landlord/")).status_code == 404
    # A membership that is not the user's own cannot be switched to.
    assert (await b.post("/account/switch", {"membership_id": str(world.a.memberships["officer"])})).status_code == 404
