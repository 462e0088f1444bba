"""What people see: the bell and the inbox, their message settings, and the ward officers' outbox."""

from __future__ import annotations

from app.accounts.tables import User
from app.audit.tables import AuditEvent
from app.db import write_transaction
from app.i18n import _l
from app.notify import Recipient, event, send
from app.notify.tables import Notification, OutboxMessage, Preference, WardChannels
from tenants.scope import ward_scope
from tests.helpers import seen, text_of

PING = event("test.ping", title=_l("Ping"), text=_l("%(ward)s: ping %(code)s"), example={"code": "X1"})


async def user_id(phone: str) -> int:
    return (await User.select(User.id).where(User.phone == phone).first())["id"]


async def notify(ward_id: int, uid: int, code: str, url: str = "") -> None:
    async with ward_scope(ward_id), write_transaction():
        await send(PING, to=Recipient(user_id=uid), data={"code": code, "url": url}, subject=code)


async def test_the_bell_counts_unread_and_the_inbox_opens_them(browser, world):
    landlord = await user_id(world.a.landlord)
    await notify(world.a.id, landlord, "A1", url="/w/ward-a/landlord/")
    await notify(world.a.id, landlord, "A2")
    b = await browser()
    await b.login(world.a.landlord)
    home = await b.get("/w/ward-a/landlord/")
    assert 'class="bell unread"' in home.text and "2 unread" in home.text
    page = text_of((await b.get("/notifications")).text)
    assert "ping A1" in page and "ping A2" in page and page.index("ping A2") < page.index("ping A1")  # newest first
    [first] = await Notification.select(Notification.id).where(Notification.data.like("%A1%"))
    opened = await b.post(f"/notifications/{first['id']}/open")
    assert opened.status_code == 303 and opened.headers["location"] == "/w/ward-a/landlord/"
    assert "1 unread" in (await b.get("/notifications")).text
    assert (await b.post("/notifications/read")).status_code == 303
    assert 'class="bell unread"' not in (await b.get("/notifications")).text


async def test_nobody_opens_another_persons_notification(browser, world):
    await notify(world.a.id, await user_id(world.a.landlord), "A1")
    [row] = await Notification.select(Notification.id)
    b = await browser()
    await b.login(world.b.landlord)
    assert (await b.post(f"/notifications/{row['id']}/open")).status_code == 404
    assert "ping A1" not in text_of((await b.get("/notifications")).text)
    assert await Notification.count().where(Notification.read_at.is_null()) == 1


async def test_a_person_opts_out_and_gives_an_email(browser, world):
    b = await browser()
    await b.login(world.a.landlord)
    bad = await b.post("/account/notifications", {"email": "not an address"})
    assert bad.status_code == 422 and "name@example.vn" in text_of(bad.text)
    ok = await b.post("/account/notifications", {"email": "chu.nha@example.vn", "non_essential_off": "on"})
    assert ok.status_code == 303
    [pref] = await Preference.select(Preference.email, Preference.non_essential_off)
    assert pref == {"email": "chu.nha@example.vn", "non_essential_off": True}
    assert "checked" in (await b.get("/account/notifications")).text


async def test_officers_see_the_outbox_and_send_a_dead_message_again(browser, world):
    async with ward_scope(world.a.id), write_transaction():
        await send(PING, to=Recipient(phone="0911000111"), data={"code": "A1"}, subject="x")
        await OutboxMessage.ward_update(
            {OutboxMessage.status: "dead", OutboxMessage.attempts: 6, OutboxMessage.last_error: "HTTP 503"}
        )
    [message] = await seen(OutboxMessage.select(OutboxMessage.id))
    officer = await browser()
    await officer.login(world.a.officer)
    page = text_of((await officer.get("/w/ward-a/officer/outbox?status=dead")).text)
    assert "Ping" in page and "Failed" in page and "HTTP 503" in page and "0911 000 111" in page
    assert (await officer.post(f"/w/ward-a/officer/outbox/{message['id']}/resend")).status_code == 303
    [row] = await seen(OutboxMessage.select(OutboxMessage.status, OutboxMessage.attempts))
    assert row == {"status": "pending", "attempts": 0}
    assert await AuditEvent.exists().where(AuditEvent.action == "notify_message_resent")
    assert (await officer.post(f"/w/ward-a/officer/outbox/{message['id']}/resend")).status_code == 409
    # Another ward's officer, and the ward's landlord, do not reach it.
    other = await browser()
    await other.login(world.b.officer)
    assert (await other.post(f"/w/ward-b/officer/outbox/{message['id']}/resend")).status_code == 404
    landlord = await browser()
    await landlord.login(world.a.landlord)
    assert (await landlord.get("/w/ward-a/officer/outbox")).status_code in (403, 404)


async def test_officers_choose_the_wards_transports(browser, world):
    officer = await browser()
    await officer.login(world.a.officer)
    assert (await officer.post("/w/ward-a/officer/channels", {"sms": "on", "zalo": "on"})).status_code == 303
    rows = await seen(WardChannels.select(WardChannels.ward, WardChannels.sms, WardChannels.zalo, WardChannels.email))
    assert rows == [{"ward": world.a.id, "sms": True, "zalo": True, "email": False}]
    async with ward_scope(world.a.id), write_transaction():
        await send(PING, to=Recipient(phone="0911000111", email="a@example.vn"), data={"code": "1"}, subject="y")
    # Zalo has no template for this event here: the message goes by SMS; e-mail is off.
    assert [r["channel"] for r in await seen(OutboxMessage.select(OutboxMessage.channel))] == ["sms"]
