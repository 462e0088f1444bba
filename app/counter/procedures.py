"""The ward's procedure catalogue and its service groups: what residents read and book, what officers edit.

A procedure is deactivated, never deleted: bookings and dossiers keep pointing at it. A group's letter is
unique in the ward (it prefixes the queue numbers); its `slot_capacity` is how many bookings one time slot
holds for the group's procedures together.
"""

from __future__ import annotations

from datetime import UTC, datetime

from litestar.connection import ASGIConnection

from app import memo
from app.audit.service import record
from app.counter.tables import Procedure, ServiceGroup
from app.db import is_unique_violation, write_transaction
from app.errors import RuleError
from app.i18n import _l
from app.once import run_once
from tenants.communes import fold


class CatalogueAction:
    GROUP_CREATED = "service_group_created"
    GROUP_UPDATED = "service_group_updated"
    PROCEDURE_CREATED = "procedure_created"
    PROCEDURE_UPDATED = "procedure_updated"


GROUP_FIELDS = ("letter", "name", "slot_capacity", "sort_order", "active")
PROCEDURE_FIELDS = (
    "service_group", "national_code", "name", "field", "processing_days", "processing_hours", "fee", "fee_note",
    "documents", "bookable", "active", "sort_order",
)  # fmt: skip

_PROCEDURE_COLUMNS = (
    Procedure.id, Procedure.name, Procedure.field, Procedure.national_code, Procedure.processing_days,
    Procedure.processing_hours, Procedure.fee, Procedure.fee_note, Procedure.documents, Procedure.bookable,
    Procedure.active, Procedure.sort_order, Procedure.service_group,
    Procedure.service_group.letter.as_alias("group_letter"), Procedure.service_group.name.as_alias("group_name"),
    Procedure.service_group.active.as_alias("group_active"),
    Procedure.service_group.slot_capacity.as_alias("slot_capacity"),
    Procedure.service_group.sort_order.as_alias("group_sort"),
)  # fmt: skip


def documents_of(procedure: dict) -> list[str]:
    """The documents to bring, one a line, without the bullets people type."""
    return [line.strip(" -•*\t") for line in (procedure.get("documents") or "").splitlines() if line.strip(" -•*\t")]


def is_bookable(procedure: dict) -> bool:
    return bool(
        procedure["bookable"] and procedure["active"] and procedure["group_active"] and procedure["slot_capacity"]
    )


# --- reading ----------------------------------------------------------------------------------------------


async def groups(*, active_only: bool = False) -> list[dict]:
    query = ServiceGroup.ward_select()
    if active_only:
        query = query.where(ServiceGroup.active == True)  # noqa: E712
    return await query.order_by(ServiceGroup.sort_order).order_by(ServiceGroup.letter)


async def group_of(group_id: int) -> dict:
    row = await ServiceGroup.ward_select().where(ServiceGroup.id == group_id).first()
    if row is None:
        raise LookupError(group_id)
    return row


async def procedures(*, public: bool = False, bookable_only: bool = False) -> list[dict]:
    """The catalogue in the order shown: by group, then the officers' order, then name. `public` leaves out
    inactive procedures and those of inactive groups."""
    query = Procedure.ward_select(*_PROCEDURE_COLUMNS)
    if public or bookable_only:
        query = query.where((Procedure.active == True) & (Procedure.service_group.active == True))  # noqa: E712
    rows = await query
    # Names in Vietnamese order (Đ after D, not after Z as in the bytes), without a database collation.
    rows.sort(key=lambda r: (r["group_sort"], r["group_letter"], r["sort_order"], fold(r["name"]), r["name"]))
    return [r for r in rows if is_bookable(r)] if bookable_only else rows


async def procedure_of(procedure_id: int, *, public: bool = False) -> dict:
    """One procedure of the current ward; LookupError if none (or, for the public, if inactive)."""
    row = await Procedure.ward_select(*_PROCEDURE_COLUMNS).where(Procedure.id == procedure_id).first()
    if row is None or (public and not (row["active"] and row["group_active"])):
        raise LookupError(procedure_id)
    return row


def by_group(rows: list[dict]) -> list[tuple[dict, list[dict]]]:
    """[(group, [procedures])] in order, for lists headed by their group."""
    out: list[tuple[dict, list[dict]]] = []
    for row in rows:
        if not out or out[-1][0]["id"] != row["service_group"]:
            group = {"id": row["service_group"], "letter": row["group_letter"], "name": row["group_name"]}
            out.append((group, []))
        out[-1][1].append(row)
    return out


# --- officers' changes --------------------------------------------------------------------------------------

_LETTER_TAKEN = _l("Another group of the ward has this letter.")


async def create_group(*, values: dict, form_token: str, connection: ASGIConnection) -> str:
    async def create() -> str:
        group = ServiceGroup.ward_new(**values)
        try:
            async with write_transaction():
                await group.save()
        except Exception as exc:
            if is_unique_violation(exc):
                raise RuleError(_LETTER_TAKEN, field="letter") from None
            raise
        await record(
            CatalogueAction.GROUP_CREATED,
            connection=connection,
            subject_type="service_group",
            subject_id=group.id,
            summary=f"{values['letter']} · {values['name']}",
        )
        return f"groups/{group.id}"

    url = await run_once(form_token, create)
    memo.forget()
    return url


async def update_group(group_id: int, *, values: dict, connection: ASGIConnection) -> None:
    await group_of(group_id)
    try:
        async with write_transaction():
            await ServiceGroup.ward_update({getattr(ServiceGroup, k): v for k, v in values.items()}).where(
                ServiceGroup.id == group_id
            )
            await record(
                CatalogueAction.GROUP_UPDATED,
                connection=connection,
                subject_type="service_group",
                subject_id=group_id,
                summary=f"{values['letter']} · {values['name']}",
            )
    except Exception as exc:
        if is_unique_violation(exc):
            raise RuleError(_LETTER_TAKEN, field="letter") from None
        raise
    memo.forget()


async def _check_group(group_id: int) -> None:
    if not await ServiceGroup.ward_exists().where(ServiceGroup.id == group_id):
        raise RuleError(_l("Choose one of the options."), field="service_group")


async def create_procedure(*, values: dict, form_token: str, connection: ASGIConnection) -> str:
    async def create() -> str:
        await _check_group(values["service_group"])
        procedure = Procedure.ward_new(created_at=datetime.now(UTC), **values)
        await procedure.save()
        await record(
            CatalogueAction.PROCEDURE_CREATED,
            connection=connection,
            subject_type="procedure",
            subject_id=procedure.id,
            summary=values["name"],
        )
        return f"procedures/{procedure.id}"

    url = await run_once(form_token, create)
    memo.forget()
    return url


async def update_procedure(procedure_id: int, *, values: dict, connection: ASGIConnection) -> None:
    await procedure_of(procedure_id)
    async with write_transaction():
        await _check_group(values["service_group"])
        await Procedure.ward_update({getattr(Procedure, k): v for k, v in values.items()}).where(
            Procedure.id == procedure_id
        )
        await record(
            CatalogueAction.PROCEDURE_UPDATED,
            connection=connection,
            subject_type="procedure",
            subject_id=procedure_id,
            summary=values["name"],
        )
    memo.forget()
