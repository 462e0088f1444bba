"""The dossier's promised date and its state machine: working days across Tết, hours within office hours, the
clock stopped while waiting for documents, the flags, and every move the machine allows or refuses."""

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.counter import due
from app.counter.calendar import is_working_day, working_days_between
from app.counter.dossier_tables import DossierState
from app.counter.dossiers import OPEN, TRANSITIONS, on_time, plan_move
from app.errors import RuleError
from app.i18n import TIMEZONE

HOURS = "T2-T6 07:30-11:30 13:30-17:00; T7 07:30-11:30"
S = DossierState


def vn(y, m, d, h=9, minute=0) -> datetime:
    return datetime(y, m, d, h, minute, tzinfo=TIMEZONE)


def local(moment: datetime) -> datetime:
    return moment.astimezone(TIMEZONE)


def test_three_working_days_from_the_friday_before_tet_2026():
    # Tết Bính Ngọ: 16–20 Feb 2026 are holidays (Mon–Fri), so the week after is the first that counts.
    promised = due.promised_at(vn(2026, 2, 13, 10), days=3, hours=None, office_hours=HOURS)
    assert local(promised) == vn(2026, 2, 25, 17, 0)  # Mon 23, Tue 24, Wed 25, at the office's close


def test_one_working_day_across_tet_2027():
    # Tết Đinh Mùi: 4–10 Feb 2027 off; received on the last working day before it.
    promised = due.promised_at(vn(2027, 2, 3, 15), days=1, hours=None, office_hours=HOURS)
    assert local(promised).date() == date(2027, 2, 11)


def test_hours_count_only_open_hours():
    # 4 working hours from Friday 16:00: one hour on Friday, Saturday morning's four are open: 10:30 Saturday.
    promised = due.promised_at(vn(2026, 12, 4, 16), days=None, hours=4, office_hours=HOURS)
    assert local(promised) == vn(2026, 12, 5, 10, 30)
    # Without Saturday hours: Monday 10:30.
    weekdays = due.promised_at(vn(2026, 12, 4, 16), days=None, hours=4, office_hours="T2-T6 07:30-11:30 13:30-17:00")
    assert local(weekdays) == vn(2026, 12, 7, 10, 30)
    # Received at lunch: the clock starts at 13:30.
    assert local(due.promised_at(vn(2026, 12, 7, 12), days=None, hours=2, office_hours=HOURS)) == vn(
        2026, 12, 7, 15, 30
    )


def test_hours_skip_a_holiday():
    # National Day 2026: Monday 31 Aug (the announced bridge day), Tue 1 and Wed 2 Sept are off. Received at
    # 16:30 on the Monday (a weekend-duty desk), 2 hours run from Thursday 3 Sept 07:30.
    promised = due.promised_at(vn(2026, 8, 31, 16, 30), days=None, hours=2, office_hours=HOURS)
    assert local(promised) == vn(2026, 9, 3, 9, 30)
    # From Friday 28 Aug 16:30: 30 minutes that day, then Saturday morning's open hours.
    assert local(due.promised_at(vn(2026, 8, 28, 16, 30), days=None, hours=2, office_hours=HOURS)) == vn(
        2026, 8, 29, 9, 0
    )


def test_unreadable_office_hours_fall_back_to_government_hours():
    promised = due.promised_at(vn(2026, 12, 7, 10), days=2, hours=None, office_hours="every day, roughly")
    assert local(promised) == vn(2026, 12, 9, 17, 0)


@settings(max_examples=200, deadline=None)
@given(
    start=st.dates(min_value=date(2025, 1, 1), max_value=date(2030, 12, 31)),
    days=st.integers(min_value=0, max_value=30),
)
def test_the_promise_is_a_working_day_with_exactly_that_many_working_days(start, days):
    promised = local(due.promised_at(datetime.combine(start, datetime.min.time(), TIMEZONE), days=days, hours=None))
    assert is_working_day(promised.date())
    assert working_days_between(start, promised.date()) == max(days, 1 if not is_working_day(start) else 0)


@settings(max_examples=200, deadline=None)
@given(
    start=st.dates(min_value=date(2025, 1, 1), max_value=date(2030, 12, 31)),
    paused=st.integers(min_value=0, max_value=20),
)
def test_a_pause_moves_the_promise_by_the_working_days_waited(start, paused):
    received = datetime.combine(start, datetime.min.time(), TIMEZONE).astimezone(UTC)
    legal = due.promised_at(received, days=5, hours=None)
    row = {"state": S.processing, "legal_due_at": legal, "due_at": legal, "paused_days": 0, "paused_at": None}
    at = received + timedelta(hours=3)
    row.update(plan_move(row, S.supplement, at, note="CT01"))
    resumed = at + timedelta(days=paused)
    row.update(plan_move(row, S.processing, resumed))
    waited = working_days_between(local(at).date(), local(resumed).date())
    assert row["paused_days"] == waited and row["paused_at"] is None
    assert working_days_between(local(legal).date(), local(row["legal_due_at"]).date()) == waited
    assert local(row["legal_due_at"]).time() == local(legal).time()
    assert row["due_at"] == row["legal_due_at"]


def test_flags_a_day_before_on_the_day_and_after():
    now = vn(2026, 12, 4, 9).astimezone(UTC)  # Friday
    assert due.urgency(vn(2026, 12, 3, 17).astimezone(UTC), now) is due.Urgency.overdue
    assert due.urgency(vn(2026, 12, 4, 17).astimezone(UTC), now) is due.Urgency.today
    assert due.urgency(vn(2026, 12, 7, 17).astimezone(UTC), now) is due.Urgency.tomorrow  # Monday: next working day
    assert due.urgency(vn(2026, 12, 8, 17).astimezone(UTC), now) is due.Urgency.none
    assert local(due.flag_until(now)) == vn(2026, 12, 8, 0, 0)


ALL = list(S)


@given(source=st.sampled_from(ALL), target=st.sampled_from(ALL))
def test_only_the_machine_s_moves_are_allowed(source, target):
    at = datetime(2026, 12, 7, 3, tzinfo=UTC)
    row = {
        "state": source, "legal_due_at": at + timedelta(days=3), "due_at": at + timedelta(days=3),
        "paused_days": 0, "paused_at": at - timedelta(days=1) if source is S.supplement else None,
    }  # fmt: skip
    if target in TRANSITIONS[source]:
        values = plan_move(row, target, at, reason="lý do", note="giấy tờ")
        assert values["state"] is target
        assert ("closed_at" in values) == (target in (S.returned, S.rejected))
    else:
        with pytest.raises(RuleError) as refused:
            plan_move(row, target, at, reason="lý do", note="giấy tờ")
        assert refused.value.status_code == 409


def test_every_state_can_be_reached_and_closed_states_stay_closed():
    reachable, frontier = {S.received}, [S.received]
    while frontier:
        for nxt in TRANSITIONS[frontier.pop()]:
            if nxt not in reachable:
                reachable.add(nxt)
                frontier.append(nxt)
    assert reachable == set(S)
    assert TRANSITIONS[S.returned] == TRANSITIONS[S.rejected] == frozenset()
    assert all(S.rejected in TRANSITIONS[s] for s in OPEN)


def test_rejection_and_supplement_need_their_text():
    row = {"state": S.processing, "legal_due_at": None, "due_at": None, "paused_days": 0, "paused_at": None}
    at = datetime.now(UTC)
    with pytest.raises(RuleError) as no_reason:
        plan_move(row, S.rejected, at, reason="  ")
    assert no_reason.value.field == "reason" and no_reason.value.status_code == 422
    with pytest.raises(RuleError) as no_note:
        plan_move(row, S.supplement, at)
    assert no_note.value.field == "note"


def test_on_time_is_against_the_legal_time():
    legal = datetime(2026, 12, 7, 10, tzinfo=UTC)
    assert on_time({"result_at": None, "legal_due_at": legal}) is None
    assert on_time({"result_at": legal, "legal_due_at": legal}) is True
    assert on_time({"result_at": legal + timedelta(minutes=1), "legal_due_at": legal}) is False
