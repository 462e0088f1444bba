"""What the board, the counter pages and a phone following a ticket show: one read of the ward's queue today.

The state is read once per live event per worker and shared by every page open on that worker (a TV, twenty
phones), so an event costs one query however many people are watching.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import UTC, datetime

from app.counter import tickets
from app.counter.queue import estimated_wait, service_minutes, today
from app.counter.tables import Counter, CounterGroup, ServiceGroup, Ticket, TicketStatus
from tenants.scope import ward_scope

NEXT_SHOWN = 5  # numbers shown as "next" per group on the board


@dataclass
class CounterNow:
    id: int
    number: int
    name: str
    paused: bool
    pause_reason: str
    label: str = ""  # the ticket called or served here now
    status: str = ""
    groups: list[int] = field(default_factory=list)


@dataclass
class GroupQueue:
    id: int
    letter: str
    name: str
    order: list[int] = field(default_factory=list)  # waiting ticket ids in call order
    labels: list[str] = field(default_factory=list)
    pace: float = 0.0  # minutes per service today
    open_counters: int = 0

    @property
    def next_labels(self) -> list[str]:
        return self.labels[:NEXT_SHOWN]


@dataclass
class QueueState:
    counters: list[CounterNow]
    groups: list[GroupQueue]
    by_target: dict[int, list[int]]  # tickets transferred to one counter, in call order
    last_call: dict | None  # the latest call of the day: label, counter number, when
    read_at: datetime

    def group(self, group_id: int) -> GroupQueue | None:
        return next((g for g in self.groups if g.id == group_id), None)

    def place_of(self, ticket: dict) -> tuple[int, int] | None:
        """(people ahead, estimated minutes) for a waiting ticket, or None if it is not waiting."""
        if ticket["status"] != TicketStatus.waiting:
            return None
        group = self.group(ticket["service_group"])
        if ticket["target_counter"]:
            order = self.by_target.get(ticket["target_counter"], [])
            open_counters = 1
        else:
            order = group.order if group else []
            open_counters = group.open_counters if group else 0
        ahead = order.index(ticket["id"]) if ticket["id"] in order else len(order)
        pace = group.pace if group else service_minutes([])
        return ahead, estimated_wait(ahead, pace, open_counters)


async def read_state() -> QueueState:
    """The queue of the current ward today (inside its ward scope)."""
    day = today()
    now = datetime.now(UTC)
    counter_rows = await (
        Counter.ward_select(Counter.id, Counter.number, Counter.name, Counter.paused, Counter.pause_reason)
        .where(Counter.active == True)  # noqa: E712
        .order_by(Counter.number)
    )
    links = await CounterGroup.ward_select(CounterGroup.counter, CounterGroup.service_group)
    group_rows = await (
        ServiceGroup.ward_select(ServiceGroup.id, ServiceGroup.letter, ServiceGroup.name)
        .where(ServiceGroup.active == True)  # noqa: E712
        .order_by(ServiceGroup.sort_order)
        .order_by(ServiceGroup.letter)
    )
    live_rows = await Ticket.ward_select(*tickets.TICKET_COLUMNS).where(
        (Ticket.day == day) & Ticket.status.is_in([TicketStatus.waiting, TicketStatus.called, TicketStatus.serving])
    )
    served = await (
        Ticket.ward_select(Ticket.service_group, Ticket.called_at, Ticket.ended_at)
        .where((Ticket.day == day) & (Ticket.status == TicketStatus.done) & Ticket.called_at.is_not_null())
        .order_by(Ticket.ended_at)
    )
    last = await (
        Ticket.ward_select(Ticket.id, Ticket.label, Ticket.called_at, Ticket.recall_count, Ticket.counter.number)
        .where((Ticket.day == day) & Ticket.called_at.is_not_null())
        .order_by(Ticket.called_at, ascending=False)
        .first()
    )
    counters = {r["id"]: CounterNow(**r) for r in counter_rows}
    for link in links:
        if link["counter"] in counters:
            counters[link["counter"]].groups.append(link["service_group"])
    for row in live_rows:
        if row["status"] != TicketStatus.waiting and row["counter"] in counters:
            counters[row["counter"]].label = row["label"]
            counters[row["counter"]].status = row["status"]
    waiting = tickets.sort_waiting([r for r in live_rows if r["status"] == TicketStatus.waiting], now)
    groups = []
    for g in group_rows:
        queue = GroupQueue(g["id"], g["letter"], g["name"])
        mine = [t for t in waiting if t["service_group"] == g["id"] and not t["target_counter"]]
        queue.order = [t["id"] for t in mine]
        queue.labels = [t["label"] for t in mine]
        durations = [
            (s["ended_at"] - s["called_at"]).total_seconds() / 60 for s in served if s["service_group"] == g["id"]
        ]
        queue.pace = service_minutes(durations)
        queue.open_counters = sum(1 for c in counters.values() if g["id"] in c.groups and not c.paused)
        groups.append(queue)
    by_target: dict[int, list[int]] = {}
    for t in waiting:
        if t["target_counter"]:
            by_target.setdefault(t["target_counter"], []).append(t["id"])
    last_call = None
    if last is not None:
        last_call = {
            "ticket": last["id"],
            "label": last["label"],
            "counter": last["counter.number"],
            "recall": last["recall_count"],
            "at": last["called_at"],
        }
    return QueueState(list(counters.values()), groups, by_target, last_call, now)


# One read per (ward, event) per worker, shared by every page waiting on it.
_shared: dict[int, tuple[int, asyncio.Future]] = {}


async def shared_state(ward_id: int, seq: int) -> QueueState:
    """The state after the event numbered `seq` (see `live.Subscription`), read once for all pages here."""
    kept = _shared.get(ward_id)
    if kept is not None and kept[0] >= seq and not (kept[1].done() and kept[1].exception()):
        return await asyncio.shield(kept[1])
    future: asyncio.Future = asyncio.get_running_loop().create_future()
    _shared[ward_id] = (seq, future)
    try:
        async with ward_scope(ward_id):
            state = await read_state()
    except BaseException as exc:
        future.set_exception(exc)
        future.exception()  # retrieved: no "never retrieved" warning when nobody else waited
        _shared.pop(ward_id, None)
        raise
    future.set_result(state)
    return state
