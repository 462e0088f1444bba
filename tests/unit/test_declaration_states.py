"""The declaration state machine and what a stay needs, as pure functions (no database)."""

from datetime import UTC, date, datetime

import pytest

from app.errors import RuleError
from app.i18n import TIMEZONE
from app.residence.deadlines import DeclarationKind as K
from app.residence.declarations import TRANSITIONS, arrived_at, check_transition, needed_for_stay
from app.residence.tables import DeclarationState as S

LEGAL = {
    (S.draft, S.submitted),
    (S.submitted, S.received),
    (S.received, S.accepted),
    (S.received, S.rejected),
    (S.rejected, S.submitted),
    (S.accepted, S.extended),
    (S.accepted, S.ended),
}


def test_the_machine_has_exactly_the_legal_moves():
    assert {(a, b) for a, targets in TRANSITIONS.items() for b in targets} == LEGAL
    assert set(TRANSITIONS) == set(S)


@pytest.mark.parametrize("source", list(S))
@pytest.mark.parametrize("target", list(S))
def test_every_illegal_move_is_refused_with_409(source, target):
    if (source, target) in LEGAL:
        check_transition(source, target, reference="PA-123", reason="wrong room")
        return
    with pytest.raises(RuleError) as caught:
        check_transition(source, target, reference="PA-123", reason="wrong room")
    assert caught.value.status_code == 409


def test_accepting_needs_a_reference_and_rejecting_a_reason():
    with pytest.raises(RuleError) as accepted:
        check_transition(S.received, S.accepted, reference="  ")
    assert accepted.value.field == "reference" and accepted.value.status_code == 422
    with pytest.raises(RuleError) as rejected:
        check_transition(S.received, S.rejected, reason="")
    assert rejected.value.field == "reason"


def _stay(from_date, expected_to=None, to_date=None, created="2026-11-02T03:00:00+00:00"):
    return {
        "from_date": from_date,
        "expected_to": expected_to,
        "to_date": to_date,
        "created_at": datetime.fromisoformat(created) if created else None,
    }


def _decl(kind, state, arrival=date(2026, 11, 2), departure=None):
    return {"id": 1, "kind": kind, "state": state, "arrival_date": arrival, "expected_departure": departure}


def test_the_arrival_takes_the_time_the_stay_was_recorded():
    assert arrived_at(_stay(date(2026, 11, 2))) == datetime(2026, 11, 2, 10, 0, tzinfo=TIMEZONE)
    assert arrived_at(_stay(date(2026, 11, 2), created=None)) == datetime(2026, 11, 2, 12, 0, tzinfo=TIMEZONE)


def test_a_short_stay_needs_a_luu_tru_before_23_00():
    need = needed_for_stay(_stay(date(2026, 11, 2), date(2026, 11, 10)), [])
    assert need.kind is K.luu_tru and need.deadline == datetime(2026, 11, 2, 23, 0, tzinfo=TIMEZONE)
    assert need.pending is None


def test_a_monthly_stay_needs_a_tam_tru_and_shows_the_one_filed():
    filed = _decl(K.tam_tru, S.submitted)
    need = needed_for_stay(_stay(date(2026, 11, 2)), [filed])
    assert need.kind is K.tam_tru and need.pending is filed
    assert need.deadline == datetime(2026, 12, 2, tzinfo=TIMEZONE)


def test_an_accepted_tam_tru_needs_nothing_until_its_extension_window():
    accepted = _decl(K.tam_tru, S.accepted, date(2026, 1, 1), date(2026, 6, 30))
    stay = _stay(date(2026, 1, 1), date(2026, 6, 30))
    assert needed_for_stay(stay, [accepted], now=datetime(2026, 6, 14, 16, 59, tzinfo=UTC)) is None
    need = needed_for_stay(stay, [accepted], now=datetime(2026, 6, 15, 0, 0, tzinfo=TIMEZONE))
    assert need.kind is K.extension and need.deadline == datetime(2026, 6, 30, tzinfo=TIMEZONE)


def test_leaving_needs_a_removal_only_after_an_accepted_tam_tru():
    left = _stay(date(2026, 1, 1), to_date=date(2026, 3, 1))
    assert needed_for_stay(left, []) is None
    assert needed_for_stay(left, [_decl(K.luu_tru, S.accepted)]) is None
    need = needed_for_stay(left, [_decl(K.tam_tru, S.accepted)])
    assert need.kind is K.removal and need.deadline == datetime(2026, 3, 9, tzinfo=TIMEZONE)
    removal = {**_decl(K.removal, S.accepted), "id": 2}
    assert needed_for_stay(left, [_decl(K.tam_tru, S.ended), removal]) is None
