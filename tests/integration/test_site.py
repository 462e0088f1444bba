from tests.helpers import text_of


async def test_platform_home_lists_the_wards(browser, world):
    page = await (await browser()).get("/")
    assert page.status_code == 200
    text = text_of(page.text)
    assert "Phường Xuân Phương" in text and "Phường Liên Chiểu" in text
    assert 'href="/w/ward-a/"' in page.text and 'href="/w/ward-b/"' in page.text


async def test_ward_home_shows_name_address_hours_and_contacts(browser, world):
    page = await (await browser()).get("/w/ward-a/")
    assert page.status_code == 200
    text = text_of(page.text)
    assert "Phường Xuân Phương" in text and "Thành phố Hà Nội" in text
    assert "Trụ sở ward-a" in text
    assert "Monday 07:30–11:30, 13:30–17:00" in text
    assert "Saturday 07:30–11:30" in text and "Sunday Closed" in text
    assert "024 3000 0622" in text
    assert "Sign up as a landlord" in text


async def test_unknown_ward_is_404_with_a_page(browser, world):
    page = await (await browser()).get("/w/no-such-ward/")
    assert page.status_code == 404
    assert "Page not found" in text_of(page.text)


async def test_healthz_reports_the_database(browser, world):
    response = await (await browser()).get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": True}


async def test_static_files_are_served_with_the_vendored_htmx(browser, world):
    b = await browser()
    page = await b.get("/")
    assert "/static/vendor/htmx-2.0.11.min.js" in page.text
    js = await b.get("/static/vendor/htmx-2.0.11.min.js")
    assert js.status_code == 200 and "htmx" in js.text[:2000]
