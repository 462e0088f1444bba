"""A landlord sees the bell's count on a 360 px phone, opens the notifications and follows one to its page."""

import pytest
from playwright.sync_api import expect

from app.accounts.events import LANDLORD_APPROVED
from app.accounts.tables import User
from app.db import write_transaction
from app.housing.events import PROPERTY_VERIFIED
from app.notify import Recipient, send
from tenants.scope import ward_scope
from tests.e2e.test_housing import sign_in

pytestmark = pytest.mark.e2e


async def _notify(ward_id: int, phone: str) -> None:
    user = await User.select(User.id).where(User.phone == phone).first()
    async with ward_scope(ward_id), write_transaction():
        # (The live server renders them: events of the app, not of a test module.)
        await send(LANDLORD_APPROVED, to=Recipient(user_id=user["id"]), data={"url": "/account"}, subject="1")
        await send(PROPERTY_VERIFIED, to=Recipient(user_id=user["id"]), data={"property": "Hoa Sữa"}, subject="2")


def test_the_bell_counts_and_opens_notifications(world, new_page, db):
    db(_notify(world.a.id, world.a.landlord))
    page = new_page("en")
    sign_in(page, world.a.landlord)
    bell = page.locator("header .bell")
    expect(bell.locator(".count")).to_have_text("2")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # the header still fits a phone
    bell.click()
    expect(page).to_have_url("/notifications")
    page.get_by_role("button", name="Your landlord account is approved").click()
    expect(page).to_have_url("/account")
    expect(page.locator("header .bell .count")).to_have_text("1")
