"""Writing and reading the audit log. Call `record()` inside the transaction of the change it
describes, so an action and its audit row stand or fall together."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from litestar.connection import ASGIConnection

from app.audit.tables import AuditEvent
from tenants.scope import current_ward_id, has_ward_scope


class Action:
    SIGN_IN = "sign_in"
    SIGN_OUT = "sign_out"
    SIGN_IN_FAILED = "sign_in_failed"
    SIGN_IN_THROTTLED = "sign_in_throttled"
    SIGN_UP = "sign_up"
    APPROVED = "membership_approved"
    REJECTED = "membership_rejected"
    ACCOUNT_CREATED = "account_created"
    PASSWORD_RESET = "password_reset"
    PASSWORD_CHANGED = "password_changed"
    DEACTIVATED = "membership_deactivated"
    REACTIVATED = "membership_reactivated"
    WARD_CREATED = "ward_created"
    WARD_UPDATED = "ward_updated"
    TOKEN_CREATED = "api_token_created"
    TOKEN_REVOKED = "api_token_revoked"
    WARD_SWITCHED = "ward_switched"
    RENTER_VIEWED = "renter_viewed"  # a renter's personal data shown to someone other than their landlord


def client_of(connection: ASGIConnection | None) -> tuple[str, str]:
    if connection is None:
        return "", ""
    host = connection.client.host if connection.client else ""
    return host or "", (connection.headers.get("user-agent") or "")[:255]


async def record(
    action: str,
    *,
    connection: ASGIConnection | None = None,
    actor_id: int | None = None,
    ward_id: int | None = None,
    subject_type: str = "",
    subject_id: int | None = None,
    summary: str = "",
    phone: str = "",
) -> None:
    """Append one event. The ward defaults to the current ward scope, if there is one."""
    ip, agent = client_of(connection)
    if ward_id is None and has_ward_scope():
        ward_id = current_ward_id()
    if actor_id is None and connection is not None:
        user = connection.scope.get("user")
        actor_id = user.id if user else None
    await AuditEvent.insert(
        AuditEvent(
            at=datetime.now(UTC),
            ward=ward_id,
            actor=actor_id,
            action=action,
            subject_type=subject_type,
            subject_id=subject_id,
            summary=summary[:2000],
            phone=phone,
            ip=ip,
            user_agent=agent,
        )
    )


async def record_views(people: Iterable[tuple[int, str]], *, connection: ASGIConnection, page: str) -> None:
    """RENTER_VIEWED for every person a page shows (renter id, name): who saw them, when, from which page.
    One statement for the whole page, each person once."""
    ip, agent = client_of(connection)
    user = connection.scope.get("user")
    now, seen = datetime.now(UTC), set()
    rows = []
    for renter_id, name in people:
        if renter_id in seen:
            continue
        seen.add(renter_id)
        rows.append(
            AuditEvent(
                at=now,
                ward=current_ward_id(),
                actor=user.id if user else None,
                action=Action.RENTER_VIEWED,
                subject_type="renter",
                subject_id=renter_id,
                summary=f"{page}: {name}"[:2000],
                ip=ip,
                user_agent=agent,
            )
        )
    if rows:
        await AuditEvent.insert(*rows)


async def viewers_of(renter_id: int, *, limit: int = 50) -> list[dict]:
    """Who saw this renter of the current ward, from which page, newest first."""
    return await (
        AuditEvent.select(AuditEvent.at, AuditEvent.actor.full_name, AuditEvent.summary)
        .where(
            (AuditEvent.ward == current_ward_id())
            & (AuditEvent.subject_type == "renter")
            & (AuditEvent.subject_id == renter_id)
            & (AuditEvent.action == Action.RENTER_VIEWED)
        )
        .order_by(AuditEvent.id, ascending=False)
        .limit(limit)
    )


async def ward_events(*, action: str = "", limit: int = 50, before_id: int | None = None) -> list[dict]:
    """The current ward's log, newest first."""
    query = AuditEvent.select(
        AuditEvent.id,
        AuditEvent.at,
        AuditEvent.action,
        AuditEvent.actor.full_name,
        AuditEvent.actor.phone,
        AuditEvent.subject_type,
        AuditEvent.subject_id,
        AuditEvent.summary,
        AuditEvent.ip,
    ).where(AuditEvent.ward == current_ward_id())
    if action:
        query = query.where(AuditEvent.action == action)
    if before_id:
        query = query.where(AuditEvent.id < before_id)
    return await query.order_by(AuditEvent.id, ascending=False).limit(limit)


async def failed_sign_ins(since: datetime, *, phone: str = "", ip: str = "") -> list[datetime]:
    """Times of failed sign-ins since `since` for this phone, or from this address."""
    condition = (AuditEvent.action == Action.SIGN_IN_FAILED) & (AuditEvent.at > since)
    condition &= (AuditEvent.phone == phone) if phone else (AuditEvent.ip == ip)
    rows = await AuditEvent.select(AuditEvent.at).where(condition).order_by(AuditEvent.at)
    return [row["at"] for row in rows]
