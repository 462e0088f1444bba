"""Which declaration a stay needs, and by when: pure functions over dates and times, no database.

Every deadline is a timezone-aware datetime in Asia/Ho_Chi_Minh (`app.i18n.TIMEZONE`), the moment from
which the declaration is late. Inputs that carry a time must be timezone-aware (the app stores UTC); the
server's own time zone never enters a computation. Vietnam has had no daylight saving time since 1975.

Legal sources (as read in the project's research notes, domain.md §1):
- Luật Cư trú 68/2020/QH14 — Art 27.1: tạm trú registration for a stay of 30 days or more outside one's
  permanent-residence commune; Art 27.2: tạm trú lasts at most 2 years, renewable; Art 28.3: extension within
  the 15 days before the registered term ends; Art 30: thông báo lưu trú for shorter stays. The law covers
  Vietnamese citizens.
- Thủ tục thông báo lưu trú (dichvucong.bocongan.gov.vn, matt=26346; TT 55/2021/TT-BCA Art 15): notify before
  23:00 on the first day of the stay; a guest arriving after 23:00, before 08:00 the next day.
- Nghị định 154/2024/NĐ-CP Art 10 (as amended by NĐ 58/2026/NĐ-CP): removal (xóa đăng ký tạm trú) is filed
  within 7 days of its ground, e.g. the lease ending.
- Luật Nhập cảnh, xuất cảnh, quá cảnh, cư trú của người nước ngoài 47/2014/QH13 Art 33 (amended 2023) and
  TT 53/2016/TT-BCA: the accommodation declares a foreigner's tạm trú within 12 hours of arrival, 24 hours in
  remote areas, whatever the length of the stay.
- Bộ luật Dân sự 2015 Art 147–148: a period counted in days starts the day after the event and ends at 24:00
  of its last day; one counted in years ends on the same day and month of its last year, or on the last day
  of that month when it has no such day (29 February).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum

from babel.dates import format_timedelta

from app.i18n import TIMEZONE, _babel_locale, gettext

TAM_TRU_MIN_DAYS = 30  # Luật Cư trú Art 27.1: "từ 30 ngày trở lên"
TAM_TRU_MAX_YEARS = 2  # Art 27.2
EXTENSION_WINDOW_DAYS = 15  # Art 28.3
REMOVAL_DAYS = 7  # NĐ 154/2024 Art 10
LUU_TRU_CUTOFF = time(23, 0)  # notify before 23:00 on the arrival day...
LUU_TRU_LATE_DEADLINE = time(8, 0)  # ...or, arriving from 23:00, before 08:00 the next day
FOREIGNER_HOURS = 12  # Law 47/2014 Art 33
FOREIGNER_REMOTE_HOURS = 24


class DeclarationKind(StrEnum):
    luu_tru = "luu_tru"  # thông báo lưu trú (citizen, under 30 days)
    tam_tru = "tam_tru"  # đăng ký tạm trú (citizen, 30 days or more)
    foreigner = "foreigner"  # khai báo tạm trú cho người nước ngoài (any length)
    extension = "extension"  # gia hạn tạm trú
    removal = "removal"  # xóa đăng ký tạm trú


class DueState(StrEnum):
    due = "due"
    overdue = "overdue"


@dataclass(frozen=True)
class Obligation:
    kind: DeclarationKind
    deadline: datetime


@dataclass(frozen=True)
class Window:
    """A period in which something must be filed: not before `opens`, and late from `closes`."""

    opens: datetime
    closes: datetime

    def contains(self, moment: datetime) -> bool:
        return self.opens <= _aware(moment, "moment") < self.closes


# --- which declaration -----------------------------------------------------------------------------------


def needed_kind(arrival: date, expected_departure: date | None, foreigner: bool) -> DeclarationKind:
    """The declaration a new stay needs.

    A foreigner's stay is declared under Law 47/2014 whatever its length (the Residence Law's lưu trú / tạm trú
    split is for citizens). A citizen staying 30 days or more registers tạm trú (Art 27.1), a shorter stay is
    notified as lưu trú (Art 30). The length is counted from the arrival date to the expected departure date,
    as days of the civil code (Art 147: the first day is not counted), so arriving on 1 March and leaving on
    31 March is a stay of 30 days.

    An unknown departure counts as tạm trú: a room let without an end date is let by the month, so the stay
    is expected to pass 30 days; and a lưu trú notification for someone who then stays on would leave them
    unregistered from the 30th day, which is the landlord's fine, while a tạm trú filed for a stay that ends
    early is only removed again.
    """
    arrival = _local_date(arrival)
    if foreigner:
        return DeclarationKind.foreigner
    if expected_departure is None:
        return DeclarationKind.tam_tru
    expected_departure = _local_date(expected_departure)
    if expected_departure < arrival:
        raise ValueError("the expected departure is before the arrival")
    if (expected_departure - arrival).days >= TAM_TRU_MIN_DAYS:
        return DeclarationKind.tam_tru
    return DeclarationKind.luu_tru


def first_declaration(
    arrived_at: datetime, expected_departure: date | None, foreigner: bool, *, remote_area: bool = False
) -> Obligation:
    """The declaration a new stay needs and its deadline, from the moment the renter arrived."""
    kind = needed_kind(_local(arrived_at).date(), expected_departure, foreigner)
    if kind is DeclarationKind.foreigner:
        return Obligation(kind, foreigner_deadline(arrived_at, remote_area=remote_area))
    if kind is DeclarationKind.luu_tru:
        return Obligation(kind, luu_tru_deadline(arrived_at))
    return Obligation(kind, tam_tru_deadline(_local(arrived_at).date()))


# --- deadlines -------------------------------------------------------------------------------------------


def luu_tru_deadline(arrived_at: datetime) -> datetime:
    """Before 23:00 on the arrival day; for a guest arriving from 23:00, before 08:00 the next day.

    The day is the calendar day in Vietnam, as the rule is worded: a guest arriving at 00:30 has until 23:00
    that day. At 23:00 sharp "before 23:00" has already passed, so that arrival takes the next morning.
    """
    local = _local(arrived_at)
    if local.time() < LUU_TRU_CUTOFF:
        return datetime.combine(local.date(), LUU_TRU_CUTOFF, tzinfo=TIMEZONE)
    return datetime.combine(local.date() + timedelta(days=1), LUU_TRU_LATE_DEADLINE, tzinfo=TIMEZONE)


def foreigner_deadline(arrived_at: datetime, *, remote_area: bool = False) -> datetime:
    """12 hours after a foreigner arrives, 24 in remote areas (vùng sâu, vùng xa): Law 47/2014 Art 33."""
    hours = FOREIGNER_REMOTE_HOURS if remote_area else FOREIGNER_HOURS
    return _local(arrived_at) + timedelta(hours=hours)


def tam_tru_deadline(arrival: date) -> datetime:
    """When a tạm trú registration is late: from the start of the 31st day of the stay.

    The law sets no "within N days of arrival" deadline for tạm trú (domain.md §1.2; none found): the duty
    arises once a stay reaches 30 days (Art 27.1). Ward police tell landlords to register tenants before those
    30 days run out, so the registration is due by the end of the 30th day, counting the arrival day as the
    first: the start of (arrival + 30 days).
    """
    return _start_of(_local_date(arrival) + timedelta(days=TAM_TRU_MIN_DAYS))


def tam_tru_expiry(start: date, expected_departure: date | None) -> date:
    """The last day of a tạm trú registered from `start`: the expected departure, but at most 2 years on
    (Art 27.2), the same day and month two years later, or 28 February for a start on 29 February (civil code
    Art 148)."""
    start = _local_date(start)
    longest = add_years(start, TAM_TRU_MAX_YEARS)
    if expected_departure is None:
        return longest
    expected_departure = _local_date(expected_departure)
    if expected_departure < start:
        raise ValueError("the expected departure is before the start")
    return min(expected_departure, longest)


def extension_window(expiry: date) -> Window:
    """When to file the extension (gia hạn) of a tạm trú whose registered term ends on `expiry`: in the 15
    days before that day (Art 28.3, "trong thời hạn 15 ngày trước ngày kết thúc thời hạn tạm trú"), so from
    the start of `expiry - 15 days`, and late from the start of `expiry` itself."""
    expiry = _local_date(expiry)
    return Window(_start_of(expiry - timedelta(days=EXTENSION_WINDOW_DAYS)), _start_of(expiry))


def removal_deadline(left_on: date) -> datetime:
    """Removal (xóa đăng ký tạm trú) within 7 days of leaving (NĐ 154/2024 Art 10): counted from the next day
    and ending at 24:00 of the 7th (civil code Art 147–148), i.e. late from the start of `left_on + 8 days`.

    The civil code moves a period ending on a weekend or public holiday to the next working day; this does
    not, so the deadline shown is never later than the legal one.
    """
    return _start_of(_local_date(left_on) + timedelta(days=REMOVAL_DAYS + 1))


def add_years(day: date, years: int) -> date:
    """The same day and month `years` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # only 29 February has no counterpart
        return day.replace(year=day.year + years, day=28)


# --- how it reads ----------------------------------------------------------------------------------------

# Units a duration is shown in, largest first, as Babel's format_timedelta counts them.
_UNITS = (
    ("year", 365 * 86400),
    ("month", 30 * 86400),
    ("week", 7 * 86400),
    ("day", 86400),
    ("hour", 3600),
    ("minute", 60),
)


@dataclass(frozen=True)
class Due:
    """Where a deadline stands at a moment: still due (in `due_in`) or overdue (by `overdue_by`)."""

    deadline: datetime
    state: DueState
    due_in: timedelta | None
    overdue_by: timedelta | None

    @property
    def overdue(self) -> bool:
        return self.state is DueState.overdue

    @property
    def text(self) -> str:
        """ "due in 3 hours" / "overdue by 2 days", in the current language."""
        if self.due_in is not None:
            return gettext("due in %(duration)s", duration=format_duration(self.due_in))
        assert self.overdue_by is not None
        return gettext("overdue by %(duration)s", duration=format_duration(self.overdue_by))

    def __str__(self) -> str:
        return self.text


def describe_due(deadline: datetime, now: datetime | None = None) -> Due:
    """The state of `deadline` at `now` (default: the current time). At the deadline itself it is overdue:
    the rules say "before"."""
    deadline = _aware(deadline, "deadline")
    now = datetime.now(UTC) if now is None else _aware(now, "now")
    if now < deadline:
        return Due(deadline, DueState.due, deadline - now, None)
    return Due(deadline, DueState.overdue, None, now - deadline)


def format_duration(delta: timedelta) -> str:
    """A duration in its largest whole unit, rounded down ("1 day" for 47 hours), at least 1 minute, in the
    current language. Rounding down never shows more time left than there is."""
    seconds = max(abs(int(delta.total_seconds())), 60)
    unit, unit_seconds = next((unit, size) for unit, size in _UNITS if seconds >= size)
    whole = timedelta(seconds=seconds // unit_seconds * unit_seconds)
    # With threshold 1, Babel picks the same unit for a whole number of units, and shows it exactly.
    return format_timedelta(whole, granularity=unit, threshold=1, format="long", locale=_babel_locale())


# --- helpers ---------------------------------------------------------------------------------------------


def _aware(moment: datetime, name: str) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware: a naive time is ambiguous between UTC and Vietnam")
    return moment


def _local(moment: datetime) -> datetime:
    return _aware(moment, "time").astimezone(TIMEZONE)


def _local_date(day: date) -> date:
    """A date as given; a datetime (a date subclass) as its calendar day in Vietnam."""
    return _local(day).date() if isinstance(day, datetime) else day


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=TIMEZONE)
