"""A landlord signs up on a phone, waits, and is approved by the ward officer; bad input is explained in place."""

import re

import pytest
from playwright.sync_api import expect

from app.accounts.tables import Membership, User
from tenants.scope import ward_scope
from tests.helpers import PASSWORD

pytestmark = pytest.mark.e2e

NAME, PHONE, PHONE_DIGITS, CCCD, LANDLORD_PASSWORD = (
    "Nguyễn Văn Tâm",
    "0977 123 456",
    "0977123456",
    "001090012345",
    "mat-khau-123",
)


async def landlord_statuses(ward_id: int) -> dict[str, str]:
    """Each landlord of the ward (by phone) and the status of their role, read as the app reads it."""
    async with ward_scope(ward_id):
        rows = await Membership.ward_select(Membership.user.phone, Membership.status).where(
            Membership.role == "landlord"
        )
    return {r["user.phone"]: r["status"] for r in rows}


def fill_signup(page, *, id_number=CCCD, password_again=LANDLORD_PASSWORD, consent=True):
    page.locator("#f-full_name").fill(NAME)
    page.locator("#f-phone").fill(PHONE)
    page.locator("#f-id_number").fill(id_number)
    page.locator("#f-password").fill(LANDLORD_PASSWORD)
    page.locator("#f-password_again").fill(password_again)
    if consent:
        page.locator("input[name=consent]").check()


def sign_in(page, phone, password=PASSWORD):
    page.locator("#f-phone").fill(phone)
    page.locator("#f-password").fill(password)
    page.locator("main").get_by_role("button").click()


def test_landlord_signs_up_waits_and_is_approved_by_the_officer(world, new_page, db):
    landlord = new_page(lang="en")
    landlord.goto("/w/ward-a/signup")
    expect(landlord.locator("h1")).to_have_text("Sign up as a landlord")
    fill_signup(landlord)
    landlord.get_by_role("button", name="Create my account").click()

    expect(landlord).to_have_url(re.compile(r"/login\?ward=ward-a&signed_up=1$"))
    expect(landlord.get_by_role("status")).to_contain_text(
        "Your landlord account has been created and waits for the ward officer's approval."
    )
    sign_in(landlord, PHONE, LANDLORD_PASSWORD)
    expect(landlord).to_have_url(re.compile(r"/w/ward-a/landlord/$"))
    landlord.goto("/w/ward-a/landlord/")
    expect(landlord.locator("h1")).to_contain_text("Phường Xuân Phương")
    expect(landlord.get_by_role("status")).to_contain_text("Waiting for approval.")
    expect(landlord.locator("main")).not_to_contain_text("Your landlord account is approved.")

    officer = new_page(lang="en")
    officer.goto("/login")
    sign_in(officer, world.a.officer)
    expect(officer).to_have_url(re.compile(r"/w/ward-a/officer/$"))
    waiting = officer.locator("#pending")
    expect(waiting.locator("h2")).to_contain_text("Landlords waiting for approval")
    request = waiting.locator("li", has_text=NAME)
    expect(request).to_contain_text("0977 123 456")
    expect(request).to_contain_text(CCCD)
    request.get_by_role("button", name="Approve").click()
    expect(waiting).to_contain_text("Nobody is waiting.")
    expect(waiting).not_to_contain_text(NAME)

    landlord.reload()
    expect(landlord.locator("main")).not_to_contain_text("Waiting for approval.")
    # Approved: the page says so, or (the landlord's home with houses) offers to register the first house.
    approved = landlord.get_by_text("Your landlord account is approved.").or_(
        landlord.get_by_role("link", name="Register a house")
    )
    expect(approved.first).to_be_visible()
    assert db(landlord_statuses(world.a.id)) == {world.a.landlord: "active", PHONE_DIGITS: "active"}


def test_bad_input_is_explained_beside_the_fields_in_place(world, page, db, vi):
    page.goto("/w/ward-a/signup")
    assert page.locator("body").get_attribute("hx-boost") == "true"
    assert page.evaluate("typeof window.htmx") == "object"  # htmx loaded and active
    page.evaluate("window.__sameDocument = true")  # gone if the browser loads a new document

    fill_signup(page, id_number="00109001234", password_again="mat-khau-456")  # 11 digits, passwords differ
    with page.expect_response(lambda r: r.url.endswith("/w/ward-a/signup") and r.request.method == "POST") as sent:
        page.get_by_role("button", name=vi("Create my account")).click()
    response = sent.value
    assert response.status == 422
    assert response.request.headers.get("hx-request") == "true"  # sent by htmx, not by a page load

    id_field = page.locator(".field", has=page.locator("#f-id_number"))
    expect(id_field.locator(".error")).to_have_text(
        vi("An ID number has exactly 12 digits (the old 9-digit CMND is not accepted here).")
    )
    expect(page.locator("#f-id_number")).to_have_attribute("aria-invalid", "true")
    again_field = page.locator(".field", has=page.locator("#f-password_again"))
    expect(again_field.locator(".error")).to_have_text(vi("The two passwords are not the same."))
    expect(page.locator("#f-password_again")).to_have_attribute("aria-invalid", "true")
    # The fields without a problem show none, and keep what was typed (passwords excepted).
    expect(page.locator(".field", has=page.locator("#f-full_name")).locator(".error")).to_have_count(0)
    expect(page.locator("#f-full_name")).to_have_value(NAME)
    expect(page.locator("#f-phone")).to_have_value(PHONE)
    expect(page.locator("#f-id_number")).to_have_value("00109001234")
    expect(page.locator("#f-password")).to_have_value("")

    assert page.evaluate("window.__sameDocument") is True  # swapped in place, no page load
    expect(page).to_have_url(re.compile(r"/w/ward-a/signup$"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # the messages fit the phone too

    assert db(User.exists().where(User.phone == PHONE_DIGITS)) is False
    assert db(landlord_statuses(world.a.id)) == {world.a.landlord: "active"}  # the world's own, no more
    page.goto("/login")
    sign_in(page, PHONE, LANDLORD_PASSWORD)
    expect(page.get_by_role("alert")).to_have_text(vi("Wrong phone number or password."))


def test_signup_page_fits_a_phone_screen(world, page, vi):
    page.goto("/w/ward-a/signup")
    expect(page.locator("h1")).to_have_text(vi("Sign up as a landlord"))
    page.screenshot(path="/tmp/e2e-signup.png", full_page=True)
    assert page.viewport_size == {"width": 360, "height": 800}
    widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= 360, f"the sign-up page is {widths[0]} px wide on a 360 px screen"
    overflowing = page.evaluate(
        """[...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
            .map(e => e.tagName + (e.id ? '#' + e.id : '') + (e.className ? '.' + e.className : ''))"""
    )
    assert overflowing == []
