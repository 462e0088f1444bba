"""When a dossier's result is promised, and how that promise moves: pure functions over Vietnam's calendar.

- A procedure timed in working days (Luật, "ngày làm việc") is due at the close of the office on the n-th
  working day after the day of receipt (the day of receipt is not counted); weekends, public holidays (lunar
  Tết included) and the ward's closed days are skipped.
- A procedure timed in hours ("trong ngày", "04 giờ làm việc") is due after that many hours of the office's
  open periods, from the moment of receipt.
- Waiting for the applicant to supply a document stops the clock: on resuming, the promise moves on by the
  working days the dossier waited (the days after the pause began, up to and including the day it resumed).
- A dossier is flagged the working day before it is due, on the day, and after (overdue).

Times are UTC in and out; the rules read them in Vietnam's time.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum

from app.counter.calendar import add_working_days, is_public_holiday, is_working_day, working_days_between
from app.i18n import TIMEZONE
from tenants.office_hours import OfficeHoursError, OpenPeriod, parse_office_hours

DEFAULT_HOURS = "T2-T6 07:30-11:30 13:30-17:00"
DEFAULT_CLOSE = time(17, 0)


def periods_of(office_hours: str) -> list[OpenPeriod]:
    """The ward's open periods; the usual government hours when none are set or they cannot be read."""
    try:
        periods = parse_office_hours(office_hours or "")
    except OfficeHoursError:
        periods = []
    return periods or parse_office_hours(DEFAULT_HOURS)


def local(moment: datetime) -> datetime:
    return moment.astimezone(TIMEZONE)


def _closing(day: date, periods: Sequence[OpenPeriod]) -> time:
    ends = [p.end for p in periods if p.weekday == day.weekday()]
    return max(ends) if ends else DEFAULT_CLOSE


def _at(day: date, clock: time) -> datetime:
    return datetime.combine(day, clock, tzinfo=TIMEZONE).astimezone(UTC)


def due_after_days(received_at: datetime, days: int, periods: Sequence[OpenPeriod], closed: Collection[date] = ()):
    day = add_working_days(local(received_at).date(), days, closed)
    return _at(day, _closing(day, periods))


def due_after_hours(received_at: datetime, hours: int, periods: Sequence[OpenPeriod], closed: Collection[date] = ()):
    """`hours` of open time from `received_at`, counting only open periods of days that are not public holidays
    nor closed (a Saturday morning counts when the ward opens then)."""
    left = timedelta(hours=hours)
    start = local(received_at)
    day = start.date()
    for _ in range(3660):  # ten years of days: a bound, never reached with real office hours
        if not is_public_holiday(day) and day not in closed:
            for period in (p for p in periods if p.weekday == day.weekday()):
                opens = datetime.combine(day, period.start, tzinfo=TIMEZONE)
                closes = datetime.combine(day, period.end, tzinfo=TIMEZONE)
                begin = max(opens, start)
                if begin >= closes:
                    continue
                if begin + left <= closes:
                    return (begin + left).astimezone(UTC)
                left -= closes - begin
        day += timedelta(days=1)
    raise ValueError("no open hours in the office hours")


def promised_at(
    received_at: datetime,
    *,
    days: int | None,
    hours: int | None,
    office_hours: str = "",
    closed: Collection[date] = (),
) -> datetime:
    """The promised moment for a procedure's legal time (days win when a procedure has both)."""
    periods = periods_of(office_hours)
    if days is not None:
        return due_after_days(received_at, days, periods, closed)
    if hours:
        return due_after_hours(received_at, hours, periods, closed)
    return due_after_days(received_at, 0, periods, closed)  # no time given: the same working day


def paused_working_days(paused_at: datetime, resumed_at: datetime, closed: Collection[date] = ()) -> int:
    return working_days_between(local(paused_at).date(), local(resumed_at).date(), closed)


def shift_by_working_days(moment: datetime, days: int, closed: Collection[date] = ()) -> datetime:
    """The same local time of day, `days` working days later (landing on a working day)."""
    if days <= 0:
        return moment
    at = local(moment)
    day = add_working_days(at.date(), days, closed)
    return datetime.combine(day, at.timetz().replace(tzinfo=None), tzinfo=TIMEZONE).astimezone(UTC)


class Urgency(StrEnum):
    none = ""
    tomorrow = "tomorrow"  # due the next working day
    today = "today"
    overdue = "overdue"


def urgency(due_at: datetime, now: datetime, closed: Collection[date] = ()) -> Urgency:
    """How pressing an open dossier is, by Vietnam's calendar days."""
    if now > due_at:
        return Urgency.overdue
    today, due_day = local(now).date(), local(due_at).date()
    if due_day <= today:
        return Urgency.today
    next_working = today + timedelta(days=1)
    while not is_working_day(next_working, closed):
        next_working += timedelta(days=1)
    return Urgency.tomorrow if due_day <= next_working else Urgency.none


def flag_until(now: datetime, closed: Collection[date] = ()) -> datetime:
    """Dossiers due before this moment are flagged: the end of the next working day."""
    day = local(now).date() + timedelta(days=1)
    while not is_working_day(day, closed):
        day += timedelta(days=1)
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=TIMEZONE).astimezone(UTC)
