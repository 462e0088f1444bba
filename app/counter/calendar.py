"""Working days in Vietnam: weekdays that are not public holidays (lunar Tết included) nor days the ward closed.

Public holidays come from the `holidays` package's Vietnam calendar (Bộ luật Lao động 2019 Art 112, with the
lunar dates of Tết and the Hùng Kings' day computed, and the government's announced substitute days off),
which is kept up to date by its maintainers every year; a ward's own closures (a day the office shuts, a
substitute day the calendar does not know yet) come from the ward's closed days.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, timedelta
from functools import lru_cache

import holidays

from app.i18n import current_locale

_LANGUAGES = {"vi": "vi", "en": "en_US"}


@lru_cache(maxsize=64)
def _holidays(year: int, language: str) -> dict[date, str]:
    return dict(holidays.country_holidays("VN", years=year, language=language))


def holiday_name(day: date) -> str | None:
    """The public holiday on `day`, named in the current language, or None."""
    return _holidays(day.year, _LANGUAGES.get(current_locale(), "vi")).get(day)


def is_public_holiday(day: date) -> bool:
    return day in _holidays(day.year, "vi")


def is_working_day(day: date, closed: Collection[date] = ()) -> bool:
    """Monday to Friday, not a public holiday, not a day the ward closed."""
    return day.weekday() < 5 and not is_public_holiday(day) and day not in closed


def add_working_days(start: date, days: int, closed: Collection[date] = ()) -> date:
    """The `days`-th working day after `start` (the day of receipt is not counted: Bộ luật Dân sự Art 147).
    With days == 0, `start` itself if it is a working day, else the next one."""
    if days < 0:
        raise ValueError("days must not be negative")
    day = start
    if days == 0:
        while not is_working_day(day, closed):
            day += timedelta(days=1)
        return day
    counted = 0
    while counted < days:
        day += timedelta(days=1)
        if is_working_day(day, closed):
            counted += 1
    return day


def working_days_between(start: date, end: date, closed: Collection[date] = ()) -> int:
    """Working days after `start` up to and including `end` (0 when `end` is not after `start`)."""
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        if is_working_day(day, closed):
            count += 1
    return count
