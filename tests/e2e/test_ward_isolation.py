"""A person of one ward sees nothing of another: its pages answer "Page not found"."""

import re

import pytest
from playwright.sync_api import expect

from tests.helpers import PASSWORD

pytestmark = pytest.mark.e2e


def sign_in(page, phone):
    page.goto("/login")
    page.locator("#f-phone").fill(phone)
    page.locator("#f-password").fill(PASSWORD)
    page.locator("main").get_by_role("button").click()


@pytest.mark.parametrize("lang", [None, "en"], ids=["vietnamese", "english"])
def test_an_officer_of_ward_a_gets_not_found_in_ward_b(world, new_page, vi, lang):
    page = new_page(lang=lang)
    t = (lambda text: text) if lang == "en" else vi
    sign_in(page, world.a.officer)
    expect(page).to_have_url(re.compile(r"/w/ward-a/officer/$"))
    expect(page.locator("h1")).to_contain_text(t("Officer") + " · Phường Xuân Phương")

    for path in ("/w/ward-b/officer/", "/w/ward-b/officer/accounts"):
        response = page.goto(path)
        assert response is not None and response.status == 404, path
        expect(page.locator("h1")).to_have_text(t("Page not found"))
        expect(page.locator("main")).to_contain_text(
            t("The address may be mistyped, or the page is not available to you.")
        )
        main = page.locator("main")
        expect(main).not_to_contain_text("Liên Chiểu")  # ward B's name
        expect(main).not_to_contain_text("Police ward-b")  # nor its people
        expect(main).not_to_contain_text(t("Landlords waiting for approval"))
        expect(page.locator("header")).to_contain_text(t("Sign out"))  # still signed in, in their own ward

    # Their own ward still works.
    page.goto("/w/ward-a/officer/accounts")
    expect(page.locator("h1")).to_contain_text(t("Accounts") + " · Phường Xuân Phương")
