"""Tickets and the counter's actions through the services every page and the API use (both engines)."""

import asyncio
from datetime import UTC, datetime, time, timedelta

import pytest

from app.counter import tickets
from app.counter.close_day import close_days
from app.counter.queue import today
from app.counter.tables import Booking, Counter, Priority, Ticket, TicketStatus
from app.db import write_transaction
from app.errors import RuleError
from app.i18n import TIMEZONE
from tenants.scope import ward_scope
from tests.helpers import seen
from tests.queue_fixtures import make_booking, make_counter, make_groups, make_procedure


@pytest.fixture
async def desk(world):
    groups = await make_groups(world.a.id)
    counter_1 = await make_counter(world.a.id, 1, [groups["A"]])
    counter_2 = await make_counter(world.a.id, 2, [groups["A"], groups["B"]])
    return {"ward": world.a.id, "groups": groups, "c1": counter_1, "c2": counter_2}


async def _take(ward_id, group_id, **kw):
    async with ward_scope(ward_id):
        return await tickets.take_walk_in(group_id, **kw)


async def _label(ward_id, ticket_id):
    async with ward_scope(ward_id):
        return (await tickets.ticket(ticket_id))["label"]


async def test_numbers_run_per_group_and_day_with_the_group_letter(desk):
    ward, groups = desk["ward"], desk["groups"]
    a1 = await _take(ward, groups["A"])
    a2 = await _take(ward, groups["A"])
    b1 = await _take(ward, groups["B"])
    assert [await _label(ward, t) for t in (a1, a2, b1)] == ["A001", "A002", "B001"]


async def test_concurrent_kiosks_get_distinct_numbers_without_gaps(desk):
    ward, group = desk["ward"], desk["groups"]["A"]
    ids = await asyncio.gather(*[_take(ward, group) for _ in range(30)])
    rows = await seen(Ticket.select(Ticket.number).where(Ticket.id.is_in(list(ids))))
    assert sorted(r["number"] for r in rows) == list(range(1, 31))


async def test_a_double_tap_gives_one_ticket(desk):
    ward, group = desk["ward"], desk["groups"]["A"]
    token = "same-form-token-0123456789"
    first = await _take(ward, group, form_token=token)
    again = await _take(ward, group, form_token=token)
    assert first == again and await seen(Ticket.count()) == 1


async def _call(ward, counter_id, label=""):
    async with ward_scope(ward):
        return await tickets.call(counter_id, officer_id=None, label=label)


async def _do(ward, action, counter_id, **kw):
    async with ward_scope(ward):
        return await getattr(tickets, action)(counter_id, officer_id=None, **kw)


async def test_call_next_follows_priority_then_arrival(desk):
    ward, groups = desk["ward"], desk["groups"]
    proc = await make_procedure(ward, groups["A"])
    walk_in = await _take(ward, groups["A"])
    elderly = await _take(ward, groups["A"], priority=Priority.elderly)
    booking = await make_booking(ward, groups["A"], proc)  # its slot started a few minutes ago
    async with ward_scope(ward):
        booked, _new = await tickets.check_in(booking["id"])
    order = []
    for _ in range(3):
        called = await _call(ward, desk["c1"])
        order.append(called["id"])
        await _do(ward, "finish", desk["c1"])
    assert order == [booked, elderly, walk_in]


async def test_two_counters_calling_at_once_never_call_the_same_ticket(desk):
    ward, group = desk["ward"], desk["groups"]["A"]
    for _ in range(4):
        await _take(ward, group)
    first, second = await asyncio.gather(_call(ward, desk["c1"]), _call(ward, desk["c2"]))
    assert first["id"] != second["id"]
    rows = await seen(Ticket.select(Ticket.counter).where(Ticket.status == TicketStatus.called))
    assert sorted(r["counter"] for r in rows) == sorted([desk["c1"], desk["c2"]])


async def test_every_action_records_its_time_and_state(desk):
    ward, group = desk["ward"], desk["groups"]["A"]
    t1 = await _take(ward, group)
    t2 = await _take(ward, group)
    called = await _call(ward, desk["c1"])
    assert called["id"] == t1
    with pytest.raises(RuleError):  # called, not served: start or skip first
        await _call(ward, desk["c1"])
    recalled = await _do(ward, "recall", desk["c1"])
    assert recalled["recall_count"] == 1
    await _do(ward, "start", desk["c1"])
    await _do(ward, "finish", desk["c1"])
    row = (await seen(Ticket.select().where(Ticket.id == t1)))[0]
    assert row["status"] == TicketStatus.done and row["recall_count"] == 1
    assert row["arrived_at"] <= row["called_at"] <= row["started_at"] <= row["ended_at"]
    await _call(ward, desk["c1"])
    await _do(ward, "skip", desk["c1"])
    row = (await seen(Ticket.select().where(Ticket.id == t2)))[0]
    assert row["status"] == TicketStatus.no_show and row["ended_at"] is not None
    again = await _call(ward, desk["c1"], label="a002")  # the skipped person came back: called by number
    assert again["id"] == t2
    with pytest.raises(RuleError):
        await _call(ward, desk["c2"], label="A999")


async def test_calling_next_finishes_the_one_being_served(desk):
    ward, group = desk["ward"], desk["groups"]["A"]
    t1 = await _take(ward, group)
    await _take(ward, group)
    await _call(ward, desk["c1"])
    await _do(ward, "start", desk["c1"])
    await _call(ward, desk["c1"])
    row = (await seen(Ticket.select().where(Ticket.id == t1)))[0]
    assert row["status"] == TicketStatus.done and row["ended_at"] is not None


async def test_transfer_keeps_the_number_the_arrival_and_the_phone_link(desk):
    ward, groups = desk["ward"], desk["groups"]
    t1 = await _take(ward, groups["A"])
    async with ward_scope(ward):
        token = (await tickets.ticket(t1))["token"]
    await _call(ward, desk["c1"])
    moved = await _do(ward, "transfer", desk["c1"], to_group=groups["B"])
    old = (await seen(Ticket.select().where(Ticket.id == t1)))[0]
    new = (await seen(Ticket.select().where(Ticket.id == moved["id"])))[0]
    assert old["status"] == TicketStatus.transferred and old["ended_at"] is not None
    assert new["status"] == TicketStatus.waiting and new["label"] == "A001" and new["service_group"] == groups["B"]
    assert new["arrived_at"] == old["arrived_at"] and new["token"] == token and old["token"] != token
    # Counter 1 calls group A only; counter 2 calls B too and gets the transferred ticket.
    with pytest.raises(RuleError):
        await _call(ward, desk["c1"])
    assert (await _call(ward, desk["c2"]))["id"] == moved["id"]
    # Transferred to a counter: only that counter calls it.
    moved_again = await _do(ward, "transfer", desk["c2"], to_counter=desk["c1"])
    assert (await _call(ward, desk["c1"]))["id"] == moved_again["id"]


async def test_a_paused_counter_does_not_call_and_says_why(desk):
    ward, group = desk["ward"], desk["groups"]["A"]
    await _take(ward, group)
    with pytest.raises(RuleError):
        await _do(ward, "pause", desk["c1"], reason="   ")
    await _do(ward, "pause", desk["c1"], reason="Họp giao ban")
    row = (await seen(Counter.select().where(Counter.id == desk["c1"])))[0]
    assert row["paused"] and row["pause_reason"] == "Họp giao ban"
    with pytest.raises(RuleError):
        await _call(ward, desk["c1"])
    await _do(ward, "resume", desk["c1"])
    assert (await _call(ward, desk["c1"]))["label"] == "A001"


async def test_a_booking_checks_in_once_and_only_on_its_day(desk):
    ward, group = desk["ward"], desk["groups"]["A"]
    proc = await make_procedure(ward, group)
    booking = await make_booking(ward, group, proc)
    async with ward_scope(ward):
        first, new = await tickets.check_in(booking["id"])
        again, new_again = await tickets.check_in(booking["id"])
    assert new and not new_again and first == again
    status = (await seen(Booking.select(Booking.status).where(Booking.id == booking["id"])))[0]["status"]
    assert status == "checked_in"
    tomorrow = await make_booking(ward, group, proc, day=today() + timedelta(days=1))
    async with ward_scope(ward):
        with pytest.raises(tickets.BookingNotToday):
            await tickets.check_in(tomorrow["id"])


async def test_two_kiosks_scanning_one_booking_at_once_show_the_same_ticket(desk):
    ward, group = desk["ward"], desk["groups"]["A"]
    booking = await make_booking(ward, group, await make_procedure(ward, group))

    async def scan():
        async with ward_scope(ward):
            return await tickets.check_in(booking["id"])

    (first, first_new), (second, second_new) = await asyncio.gather(scan(), scan())
    assert first == second and sorted([first_new, second_new]) == [False, True]


async def test_a_late_booking_queues_by_arrival(desk):
    ward, group = desk["ward"], desk["groups"]["A"]
    proc = await make_procedure(ward, group)
    now_local = datetime.now(UTC).astimezone(TIMEZONE)
    if now_local.hour == 0 and now_local.minute < 2:
        pytest.skip("no slot has ended yet today")
    booking = await make_booking(ward, group, proc, start=time(0, 0), minutes=1)
    async with ward_scope(ward):
        ticket_id, _new = await tickets.check_in(booking["id"])
        row = await tickets.ticket(ticket_id)
    assert row["priority"] == Priority.none and row["priority_from"] is None


async def test_close_day_archives_and_marks_no_shows(desk):
    ward, group = desk["ward"], desk["groups"]["A"]
    proc = await make_procedure(ward, group)
    served = await _take(ward, group)
    waiting = await _take(ward, group)
    await _call(ward, desk["c1"])
    await _do(ward, "finish", desk["c1"])
    missed = await make_booking(ward, group, proc)
    await _do(ward, "pause", desk["c2"], reason="Nghỉ trưa")
    async with ward_scope(ward):
        closed = await close_days(today() + timedelta(days=1))
    assert (closed.tickets, closed.unserved, closed.no_show_bookings) == (2, 1, 1)
    rows = {r["id"]: r for r in await seen(Ticket.select())}
    assert all(r["archived"] for r in rows.values())
    assert rows[waiting]["status"] == TicketStatus.cancelled and rows[served]["status"] == TicketStatus.done
    status = (await seen(Booking.select(Booking.status).where(Booking.id == missed["id"])))[0]["status"]
    assert status == "no_show"
    assert not (await seen(Counter.select().where(Counter.id == desk["c2"])))[0]["paused"]
    async with ward_scope(ward):
        assert (await close_days(today() + timedelta(days=1))).tickets == 0  # nothing twice


async def test_numbers_start_again_each_day(desk):
    ward, group = desk["ward"], desk["groups"]["A"]
    await _take(ward, group)
    async with ward_scope(ward):
        async with write_transaction():
            await Ticket.ward_update({Ticket.day: today() - timedelta(days=1)}).where(Ticket.id > 0)
        from app.counter.tables import TicketSequence

        async with write_transaction():
            await TicketSequence.ward_update({TicketSequence.day: today() - timedelta(days=1)}).where(
                TicketSequence.id > 0
            )
    assert await _label(ward, await _take(ward, group)) == "A001"


async def test_a_phone_is_told_once_when_its_number_is_coming_up(desk):
    from app.notify.tables import OutboxMessage

    ward, group = desk["ward"], desk["groups"]["A"]
    for _ in range(3):
        await _take(ward, group)
    mine = await _take(ward, group, holder=tickets.Holder(phone="0912345678"))
    just_arrived = await _take(ward, group, holder=tickets.Holder(phone="0987654321"))
    async with ward_scope(ward), write_transaction():  # they took their numbers ten minutes ago...
        ten_minutes_ago = datetime.now(UTC) - timedelta(minutes=10)
        await Ticket.ward_update({Ticket.queued_at: ten_minutes_ago}).where(Ticket.id != just_arrived)
    await _call(ward, desk["c1"])  # A001 called: two left before mine, told now
    await _do(ward, "finish", desk["c1"])
    await _call(ward, desk["c1"])  # one before mine: not told again
    await _do(ward, "finish", desk["c1"])
    await _call(ward, desk["c1"])
    rows = await seen(OutboxMessage.select(OutboxMessage.event, OutboxMessage.address, OutboxMessage.data))
    assert [(r["event"], r["address"]) for r in rows] == [("counter.ticket_almost_called", "0912345678")]
    assert (
        '"number": "A004"' in rows[0]["data"]
        and f"/t/{(await seen(Ticket.select(Ticket.token).where(Ticket.id == mine)))[0]['token']}" in rows[0]["data"]
    )
