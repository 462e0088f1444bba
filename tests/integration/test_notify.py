"""notify.send(): messages are written in the caller's transaction, once per (event, recipient, subject)."""

from __future__ import annotations

import pytest

from app.db import write_transaction
from app.i18n import _l
from app.notify import Recipient, event, send
from app.notify.tables import Notification, OutboxMessage, PlatformMessage, Preference
from tenants.scope import ward_scope
from tests.helpers import make_user, seen

PING = event(
    "test.ping",
    title=_l("Ping"),
    text=_l("%(ward)s: ping %(code)s"),
    example={"code": "X1"},
)
LEGAL = event("test.legal", title=_l("Legal"), text=_l("Legal %(code)s"), essential=True, example={"code": "L"})


async def outbox() -> list[dict]:
    return await seen(OutboxMessage.select().order_by(OutboxMessage.id))


async def test_a_message_is_written_when_the_change_commits(world):
    async with ward_scope(world.a.id), write_transaction():
        written = await send(PING, to=Recipient(phone="84911000111", email="a@example.vn"), data={"code": "7"})
    assert written == 2
    rows = await outbox()
    assert [(r["channel"], r["address"], r["status"], r["ward"]) for r in rows] == [
        ("sms", "84911000111", "pending", world.a.id),
        ("email", "a@example.vn", "pending", world.a.id),
    ]
    assert '"ward": "' in rows[0]["data"] and '"code": "7"' in rows[0]["data"]


async def test_no_message_when_the_change_rolls_back(world):
    with pytest.raises(RuntimeError):
        async with ward_scope(world.a.id), write_transaction():
            await send(PING, to=Recipient(phone="84911000111"), data={"code": "7"})
            raise RuntimeError("the change failed")
    assert await outbox() == []


async def test_the_same_subject_is_written_once(world):
    for _ in range(2):
        async with ward_scope(world.a.id), write_transaction():
            await send(PING, to=Recipient(phone="84911000111"), data={"code": "7"}, subject="thing:1")
    assert len(await outbox()) == 1
    async with ward_scope(world.a.id), write_transaction():
        await send(PING, to=Recipient(phone="84911000111"), data={"code": "7"}, subject="thing:2")
    assert len(await outbox()) == 2


async def test_an_account_gets_the_bell_and_its_phone(world):
    user_id = await make_user("0933000111", "Người Nhận")
    async with ward_scope(world.a.id), write_transaction():
        await send(PING, to=Recipient(user_id=user_id), data={"code": "7"}, subject="s")
    inbox = await Notification.select(Notification.event, Notification.ward_id).where(Notification.user == user_id)
    assert inbox == [{"event": "test.ping", "ward_id": world.a.id}]
    assert [r["address"] for r in await outbox()] == ["0933000111"]


async def test_opted_out_people_get_essential_messages_only(world):
    from datetime import UTC, datetime

    user_id = await make_user("0933000111", "Người Nhận")
    await Preference.insert(Preference(user=user_id, non_essential_off=True, updated_at=datetime.now(UTC)))
    async with ward_scope(world.a.id), write_transaction():
        await send(PING, to=Recipient(user_id=user_id), data={"code": "1"}, subject="s")
        await send(LEGAL, to=Recipient(user_id=user_id), data={"code": "2"}, subject="s")
    assert [r["event"] for r in await outbox()] == ["test.legal"]
    assert await Notification.count().where(Notification.user == user_id) == 2  # both in the inbox


async def test_outside_a_ward_it_is_a_platform_message(database):
    await send(PING, to=Recipient(phone="84911000111"), data={"code": "7"}, subject="p")
    rows = await PlatformMessage.select(PlatformMessage.channel, PlatformMessage.address)
    assert rows == [{"channel": "sms", "address": "84911000111"}]
