import asyncio

import pytest

from app.accounts.tables import Consent, Membership, User
from tests.helpers import seen, text_of

GOOD = {
    "full_name": "Nguyễn Văn Tâm",
    "phone": "0977 123 456",
    "id_number": "001090012345",
    "password": "mat-khau-123",
    "password_again": "mat-khau-123",
    "consent": "on",
}


async def test_landlord_signs_up_and_waits_for_approval(browser, world):
    b = await browser()
    form = await b.get("/w/ward-a/signup")
    assert form.status_code == 200 and 'name="form_token"' in form.text
    response = await b.post("/w/ward-a/signup", {**GOOD, "form_token": "t" * 32})
    assert response.status_code == 303
    assert response.headers["location"] == "/login?ward=ward-a&signed_up=1"
    user = await User.select().where(User.phone == "0977123456").first()
    assert user["full_name"] == "Nguyễn Văn Tâm" and user["id_number"] == "001090012345"
    assert user["password_hash"].startswith("$argon2id$")
    membership = await seen(Membership.select().where(Membership.user == user["id"]).first())
    assert (membership["ward"], membership["role"], membership["status"]) == (world.a.id, "landlord", "pending")
    consent = await seen(Consent.select().where(Consent.user == user["id"]).first())
    assert consent["purpose"] == "landlord_signup" and consent["text_version"] == "2025-07-01"
    assert consent["ward"] == world.a.id and consent["given_at"] is not None

    await b.login("0977123456", "mat-khau-123")
    page = await b.get("/w/ward-a/landlord/")
    assert page.status_code == 200
    assert "Waiting for approval." in text_of(page.text)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("full_name", "", "This field is required."),
        ("phone", "12345", "Enter a Vietnamese mobile number"),
        ("id_number", "00109001234", "exactly 12 digits"),
        ("id_number", "003090012345", "not a province code"),
        ("password", "short", "Use at least 8 characters."),
        ("password_again", "different-1", "The two passwords are not the same."),
        ("consent", "", "consent to the processing of your personal data"),
    ],
)
async def test_bad_input_is_explained_beside_the_field_and_nothing_is_written(browser, world, field, value, message):
    b = await browser()
    data = {**GOOD, field: value, "form_token": "u" * 32}
    if field == "password":
        data["password_again"] = value
    for htmx in (False, True):
        response = await b.post("/w/ward-a/signup", data, htmx=htmx)
        assert response.status_code == 422
        assert f'id="e-{field}"' in response.text
        assert message in text_of(response.text)
        # What was typed is kept, passwords excepted.
        if field != "full_name":
            assert 'value="Nguyễn Văn Tâm"' in response.text
    assert not await User.exists().where(User.phone == "0977123456")
    assert await seen(Membership.count().where(Membership.role == "landlord")) == 2  # the world's two


async def test_messages_are_vietnamese_by_default(browser, world):
    b = await browser(lang="")
    response = await b.post("/w/ward-a/signup", {**GOOD, "id_number": "12", "form_token": "v" * 32})
    assert response.status_code == 422
    text = text_of(response.text)
    assert "Đăng ký" in text
    assert "12 chữ số" in text


async def test_a_double_submit_creates_one_account(browser, world):
    b = await browser()
    data = {**GOOD, "form_token": "w" * 32}
    first, second = await asyncio.gather(b.post("/w/ward-a/signup", data), b.post("/w/ward-a/signup", data))
    assert first.status_code == second.status_code == 303
    assert first.headers["location"] == second.headers["location"]
    assert await User.count().where(User.phone == "0977123456") == 1
    assert await seen(Membership.count().where(Membership.user.phone == "0977123456")) == 1
    # And a later resend of the same form (back button, reload) lands on the same page, no error.
    third = await b.post("/w/ward-a/signup", data)
    assert third.status_code == 303 and third.headers["location"] == first.headers["location"]


async def test_a_taken_phone_is_refused_with_a_way_forward(browser, world):
    b = await browser()
    response = await b.post("/w/ward-a/signup", {**GOOD, "phone": world.b.landlord, "form_token": "x" * 32})
    assert response.status_code == 409
    assert "already exists. Sign in, then ask to join this ward." in text_of(response.text)


async def test_a_landlord_of_another_ward_joins_this_one(browser, world):
    b = await browser()
    await b.login(world.b.landlord)
    page = await b.get("/w/ward-a/")
    assert "Ask to join as a landlord" in text_of(page.text)
    refused = await b.post("/w/ward-a/join", {})
    assert refused.status_code == 422
    response = await b.post("/w/ward-a/join", {"consent": "on"})
    assert response.status_code == 303 and response.headers["location"] == "/w/ward-a/landlord/"
    page = await b.get("/w/ward-a/landlord/")
    assert page.status_code == 200 and "Waiting for approval." in text_of(page.text)
    # Two wards now: the switcher offers both.
    assert 'name="membership_id"' in page.text
