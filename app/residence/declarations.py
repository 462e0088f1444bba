"""Declarations and their state machine: which one a stay needs, filing it from what is already known, and
every change of state appended to its history in the same transaction as the change.

    draft → submitted → received → accepted (the police's reference) → extended / ended
                                 ↘ rejected (a reason) → submitted again, once the landlord corrects it

An illegal move raises RuleError (409) and writes nothing. Nothing is ever deleted.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from litestar.connection import ASGIConnection

from app.audit.service import record
from app.db import is_postgres, is_unique_violation, write_transaction
from app.errors import RuleError
from app.housing.tables import Stay
from app.i18n import TIMEZONE, _l
from app.once import run_once
from app.residence.deadlines import (
    DeclarationKind,
    Due,
    describe_due,
    extension_window,
    first_declaration,
    removal_deadline,
    tam_tru_expiry,
)
from app.residence.events import declaration_decided
from app.residence.tables import Declaration, DeclarationEvent, DeclarationState, IdType
from tenants.resolve import find_ward_by_id
from tenants.scope import current_ward_id

S = DeclarationState

TRANSITIONS: dict[DeclarationState, frozenset[DeclarationState]] = {
    S.draft: frozenset({S.submitted}),
    S.submitted: frozenset({S.received}),
    S.received: frozenset({S.accepted, S.rejected}),
    S.rejected: frozenset({S.submitted}),  # corrected by the landlord
    S.accepted: frozenset({S.extended, S.ended}),
    S.extended: frozenset(),
    S.ended: frozenset(),
}
IN_PROGRESS = frozenset({S.draft, S.submitted, S.received, S.rejected})  # one per stay (a unique index)
# The registrations a later extension or removal refers to.
TAM_TRU_KINDS = frozenset({DeclarationKind.tam_tru, DeclarationKind.extension})

KIND_LABELS = {
    DeclarationKind.luu_tru: _l("Lưu trú notification"),
    DeclarationKind.tam_tru: _l("Tạm trú registration"),
    DeclarationKind.foreigner: _l("Foreigner's tạm trú declaration"),
    DeclarationKind.extension: _l("Tạm trú extension"),
    DeclarationKind.removal: _l("Tạm trú removal"),
}
STATE_LABELS = {
    S.draft: _l("Draft"),
    S.submitted: _l("Filed, waiting for the police"),
    S.received: _l("Received by the police"),
    S.accepted: _l("Accepted"),
    S.rejected: _l("Rejected"),
    S.extended: _l("Extended"),
    S.ended: _l("Ended"),
}
CT01_KINDS = frozenset({DeclarationKind.tam_tru, DeclarationKind.extension, DeclarationKind.removal})


class DeclarationAction:
    CREATED = "declaration_created"
    SUBMITTED = "declaration_submitted"
    RECEIVED = "declaration_received"
    ACCEPTED = "declaration_accepted"
    REJECTED = "declaration_rejected"
    EXTENDED = "declaration_extended"
    ENDED = "declaration_ended"


_ACTION_OF = {state: f"declaration_{state.value}" for state in S if state is not S.draft}


def kind_label(kind: str) -> str:
    return str(KIND_LABELS.get(kind, kind))  # type: ignore[call-overload]


def state_label(state: str) -> str:
    return str(STATE_LABELS.get(state, state))  # type: ignore[call-overload]


# --- the state machine -----------------------------------------------------------------------------------


def check_transition(from_state: str, to_state: str, *, reference: str = "", reason: str = "") -> None:
    """Refuse a move the machine does not have (409), an acceptance without the police's reference or a
    rejection without its reason (422, beside that field)."""
    source, target = S(from_state), S(to_state)
    if target not in TRANSITIONS[source]:
        raise RuleError(
            _l(
                "A declaration that is “%(from)s” cannot become “%(to)s”.",
                **{"from": STATE_LABELS[source], "to": STATE_LABELS[target]},
            ),
            status_code=409,
        )
    if target is S.accepted and not reference.strip():
        raise RuleError(_l("Enter the registration number or reference."), field="reference")
    if target is S.rejected and not reason.strip():
        raise RuleError(_l("Say what the landlord must correct."), field="reason")


async def _append(
    declaration_id: int, who: int | None, from_state: str, to_state: str, note: str, changes: Mapping[str, Any]
) -> None:
    event = DeclarationEvent.ward_new(
        declaration=declaration_id,
        at=datetime.now(UTC),
        who=who,
        from_state=from_state,
        to_state=to_state,
        note=note,
        changes=json.dumps(changes, ensure_ascii=False, default=str, sort_keys=True),
    )
    await event.save()


def _user_id(connection: ASGIConnection | None) -> int | None:
    user = connection.scope.get("user") if connection is not None else None
    return user.id if user else None


async def change_state(
    declaration_id: int,
    to_state: str,
    *,
    connection: ASGIConnection | None,
    reference: str = "",
    reason: str = "",
    note: str = "",
    changes: Mapping[str, Any] | None = None,
) -> None:
    """Move the declaration to `to_state`, append the move to its history and the audit log, all in one
    transaction. `changes`: snapshot fields corrected with the move (a resubmission)."""
    target = S(to_state)
    who = _user_id(connection)
    async with write_transaction():
        query = Declaration.ward_select(Declaration.id, Declaration.state, Declaration.full_name).where(
            Declaration.id == declaration_id
        )
        if is_postgres():  # two officers on one declaration are served one after the other
            query = query.lock_rows("NO KEY UPDATE")
        row = await query.first()
        if row is None:
            raise LookupError(declaration_id)
        check_transition(row["state"], target, reference=reference, reason=reason)
        now = datetime.now(UTC)
        values: dict[Any, Any] = {Declaration.state: target}
        values.update({getattr(Declaration, name): value for name, value in (changes or {}).items()})
        if target is S.submitted:
            values[Declaration.submitted_at] = now
            values[Declaration.rejection_reason] = ""  # the correction answers it; the history keeps it
        if target in (S.accepted, S.rejected):
            values[Declaration.decided_at] = now
            values[Declaration.decided_by] = who
        if target is S.accepted:
            values[Declaration.reference] = reference.strip()
        if target is S.rejected:
            values[Declaration.rejection_reason] = reason.strip()
        # The state in the WHERE makes a concurrent move (SQLite has no row lock) change nothing here.
        done = (
            await Declaration.ward_update(values)
            .where((Declaration.id == declaration_id) & (Declaration.state == row["state"]))
            .returning(Declaration.id)
        )
        if not done:
            raise RuleError(_l("This declaration was changed meanwhile. Reload the page."), status_code=409)
        logged = dict(changes or {})
        if reference.strip():
            logged["reference"] = reference.strip()
        if reason.strip():
            logged["reason"] = reason.strip()
        await _append(declaration_id, who, row["state"], target, note, logged)
        await record(
            _ACTION_OF[target],
            connection=connection,
            subject_type="declaration",
            subject_id=declaration_id,
            summary=row["full_name"],
        )
        if target is S.accepted:
            await _close_previous(declaration_id, connection)
        await declaration_decided(declaration_id, target)  # the landlord hears of an acceptance or rejection


async def _close_previous(declaration_id: int, connection: ASGIConnection | None) -> None:
    """An accepted extension carries the stay's tạm trú on (it becomes "extended"); an accepted removal ends
    it ("ended")."""
    row = (
        await Declaration.ward_select(Declaration.stay, Declaration.kind)
        .where(Declaration.id == declaration_id)
        .first()
    )
    if row["kind"] not in (DeclarationKind.extension, DeclarationKind.removal):
        return
    target = S.extended if row["kind"] == DeclarationKind.extension else S.ended
    previous = await Declaration.ward_select(Declaration.id).where(
        (Declaration.stay == row["stay"])
        & (Declaration.id != declaration_id)
        & (Declaration.state == S.accepted)
        & Declaration.kind.is_in(list(TAM_TRU_KINDS))
    )
    for earlier in previous:
        await change_state(earlier["id"], target, connection=connection, note=f"#{declaration_id}")


# --- what a stay needs -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Need:
    """The declaration a stay needs now and from when it is late; `pending`, the one already made for it
    and not yet accepted (a draft, filed, received or rejected), if any."""

    kind: DeclarationKind
    deadline: datetime
    pending: dict | None = None


def arrived_at(stay: Mapping[str, Any]) -> datetime:
    """When the renter arrived: the stay keeps only the date, so the time of day is the time the stay was
    recorded (in Vietnam), which is when the landlord saw them arrive in the usual case of a same-day
    check-in."""
    created = stay.get("created_at")
    clock = created.astimezone(TIMEZONE).time() if created else time(12, 0)
    return datetime.combine(stay["from_date"], clock, tzinfo=TIMEZONE)


def _expiry(declaration: Mapping[str, Any]) -> date | None:
    if declaration["arrival_date"] is None:
        return None
    return tam_tru_expiry(declaration["arrival_date"], declaration["expected_departure"])


def needed_for_stay(stay: Mapping[str, Any], declarations: list[dict], now: datetime | None = None) -> Need | None:
    """What `stay` needs now, given its declarations (oldest first): the first declaration while none was
    accepted; a tạm trú's extension once its 15-day window opens; a removal after the check-out when a
    tạm trú was accepted. None when nothing is to be filed."""
    now = now or datetime.now(UTC)
    pending = next((d for d in reversed(declarations) if d["state"] in IN_PROGRESS), None)
    registered = [d for d in declarations if d["kind"] in TAM_TRU_KINDS and d["state"] in (S.accepted, S.extended)]
    if stay.get("to_date") is not None:
        removed = any(d["kind"] == DeclarationKind.removal and d["state"] not in IN_PROGRESS for d in declarations)
        if not registered or removed:
            return None
        return Need(DeclarationKind.removal, removal_deadline(stay["to_date"]), pending)
    first = first_declaration(arrived_at(stay), stay.get("expected_to"), foreigner=False)
    accepted = [d for d in declarations if d["state"] in (S.accepted, S.extended, S.ended)]
    if not accepted:
        return Need(first.kind, first.deadline, pending)
    current = next((d for d in reversed(declarations) if d["kind"] in TAM_TRU_KINDS and d["state"] == S.accepted), None)
    if current is None or (expiry := _expiry(current)) is None:
        return None
    window = extension_window(expiry)
    if now < window.opens:
        return None
    return Need(DeclarationKind.extension, window.closes, pending)


DECLARATION_COLUMNS = (
    Declaration.id,
    Declaration.stay,
    Declaration.kind,
    Declaration.state,
    Declaration.deadline,
    Declaration.arrival_date,
    Declaration.expected_departure,
    Declaration.full_name,
    Declaration.reference,
    Declaration.rejection_reason,
    Declaration.submitted_at,
    Declaration.decided_at,
)


async def declarations_for_stay(stay_id: int) -> list[dict]:
    """The stay's declarations, oldest first."""
    return (
        await Declaration.ward_select(*DECLARATION_COLUMNS).where(Declaration.stay == stay_id).order_by(Declaration.id)
    )


async def declarations_for_stays(stay_ids: list[int]) -> dict[int, list[dict]]:
    """The declarations of several stays in one query (a property's people list), oldest first per stay."""
    if not stay_ids:
        return {}
    rows = (
        await Declaration.ward_select(*DECLARATION_COLUMNS)
        .where(Declaration.stay.is_in(stay_ids))
        .order_by(Declaration.id)
    )
    found: dict[int, list[dict]] = {stay_id: [] for stay_id in stay_ids}
    for row in rows:
        found[row["stay"]].append(row)
    return found


async def history(declaration_id: int) -> list[dict]:
    return (
        await DeclarationEvent.ward_select(
            DeclarationEvent.at,
            DeclarationEvent.who.full_name,
            DeclarationEvent.from_state,
            DeclarationEvent.to_state,
            DeclarationEvent.note,
            DeclarationEvent.changes,
        )
        .where(DeclarationEvent.declaration == declaration_id)
        .order_by(DeclarationEvent.id)
    )


# --- the landlord's filing -------------------------------------------------------------------------------

SNAPSHOT_FIELDS = (
    "id_type", "id_number", "full_name", "gender", "birth_date", "arrival_date", "expected_departure", "room_code",
    "reason", "ward_code", "address", "permanent_address", "phone",
)  # fmt: skip


async def stay_of_landlord(stay_id: int, landlord_id: int) -> dict:
    """The stay with what a declaration needs, if it is in one of the landlord's properties (open or not)."""
    row = (
        await Stay.ward_select(
            Stay.id,
            Stay.renter,
            Stay.from_date,
            Stay.expected_to,
            Stay.to_date,
            Stay.reason,
            Stay.created_at,
            Stay.room.code,
            Stay.room.property,
            Stay.room.property.street_address,
            Stay.renter.id_number,
            Stay.renter.full_name,
            Stay.renter.gender,
            Stay.renter.birth_date,
            Stay.renter.permanent_address,
            Stay.renter.phone,
        )
        .where((Stay.id == stay_id) & (Stay.room.property.landlord == landlord_id))
        .first()
    )
    if row is None:
        raise LookupError(stay_id)
    return row


async def _snapshot(stay: Mapping[str, Any], kind: DeclarationKind, declarations: list[dict]) -> dict[str, Any]:
    """The declaration's fields from what the stay already knows: nothing is typed again."""
    ward = await find_ward_by_id(current_ward_id())
    assert ward is not None
    arrival, departure = stay["from_date"], stay["expected_to"]
    if kind is DeclarationKind.extension:  # the new term starts where the accepted one ends
        current = next(d for d in reversed(declarations) if d["kind"] in TAM_TRU_KINDS and d["state"] == S.accepted)
        arrival = _expiry(current) or arrival
        departure = departure if departure and departure > arrival else None
    if kind is DeclarationKind.removal:
        departure = stay["to_date"]
    number = stay["renter.id_number"]
    return {
        "id_type": IdType.cmnd if len(number) == 9 else IdType.cccd,
        "id_number": number,
        "full_name": stay["renter.full_name"],
        "gender": stay["renter.gender"],
        "birth_date": stay["renter.birth_date"],
        "arrival_date": arrival,
        "expected_departure": departure,
        "room_code": stay["room.code"],
        "reason": stay["reason"],
        "ward_code": str(ward["code"]),
        "address": f"{stay['room.property.street_address']}, {ward['name']}, {ward['province_name']}",
        "permanent_address": stay["renter.permanent_address"],
        "phone": stay["renter.phone"],
    }


async def file_for_stay(
    stay_id: int, *, landlord_id: int, form_token: str, connection: ASGIConnection, done_url: str
) -> str:
    """The one-tap filing: the declaration the stay needs, made from known data and submitted; a rejected
    one is brought up to date from the stay and submitted again. Once per form token; returns `done_url`."""

    async def act() -> str:
        stay = await stay_of_landlord(stay_id, landlord_id)
        declarations = await declarations_for_stay(stay_id)
        need = needed_for_stay(stay, declarations)
        if need is None:
            raise RuleError(_l("Nothing is to be filed for this stay now."), status_code=409)
        snapshot = await _snapshot(stay, need.kind, declarations)
        pending = need.pending
        if pending is not None and pending["state"] in (S.submitted, S.received):
            raise RuleError(_l("This declaration is already filed."), status_code=409)
        if pending is None:
            declaration = Declaration.ward_new(
                stay=stay_id,
                renter=stay["renter"],
                kind=need.kind,
                state=S.draft,
                deadline=need.deadline,
                created_at=datetime.now(UTC),
                **snapshot,
            )
            await declaration.save()
            await _append(declaration.id, _user_id(connection), "", S.draft, "", {"kind": need.kind.value})
            await record(
                DeclarationAction.CREATED,
                connection=connection,
                subject_type="declaration",
                subject_id=declaration.id,
                summary=f"{kind_label(need.kind)}: {snapshot['full_name']}",
            )
            await change_state(declaration.id, S.submitted, connection=connection)
            return done_url
        # A draft or a rejected declaration: submitted with what the stay says now; the history keeps what
        # was corrected.
        before = (
            await Declaration.ward_select(*(getattr(Declaration, f) for f in SNAPSHOT_FIELDS))
            .where(Declaration.id == pending["id"])
            .first()
        )
        changes = {k: v for k, v in snapshot.items() if before[k] != v}
        await change_state(
            pending["id"],
            S.submitted,
            connection=connection,
            changes=changes,
            note="corrected" if pending["state"] == S.rejected else "",
        )
        return done_url

    try:
        return await run_once(form_token, act)
    except Exception as exc:
        if is_unique_violation(exc):  # a concurrent filing for the same stay won the race
            raise RuleError(_l("This declaration is already filed."), status_code=409) from exc
        raise


async def declaration_of_landlord(declaration_id: int, landlord_id: int) -> dict:
    """The whole declaration, with the property's name and its landlord, if it is the landlord's."""
    row = (
        await Declaration.ward_select(
            *(getattr(Declaration, f) for f in SNAPSHOT_FIELDS),
            Declaration.id,
            Declaration.kind,
            Declaration.state,
            Declaration.reference,
            Declaration.submitted_at,
            Declaration.created_at,
            Declaration.stay.room.property.name,
            Declaration.stay.room.property.landlord.full_name,
        )
        .where((Declaration.id == declaration_id) & (Declaration.stay.room.property.landlord == landlord_id))
        .first()
    )
    if row is None:
        raise LookupError(declaration_id)
    return row


@dataclass(frozen=True)
class Filing:
    """Where a stay stands, for a list: its latest declaration, what it needs now and how that is due."""

    latest: dict | None
    need: Need | None

    @property
    def due(self) -> Due | None:
        return describe_due(self.need.deadline) if self.need else None

    @property
    def need_label(self) -> str:
        return kind_label(self.need.kind) if self.need else ""

    @property
    def latest_label(self) -> str:
        """ "Tạm trú registration: Accepted"."""
        if self.latest is None:
            return ""
        return f"{kind_label(self.latest['kind'])}: {state_label(self.latest['state'])}"

    @property
    def has_ct01(self) -> bool:
        return self.latest is not None and self.latest["kind"] in CT01_KINDS

    @property
    def can_file(self) -> bool:
        """A one-tap filing is possible: something is needed, and not already with the police."""
        return self.need is not None and (
            self.need.pending is None or self.need.pending["state"] in (S.draft, S.rejected)
        )


async def filings_for_stays(stay_ids: list[int]) -> dict[int, Filing]:
    """Each stay's declaration state and need (the landlord's people list), in two queries."""
    if not stay_ids:
        return {}
    stays = await Stay.ward_select(Stay.id, Stay.from_date, Stay.expected_to, Stay.to_date, Stay.created_at).where(
        Stay.id.is_in(stay_ids)
    )
    found = await declarations_for_stays(stay_ids)
    return {
        stay["id"]: Filing(
            latest=found[stay["id"]][-1] if found[stay["id"]] else None,
            need=needed_for_stay(stay, found[stay["id"]]),
        )
        for stay in stays
    }
