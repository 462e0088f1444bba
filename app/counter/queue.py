"""The queue's rules that need no database: who is called next, how long a wait is likely to be.

Call order (the same for the counter page, the API, the board's "next" list and the place on a phone):

1. Booked arrivals whose slot has started: a resident who booked 09:00 and took a number at 08:50 waits like
   anyone until 09:00, then is called first. Among them the earlier slot, then the earlier arrival. A resident
   who arrives after their slot has ended has lost it and queues by arrival (the kiosk gives no booked priority).
2. The elderly (60 and over, Luật Người cao tuổi 2009) and people with a disability, by arrival.
3. Everyone else by arrival. A ticket transferred from another counter keeps its first arrival time, so the
   person does not go to the back of the new queue.

Ties are broken by the ticket's id, so the order is total and the same on every worker.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from app.counter.tables import Priority
from app.i18n import TIMEZONE
from app.i18n import today as today  # the queue's day: Vietnam's today (one definition, in app.i18n)

ELDERLY_AGE = 60  # Luật Người cao tuổi 2009, Art. 2: người cao tuổi is a citizen aged 60 or more
DEFAULT_SERVICE_MINUTES = 6.0  # until a group has served enough people today to measure its own pace
MEASURED_AFTER = 3  # services of the day needed before their mean replaces the default
RECENT_SERVICES = 20  # the pace is the mean of the group's latest services: it follows the day's rhythm


@dataclass(frozen=True)
class Waiting:
    """What the order needs to know of a waiting ticket."""

    id: int
    priority: str
    priority_from: datetime | None
    arrived_at: datetime


def order_key(ticket: Waiting, now: datetime) -> tuple:
    if ticket.priority == Priority.booked and ticket.priority_from is not None and ticket.priority_from <= now:
        return (0, ticket.priority_from, ticket.arrived_at, ticket.id)
    if ticket.priority in (Priority.elderly, Priority.disabled):
        return (1, ticket.arrived_at, ticket.id)
    return (2, ticket.arrived_at, ticket.id)


def in_call_order(tickets: Iterable[Waiting], now: datetime) -> list[Waiting]:
    return sorted(tickets, key=lambda t: order_key(t, now))


def local_to_utc(day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=TIMEZONE).astimezone(UTC)


def booked_priority_from(day: date, slot_start: time, slot_end: time, arrived_at: datetime) -> datetime | None:
    """The moment a booked arrival goes to the front, or None when they came after their slot ended."""
    if arrived_at > local_to_utc(day, slot_end):
        return None
    return local_to_utc(day, slot_start)


def age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def is_elderly(birth: date | None, day: date) -> bool:
    return birth is not None and age_on(birth, day) >= ELDERLY_AGE


def service_minutes(durations: Sequence[float]) -> float:
    """The group's pace today: the mean of its latest services, in minutes (called to finished)."""
    recent = list(durations)[-RECENT_SERVICES:]
    if len(recent) < MEASURED_AFTER:
        return DEFAULT_SERVICE_MINUTES
    return sum(recent) / len(recent)


def estimated_wait(ahead: int, pace_minutes: float, open_counters: int) -> int:
    """Minutes until this ticket is likely called: the people ahead shared among the counters open for the
    group, each taking the group's pace. Rounded up to whole minutes; 0 when nobody is ahead."""
    if ahead <= 0:
        return 0
    return math.ceil(ahead * pace_minutes / max(1, open_counters))


def label_of(letter: str, number: int) -> str:
    return f"{letter}{number:03d}"
