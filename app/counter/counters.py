"""The ward's counters (quầy): their numbers and the service groups each one calls."""

from __future__ import annotations

from datetime import UTC, datetime

from litestar.connection import ASGIConnection

from app.audit.service import record
from app.counter import live
from app.counter.queue_labels import QueueAction
from app.counter.tables import Counter, CounterGroup, ServiceGroup
from app.db import is_unique_violation, write_transaction
from app.errors import RuleError
from app.i18n import _l
from tenants.scope import current_ward_id

COUNTER_CREATED = QueueAction.COUNTER_CREATED
COUNTER_UPDATED = QueueAction.COUNTER_UPDATED


async def service_groups() -> list[dict]:
    return await (
        ServiceGroup.ward_select(ServiceGroup.id, ServiceGroup.letter, ServiceGroup.name)
        .where(ServiceGroup.active == True)  # noqa: E712
        .order_by(ServiceGroup.sort_order)
        .order_by(ServiceGroup.letter)
    )


async def list_counters(*, include_inactive: bool = False) -> list[dict]:
    query = Counter.ward_select(
        Counter.id, Counter.number, Counter.name, Counter.paused, Counter.pause_reason, Counter.active,
        Counter.officer.full_name.as_alias("officer_name"),
    ).order_by(Counter.number)  # fmt: skip
    if not include_inactive:
        query = query.where(Counter.active == True)  # noqa: E712
    rows = await query
    links = await CounterGroup.ward_select(CounterGroup.counter, CounterGroup.service_group)
    for row in rows:
        row["groups"] = [link["service_group"] for link in links if link["counter"] == row["id"]]
    return rows


async def _check_groups(group_ids: list[int]) -> list[int]:
    known = {g["id"] for g in await service_groups()}
    chosen = sorted(set(group_ids) & known)
    if not chosen:
        raise RuleError(_l("Choose at least one service this counter calls."), field="groups")
    return chosen


async def save_counter(
    counter_id: int | None, *, number: int, name: str, group_ids: list[int], active: bool = True,
    connection: ASGIConnection | None = None,
) -> int:  # fmt: skip
    """Create a counter (counter_id None) or change one; its groups are replaced by `group_ids`."""
    group_ids = await _check_groups(group_ids)
    try:
        async with write_transaction():
            if counter_id is None:
                row = Counter.ward_new(number=number, name=name, active=True, created_at=datetime.now(UTC))
                await Counter.ward_insert(row)
                counter_id = row.id
                action = COUNTER_CREATED
            else:
                updated = await (
                    Counter.ward_update({Counter.number: number, Counter.name: name, Counter.active: active})
                    .where(Counter.id == counter_id)
                    .returning(Counter.id)
                )
                if not updated:
                    raise LookupError(counter_id)
                await CounterGroup.ward_delete().where(CounterGroup.counter == counter_id)
                action = COUNTER_UPDATED
            await CounterGroup.ward_insert(
                *[CounterGroup.ward_new(counter=counter_id, service_group=g) for g in group_ids]
            )
            await record(
                action, connection=connection, subject_type="counter", subject_id=counter_id,
                summary=f"{number} {name}".strip(),
            )  # fmt: skip
    except Exception as exc:
        if is_unique_violation(exc):
            raise RuleError(_l("Another counter has this number."), field="number", status_code=409) from None
        raise
    await live.publish(current_ward_id(), "change", counter=counter_id)
    return counter_id  # type: ignore[return-value]
