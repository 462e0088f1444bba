"""At the counter the officer receives a dossier and hands it back; on a 360 px phone the applicant finds it by
code and phone and rates the service with one tap on a face, a reason chip and a comment."""

import re

import pytest
from playwright.sync_api import expect

from app.counter.dossier_tables import Dossier, Rating
from tests.e2e.test_housing import sign_in
from tests.helpers import seen
from tests.integration.test_dossiers import make_procedure

pytestmark = pytest.mark.e2e


def test_the_resident_rates_from_the_phone_link(world, new_page, db):
    db(make_procedure(world.a.id, days=3, name="Đăng ký tạm trú"))
    officer = new_page(lang="en")
    sign_in(officer, world.a.officer)
    expect(officer).to_have_url(re.compile(r"/w/ward-a/officer/$"))
    officer.goto("/w/ward-a/officer/dossiers/new")
    officer.locator("#f-procedure_id").select_option(label="Đăng ký tạm trú")
    expect(officer.get_by_text("Hợp đồng thuê nhà")).to_be_visible()  # the checklist came with the procedure
    officer.get_by_label("Hợp đồng thuê nhà").check()
    officer.locator("#f-full_name").fill("Lê Thị Hoa")
    officer.locator("#f-phone").fill("0912345678")
    officer.get_by_role("button", name="Receive and print the receipt").click()
    expect(officer).to_have_url(re.compile(r"/officer/dossiers/\d+\?received=1$"))
    for step in ("Start processing", "Result ready", "Hand over the result"):
        officer.get_by_role("button", name=step).click()
        expect(officer.get_by_role("button", name=step)).to_have_count(0)
    code = db(seen(Dossier.select(Dossier.code).first()))["code"]

    phone = new_page(lang="en")
    phone.goto("/w/ward-a/")
    phone.get_by_role("link", name="Follow a dossier").click()
    phone.locator("#f-code").fill(code)
    phone.locator("#f-phone").fill("0912 345 678")
    phone.get_by_role("button", name="Show the dossier").click()
    expect(phone.locator(".status-now")).to_contain_text("Result handed over")
    phone.get_by_role("link", name="Rate the service").click()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360  # nothing wider than the phone
    phone.get_by_text("Satisfied", exact=True).click()
    phone.get_by_text("Clear guidance", exact=True).click()
    phone.locator("#f-comment").fill("Cán bộ hướng dẫn tận tình")
    phone.get_by_role("button", name="Send my rating").click()
    expect(phone.locator("h1")).to_have_text("Thank you for your rating!")
    rating = db(seen(Rating.select(Rating.level, Rating.reasons, Rating.comment, Rating.channel).first()))
    assert rating == {"level": 4, "reasons": "clear", "comment": "Cán bộ hướng dẫn tận tình", "channel": "phone"}
    phone.go_back()  # the rating page again: it says thank you instead of asking twice
    expect(phone.locator("h1")).to_have_text("Thank you for your rating!")
    assert db(seen(Rating.count())) == 1
