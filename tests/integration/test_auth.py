import pytest

from app.audit.tables import AuditEvent
from tests.helpers import PASSWORD, text_of


@pytest.mark.parametrize("typed", ["0911000001", "0911 000 001", "+84 911 000 001", "84911000001", "0911.000.001"])
async def test_sign_in_with_the_phone_as_people_type_it(browser, world, typed):
    b = await browser()
    response = await b.post("/login", {"phone": typed, "password": PASSWORD})
    assert response.status_code == 303
    assert response.headers["location"] == "/w/ward-a/officer/"
    page = await b.get("/w/ward-a/officer/")
    assert page.status_code == 200
    assert "Officer · Phường Xuân Phương" in text_of(page.text)


@pytest.mark.parametrize(("role", "home"), [("police", "/w/ward-a/police/"), ("landlord", "/w/ward-a/landlord/")])
async def test_each_role_lands_on_its_page(browser, world, role, home):
    b = await browser()
    response = await b.login(getattr(world.a, role))
    assert response.headers["location"] == home
    assert (await b.get(home)).status_code == 200


async def test_wrong_password_and_unknown_phone_read_the_same(browser, world):
    b = await browser()
    wrong = await b.post("/login", {"phone": world.a.officer, "password": "not-it-at-all"})
    unknown = await b.post("/login", {"phone": "0987654321", "password": "not-it-at-all"})
    assert wrong.status_code == unknown.status_code == 401
    assert "Wrong phone number or password." in text_of(wrong.text)
    assert "Wrong phone number or password." in text_of(unknown.text)
    assert b.client.cookies.get("session") in (None, "null")
    failed = await AuditEvent.select(AuditEvent.phone, AuditEvent.ward).where(AuditEvent.action == "sign_in_failed")
    assert {r["phone"] for r in failed} == {world.a.officer, "0987654321"}
    assert {r["ward"] for r in failed} == {world.a.id, None}  # the known user's failure shows in their ward's log


async def test_bad_phone_format_is_explained_beside_the_field(browser, world):
    response = await (await browser()).post("/login", {"phone": "12345", "password": "x"})
    assert response.status_code == 422
    assert 'id="e-phone"' in response.text
    assert "Enter a Vietnamese mobile number" in text_of(response.text)


async def test_repeated_failures_slow_the_phone_down(browser, world):
    b = await browser()
    for _ in range(5):
        assert (await b.post("/login", {"phone": world.a.police, "password": "wrong-password"})).status_code == 401
    throttled = await b.post("/login", {"phone": world.a.police, "password": PASSWORD})
    assert throttled.status_code == 429
    assert "Too many failed attempts. Try again in 15 minutes." in text_of(throttled.text)
    # Another phone from another person is not affected.
    other = await browser()
    assert (await other.post("/login", {"phone": world.a.officer, "password": PASSWORD})).status_code == 303
    assert await AuditEvent.count().where(AuditEvent.action == "sign_in_throttled") == 1


async def test_sign_out_ends_the_session(browser, world):
    b = await browser()
    await b.login(world.a.officer)
    assert (await b.get("/w/ward-a/officer/")).status_code == 200
    response = await b.post("/logout")
    assert response.status_code == 303
    after = await b.get("/w/ward-a/officer/")
    assert after.status_code == 303 and after.headers["location"].startswith("/login")
    actions = [r["action"] for r in await AuditEvent.select(AuditEvent.action).order_by(AuditEvent.id)]
    assert actions[-2:] == ["sign_in", "sign_out"]


async def test_session_id_changes_at_sign_in(browser, world):
    b = await browser()
    await b.get("/")
    planted = "planted-session-id"
    b.client.cookies.set("session", planted, domain="127.0.0.1")
    await b.login(world.a.officer)
    assert b.client.cookies.get("session") not in (None, planted)


async def test_anonymous_pages_write_no_session(browser, world):
    from app.accounts.tables import SessionRecord

    b = await browser()
    for url in ("/", "/w/ward-a/", "/login"):
        assert (await b.get(url)).status_code == 200
    assert await SessionRecord.count() == 0
    assert "session" not in b.client.cookies


async def test_post_without_csrf_token_is_refused_and_writes_nothing(browser, world):
    b = await browser()
    await b.login(world.a.officer)
    response = await b.post(
        "/w/ward-a/officer/accounts", {"role": "police", "full_name": "Nguyễn Văn B", "phone": "0933333333"}, csrf=False
    )
    assert response.status_code == 403
    from app.accounts.tables import User

    assert not await User.exists().where(User.phone == "0933333333")


async def test_htmx_post_carries_csrf_in_the_header(browser, world):
    b = await browser()
    await b.login(world.a.officer)
    token = await b.csrf()
    response = await b.client.post(
        "/w/ward-a/officer/accounts",
        data={"role": "police", "full_name": "Nguyễn Văn B", "phone": "0933333333"},
        headers={"HX-Request": "true", "x-csrftoken": token},
    )
    assert response.status_code == 201
    assert "Temporary password" in text_of(response.text)


async def test_session_is_shared_through_the_database(app, browser, world):
    """A second app instance (another worker) knows the same session."""
    import httpx

    from app.asgi import create_app

    b = await browser()
    await b.login(world.a.officer)
    transport = httpx.ASGITransport(app=create_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:8000") as other_worker:
        other_worker.cookies.set("session", b.client.cookies["session"])
        other_worker.cookies.set("lang", "en")
        page = await other_worker.get("/w/ward-a/officer/")
    assert page.status_code == 200
