"""Booking slots from office hours, public holidays (lunar Tết), closed days and the clock: examples, and
properties that hold for any office hours and slot length."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from app.counter.calendar import is_public_holiday
from app.counter.slots import Slot, day_slots, nearest, parse_slot_key, upcoming_slots
from tenants.office_hours import OpenPeriod, parse_office_hours

HOURS = parse_office_hours("T2-T6 07:30-11:30 13:30-17:00; T7 07:30-11:30")
MONDAY = date(2026, 12, 7)


def test_office_hours_are_cut_into_whole_slots():
    monday = day_slots(HOURS, MONDAY, 30)
    assert len(monday) == 8 + 7
    assert (monday[0].start, monday[0].end) == (time(7, 30), time(8, 0))
    assert (monday[7].start, monday[8].start) == (time(11, 0), time(13, 30))  # lunch break
    assert monday[-1].end == time(17, 0)
    assert [s.start for s in day_slots(HOURS, MONDAY, 45)][-1] == time(15, 45)  # 16:30-17:15 would overrun
    assert len(day_slots(HOURS, MONDAY + timedelta(days=5), 30)) == 8  # Saturday morning
    assert day_slots(HOURS, MONDAY + timedelta(days=6), 30) == []  # Sunday


def test_past_times_today_are_not_offered():
    days = upcoming_slots(HOURS, 30, datetime(2026, 12, 7, 9, 0), 2)
    assert days[0][0] == MONDAY and days[0][1][0].start == time(9, 30)  # 09:00 has started
    evening = upcoming_slots(HOURS, 30, datetime(2026, 12, 7, 17, 0), 1)
    assert evening[0][0] == date(2026, 12, 8)  # nothing left today


def test_lunar_tet_and_closed_days_are_skipped():
    """Tết Đinh Mùi 2027: 4 to 10 February are public holidays; the counter reopens on Thursday 11."""
    days = [d for d, _slots in upcoming_slots(HOURS, 30, datetime(2027, 2, 3, 18, 0), 3)]
    assert days == [date(2027, 2, 11), date(2027, 2, 12), date(2027, 2, 13)]
    closed = {date(2027, 2, 12)}
    days = [d for d, _slots in upcoming_slots(HOURS, 30, datetime(2027, 2, 3, 18, 0), 3, closed)]
    assert days == [date(2027, 2, 11), date(2027, 2, 13), date(2027, 2, 15)]
    # National Day 2026: 1 and 2 September.
    days = [d for d, _slots in upcoming_slots(HOURS, 60, datetime(2026, 8, 31, 18, 0), 1)]
    assert days == [date(2026, 9, 3)]


def test_no_office_hours_no_slots():
    assert upcoming_slots([], 30, datetime(2026, 12, 7, 6, 0), 5) == []


def test_slot_keys_travel_in_forms():
    slot = Slot(MONDAY, time(8, 0), time(8, 30))
    assert slot.key == "2026-12-07T08:00" and parse_slot_key(slot.key) == (MONDAY, time(8, 0))
    assert parse_slot_key("2026-12-07") is None and parse_slot_key("tomorrow") is None and parse_slot_key("") is None


def test_nearest_free_slots_are_closest_in_time():
    slots = day_slots(HOURS, MONDAY, 30)
    free = [s for s in slots if s.start != time(9, 0)]
    found = nearest(free, datetime(2026, 12, 7, 9, 0), 3)
    assert [s.start for s in found] == [time(8, 0), time(8, 30), time(9, 30)]  # 10:00 ties with 08:00, later
    assert [s.start for s in found] == sorted(s.start for s in found)


minutes = st.integers(min_value=6 * 60, max_value=20 * 60)


@st.composite
def office_hours(draw):
    periods = []
    for weekday in draw(st.sets(st.integers(0, 6), min_size=1)):
        start = draw(minutes)
        end = draw(st.integers(start + 1, 21 * 60))
        periods.append(OpenPeriod(weekday, time(start // 60, start % 60), time(end // 60, end % 60)))
    return periods


@settings(max_examples=150, deadline=None)
@given(
    periods=office_hours(),
    slot_minutes=st.sampled_from([10, 15, 20, 30, 45, 60, 90, 120]),
    now=st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2028, 12, 31)),
    days_ahead=st.integers(1, 12),
    closed_offsets=st.sets(st.integers(0, 30), max_size=5),
)
def test_offered_slots_are_whole_open_and_ahead(periods, slot_minutes, now, days_ahead, closed_offsets):
    closed = {now.date() + timedelta(days=o) for o in closed_offsets}
    days = upcoming_slots(periods, slot_minutes, now, days_ahead, closed)
    assert len(days) <= days_ahead
    assert [d for d, _s in days] == sorted({d for d, _s in days})
    for day, slots in days:
        assert slots and not is_public_holiday(day) and day not in closed
        for slot in slots:
            assert slot.starts_at > now
            start = slot.start.hour * 60 + slot.start.minute
            end = slot.end.hour * 60 + slot.end.minute
            assert end - start == slot_minutes
            assert any(p.weekday == day.weekday() and p.start <= slot.start and slot.end <= p.end for p in periods)
        starts = [s.start for s in slots]
        assert starts == sorted(set(starts))
    if days:  # every open day before the last one offered was offered, unless nothing of it was left
        last = days[-1][0]
        offered = {d for d, _s in days}
        day = now.date()
        while day < last:
            has_slots = any(s.starts_at > now for s in day_slots(periods, day, slot_minutes))
            if has_slots and not is_public_holiday(day) and day not in closed:
                assert day in offered
            day += timedelta(days=1)
