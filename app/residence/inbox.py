"""The ward police's declaration inbox: what is new and what is late first, filtered by kind, state,
residential group and house; one declaration with everything filed, its history and who has seen it; and the
police's decisions, on one declaration or on several selected together.

Several at once are decided one by one, each in its own transaction through `change_state`, and the answer says
for each whether it was done or why not. Each declaration is a filing of its own with its own history: one
that moved meanwhile (the landlord corrected it, another officer decided it) must not undo the decisions on
the others, and the officer sees exactly which to look at again. A missing reference or reason refuses the
whole batch before anything is written, since it is missing for every one of them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from litestar.connection import ASGIConnection

from app.audit.service import record, record_views, viewers_of
from app.db import write_transaction
from app.errors import RuleError
from app.housing.tables import Property
from app.i18n import _l
from app.residence.deadlines import DeclarationKind, describe_due
from app.residence.declarations import SNAPSHOT_FIELDS, S, change_state, history, kind_label
from app.residence.tables import Declaration, DeskSettings
from app.web.ids import as_id

LIMIT = 200
TO_DO = "to_do"  # filed or received: the police's work
OPEN_STATES = (S.submitted, S.received)
FILTER_STATES = (TO_DO, *(s.value for s in S), "")
ACTIONS = ("receive", "accept", "reject")


class DeskAction:
    SETTINGS_CHANGED = "desk_settings_changed"
    EXPORTED = "declarations_exported"


@dataclass(frozen=True)
class InboxFilter:
    kind: str = ""
    state: str = TO_DO
    group: str = ""
    property_id: int | None = None

    @classmethod
    def of(cls, kind: str, state: str, group: str, property_id: str) -> InboxFilter:
        """From the query string; anything unknown is dropped rather than refused."""
        return cls(
            kind=kind if kind in DeclarationKind.__members__ else "",
            state=state if state in FILTER_STATES else TO_DO,
            group=group.strip()[:60],
            property_id=as_id(property_id),
        )


_LIST_COLUMNS = (
    Declaration.id,
    Declaration.renter,
    Declaration.kind,
    Declaration.state,
    Declaration.deadline,
    Declaration.full_name,
    Declaration.id_number,
    Declaration.room_code,
    Declaration.arrival_date,
    Declaration.submitted_at,
    Declaration.reference,
    Declaration.stay.room.property.id,
    Declaration.stay.room.property.name,
    Declaration.stay.room.property.residential_group,
)


def _is_late(row: dict, now: datetime) -> bool:
    """Still with the police (filed or received) past its deadline."""
    return row["state"] in OPEN_STATES and row["deadline"] is not None and row["deadline"] <= now


async def inbox(filters: InboxFilter, now: datetime | None = None) -> tuple[list[dict], bool]:
    """The declarations matching `filters`, late ones first, then new (filed, not yet received), then by
    deadline; at most LIMIT, and whether there are more. Each row carries `late` and `due`."""
    now = now or datetime.now(UTC)
    query = Declaration.ward_select(*_LIST_COLUMNS)
    if filters.state == TO_DO:
        query = query.where(Declaration.state.is_in(list(OPEN_STATES)))
    elif filters.state:
        query = query.where(Declaration.state == filters.state)
    if filters.kind:
        query = query.where(Declaration.kind == filters.kind)
    if filters.group:
        query = query.where(Declaration.stay.room.property.residential_group == filters.group)
    if filters.property_id is not None:
        query = query.where(Declaration.stay.room.property.id == filters.property_id)
    # The earliest deadline first: the late ones are the earliest, so the page's limit keeps them.
    rows = await query.order_by(Declaration.deadline).order_by(Declaration.id).limit(LIMIT + 1)
    more = len(rows) > LIMIT
    rows = rows[:LIMIT]
    far = datetime.max.replace(tzinfo=UTC)
    for row in rows:
        row["late"] = _is_late(row, now)
        row["due"] = describe_due(row["deadline"], now) if row["deadline"] is not None else None
    rows.sort(key=lambda r: (not r["late"], r["state"] != S.submitted, r["deadline"] or far, r["id"]))
    return rows, more


async def house_names() -> list[dict]:
    """The ward's houses for the filter, by name."""
    return await Property.ward_select(Property.id, Property.name).order_by(Property.name)


async def counts(now: datetime | None = None) -> dict[str, int]:
    """How many are new (filed, not received), received, and late, in the whole ward."""
    now = now or datetime.now(UTC)
    return {
        "new": await Declaration.ward_count().where(Declaration.state == S.submitted),
        "received": await Declaration.ward_count().where(Declaration.state == S.received),
        "late": await Declaration.ward_count().where(
            Declaration.state.is_in(list(OPEN_STATES)) & (Declaration.deadline <= now)
        ),
    }


async def inbox_shown(filters: InboxFilter, *, connection: ASGIConnection) -> tuple[list[dict], bool]:
    """The inbox as the police see it: every person listed is written to the audit log first."""
    rows, more = await inbox(filters)
    async with write_transaction():
        await record_views(((r["renter"], r["full_name"]) for r in rows), connection=connection, page="police/inbox")
    return rows, more


async def declaration(declaration_id: int) -> dict:
    """Everything filed in one declaration of the ward, with its house and who decided it; LookupError."""
    row = (
        await Declaration.ward_select(
            *(getattr(Declaration, f) for f in SNAPSHOT_FIELDS),
            Declaration.id,
            Declaration.stay,
            Declaration.renter,
            Declaration.kind,
            Declaration.state,
            Declaration.deadline,
            Declaration.reference,
            Declaration.rejection_reason,
            Declaration.created_at,
            Declaration.submitted_at,
            Declaration.decided_at,
            Declaration.decided_by.full_name,
            Declaration.stay.to_date,
            Declaration.stay.room.property.id,
            Declaration.stay.room.property.name,
            Declaration.stay.room.property.street_address,
            Declaration.stay.room.property.landlord.full_name,
            Declaration.stay.room.property.landlord.phone,
        )
        .where(Declaration.id == declaration_id)
        .first()
    )
    if row is None:
        raise LookupError(declaration_id)
    row["due"] = describe_due(row["deadline"]) if row["deadline"] is not None else None
    return row


async def declaration_shown(declaration_id: int, *, connection: ASGIConnection) -> dict[str, Any]:
    """One declaration as the police open it: the view is written to the audit log, then the declaration,
    its history and who has seen the person (this view included) are read."""
    row = await declaration(declaration_id)
    async with write_transaction():
        await record_views(
            [(row["renter"], row["full_name"])], connection=connection, page=f"police/declarations/{declaration_id}"
        )
    events = await history(declaration_id)
    for event in events:  # what changed, as field: value
        event["changes"] = json.loads(event["changes"] or "{}")
        if event["changes"].get("kind"):
            event["changes"]["kind"] = kind_label(event["changes"]["kind"])
    return {"declaration": row, "events": events, "viewers": await viewers_of(row["renter"])}


# --- decisions -------------------------------------------------------------------------------------------


def check_decision(action: str, *, reference: str = "", reason: str = "") -> None:
    """What a decision needs before any declaration is looked at (422 beside the field)."""
    if action not in ACTIONS:
        raise RuleError(_l("Choose one of the options."), field="action")
    if action == "accept" and not reference.strip():
        raise RuleError(_l("Enter the registration number or reference."), field="reference")
    if action == "reject" and not reason.strip():
        raise RuleError(_l("Say what the landlord must correct."), field="reason")
    if len(reference.strip()) > 60:
        raise RuleError(_l("At most %(n)s characters.", n=60), field="reference")
    if len(reason.strip()) > 500:
        raise RuleError(_l("At most %(n)s characters.", n=500), field="reason")


async def decide(
    declaration_id: int, action: str, *, connection: ASGIConnection | None, reference: str = "", reason: str = ""
) -> None:
    """Receive, accept or reject one declaration, in one transaction. A filed declaration the police accept or
    reject straight away is received first (both moves are in its history): at the desk, taking it up and
    deciding are one act. RuleError (409) when its state does not allow it; LookupError when not in the ward."""
    check_decision(action, reference=reference, reason=reason)
    async with write_transaction():
        row = await Declaration.ward_select(Declaration.state).where(Declaration.id == declaration_id).first()
        if row is None:
            raise LookupError(declaration_id)
        if action == "receive":
            await change_state(declaration_id, S.received, connection=connection)
            return
        if row["state"] == S.submitted:
            await change_state(declaration_id, S.received, connection=connection)
        if action == "accept":
            await change_state(declaration_id, S.accepted, connection=connection, reference=reference)
        else:
            await change_state(declaration_id, S.rejected, connection=connection, reason=reason)


@dataclass(frozen=True)
class Outcome:
    id: int
    full_name: str
    done: bool
    message: str = ""


async def decide_many(
    declaration_ids: list[int],
    action: str,
    *,
    connection: ASGIConnection,
    reference: str = "",
    reason: str = "",
) -> list[Outcome]:
    """The same decision on several declarations, each on its own (see the module's docstring)."""
    check_decision(action, reference=reference, reason=reason)
    if not declaration_ids:
        raise RuleError(_l("Select at least one declaration."), field="ids")
    names = {
        r["id"]: r["full_name"]
        for r in await Declaration.ward_select(Declaration.id, Declaration.full_name).where(
            Declaration.id.is_in(declaration_ids)
        )
    }
    outcomes: dict[int, Outcome] = {}
    # Decided in id order: on PostgreSQL each decision's row lock lasts until the request ends, so two officers
    # deciding overlapping selections must lock in the same order or they deadlock. Reported in the order selected.
    for declaration_id in sorted(set(declaration_ids)):
        if declaration_id not in names:
            outcomes[declaration_id] = Outcome(declaration_id, "", False, str(_l("Not found in this ward.")))
            continue
        try:
            await decide(declaration_id, action, connection=connection, reference=reference, reason=reason)
        except RuleError as exc:
            outcomes[declaration_id] = Outcome(declaration_id, names[declaration_id], False, str(exc.text))
        else:
            outcomes[declaration_id] = Outcome(declaration_id, names[declaration_id], True)
    return [outcomes[declaration_id] for declaration_id in dict.fromkeys(declaration_ids)]


# --- the desk's settings ---------------------------------------------------------------------------------


async def set_remote_area(remote: bool, *, connection: ASGIConnection) -> None:
    async with write_transaction():
        now = datetime.now(UTC)
        if await DeskSettings.ward_exists():
            await DeskSettings.ward_update({DeskSettings.remote_area: remote, DeskSettings.updated_at: now}).where(
                DeskSettings.id > 0
            )
        else:
            await DeskSettings.ward_new(remote_area=remote, updated_at=now).save()
        await record(
            DeskAction.SETTINGS_CHANGED,
            connection=connection,
            subject_type="ward",
            summary="remote_area=" + ("yes" if remote else "no"),
        )
