"""Booking slots, as pure functions: the ward's office hours cut into slots of a fixed length, on the days the
counter is open (office hours that weekday, not a public holiday, not a day the ward closed), from now on.

Only whole slots count: a period 07:30-11:30 cut into 30 minutes gives 8 slots, one of 07:30-11:00 cut into
45 gives 4 (the last 15 minutes are not bookable). Times are the ward's local time (Asia/Ho_Chi_Minh).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from app.counter.calendar import is_public_holiday
from tenants.office_hours import OpenPeriod

SLOT_MINUTES = (10, 15, 20, 30, 45, 60, 90, 120)  # what an officer may choose
MAX_SEARCH_DAYS = 120  # how far ahead to look for open days (Tết and a long closure fit)


@dataclass(frozen=True, order=True)
class Slot:
    day: date
    start: time
    end: time

    @property
    def key(self) -> str:
        """How a slot travels in forms and URLs: 2026-12-02T07:30."""
        return f"{self.day.isoformat()}T{self.start:%H:%M}"

    @property
    def starts_at(self) -> datetime:
        return datetime.combine(self.day, self.start)


def parse_slot_key(key: str) -> tuple[date, time] | None:
    """The day and start time of a slot key, or None if it is not one."""
    try:
        moment = datetime.strptime((key or "").strip(), "%Y-%m-%dT%H:%M")
    except ValueError:
        return None
    return moment.date(), moment.time()


def _minutes(t: time) -> int:
    return t.hour * 60 + t.minute


def _time(minutes: int) -> time:
    return time(minutes // 60, minutes % 60)


def day_slots(periods: Iterable[OpenPeriod], day: date, slot_minutes: int) -> list[Slot]:
    """Every whole slot of the office hours on `day`'s weekday (holidays and closures not considered)."""
    if slot_minutes <= 0:
        raise ValueError("slot_minutes must be positive")
    slots = []
    for period in periods:
        if period.weekday != day.weekday():
            continue
        start, end = _minutes(period.start), _minutes(period.end)
        while start + slot_minutes <= end:
            slots.append(Slot(day, _time(start), _time(start + slot_minutes)))
            start += slot_minutes
    return sorted(set(slots))


def is_open_day(periods: Iterable[OpenPeriod], day: date, closed: Collection[date] = ()) -> bool:
    """The counter opens that weekday, and it is neither a public holiday nor a day the ward closed."""
    return any(p.weekday == day.weekday() for p in periods) and not is_public_holiday(day) and day not in closed


def upcoming_slots(
    periods: list[OpenPeriod],
    slot_minutes: int,
    now: datetime,
    days_ahead: int,
    closed: Collection[date] = (),
) -> list[tuple[date, list[Slot]]]:
    """The next `days_ahead` open days from `now` (local, naive or aware: only its wall time is read), each
    with its slots that start after `now`. Today counts only if a slot of it is still ahead."""
    wall = now.replace(tzinfo=None)
    days: list[tuple[date, list[Slot]]] = []
    day = wall.date()
    for _ in range(MAX_SEARCH_DAYS):
        if len(days) >= days_ahead:
            break
        if is_open_day(periods, day, closed):
            slots = [s for s in day_slots(periods, day, slot_minutes) if s.starts_at > wall]
            if slots:
                days.append((day, slots))
        day += timedelta(days=1)
    return days


def nearest(slots: Iterable[Slot], target: datetime, count: int = 4) -> list[Slot]:
    """The `count` slots closest in time to `target` (earlier first on a tie), in time order."""
    ranked = sorted(slots, key=lambda s: (abs((s.starts_at - target).total_seconds()), s.starts_at))
    return sorted(ranked[:count])
