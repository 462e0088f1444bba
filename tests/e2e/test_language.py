"""The language switcher in the footer: Vietnamese by default, English on a tap, remembered, and back."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def test_switching_language_with_the_footer_buttons_is_remembered(world, page, vi):
    footer = page.locator("footer")
    main = page.locator("main")

    page.goto("/w/ward-a/")
    # Vietnamese by default, with a visitor who never chose.
    expect(main).to_contain_text(vi("For landlords"))
    expect(main).to_contain_text(vi("Office hours"))
    expect(footer).to_contain_text(vi("Rental housing, residence and the ward's one-stop counter"))
    expect(footer.get_by_role("button", name="Tiếng Việt")).to_have_attribute("aria-current", "true")

    footer.get_by_role("button", name="English").click()
    expect(main).to_contain_text("For landlords")
    expect(main).to_contain_text("Office hours")
    expect(footer).to_contain_text("Rental housing, residence and the ward's one-stop counter")
    expect(footer.get_by_role("button", name="English")).to_have_attribute("aria-current", "true")
    expect(page).to_have_url(re.compile(r"/w/ward-a/?$"))  # the same page, now in English

    # The next page, by a link and by typing an address, is English too.
    main.get_by_role("link", name="Sign up as a landlord").click()
    expect(page).to_have_url(re.compile(r"/w/ward-a/signup$"))
    expect(main.locator("h1")).to_have_text("Sign up as a landlord")
    expect(main).to_contain_text("12 digits, on the front of the card")
    page.goto("/login")
    expect(main.locator("h1")).to_have_text("Sign in")
    expect(page.locator("header")).to_contain_text("Sign in")

    # And back to Vietnamese, remembered as well.
    footer.get_by_role("button", name="Tiếng Việt").click()
    expect(main.locator("h1")).to_have_text(vi("Sign in"))
    expect(footer).to_contain_text(vi("Rental housing, residence and the ward's one-stop counter"))
    page.goto("/w/ward-a/signup")
    expect(main.locator("h1")).to_have_text(vi("Sign up as a landlord"))
    expect(main).to_contain_text(vi("12 digits, on the front of the card"))
    expect(footer.get_by_role("button", name="Tiếng Việt")).to_have_attribute("aria-current", "true")
