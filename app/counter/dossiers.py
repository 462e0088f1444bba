"""Dossiers (hồ sơ): receiving one at the counter, its state machine with the paused clock, apology slips,
the fee, and what the applicant may see of it.

    received → processing → approval → result_ready → returned
        │          │  ↑          │
        │          ↓  │          └→ processing (sent back)
        └──────→ supplement (the clock stops; on resuming the promise moves on by the days waited)
    any open state → rejected (with a reason)

Every change is one transaction: the dossier, one line appended to its history, and the audit log. An illegal
move raises RuleError (409) and writes nothing; a concurrent move loses on the state in the WHERE.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from litestar.connection import ASGIConnection

from app.audit.service import record
from app.counter import bookings, dossier_messages
from app.counter import due as due_rules
from app.counter.dossier_tables import Dossier, DossierEvent, DossierState, PaymentAccount
from app.counter.tables import Booking, Procedure, Ticket
from app.db import is_postgres, is_unique_violation, write_transaction
from app.errors import RuleError
from app.i18n import TIMEZONE, _l, current_locale
from app.once import run_once
from app.settings import get_settings

S = DossierState

TRANSITIONS: dict[DossierState, frozenset[DossierState]] = {
    S.received: frozenset({S.processing, S.supplement, S.rejected}),
    S.processing: frozenset({S.supplement, S.approval, S.result_ready, S.rejected}),
    S.supplement: frozenset({S.processing, S.rejected}),
    S.approval: frozenset({S.result_ready, S.processing, S.rejected}),
    S.result_ready: frozenset({S.returned}),
    S.returned: frozenset(),
    S.rejected: frozenset(),
}
OPEN = frozenset({S.received, S.processing, S.supplement, S.approval})  # the clock can run late
RUNNING = OPEN - {S.supplement}  # the clock runs

STATE_LABELS = {
    S.received: _l("Received"),
    S.processing: _l("Being processed"),
    S.supplement: _l("Waiting for documents from the applicant"),
    S.approval: _l("Awaiting approval"),
    S.result_ready: _l("Result ready"),
    S.returned: _l("Result handed over"),
    S.rejected: _l("Rejected"),
}
# What the officer's button says for each move.
MOVE_LABELS = {
    S.processing: _l("Start processing"),
    S.supplement: _l("Ask for documents"),
    S.approval: _l("Send for approval"),
    S.result_ready: _l("Result ready"),
    S.returned: _l("Hand over the result"),
    S.rejected: _l("Reject"),
}
RESUME_LABEL = _l("Documents supplied: resume")
SEND_BACK_LABEL = _l("Send back for processing")


class DossierAction:
    RECEIVED = "dossier_received"
    MOVED = "dossier_moved"
    APOLOGY = "dossier_apology"
    FEE_PAID = "dossier_fee_paid"
    PAYMENT_ACCOUNT = "payment_account_updated"


def state_label(state: str) -> str:
    return str(STATE_LABELS.get(state, state))  # type: ignore[call-overload]


def move_label(from_state: str, to_state: str) -> str:
    if from_state == S.supplement and to_state == S.processing:
        return str(RESUME_LABEL)
    if from_state == S.approval and to_state == S.processing:
        return str(SEND_BACK_LABEL)
    return str(MOVE_LABELS.get(to_state, to_state))  # type: ignore[call-overload]


def now() -> datetime:
    return datetime.now(UTC)


async def closed_days() -> frozenset[date]:
    """Days the ward's counter is shut beyond the public holidays (the officer's closed days, e.g. a substitute
    day off the calendar does not know yet): no promise falls on one and the clock does not run on one."""
    return frozenset(row["day"] for row in await bookings.closed_days())


# --- the state machine (pure) ----------------------------------------------------------------------------


def plan_move(
    dossier: dict[str, Any],
    to_state: str,
    at: datetime,
    *,
    reason: str = "",
    note: str = "",
    closed: Collection[date] = (),
) -> dict:
    """The columns a move changes, or RuleError: 409 for a move the machine does not have, 422 for a
    rejection without its reason or a request for documents without saying which."""
    source, target = S(dossier["state"]), S(to_state)
    if target not in TRANSITIONS[source]:
        raise RuleError(
            _l(
                "A dossier that is “%(from)s” cannot become “%(to)s”.",
                **{"from": STATE_LABELS[source], "to": STATE_LABELS[target]},
            ),
            status_code=409,
        )
    if target is S.rejected and not reason.strip():
        raise RuleError(_l("Give the reason for the applicant."), field="reason")
    if target is S.supplement and not note.strip():
        raise RuleError(_l("Say which documents the applicant must bring."), field="note")
    values: dict[str, Any] = {"state": target}
    if source is S.supplement:  # the clock starts again: the promise moves on by the days waited
        waited = due_rules.paused_working_days(dossier["paused_at"], at, closed)
        values["paused_at"] = None
        values["paused_days"] = dossier["paused_days"] + waited
        values["legal_due_at"] = due_rules.shift_by_working_days(dossier["legal_due_at"], waited, closed)
        values["due_at"] = due_rules.shift_by_working_days(dossier["due_at"], waited, closed)
    if target is S.supplement:
        values["paused_at"] = at
    if target is S.result_ready:
        values["result_at"] = at
    if target in (S.returned, S.rejected):
        values["closed_at"] = at
    if target is S.rejected:
        values["rejection_reason"] = reason.strip()
    return values


def on_time(dossier: dict[str, Any]) -> bool | None:
    """Whether the result was ready within the legal time (pauses excluded); None while none is."""
    if dossier.get("result_at") is None:
        return None
    return dossier["result_at"] <= dossier["legal_due_at"]


# --- receiving -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Applicant:
    full_name: str
    phone: str
    id_number: str = ""
    address: str = ""


def documents_of(procedure: dict) -> list[str]:
    return [line.strip(" -•\t") for line in (procedure.get("documents") or "").splitlines() if line.strip(" -•\t")]


async def procedures() -> list[dict]:
    return (
        await Procedure.ward_select(
            Procedure.id, Procedure.name, Procedure.fee, Procedure.processing_days, Procedure.processing_hours
        )
        .where(Procedure.active == True)  # noqa: E712
        .order_by(Procedure.sort_order, Procedure.name)
    )


async def procedure(procedure_id: int) -> dict | None:
    return await Procedure.ward_select().where(Procedure.id == procedure_id).first()


async def booking_for_receipt(booking_id: int) -> dict | None:
    return (
        await Booking.ward_select(
            Booking.id, Booking.procedure, Booking.full_name, Booking.phone, Booking.id_number, Booking.code
        )
        .where(Booking.id == booking_id)
        .first()
    )


async def ticket_for_receipt(ticket_id: int) -> dict | None:
    """What a queue ticket knows of the applicant and the procedure, to prefill the receipt."""
    row = (
        await Ticket.ward_select(
            Ticket.procedure, Ticket.booking, Ticket.full_name, Ticket.phone, Ticket.id_number, Ticket.label
        )
        .where(Ticket.id == ticket_id)
        .first()
    )
    if row is None:
        return None
    found = {"full_name": row["full_name"], "phone": row["phone"], "id_number": row["id_number"]}
    if row["procedure"]:
        found["procedure_id"] = str(row["procedure"])
    if row["booking"]:
        found["booking"] = str(row["booking"])
    return {k: v for k, v in found.items() if v}


async def _next_code(day: date) -> str:
    """The receipt number: the day of receipt and its order that day, e.g. 261202-007."""
    prefix = f"{day:%y%m%d}-"
    taken = await Dossier.ward_count().where(Dossier.code.like(prefix + "%"))
    return f"{prefix}{taken + 1:03d}"


async def receive(
    *,
    procedure_id: int,
    applicant: Applicant,
    documents: list[str],
    note: str,
    office_hours: str,
    ward_slug: str,
    form_token: str,
    connection: ASGIConnection,
    booking_id: int | None = None,
    ticket_id: int | None = None,
    at: datetime | None = None,
) -> str:
    """Record the dossier with its promised date, once per form token. Returns the dossier page's URL."""
    at = at or now()
    proc = await procedure(procedure_id)
    if proc is None or not proc["active"]:
        raise RuleError(_l("Choose one of the options."), field="procedure_id")
    if booking_id is not None and await booking_for_receipt(booking_id) is None:
        raise RuleError(_l("Choose one of the options."), field="procedure_id")
    due = due_rules.promised_at(
        at,
        days=proc["processing_days"],
        hours=proc["processing_hours"],
        office_hours=office_hours,
        closed=await closed_days(),
    )
    user = connection.scope.get("user")

    async def create() -> str:
        for _attempt in range(5):
            try:
                async with write_transaction():  # a savepoint: a taken code is retried with the next
                    dossier = Dossier.ward_new(
                        code=await _next_code(at.astimezone(TIMEZONE).date()),
                        token=secrets.token_urlsafe(18),
                        procedure=proc["id"],
                        service_group=proc["service_group"],
                        booking=booking_id,
                        source="booking" if booking_id else ("ticket" if ticket_id else "direct"),
                        applicant_name=applicant.full_name,
                        applicant_phone=applicant.phone,
                        applicant_id_number=applicant.id_number,
                        applicant_address=applicant.address,
                        documents=json.dumps(documents, ensure_ascii=False),
                        note=note,
                        state=S.received,
                        received_at=at,
                        received_by=user.id if user else None,
                        legal_due_at=due,
                        due_at=due,
                        fee=proc["fee"],
                        locale=current_locale(),
                    )
                    if ticket_id is not None and await Ticket.ward_exists().where(Ticket.id == ticket_id):
                        dossier.ticket = ticket_id
                    await dossier.save()
                    break
            except Exception as exc:
                if not is_unique_violation(exc):
                    raise
        else:  # pragma: no cover - five receipts in the same instant
            raise RuleError(_l("Please try again."), status_code=409)
        await _append(dossier.id, user.id if user else None, "created", "", S.received, "", due)
        await record(
            DossierAction.RECEIVED,
            connection=connection,
            subject_type="dossier",
            subject_id=dossier.id,
            summary=f"{dossier.code} · {proc['name']} · {applicant.full_name}",
        )
        await dossier_messages.dossier_received(dossier.to_dict(), proc["name"])
        return f"/w/{ward_slug}/officer/dossiers/{dossier.id}"

    return await run_once(form_token, create)


async def _append(
    dossier_id: int, who: int | None, kind: str, from_state: str, to_state: str, note: str, due_at: datetime | None
) -> None:
    await DossierEvent.ward_new(
        dossier=dossier_id,
        at=now(),
        who=who,
        kind=kind,
        from_state=from_state,
        to_state=to_state,
        note=note,
        due_at=due_at,
    ).save()


def _who(connection: ASGIConnection | None) -> int | None:
    user = connection.scope.get("user") if connection is not None else None
    return user.id if user else None


async def _locked(dossier_id: int) -> dict:
    query = Dossier.ward_select().where(Dossier.id == dossier_id)
    if is_postgres():  # two officers on one dossier are served one after the other
        query = query.lock_rows("NO KEY UPDATE")
    row = await query.first()
    if row is None:
        raise LookupError(dossier_id)
    return row


async def move(
    dossier_id: int,
    to_state: str,
    *,
    connection: ASGIConnection | None,
    reason: str = "",
    note: str = "",
    at: datetime | None = None,
) -> dict:
    """Move the dossier; the history gets one line (with the promise after the move). Returns the new values."""
    at = at or now()
    try:
        target = S(to_state)
    except ValueError:
        raise RuleError(_l("Choose one of the options."), status_code=409) from None
    async with write_transaction():
        row = await _locked(dossier_id)
        values = plan_move(row, target, at, reason=reason, note=note, closed=await closed_days())
        done = (
            await Dossier.ward_update({getattr(Dossier, k): v for k, v in values.items()})
            .where((Dossier.id == dossier_id) & (Dossier.state == row["state"]))
            .returning(Dossier.id)
        )
        if not done:
            raise RuleError(_l("This dossier was changed meanwhile. Reload the page."), status_code=409)
        text = reason.strip() if target is S.rejected else note.strip()
        await _append(dossier_id, _who(connection), "state", row["state"], target, text, values.get("due_at"))
        await record(
            DossierAction.MOVED,
            connection=connection,
            subject_type="dossier",
            subject_id=dossier_id,
            summary=f"{row['code']}: {state_label(row['state'])} → {state_label(target)}",
        )
        await dossier_messages.dossier_moved(row, target, note.strip(), at)
    return {**row, **values}


async def apologise(
    dossier_id: int, *, new_date: date, reason: str, connection: ASGIConnection | None, office_hours: str = ""
) -> None:
    """An apology slip: a new promised date, later than the current one and a working day; recorded in the
    history, and the slip can be printed from it."""
    if not reason.strip():
        raise RuleError(_l("Say why the result is late."), field="reason")
    if not due_rules.is_working_day(new_date, await closed_days()):
        raise RuleError(_l("Choose a working day."), field="new_date")
    async with write_transaction():
        row = await _locked(dossier_id)
        if S(row["state"]) not in OPEN:
            raise RuleError(_l("Only a dossier still being dealt with can get a new date."), status_code=409)
        if new_date <= due_rules.local(row["due_at"]).date() or new_date <= due_rules.local(now()).date():
            raise RuleError(_l("The new date must be after the promised date and after today."), field="new_date")
        closing = due_rules._closing(new_date, due_rules.periods_of(office_hours))
        new_due = datetime.combine(new_date, closing, tzinfo=TIMEZONE).astimezone(UTC)
        await Dossier.ward_update({Dossier.due_at: new_due, Dossier.apologies: Dossier.apologies + 1}).where(
            Dossier.id == dossier_id
        )
        await _append(dossier_id, _who(connection), "apology", row["state"], row["state"], reason.strip(), new_due)
        await record(
            DossierAction.APOLOGY,
            connection=connection,
            subject_type="dossier",
            subject_id=dossier_id,
            summary=f"{row['code']}: {new_date:%d/%m/%Y}",
        )
        await dossier_messages.dossier_apology(row, new_due, row["apologies"] + 1)


async def mark_fee_paid(dossier_id: int, *, connection: ASGIConnection | None) -> None:
    async with write_transaction():
        row = await _locked(dossier_id)
        if not row["fee"]:
            raise RuleError(_l("This procedure has no fee."), status_code=409)
        if row["fee_paid_at"] is not None:
            raise RuleError(_l("The fee is already marked paid."), status_code=409)
        await Dossier.ward_update({Dossier.fee_paid_at: now(), Dossier.fee_paid_by: _who(connection)}).where(
            (Dossier.id == dossier_id) & Dossier.fee_paid_at.is_null()
        )
        await _append(dossier_id, _who(connection), "fee_paid", row["state"], row["state"], "", None)
        await record(
            DossierAction.FEE_PAID,
            connection=connection,
            subject_type="dossier",
            subject_id=dossier_id,
            summary=f"{row['code']}: {row['fee']} đ",
        )


# --- reading ---------------------------------------------------------------------------------------------

LIST_COLUMNS = (
    Dossier.id,
    Dossier.code,
    Dossier.state,
    Dossier.applicant_name,
    Dossier.applicant_phone,
    Dossier.received_at,
    Dossier.due_at,
    Dossier.legal_due_at,
    Dossier.result_at,
    Dossier.fee,
    Dossier.fee_paid_at,
    Dossier.apologies,
    Dossier.procedure.name,
)


async def dossier(dossier_id: int) -> dict:
    row = (
        await Dossier.ward_select(
            *Dossier.all_columns(),
            Dossier.procedure.name,
            Dossier.procedure.processing_days,
            Dossier.procedure.processing_hours,
            Dossier.received_by.full_name,
            Dossier.booking.code,
        )
        .where(Dossier.id == dossier_id)
        .first()
    )
    if row is None:
        raise LookupError(dossier_id)
    row["documents"] = json.loads(row["documents"] or "[]")
    return row


async def history(dossier_id: int) -> list[dict]:
    return await (
        DossierEvent.ward_select(
            DossierEvent.id,
            DossierEvent.at,
            DossierEvent.kind,
            DossierEvent.from_state,
            DossierEvent.to_state,
            DossierEvent.note,
            DossierEvent.due_at,
            DossierEvent.who.full_name,
        )
        .where(DossierEvent.dossier == dossier_id)
        .order_by(DossierEvent.id)
    )


async def search(*, state: str = "", q: str = "", flagged: bool = False, limit: int = 200) -> list[dict]:
    query = Dossier.ward_select(*LIST_COLUMNS)
    closed = await closed_days()
    if flagged:
        query = query.where(Dossier.state.is_in(list(RUNNING)) & (Dossier.due_at < due_rules.flag_until(now(), closed)))
    elif state in S.__members__:
        query = query.where(Dossier.state == state)
    if q := q.strip():
        digits = "".join(c for c in q if c.isdigit())
        condition = Dossier.code.ilike(f"%{q}%") | Dossier.applicant_name.ilike(f"%{q}%")
        if len(digits) >= 4:
            condition |= Dossier.applicant_phone.like(f"%{digits}%")
        query = query.where(condition)
    order = Dossier.due_at if flagged else Dossier.id
    rows = await query.order_by(order, ascending=flagged).limit(limit)
    moment = now()
    for row in rows:
        open_ = S(row["state"]) in RUNNING
        row["urgency"] = due_rules.urgency(row["due_at"], moment, closed) if open_ else ""
    return rows


async def flagged_count() -> int:
    return await Dossier.ward_count().where(
        Dossier.state.is_in(list(RUNNING)) & (Dossier.due_at < due_rules.flag_until(now(), await closed_days()))
    )


async def urgency_of(row: dict) -> str:
    if S(row["state"]) not in RUNNING:
        return ""
    return due_rules.urgency(row["due_at"], now(), await closed_days()).value


# --- the applicant's view --------------------------------------------------------------------------------


async def by_token(token: str) -> dict | None:
    if not token or len(token) > 40:
        return None
    row = (
        await Dossier.ward_select(
            Dossier.id,
            Dossier.code,
            Dossier.token,
            Dossier.state,
            Dossier.received_at,
            Dossier.due_at,
            Dossier.result_at,
            Dossier.closed_at,
            Dossier.rejection_reason,
            Dossier.fee,
            Dossier.fee_paid_at,
            Dossier.procedure.name,
        )
        .where(Dossier.token == token)
        .first()
    )
    return row


async def by_code_and_phone(code: str, phone: str) -> str | None:
    """The tracking token when the code and the phone belong to the same dossier; None for a wrong pair and
    an unknown code alike."""
    row = (
        await Dossier.ward_select(Dossier.token)
        .where((Dossier.code == code.strip()) & (Dossier.applicant_phone == phone))
        .first()
    )
    return row["token"] if row else None


async def public_steps(dossier_id: int) -> list[dict]:
    """The steps so far, as the applicant reads them: when, what, the promise; no officer's name, no note
    except the documents asked for, an apology's reason and a rejection's reason."""
    steps = []
    for event in await history(dossier_id):
        shown_note = event["kind"] == "apology" or event["to_state"] in (S.supplement, S.rejected)
        steps.append(
            {
                "at": event["at"],
                "kind": event["kind"],
                "state": event["to_state"],
                "note": event["note"] if shown_note else "",
                "due_at": event["due_at"],
            }
        )
    return steps


# --- the ward's fee account ------------------------------------------------------------------------------


async def payment_account() -> dict | None:
    return await PaymentAccount.ward_select().first()


async def save_payment_account(*, bank_bin: str, account_number: str, account_name: str, connection) -> None:
    async with write_transaction():
        values = {
            PaymentAccount.bank_bin: bank_bin,
            PaymentAccount.account_number: account_number,
            PaymentAccount.account_name: account_name,
            PaymentAccount.updated_at: now(),
            PaymentAccount.updated_by: _who(connection),
        }
        if await PaymentAccount.ward_exists():
            await PaymentAccount.ward_update(values)
        else:
            await PaymentAccount.ward_new(**{column._meta.name: v for column, v in values.items()}).save()
        await record(
            DossierAction.PAYMENT_ACCOUNT,
            connection=connection,
            subject_type="payment_account",
            summary=f"{bank_bin} {account_number}",
        )


def tracking_url(ward_slug: str, token: str) -> str:
    return f"{get_settings().file.app.base_url.rstrip('/')}/w/{ward_slug}/d/{token}"


def due_is_timed(proc: dict) -> bool:
    """Hours-based procedures promise a time of day; days-based ones a date (by the office's close)."""
    return proc.get("processing_days") is None and bool(proc.get("processing_hours"))
