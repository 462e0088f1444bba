import os
import re
import subprocess
import sys

from app.accounts.tables import Membership, User
from app.settings import ROOT
from tenants.scope import ward_scope
from tenants.tables import Ward
from tests.helpers import text_of


async def _admin(browser, world):
    b = await browser()
    await b.login(world.admin)
    return b


async def test_admin_creates_a_ward_from_the_official_list(browser, world):
    b = await _admin(browser, world)
    search = await b.get("/admin/wards/new?q=hoan kiem")
    assert "Phường Hoàn Kiếm" in text_of(search.text)
    prefilled = await b.get("/admin/wards/new?code=70")
    assert 'value="hoan-kiem"' in prefilled.text
    response = await b.post(
        "/admin/wards/new",
        {
            "code": "70",
            "slug": "hoan-kiem",
            "address": "126 Hàng Trống",
            "phone": "024 3825 1234",
            "police_phone": "",
            "email": "",
            "office_hours": "T2-T6 08:00-17:00",
        },
    )
    assert response.status_code == 303
    ward = await Ward.select().where(Ward.slug == "hoan-kiem").first()
    assert (ward["name"], ward["province_name"], ward["phone"]) == (
        "Phường Hoàn Kiếm",
        "Thành phố Hà Nội",
        "02438251234",
    )
    assert "Phường Hoàn Kiếm" in text_of((await b.get("/")).text)

    officer = await b.post(f"/admin/wards/{ward['id']}/officers", {"full_name": "Bùi Thị Một", "phone": "0944 000 111"})
    assert officer.status_code == 201 and "Temporary password" in text_of(officer.text)
    user = await User.select(User.id, User.must_change_password).where(User.phone == "0944000111").first()
    assert user["must_change_password"] is True
    async with ward_scope(ward["id"]):
        row = (
            await Membership.ward_select(Membership.role, Membership.status)
            .where(Membership.user == user["id"])
            .first()
        )
    assert row == {"role": "officer", "status": "active"}


async def test_ward_form_errors(browser, world):
    b = await _admin(browser, world)
    cases = [
        ({"code": "99998", "slug": "x"}, "code", "No commune has this official code"),
        ({"code": "622", "slug": "new-slug"}, "code", "already has a ward"),
        ({"code": "70", "slug": "ward-a"}, "slug", "taken by another ward"),
        ({"code": "70", "slug": "Bad Slug!"}, "slug", "lower-case letters"),
        ({"code": "70", "slug": "ok-slug", "office_hours": "Mon 8-17"}, "office_hours", "T2-T6"),
        ({"code": "abc", "slug": "ok-slug"}, "code", "Enter a whole number."),
    ]
    for data, field, message in cases:
        response = await b.post(
            "/admin/wards/new",
            {"address": "", "phone": "", "police_phone": "", "email": "", "office_hours": "", **data},
        )
        assert response.status_code in (409, 422), (data, response.status_code)
        assert f'id="e-{field}"' in response.text, data
        assert message in text_of(response.text), data
    assert await Ward.count() == 2


async def test_admin_pages_are_for_the_platform_admin_only(browser, world):
    anonymous = await browser()
    assert (await anonymous.get("/admin/")).status_code == 303
    officer = await browser()
    await officer.login(world.a.officer)
    assert (await officer.get("/admin/")).status_code == 404
    assert (await officer.post("/admin/wards/new", {"code": "70", "slug": "x"})).status_code == 404


def _cli(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PICCOLO_CONF": "app.piccolo_conf"}
    return subprocess.run(
        [sys.executable, "-m", "litestar", "--app", "app.asgi:create_app", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


async def test_cli_creates_wards_and_users(world):
    created = _cli("wards", "create", "--code", "20242", "--slug", "hai-chau", "--phone", "0236 3822 123")
    assert created.returncode == 0, created.stderr
    assert "Ward hai-chau created" in created.stdout
    listed = _cli("wards", "list")
    assert "hai-chau" in listed.stdout and "Phường Hải Châu" in listed.stdout
    dup = _cli("wards", "create", "--code", "20242", "--slug", "other")
    assert dup.returncode == 1 and dup.stderr.startswith("Error: ")

    user = _cli(
        "users",
        "create",
        "--phone",
        "0988 777 666",
        "--name",
        "Cán bộ Mới",
        "--password",
        "pass-word-1",
        "--ward",
        "hai-chau",
        "--role",
        "officer",
    )
    assert user.returncode == 0, user.stderr
    admin = _cli(
        "users", "create", "--phone", "0988777665", "--name", "Admin 2", "--password", "pass-word-1", "--platform-admin"
    )
    assert admin.returncode == 0, admin.stderr
    assert await User.exists().where((User.phone == "0988777665") & (User.is_platform_admin == True))  # noqa: E712
    bad = _cli("users", "create", "--phone", "123", "--name", "X", "--password", "pass-word-1")
    assert bad.returncode == 1


async def test_demo_loads_two_wards_and_every_account(browser, database):
    from app.demo import load_demo

    assert await load_demo(only_if_empty=True) is True
    assert await load_demo(only_if_empty=True) is False  # not twice
    assert {w["slug"] for w in await Ward.select(Ward.slug)} == {"xuan-phuong", "lien-chieu"}
    for phone, home in [
        ("0900000001", "/w/xuan-phuong/officer/"),
        ("0900000002", "/w/xuan-phuong/police/"),
        ("0900000003", "/w/xuan-phuong/landlord/"),
        ("0900000011", "/w/lien-chieu/officer/"),
        ("0900000012", "/w/lien-chieu/police/"),
        ("0900000013", "/w/lien-chieu/landlord/"),
        ("0900000000", "/admin/"),
    ]:
        b = await browser()
        response = await b.login(phone, "demo12345")
        assert response.headers["location"] == home
        assert (await b.get(home)).status_code == 200
    landlord = await browser()
    await landlord.login("0900000003", "demo12345")
    home = await landlord.get("/w/xuan-phuong/landlord/")
    assert "Nhà trọ Hoa Sữa" in text_of(home.text) and "Requests to be registered 3" in text_of(home.text)
    first = re.search(r'href="/w/xuan-phuong/landlord/properties/(\d+)"', home.text).group(1)
    house = await landlord.get(f"/w/xuan-phuong/landlord/properties/{first}")
    assert house.status_code == 200 and "Staying now" in text_of(house.text)
    assert 'class="count">0<' not in house.text.split('id="people"')[1][:200]  # demo people live there
    public = await (await browser()).get("/q/demoHoaSua2025")
    assert public.status_code == 200 and "Verified by Phường Xuân Phương" in text_of(public.text)


def test_demo_is_refused_in_production_mode(database):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "APP_MODE": "production", "APP_SECRET_KEY": "p" * 40}
    result = subprocess.run(
        [sys.executable, "-m", "litestar", "--app", "app.asgi:create_app", "demo", "load"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert "refused in production mode" in result.stderr


def test_production_refuses_the_default_secret(database):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "APP_MODE": "production"}
    env.pop("APP_SECRET_KEY", None)
    result = subprocess.run(
        [sys.executable, "-c", "import app.asgi; app.asgi.create_app()"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0 and "APP_SECRET_KEY" in result.stderr
