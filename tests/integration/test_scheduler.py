"""The scheduler: each due reminder is produced once, whatever runs it how often; after downtime the missed
reminders whose occasion is still ahead are produced, once."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, time, timedelta

from app.counter.tables import Booking, Procedure, ServiceGroup
from app.db import write_transaction
from app.housing.services import new_qr_token
from app.housing.tables import Property, Renter, Room, Stay
from app.i18n import TIMEZONE
from app.notify.scheduler import run_due
from app.notify.tables import JobLease, Notification, OutboxMessage
from app.residence.tables import Declaration
from tenants.scope import ward_scope
from tests.helpers import make_user, seen

DAY = date(2026, 12, 10)  # a Thursday


def vn(day: date, hh: int, mm: int = 0) -> datetime:
    return datetime.combine(day, time(hh, mm), tzinfo=TIMEZONE).astimezone(UTC)


async def make_booking(ward_id: int, day: date, hh: int, mm: int = 0, *, created: datetime, code: str = "A1") -> int:
    async with ward_scope(ward_id), write_transaction():
        group = await ServiceGroup.ward_select(ServiceGroup.id).first()
        if group is None:
            group = ServiceGroup.ward_new(letter="A", name="Cư trú")
            await group.save()
            proc = Procedure.ward_new(service_group=group.id, name="Đăng ký tạm trú", created_at=created)
            await proc.save()
            group_id, proc_id = group.id, proc.id
        else:
            group_id = group["id"]
            proc_id = (await Procedure.ward_select(Procedure.id).first())["id"]
        booking = Booking.ward_new(
            procedure=proc_id,
            service_group=group_id,
            day=day,
            slot_start=time(hh, mm),
            slot_end=time(hh, mm + 15 if mm < 45 else 59),
            full_name="Lê Văn Hẹn",
            # One live booking per phone, procedure and day (a unique index): each code its own phone.
            phone="0912345678" if code == "A1" else f"09{int(''.join(filter(str.isdigit, code)) or 0):08d}",
            code=code,
            token=new_qr_token() + code,
            locale="vi",
            created_at=created,
        )
        await booking.save()
        return booking.id


async def messages(event: str = "") -> list[dict]:
    query = OutboxMessage.select(
        OutboxMessage.event, OutboxMessage.address, OutboxMessage.data, OutboxMessage.dedupe_key
    )
    if event:
        query = query.where(OutboxMessage.event == event)
    return await seen(query.order_by(OutboxMessage.id))


async def test_booking_reminders_the_day_before_and_the_hour_before(world):
    await make_booking(world.a.id, DAY, 8, 30, created=vn(DAY - timedelta(days=3), 9))
    assert await run_due(now=vn(DAY - timedelta(days=1), 17, 59)) == {
        "luu_tru_due": 0,
        "tam_tru_expiring": 0,
        "booking_day_before": 0,
        "booking_hour_before": 0,
        "purge_old_messages": 0,
    }
    assert (await run_due(now=vn(DAY - timedelta(days=1), 18, 0)))["booking_day_before"] == 1
    assert (await run_due(now=vn(DAY - timedelta(days=1), 18, 1)))["booking_day_before"] == 0  # overlap: no repeat
    [day_before] = await messages()
    assert day_before["event"] == "counter.booking_reminder_day_before" and day_before["address"] == "0912345678"
    assert '"time": "08:30"' in day_before["data"] and '"day": "10/12/2026"' in day_before["data"]
    assert '"url": "/w/ward-a/booking/' in day_before["data"]  # the reminder opens the booking's page and QR
    await run_due(now=vn(DAY, 7, 29))
    assert len(await messages()) == 1
    await run_due(now=vn(DAY, 7, 31))
    assert [m["event"] for m in await messages()] == [
        "counter.booking_reminder_day_before",
        "counter.booking_reminder_hour_before",
    ]


async def test_a_booking_made_after_the_reminder_moment_gets_none(world):
    await make_booking(world.a.id, DAY, 8, 30, created=vn(DAY - timedelta(days=1), 20))
    await run_due(now=vn(DAY - timedelta(days=1), 17))
    await run_due(now=vn(DAY - timedelta(days=1), 21))
    assert await messages("counter.booking_reminder_day_before") == []


async def test_after_downtime_each_missed_reminder_is_sent_once_and_past_ones_not_at_all(world):
    created = vn(DAY - timedelta(days=5), 9)
    await make_booking(world.a.id, DAY, 8, 0, created=created, code="A1")  # passed during the downtime
    await make_booking(world.a.id, DAY, 15, 0, created=created, code="A2")  # still ahead
    await make_booking(world.b.id, DAY + timedelta(days=1), 9, 0, created=created, code="B1")  # still ahead
    await run_due(now=vn(DAY - timedelta(days=1), 12))  # last run before the machine went down
    # Down from 12:00 the day before until 14:30 on DAY: the day-before reminders (18:00) of all three and the
    # hour-before ones of A1 (07:00) and A2 (14:00) fell in the gap.
    await asyncio.gather(
        run_due(now=vn(DAY, 14, 30), owner="machine-1"), run_due(now=vn(DAY, 14, 30), owner="machine-2")
    )
    produced = [m["dedupe_key"] for m in await messages()]
    assert len(produced) == len(set(produced))
    codes = sorted((m["event"].rsplit("_", 2)[-2], m["data"].split('"code": "')[1][:2]) for m in await messages())
    assert codes == [("day", "A2"), ("hour", "A2")]  # B1's day-before is at 18:00 on DAY, still ahead
    await run_due(now=vn(DAY, 14, 31))
    await run_due(now=vn(DAY, 18, 0))
    assert len(await messages()) == 3  # B1's day-before, once
    await run_due(now=vn(DAY, 18, 0), owner="machine-2")
    assert len(await messages()) == 3


async def test_two_schedulers_at_once_produce_each_reminder_once(world):
    created = vn(DAY - timedelta(days=5), 9)
    for i in range(30):
        await make_booking(world.a.id, DAY, 8 + i % 8, 15 * (i % 4), created=created, code=f"A{i}")
    now = vn(DAY - timedelta(days=1), 18, 5)
    results = await asyncio.gather(*(run_due(now=now, owner=f"worker-{n}") for n in range(3)))
    assert sum(r.get("booking_day_before", 0) for r in results) == 30
    assert len(await messages()) == 30
    # A lease that lapsed under a slow run: a second worker covers the same span again, and writes nothing new.
    await JobLease.update({JobLease.covered_until: now - timedelta(hours=2), JobLease.lease_until: None}).where(
        JobLease.name == "booking_day_before"
    )
    assert (await run_due(now=now, owner="late"))["booking_day_before"] == 0
    assert len(await messages()) == 30


async def _stay(
    ward_id: int, landlord_id: int, *, from_date: date, created: datetime, expected_to: date | None = None
) -> tuple[int, int]:
    async with ward_scope(ward_id), write_transaction():
        prop = Property.ward_new(
            landlord=landlord_id,
            name="Nhà trọ Hoa Mai",
            street_address="1 Lê Lợi",
            kind="rooms",
            qr_token=new_qr_token(),
        )
        await prop.save()
        room = Room.ward_new(property=prop.id, code="101", max_occupancy=2)
        await room.save()
        renter = Renter.ward_new(id_number="048190012345", full_name="Nguyễn Văn An", name_folded="nguyen van an")
        await renter.save()
        stay = Stay.ward_new(
            renter=renter.id, room=room.id, from_date=from_date, expected_to=expected_to, created_at=created
        )
        await stay.save()
        return stay.id, renter.id


async def test_the_landlord_is_reminded_of_a_luu_tru_due_tonight_once_and_not_once_filed(world):
    landlord = await make_user("0977111222", "Chủ Trọ")
    # Short stays (under 30 days): a lưu trú notice, due before 23:00 on the arrival day. The second is filed.
    short = DAY + timedelta(days=5)
    await _stay(world.a.id, landlord, from_date=DAY, created=vn(DAY, 10), expected_to=short)
    filed, filed_renter = await _stay(world.b.id, landlord, from_date=DAY, created=vn(DAY, 11), expected_to=short)
    async with ward_scope(world.b.id), write_transaction():
        await Declaration.ward_new(stay=filed, renter=filed_renter, kind="luu_tru", state="submitted").save()
    await run_due(now=vn(DAY, 19, 59))
    assert await messages("residence.luu_tru_due_tonight") == []
    await run_due(now=vn(DAY, 20, 1))
    await run_due(now=vn(DAY, 20, 2))
    [message] = await messages("residence.luu_tru_due_tonight")
    assert message["address"] == "0977111222" and "23:00 10/12/2026" in message["data"]
    inbox = await Notification.select(Notification.essential).where(Notification.user == landlord)
    assert inbox == [{"essential": True}]
    await run_due(now=vn(DAY, 22, 0))
    assert len(await messages("residence.luu_tru_due_tonight")) == 1


async def test_the_landlord_is_told_15_days_before_a_tam_tru_ends(world):
    landlord = await make_user("0977111222", "Chủ Trọ")
    stay_id, renter_id = await _stay(world.a.id, landlord, from_date=date(2026, 6, 1), created=vn(date(2026, 6, 1), 9))
    async with ward_scope(world.a.id), write_transaction():
        await Declaration.ward_new(
            stay=stay_id,
            renter=renter_id,
            kind="tam_tru",
            state="accepted",
            full_name="Nguyễn Văn An",
            arrival_date=date(2026, 6, 1),
            expected_departure=DAY + timedelta(days=15),
        ).save()
    await run_due(now=vn(DAY - timedelta(days=1), 9))
    await run_due(now=vn(DAY, 7, 59))
    assert await messages("residence.tam_tru_expiring") == []
    await run_due(now=vn(DAY, 8, 0))
    await run_due(now=vn(DAY, 9, 0))
    [message] = await messages("residence.tam_tru_expiring")
    assert '"expiry": "25/12/2026"' in message["data"]


async def test_old_sent_messages_and_read_notifications_are_deleted_at_night(world):
    from app.notify import Recipient, send
    from app.notify.registry import get_event

    landlord = await make_user("0977111222", "Chủ Trọ")
    old = vn(DAY - timedelta(days=200), 10)
    async with ward_scope(world.a.id), write_transaction():
        for subject in ("old", "new"):
            await send(get_event("accounts.landlord_approved"), to=Recipient(user_id=landlord), subject=subject)
        await OutboxMessage.ward_update({OutboxMessage.status: "sent"})
        await OutboxMessage.ward_update({OutboxMessage.created_at: old}).where(OutboxMessage.dedupe_key.like("%|old|%"))
    await Notification.update({Notification.read_at: old, Notification.created_at: old}).where(
        Notification.dedupe_key.like("%|old")
    )
    await run_due(now=vn(DAY, 2, 59))
    assert len(await messages()) == 2
    assert (await run_due(now=vn(DAY, 3, 1)))["purge_old_messages"] == 2
    assert [m["dedupe_key"].split("|")[2] for m in await messages()] == ["new"]
    assert await Notification.count() == 1


async def test_one_ward_failing_does_not_hold_back_the_others_reminders(world, monkeypatch):
    """A ward whose reminders fail (a bad row, say) is logged and retried next run; the other wards' go out."""
    import dataclasses

    from app.notify import scheduler
    from tenants.scope import current_ward_id

    await make_booking(world.a.id, DAY, 8, 30, created=vn(DAY - timedelta(days=3), 9), code="A1")
    await make_booking(world.b.id, DAY, 9, 0, created=vn(DAY - timedelta(days=3), 9), code="B1")
    await run_due(now=vn(DAY - timedelta(days=1), 17, 0))
    kinds = list(scheduler.KINDS)
    index = next(i for i, k in enumerate(kinds) if k.name == "booking_day_before")
    real = kinds[index].produce

    async def failing_in_ward_a(start, end, now):
        if current_ward_id() == world.a.id:
            raise RuntimeError("a bad row")
        return await real(start, end, now)

    broken = list(kinds)
    broken[index] = dataclasses.replace(kinds[index], produce=failing_in_ward_a)
    monkeypatch.setattr(scheduler, "KINDS", broken)
    assert (await run_due(now=vn(DAY - timedelta(days=1), 18, 0)))["booking_day_before"] == 1  # ward B's
    assert [m["address"] for m in await messages("counter.booking_reminder_day_before")] == ["0900000001"]
    monkeypatch.setattr(scheduler, "KINDS", kinds)  # mended: the next run covers ward A's span again
    assert (await run_due(now=vn(DAY - timedelta(days=1), 18, 5)))["booking_day_before"] == 1
    assert len(await messages("counter.booking_reminder_day_before")) == 2
