"""A landlord files a lưu trú from a new stay in one tap; the ward police accept it with a reference from
their inbox; the landlord sees it accepted. The police find the renter typed without diacritics."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from app.housing.stays import today
from tests.e2e.test_housing import register_house, sign_in

pytestmark = pytest.mark.e2e


def test_a_luu_tru_filed_by_the_landlord_is_accepted_by_the_police(world, new_page):
    landlord = new_page(lang="en")
    sign_in(landlord, world.a.landlord)
    expect(landlord).to_have_url(re.compile(r"/w/ward-a/landlord/$"))
    property_id = register_house(landlord)

    # A guest for three days, typed in: the stay needs a lưu trú notification, due tonight.
    landlord.get_by_role("link", name="Register a renter").click()
    landlord.locator("#f-id_number").fill("001095012345")
    landlord.locator("#f-full_name").fill("Nguyễn Văn An")
    landlord.locator("#f-birth_date").fill("15/08/1995")
    landlord.locator("#f-gender").select_option("male")
    landlord.locator("#f-expected_to").fill((today() + timedelta(days=3)).strftime("%d/%m/%Y"))
    landlord.locator("#f-reason").fill("Công tác")
    landlord.get_by_role("button", name="Check in").click()
    expect(landlord).to_have_url(re.compile(rf"/w/ward-a/landlord/properties/{property_id}(#people)?$"))
    person = landlord.locator("#people li", has_text="Nguyễn Văn An")
    expect(person).to_contain_text("Lưu trú notification ·")
    person.get_by_role("button", name="File: Lưu trú notification").click()
    person = landlord.locator("#people li", has_text="Nguyễn Văn An")
    expect(person).to_contain_text("Lưu trú notification: Filed, waiting for the police")

    # The police open it from the inbox and accept it with their reference.
    police = new_page(lang="en")
    sign_in(police, world.a.police)
    police.get_by_role("link", name="Declarations").first.click()
    expect(police.locator("h1")).to_have_text("Declarations")
    police.get_by_role("link", name="Nguyễn Văn An").click()
    expect(police.locator("h1")).to_have_text("Nguyễn Văn An")
    expect(police.locator("#viewers")).to_contain_text("Police ward-a")
    police.locator("#f-reference").fill("LT-0042")
    police.get_by_role("button", name="Accept").click()
    expect(police.locator("main")).to_contain_text("Accepted")
    expect(police.locator("#history")).to_contain_text("Received by the police → Accepted")

    # The landlord sees it accepted, with the reference.
    landlord.reload()
    expect(landlord.locator("#people li", has_text="Nguyễn Văn An")).to_contain_text(
        "Lưu trú notification: Accepted · Reference: LT-0042"
    )

    # The police find the renter typed without diacritics.
    police.goto("/w/ward-a/police/search")
    police.locator("#f-q").fill("nguyen van an")
    results = police.locator("#police-results")
    expect(results).to_contain_text("Nguyễn Văn An")
    expect(results).to_contain_text("001095012345")
