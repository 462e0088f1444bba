"""A ward's office hours, typed by an admin as e.g. "T2-T6 07:30-11:30 13:30-17:00; T7 07:30-11:30".

Days are T2 (Monday) … T7 (Saturday) and CN (Sunday); a range "T2-T6" or a single day; then one or more
time ranges. Kept as that text in the database and parsed when needed (display now, booking slots later).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time

from app.i18n import LazyText, _l, gettext

DAY_CODES = ["T2", "T3", "T4", "T5", "T6", "T7", "CN"]
_DAYS = re.compile(r"^(T[2-7]|CN)(?:-(T[2-7]|CN))?$", re.IGNORECASE)
_RANGE = re.compile(r"^(\d{1,2})[:hH](\d{2})-(\d{1,2})[:hH](\d{2})$")
DAY_NAMES = [
    _l("Monday"), _l("Tuesday"), _l("Wednesday"), _l("Thursday"), _l("Friday"), _l("Saturday"), _l("Sunday"),
]  # fmt: skip


class OfficeHoursError(ValueError):
    def __init__(self, message: LazyText) -> None:
        super().__init__(message.message)
        self.text = message


@dataclass(frozen=True)
class OpenPeriod:
    weekday: int  # 0 = Monday
    start: time
    end: time


def parse_office_hours(text: str) -> list[OpenPeriod]:
    periods: list[OpenPeriod] = []
    for part in filter(None, (p.strip() for p in re.split(r"[;\n]", text or ""))):
        tokens = part.replace(",", " ").split()
        if not tokens:
            continue
        days = _DAYS.match(tokens[0])
        if not days:
            raise OfficeHoursError(_l("Start each part with days such as T2-T6, T7 or CN: %(part)s", part=part))
        first = DAY_CODES.index(days.group(1).upper())
        last = DAY_CODES.index((days.group(2) or days.group(1)).upper())
        if last < first:
            raise OfficeHoursError(_l("Days run from T2 to CN: %(part)s", part=part))
        if len(tokens) < 2:
            raise OfficeHoursError(_l("Give opening times such as 07:30-11:30 after the days: %(part)s", part=part))
        for token in tokens[1:]:
            m = _RANGE.match(token)
            if not m:
                raise OfficeHoursError(_l("Write times as 07:30-11:30: %(part)s", part=part))
            h1, m1, h2, m2 = (int(g) for g in m.groups())
            if h1 > 23 or h2 > 23 or m1 > 59 or m2 > 59:
                raise OfficeHoursError(_l("Write times as 07:30-11:30: %(part)s", part=part))
            if (h1, m1) >= (h2, m2):
                raise OfficeHoursError(_l("A time range must end after it starts: %(part)s", part=part))
            for weekday in range(first, last + 1):
                periods.append(OpenPeriod(weekday, time(h1, m1), time(h2, m2)))
    return sorted(periods, key=lambda p: (p.weekday, p.start))


def describe_office_hours(text: str) -> list[tuple[str, str]]:
    """[("Monday", "07:30–11:30, 13:30–17:00"), …] in the current language, for display."""
    if not (text or "").strip():
        return []
    try:
        periods = parse_office_hours(text)
    except OfficeHoursError:
        return [("", text)]
    rows = []
    for weekday in range(7):
        spans = [f"{p.start:%H:%M}–{p.end:%H:%M}" for p in periods if p.weekday == weekday]
        rows.append((gettext(DAY_NAMES[weekday].message), ", ".join(spans) if spans else gettext("Closed")))
    return rows
