"""The public property page is served from memory for visitors who are not signed in: what they notice must
be the same as a fresh page, their own CSRF token included, and every change shows at once."""

import re

from app.housing.tables import Property
from tests.helpers import seen, text_of
from tests.integration.test_housing import _landlord_with_house


def _form_token(html: str) -> str:
    return re.search(r'name="_csrf_token" value="([^"]+)"', html).group(1)


async def _token(pid: int) -> str:
    return (await seen(Property.select(Property.qr_token).where(Property.id == pid).first()))["qr_token"]


async def test_each_visitor_gets_their_own_csrf_token_and_can_switch_language(browser, world):
    _b, pid = await _landlord_with_house(browser, world)
    token = await _token(pid)
    first, second = await browser(lang=""), await browser(lang="")
    one = await first.get(f"/q/{token}")
    two = await second.get(f"/q/{token}")
    assert one.status_code == two.status_code == 200 and "Nhà trọ Hoa Sữa" in text_of(two.text)
    assert _form_token(one.text) == first.client.cookies["csrftoken"]
    assert _form_token(two.text) == second.client.cookies["csrftoken"] != first.client.cookies["csrftoken"]
    assert f'"x-csrftoken": "{second.client.cookies["csrftoken"]}"' in two.text
    again = await first.get(f"/q/{token}")  # a returning visitor keeps their token: no new cookie
    assert _form_token(again.text) == first.client.cookies["csrftoken"] and "set-cookie" not in again.headers
    switched = await second.client.post(
        "/lang", data={"_csrf_token": _form_token(two.text), "locale": "en", "next": f"/q/{token}"}
    )
    assert switched.status_code == 303
    english = await second.get(f"/q/{token}")
    assert '<html lang="en">' in english.text and "Ask to be registered here" in text_of(english.text)
    vietnamese = await first.get(f"/q/{token}")
    assert '<html lang="vi">' in vietnamese.text and "Ask to be registered here" not in text_of(vietnamese.text)


async def test_changes_show_at_once(browser, world):
    b, pid = await _landlord_with_house(browser, world)
    old = await _token(pid)
    resident = await browser()
    assert "This sticker was replaced" not in text_of((await resident.get(f"/q/{old}")).text)
    await b.post(f"/w/ward-a/landlord/properties/{pid}/rotate")
    assert "This sticker was replaced" in text_of((await resident.get(f"/q/{old}")).text)
    new = await _token(pid)
    assert (await resident.get(f"/q/{new}")).status_code == 200

    admin = await browser()
    await admin.login(world.admin)
    changed = await admin.post(
        f"/admin/wards/{world.a.id}",
        {"slug": "ward-a", "address": "Trụ sở mới", "phone": "024 3999 8888", "police_phone": "024 3555 6666",
         "email": "", "office_hours": "T2-T6 07:30-11:30", "active": "on"},
    )  # fmt: skip
    assert changed.status_code == 303, text_of(changed.text)[:300]
    assert "024 3999 8888" in text_of((await resident.get(f"/q/{new}")).text)

    officer = await browser()
    await officer.login(world.a.officer)
    await officer.post(f"/w/ward-a/officer/properties/{pid}/verify")
    await officer.post(f"/w/ward-a/officer/properties/{pid}/suspend", {"reason": "Vi phạm PCCC"})
    assert (await resident.get(f"/q/{new}")).status_code == 404


async def test_a_signed_in_visitor_is_never_shown_to_others(browser, world):
    b, pid = await _landlord_with_house(browser, world)
    token = await _token(pid)
    mine = await b.get(f"/q/{token}")
    assert "Landlord ward-a" in text_of(mine.text)  # the header says who is signed in
    stranger = await (await browser()).get(f"/q/{token}")
    assert "Landlord ward-a" not in text_of(stranger.text) and "Sign in" in text_of(stranger.text)
    again = await b.get(f"/q/{token}")
    assert "Landlord ward-a" in text_of(again.text)
