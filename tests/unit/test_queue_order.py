"""Who is called next, and how long a wait is said to be."""

import itertools
from datetime import UTC, date, datetime, time, timedelta

from hypothesis import given
from hypothesis import strategies as st

from app.counter.queue import (
    DEFAULT_SERVICE_MINUTES,
    Waiting,
    booked_priority_from,
    estimated_wait,
    in_call_order,
    is_elderly,
    label_of,
    service_minutes,
)
from app.counter.tables import Priority

NOW = datetime(2026, 12, 2, 2, 0, tzinfo=UTC)  # 09:00 in Vietnam


def _t(id_, priority="", minutes_ago=0, slot_from=None):
    return Waiting(id_, priority, slot_from, NOW - timedelta(minutes=minutes_ago))


def test_booked_within_slot_then_elderly_and_disabled_then_arrival():
    walk_in_early = _t(1, minutes_ago=50)
    elderly = _t(2, Priority.elderly, minutes_ago=10)
    disabled = _t(3, Priority.disabled, minutes_ago=20)
    booked_now = _t(4, Priority.booked, minutes_ago=1, slot_from=NOW - timedelta(minutes=5))
    booked_later = _t(5, Priority.booked, minutes_ago=30, slot_from=NOW + timedelta(minutes=30))
    walk_in_late = _t(6, minutes_ago=5)
    order = [
        w.id for w in in_call_order([walk_in_late, booked_later, elderly, walk_in_early, booked_now, disabled], NOW)
    ]
    # A booking waiting for its slot queues by arrival meanwhile (30 minutes ago: after the 50-minute walk-in).
    assert order == [4, 3, 2, 1, 5, 6]


def test_earlier_slot_first_among_booked():
    a = _t(1, Priority.booked, minutes_ago=1, slot_from=NOW - timedelta(minutes=30))
    b = _t(2, Priority.booked, minutes_ago=40, slot_from=NOW - timedelta(minutes=0))
    assert [w.id for w in in_call_order([b, a], NOW)] == [1, 2]


def test_a_booking_after_its_slot_has_no_priority():
    day = date(2026, 12, 2)
    during = datetime(2026, 12, 2, 2, 10, tzinfo=UTC)  # 09:10 local, slot 09:00-09:30
    after = datetime(2026, 12, 2, 2, 31, tzinfo=UTC)
    assert booked_priority_from(day, time(9), time(9, 30), during) == datetime(2026, 12, 2, 2, 0, tzinfo=UTC)
    assert booked_priority_from(day, time(9), time(9, 30), after) is None


waiting = st.builds(
    Waiting,
    id=st.integers(1, 10_000),
    priority=st.sampled_from(list(Priority)),
    priority_from=st.one_of(st.none(), st.integers(-120, 120).map(lambda m: NOW + timedelta(minutes=m))),
    arrived_at=st.integers(0, 300).map(lambda m: NOW - timedelta(minutes=m)),
)


@given(st.lists(waiting, unique_by=lambda w: w.id, max_size=30))
def test_the_order_is_total_and_respects_the_classes(tickets):
    order = in_call_order(tickets, NOW)
    assert sorted(w.id for w in order) == sorted(w.id for w in tickets)
    assert in_call_order(list(reversed(tickets)), NOW) == order  # the input order never matters

    def rank(w):
        if w.priority == Priority.booked and w.priority_from is not None and w.priority_from <= NOW:
            return 0
        return 1 if w.priority in (Priority.elderly, Priority.disabled) else 2

    ranks = [rank(w) for w in order]
    assert ranks == sorted(ranks)
    for a, b in itertools.pairwise(order):  # within the plain class: first come, first served
        if rank(a) == rank(b) == 2:
            assert a.arrived_at <= b.arrived_at


def test_elderly_from_sixty():
    assert is_elderly(date(1966, 12, 2), date(2026, 12, 2))
    assert not is_elderly(date(1966, 12, 3), date(2026, 12, 2))
    assert not is_elderly(None, date(2026, 12, 2))


def test_estimated_wait_uses_the_days_pace_and_open_counters():
    assert service_minutes([1, 2]) == DEFAULT_SERVICE_MINUTES  # too few services today to measure
    assert service_minutes([4, 6, 8]) == 6
    assert estimated_wait(0, 6, 2) == 0
    assert estimated_wait(5, 4, 2) == 10
    assert estimated_wait(3, 5, 0) == 15  # no counter open: counted as one


def test_labels_carry_the_group_letter():
    assert label_of("A", 12) == "A012" and label_of("B", 1234) == "B1234"
