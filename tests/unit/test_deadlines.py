"""app/residence/deadlines.py: which declaration a stay needs and when it is late, in Vietnam's time.

Every test runs with the server clock in UTC (the `utc_server` fixture), as production servers do, so a
computation that leaned on the server's local time instead of Asia/Ho_Chi_Minh would be off by 7 hours.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.i18n import TIMEZONE
from app.residence.deadlines import (
    DeclarationKind,
    DueState,
    add_years,
    describe_due,
    extension_window,
    first_declaration,
    foreigner_deadline,
    format_duration,
    luu_tru_deadline,
    needed_kind,
    removal_deadline,
    tam_tru_deadline,
    tam_tru_expiry,
)

VN = TIMEZONE
ELSEWHERE = [UTC, VN, ZoneInfo("America/Los_Angeles"), ZoneInfo("Pacific/Kiritimati"), ZoneInfo("Europe/Paris")]


def _set_server_zone(name: str) -> None:
    os.environ["TZ"] = name
    time.tzset()


@pytest.fixture(autouse=True)
def utc_server() -> Iterator[Callable[[str], None]]:
    """The process's local time zone is UTC for the test; `utc_server("Zone/Name")` moves it elsewhere."""
    before = os.environ.get("TZ")
    _set_server_zone("UTC")
    yield _set_server_zone
    if before is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = before
    time.tzset()


def vn(*args: int) -> datetime:
    return datetime(*args, tzinfo=VN)


# Arrivals from 2000 to 2099: Asia/Ho_Chi_Minh has kept +07:00 since 1975, and stays are recent.
moments = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31), timezones=st.sampled_from(ELSEWHERE)
)
days = st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31))


# --- which declaration -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("departure", "kind"),
    [
        (date(2025, 3, 1), DeclarationKind.luu_tru),  # leaves the same day
        (date(2025, 3, 30), DeclarationKind.luu_tru),  # 29 days
        (date(2025, 3, 31), DeclarationKind.tam_tru),  # 30 days: "từ 30 ngày trở lên"
        (date(2025, 9, 1), DeclarationKind.tam_tru),
        (None, DeclarationKind.tam_tru),  # a room let without an end date
    ],
)
def test_citizens_stay_under_30_days_is_luu_tru_and_from_30_days_tam_tru(departure, kind):
    assert needed_kind(date(2025, 3, 1), departure, foreigner=False) is kind


@pytest.mark.parametrize("departure", [date(2025, 3, 2), date(2026, 3, 1), None])
def test_a_foreigner_is_declared_whatever_the_length(departure):
    assert needed_kind(date(2025, 3, 1), departure, foreigner=True) is DeclarationKind.foreigner


def test_a_departure_before_the_arrival_is_refused():
    with pytest.raises(ValueError):
        needed_kind(date(2025, 3, 10), date(2025, 3, 9), foreigner=False)
    with pytest.raises(ValueError):
        tam_tru_expiry(date(2025, 3, 10), date(2025, 3, 9))


def test_month_boundary_of_the_30_days_in_february():
    # 1 February to 2 March is 30 days in a leap year, 29 in a common one.
    assert needed_kind(date(2024, 2, 1), date(2024, 3, 2), foreigner=False) is DeclarationKind.tam_tru
    assert needed_kind(date(2025, 2, 1), date(2025, 3, 2), foreigner=False) is DeclarationKind.luu_tru
    assert needed_kind(date(2025, 2, 1), date(2025, 3, 3), foreigner=False) is DeclarationKind.tam_tru


# --- lưu trú: the 23:00 rule -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("arrived", "deadline"),
    [
        (vn(2025, 6, 10, 0, 0), vn(2025, 6, 10, 23, 0)),  # just after midnight: the whole day
        (vn(2025, 6, 10, 7, 59), vn(2025, 6, 10, 23, 0)),
        (vn(2025, 6, 10, 22, 59), vn(2025, 6, 10, 23, 0)),  # one minute left
        (vn(2025, 6, 10, 22, 59, 59), vn(2025, 6, 10, 23, 0)),
        (vn(2025, 6, 10, 23, 0), vn(2025, 6, 11, 8, 0)),  # "before 23:00" has passed: next morning
        (vn(2025, 6, 10, 23, 1), vn(2025, 6, 11, 8, 0)),
        (vn(2025, 6, 10, 23, 59, 59), vn(2025, 6, 11, 8, 0)),
        (vn(2025, 1, 31, 23, 30), vn(2025, 2, 1, 8, 0)),  # month end
        (vn(2025, 4, 30, 23, 5), vn(2025, 5, 1, 8, 0)),
        (vn(2025, 12, 31, 23, 15), vn(2026, 1, 1, 8, 0)),  # year end
        (vn(2024, 2, 28, 23, 30), vn(2024, 2, 29, 8, 0)),  # leap day
        (vn(2025, 2, 28, 23, 30), vn(2025, 3, 1, 8, 0)),  # common year
    ],
)
def test_luu_tru_before_23_on_the_day_or_08_next_morning(arrived, deadline):
    assert luu_tru_deadline(arrived) == deadline
    assert luu_tru_deadline(arrived).utcoffset() == timedelta(hours=7)


def test_arrival_given_in_utc_is_judged_by_the_clock_in_vietnam():
    # 16:30 UTC is 23:30 in Hà Nội: a late arrival, though the UTC (and server) day is still 31 December.
    assert luu_tru_deadline(datetime(2025, 12, 31, 16, 30, tzinfo=UTC)) == vn(2026, 1, 1, 8, 0)
    # 15:59 UTC is 22:59 in Hà Nội: due at 23:00 the same day, 16:00 UTC.
    assert luu_tru_deadline(datetime(2025, 12, 31, 15, 59, tzinfo=UTC)) == datetime(2025, 12, 31, 16, 0, tzinfo=UTC)
    # 18:00 UTC on 31 December is 01:00 on 1 January in Hà Nội: a new day, due at 23:00 on 1 January.
    assert luu_tru_deadline(datetime(2025, 12, 31, 18, 0, tzinfo=UTC)) == vn(2026, 1, 1, 23, 0)


def test_the_server_time_zone_changes_nothing(utc_server):
    arrivals = [datetime(2025, 12, 31, 16, 30, tzinfo=UTC), vn(2024, 2, 29, 22, 59), vn(2025, 6, 10, 23, 0)]
    in_utc = [luu_tru_deadline(a) for a in arrivals] + [describe_due(vn(2025, 6, 11), vn(2025, 6, 10)).due_in]
    for zone in ("Pacific/Kiritimati", "America/Los_Angeles", "Asia/Ho_Chi_Minh"):
        utc_server(zone)
        assert time.localtime().tm_gmtoff != 0
        assert [luu_tru_deadline(a) for a in arrivals] + [describe_due(vn(2025, 6, 11), vn(2025, 6, 10)).due_in] == (
            in_utc
        )


def test_a_naive_time_is_refused():
    with pytest.raises(ValueError):
        luu_tru_deadline(datetime(2025, 6, 10, 22, 0))
    with pytest.raises(ValueError):
        describe_due(vn(2025, 6, 10, 23, 0), datetime(2025, 6, 10, 22, 0))


@given(moments)
def test_luu_tru_deadline_is_23_00_the_same_day_or_08_00_the_next(arrived):
    deadline = luu_tru_deadline(arrived)
    local = arrived.astimezone(VN)
    assert deadline > arrived
    assert deadline.tzinfo == VN
    assert deadline - arrived <= timedelta(hours=23)  # the longest: arriving at midnight
    if local.hour < 23:
        assert (deadline.date(), deadline.hour, deadline.minute) == (local.date(), 23, 0)
    else:
        assert (deadline.date(), deadline.hour, deadline.minute) == (local.date() + timedelta(days=1), 8, 0)
        assert timedelta(hours=8) < deadline - arrived <= timedelta(hours=9)  # a late arrival gets at most 9 h


@given(moments, st.sampled_from(ELSEWHERE))
def test_luu_tru_deadline_depends_on_the_moment_not_how_it_is_written(arrived, zone):
    assert luu_tru_deadline(arrived.astimezone(zone)) == luu_tru_deadline(arrived)


# --- foreigners --------------------------------------------------------------------------------------------


def test_foreigner_12_hours_or_24_in_remote_areas():
    arrived = vn(2025, 12, 31, 20, 0)
    assert foreigner_deadline(arrived) == vn(2026, 1, 1, 8, 0)
    assert foreigner_deadline(arrived, remote_area=True) == vn(2026, 1, 1, 20, 0)
    assert first_declaration(arrived, date(2026, 1, 2), foreigner=True).deadline == vn(2026, 1, 1, 8, 0)


@given(moments, st.booleans())
def test_foreigner_deadline_is_exactly_12_or_24_hours_later(arrived, remote):
    deadline = foreigner_deadline(arrived, remote_area=remote)
    assert deadline - arrived == timedelta(hours=24 if remote else 12)
    assert deadline.tzinfo == VN


# --- tạm trú: registration, expiry, extension ----------------------------------------------------------------


def test_tam_tru_registration_is_due_before_the_stay_reaches_30_days():
    # No legal deadline; police ask for it before the 30 days run out (arrival day counted as the first).
    assert tam_tru_deadline(date(2025, 1, 31)) == vn(2025, 3, 2, 0, 0)
    assert tam_tru_deadline(date(2025, 12, 15)) == vn(2026, 1, 14, 0, 0)
    arrived = vn(2025, 1, 31, 9, 30)
    assert first_declaration(arrived, None, foreigner=False).kind is DeclarationKind.tam_tru
    assert first_declaration(arrived, None, foreigner=False).deadline == vn(2025, 3, 2, 0, 0)
    assert first_declaration(arrived, date(2025, 2, 5), foreigner=False).deadline == vn(2025, 1, 31, 23, 0)


@pytest.mark.parametrize(
    ("start", "departure", "expiry"),
    [
        (date(2024, 2, 29), None, date(2026, 2, 28)),  # leap day: no 29 Feb in 2026
        (date(2028, 2, 29), None, date(2030, 2, 28)),
        (date(2022, 2, 28), None, date(2024, 2, 28)),  # lands in a leap year: the same day
        (date(2023, 3, 1), None, date(2025, 3, 1)),
        (date(2025, 12, 31), None, date(2027, 12, 31)),
        (date(2025, 1, 31), date(2025, 7, 31), date(2025, 7, 31)),  # the expected end comes first
        (date(2025, 1, 31), date(2030, 1, 1), date(2027, 1, 31)),  # at most 2 years
        (date(2024, 2, 29), date(2026, 3, 1), date(2026, 2, 28)),
    ],
)
def test_tam_tru_expiry_is_the_expected_end_but_at_most_two_years(start, departure, expiry):
    assert tam_tru_expiry(start, departure) == expiry


@pytest.mark.parametrize(
    ("expiry", "opens"),
    [
        (date(2026, 3, 1), date(2026, 2, 14)),  # common year
        (date(2024, 3, 1), date(2024, 2, 15)),  # leap year
        (date(2026, 1, 10), date(2025, 12, 26)),  # over the new year
    ],
)
def test_extension_in_the_15_days_before_expiry(expiry, opens):
    window = extension_window(expiry)
    assert window.opens == datetime.combine(opens, datetime.min.time(), tzinfo=VN)
    assert window.closes == datetime.combine(expiry, datetime.min.time(), tzinfo=VN)
    assert not window.contains(window.opens - timedelta(seconds=1))
    assert window.contains(window.opens)
    assert window.contains(window.closes - timedelta(seconds=1))
    assert not window.contains(window.closes)


@given(days, st.one_of(st.none(), st.integers(min_value=0, max_value=2000)))
def test_expiry_never_beyond_two_years_nor_before_the_start(start, length):
    departure = None if length is None else start + timedelta(days=length)
    expiry = tam_tru_expiry(start, departure)
    assert start <= expiry <= add_years(start, 2)
    assert (expiry - start).days <= 731
    if departure is not None:
        assert expiry <= departure
        if departure <= add_years(start, 2):
            assert expiry == departure


@given(days, st.integers(min_value=1, max_value=10))
def test_add_years_keeps_day_and_month_except_29_february(day, years):
    later = add_years(day, years)
    assert later.year == day.year + years
    if (day.month, day.day) == (2, 29) and later.day != 29:
        assert (later.month, later.day) == (2, 28)
    else:
        assert (later.month, later.day) == (day.month, day.day)


@given(days)
def test_extension_window_is_15_days_and_closes_on_expiry(expiry):
    window = extension_window(expiry)
    assert window.closes - window.opens == timedelta(days=15)
    assert window.closes.astimezone(VN).date() == expiry
    assert window.closes.astimezone(VN).time() == datetime.min.time()


@given(days, st.one_of(st.none(), st.integers(min_value=30, max_value=2000)))
def test_tam_tru_registration_deadline_comes_before_expiry(arrival, length):
    departure = None if length is None else arrival + timedelta(days=length)
    assert needed_kind(arrival, departure, foreigner=False) is DeclarationKind.tam_tru
    registered_by = tam_tru_deadline(arrival)
    assert registered_by > datetime.combine(arrival, datetime.max.time(), tzinfo=VN)
    assert registered_by.date() <= tam_tru_expiry(arrival, departure)


# --- removal -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("left", "late_from"),
    [
        (date(2025, 6, 10), vn(2025, 6, 18)),  # 11th–17th are the 7 days
        (date(2025, 12, 28), vn(2026, 1, 5)),  # over the new year
        (date(2024, 2, 25), vn(2024, 3, 4)),  # through 29 February
        (date(2025, 2, 25), vn(2025, 3, 5)),
    ],
)
def test_removal_within_7_days_of_leaving(left, late_from):
    assert removal_deadline(left) == late_from


@given(days)
def test_removal_deadline_is_the_end_of_the_seventh_day_after(left):
    deadline = removal_deadline(left)
    assert deadline.astimezone(VN).date() == left + timedelta(days=8)
    assert deadline.astimezone(VN).time() == datetime.min.time()


# --- any first declaration -----------------------------------------------------------------------------------


@given(
    moments,
    st.one_of(st.none(), st.integers(min_value=0, max_value=900)),
    st.booleans(),
    st.booleans(),
)
def test_first_declaration_is_always_due_after_arrival(arrived, length, foreigner, remote):
    departure = None if length is None else arrived.astimezone(VN).date() + timedelta(days=length)
    obligation = first_declaration(arrived, departure, foreigner, remote_area=remote)
    assert obligation.deadline > arrived
    assert obligation.deadline.tzinfo == VN
    assert obligation.kind is needed_kind(arrived.astimezone(VN).date(), departure, foreigner)
    if obligation.kind is DeclarationKind.luu_tru:
        assert obligation.deadline - arrived <= timedelta(hours=23)


@given(days, st.integers(min_value=0, max_value=100), st.integers(min_value=0, max_value=100))
def test_a_longer_stay_never_needs_less(arrival, shorter, extra):
    order = [DeclarationKind.luu_tru, DeclarationKind.tam_tru]
    short = needed_kind(arrival, arrival + timedelta(days=shorter), foreigner=False)
    long = needed_kind(arrival, arrival + timedelta(days=shorter + extra), foreigner=False)
    assert order.index(short) <= order.index(long)


# --- "due in …" / "overdue by …" -------------------------------------------------------------------------------


def test_due_and_overdue_in_english(in_locale):
    in_locale("en")
    deadline = vn(2025, 6, 10, 23, 0)
    due = describe_due(deadline, vn(2025, 6, 10, 20, 0))
    assert (due.state, due.due_in, due.overdue_by, due.overdue) == (DueState.due, timedelta(hours=3), None, False)
    assert due.text == "due in 3 hours" == str(due)
    late = describe_due(deadline, vn(2025, 6, 13, 2, 0))
    assert (late.state, late.due_in, late.overdue_by) == (DueState.overdue, None, timedelta(days=2, hours=3))
    assert late.text == "overdue by 2 days"
    assert describe_due(deadline, vn(2025, 6, 10, 22, 59)).text == "due in 1 minute"
    assert describe_due(deadline, vn(2025, 6, 10, 22, 59, 30)).text == "due in 1 minute"  # never "0 minutes"


def test_at_the_deadline_itself_it_is_overdue(in_locale):
    in_locale("en")
    at = describe_due(vn(2025, 6, 10, 23, 0), vn(2025, 6, 10, 23, 0))
    assert at.overdue and at.overdue_by == timedelta(0)
    assert at.text == "overdue by 1 minute"


def test_due_reads_in_vietnamese(in_locale):
    in_locale("vi")
    # CLDR's Vietnamese for hours has been "giờ" and, in later Babel releases, "tiếng": both are right.
    text = describe_due(vn(2025, 6, 10, 23, 0), vn(2025, 6, 10, 20, 0)).text
    assert text.startswith("còn 3 ") and ("giờ" in text or "tiếng" in text)
    assert "2 ngày" in describe_due(vn(2025, 6, 10, 23, 0), vn(2025, 6, 13, 2, 0)).text


def test_describe_due_defaults_to_now():
    assert describe_due(datetime.now(UTC) + timedelta(hours=5)).state is DueState.due
    assert describe_due(datetime.now(UTC) - timedelta(hours=5)).state is DueState.overdue


@pytest.mark.parametrize(
    ("delta", "text"),
    [
        (timedelta(seconds=0), "1 minute"),
        (timedelta(seconds=59), "1 minute"),
        (timedelta(minutes=59, seconds=59), "59 minutes"),
        (timedelta(hours=1), "1 hour"),
        (timedelta(hours=23, minutes=59), "23 hours"),  # not rounded up to a day
        (timedelta(hours=47), "1 day"),
        (timedelta(days=6, hours=23), "6 days"),
        (timedelta(days=14), "2 weeks"),
        (timedelta(days=45), "1 month"),
        (timedelta(days=731), "2 years"),
    ],
)
def test_durations_are_rounded_down_to_their_largest_unit(in_locale, delta, text):
    in_locale("en")
    assert format_duration(delta) == text


UNIT_SECONDS = {"minute": 60, "hour": 3600, "day": 86400, "week": 7 * 86400, "month": 30 * 86400, "year": 365 * 86400}


@given(moments, st.timedeltas(min_value=timedelta(seconds=-(10**8)), max_value=timedelta(seconds=10**8)))
def test_describe_due_is_consistent_and_never_overstates_the_time(now, offset):
    from app.i18n import reset_locale, set_locale

    token = set_locale("en")
    try:
        deadline = now + offset
        due = describe_due(deadline, now)
        if now < deadline:
            assert due.state is DueState.due and due.overdue_by is None
            assert now + due.due_in == deadline
            prefix, span = "due in ", due.due_in
        else:
            assert due.state is DueState.overdue and due.due_in is None
            assert now - due.overdue_by == deadline
            prefix, span = "overdue by ", due.overdue_by
        match = re.fullmatch(re.escape(prefix) + r"(\d+) (minute|hour|day|week|month|year)s?", due.text)
        assert match, due.text
        shown = int(match[1]) * UNIT_SECONDS[match[2]]
        assert shown <= max(span.total_seconds(), 60)  # rounded down, at least a minute
        assert span.total_seconds() < 60 or span.total_seconds() - shown < UNIT_SECONDS[match[2]]
    finally:
        reset_locale(token)
