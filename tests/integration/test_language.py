from datetime import UTC

from app.accounts.tables import User
from tests.helpers import text_of


async def test_vietnamese_by_default_english_by_accept_language(browser, world):
    vi = await (await browser(lang="")).get("/w/ward-a/")
    assert '<html lang="vi">' in vi.text and "Giờ làm việc" in text_of(vi.text)
    en = await (await browser(lang="")).get("/w/ward-a/", headers={"Accept-Language": "en-US,en;q=0.9,vi;q=0.5"})
    assert '<html lang="en">' in en.text and "Office hours" in text_of(en.text)


async def test_the_switcher_is_remembered_and_follows_the_user(browser, world):
    b = await browser(lang="")
    response = await b.post("/lang", {"locale": "en", "next": "/w/ward-a/"})
    assert response.status_code == 303 and response.headers["location"] == "/w/ward-a/"
    assert '<html lang="en">' in (await b.get("/w/ward-a/")).text
    # Accept-Language no longer decides once chosen.
    assert '<html lang="en">' in (await b.get("/", headers={"Accept-Language": "vi"})).text
    # A signed-in choice is kept on the account and restored on a new device.
    await b.login(world.a.officer)
    await b.post("/lang", {"locale": "vi", "next": "/account"})
    assert (await User.select(User.locale).where(User.phone == world.a.officer).first())["locale"] == "vi"
    other = await browser(lang="")
    await other.get("/", headers={"Accept-Language": "en"})
    await other.login(world.a.officer)
    assert '<html lang="vi">' in (await other.get("/account", headers={"Accept-Language": "en"})).text


async def test_an_unknown_language_and_an_outside_next_are_ignored(browser, world):
    b = await browser(lang="")
    response = await b.post("/lang", {"locale": "fr", "next": "https://evil.example/"})
    assert response.headers["location"] == "/"


async def test_dates_and_times_in_vietnam_time(browser, world):
    from datetime import datetime

    from app.accounts.tables import ApiToken
    from tests.helpers import make_user

    user_id = await make_user(world.a.officer, "x")
    await ApiToken.insert(
        ApiToken(
            user=user_id,
            name="t",
            token_hash="h" * 64,
            prefix="nts_abcd",
            created_at=datetime(2026, 1, 1, 17, 30, tzinfo=UTC),
        )
    )
    b = await browser()
    await b.login(world.a.officer)
    assert "02/01/2026 00:30" in text_of((await b.get("/account")).text)
