"""Demo of the queue: counters in each demo ward and a queue in progress today (some served, one at each of two
counters, people waiting, one elderly, some of today's bookings checked in), so the kiosk, the counter page and
the board open on real figures. Called by `app.demo.load_demo()` after the catalogue's demo."""

from __future__ import annotations

import contextlib
import random
from datetime import UTC, datetime, timedelta

from app.counter import tickets
from app.counter.counters import list_counters, save_counter, service_groups
from app.counter.queue import today
from app.counter.tables import Booking, BookingStatus, Priority, ServiceGroup, Ticket, TicketStatus
from app.db import write_transaction
from app.errors import RuleError
from tenants.scope import ward_scope

# Used only when the catalogue's demo has made no group (the queue needs at least one to give numbers).
FALLBACK_GROUPS = [("A", "Cư trú"), ("B", "Chứng thực"), ("C", "Hộ tịch")]
NAMES = ["Nguyễn Văn An", "Trần Thị Bích", "Lê Hoàng Cường", "Phạm Thị Dung", "Hoàng Văn Em", "Vũ Thị Giang",
         "Đặng Minh Hải", "Bùi Thị Hạnh", "Đỗ Quang Khải", "Ngô Thị Lan", "Dương Văn Long", "Lý Thị Mai"]  # fmt: skip


async def _groups() -> list[dict]:
    groups = await service_groups()
    if groups:
        return groups
    async with write_transaction():
        for i, (letter, name) in enumerate(FALLBACK_GROUPS):
            await ServiceGroup.ward_insert(ServiceGroup.ward_new(letter=letter, name=name, sort_order=i))
    return await service_groups()


async def load_queue_demo(ward_id: int, *, counters: int = 3, people: int = 14, seed: int = 0) -> None:
    rng = random.Random(seed)
    async with ward_scope(ward_id):
        if await list_counters(include_inactive=True):
            return  # loaded before
        groups = await _groups()
        ids = [g["id"] for g in groups]
        # Counter 1 the first group, counter 2 the first two, the last one every group: a typical small ward.
        plans = [ids[:1], ids[:2], ids][:counters] if len(ids) > 1 else [ids] * counters
        plans[-1] = ids  # every group has a counter
        names = {0: "Cư trú", 1: "Cư trú – Chứng thực", 2: "Tổng hợp"}
        counter_ids = [
            await save_counter(None, number=i + 1, name=names.get(i, ""), group_ids=plan)
            for i, plan in enumerate(plans)
        ]
        now = datetime.now(UTC)
        taken = []
        for i in range(people):
            group = ids[(0, 0, 1, 0, 2, 1, 0)[i % 7] % len(ids)]  # mostly residence, as at a ward's counter
            priority = Priority.elderly if i == people - 3 else Priority.none
            holder = tickets.Holder(full_name=rng.choice(NAMES)) if rng.random() < 0.4 else tickets.Holder()
            ticket_id = await tickets.take_walk_in(group, priority=priority, holder=holder)
            taken.append(ticket_id)
        # Today's bookings of the catalogue's demo whose slot has begun: checked in at the kiosk.
        booked = await (
            Booking.ward_select(Booking.id)
            .where((Booking.day == today()) & (Booking.status == BookingStatus.booked))
            .order_by(Booking.slot_start)
            .limit(2)
        )
        for row in booked:
            ticket_id, _new = await tickets.check_in(row["id"])
            taken.append(ticket_id)
        # Make the morning look lived: arrivals over the last 90 minutes, the first ones served.
        served = max(0, len(taken) // 2 - 1)
        group_of = {r["id"]: r["service_group"] for r in await Ticket.ward_select(Ticket.id, Ticket.service_group)}
        async with write_transaction():
            for order, ticket_id in enumerate(taken):
                able = [c for c, plan in zip(counter_ids, plans, strict=True) if group_of[ticket_id] in plan]
                arrived = now - timedelta(minutes=90 - order * (80 / max(1, len(taken))))
                values = {Ticket.arrived_at: arrived, Ticket.queued_at: arrived}
                if order < served:
                    called = arrived + timedelta(minutes=rng.randint(4, 12))
                    values.update(
                        {
                            Ticket.status: TicketStatus.done,
                            Ticket.counter: able[order % len(able)],
                            Ticket.called_at: called,
                            Ticket.started_at: called + timedelta(minutes=1),
                            Ticket.ended_at: called + timedelta(minutes=rng.randint(4, 9)),
                        }
                    )
                await Ticket.ward_update(values).where(Ticket.id == ticket_id)
        # One person being served at counter 1, one just called at counter 2 (if anyone waits for them).
        with contextlib.suppress(RuleError):
            await tickets.call(counter_ids[0], officer_id=None)
            await tickets.start(counter_ids[0], officer_id=None)
        if len(counter_ids) > 1:
            with contextlib.suppress(RuleError):
                await tickets.call(counter_ids[1], officer_id=None)
