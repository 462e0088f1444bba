"""Satisfaction ratings (đánh giá mức độ hài lòng): once a ticket is finished or a dossier handed back, the
resident rates it on the counter's tablet or from the link on their phone.

Five levels, as the national public-service portal asks them: rất hài lòng (5), hài lòng (4), bình thường (3),
không hài lòng (2), rất không hài lòng (1); optional reason chips and a comment. Exactly one rating per
transaction: a per-ward unique index on the dossier (and on the ticket) makes a double submit, or a second
device, find the first rating instead of adding one.
"""

from __future__ import annotations

from datetime import UTC, datetime

from litestar.connection import ASGIConnection

from app.counter.dossier_tables import Dossier, DossierState, Rating
from app.counter.tables import Ticket, TicketStatus
from app.db import is_unique_violation, write_transaction
from app.errors import RuleError
from app.i18n import _l

LEVELS = {
    5: _l("Very satisfied"),
    4: _l("Satisfied"),
    3: _l("Neutral"),
    2: _l("Dissatisfied"),
    1: _l("Very dissatisfied"),
}
FACES = {5: "😀", 4: "🙂", 3: "😐", 2: "🙁", 1: "😠"}
SATISFIED = (4, 5)  # the satisfaction rate counts these
REASONS = {
    "quick": _l("Quick"),
    "friendly": _l("Friendly staff"),
    "clear": _l("Clear guidance"),
    "one_trip": _l("Done in one trip"),
    "long_wait": _l("Long wait"),
    "unclear": _l("Unclear guidance"),
    "attitude": _l("Staff attitude"),
    "many_trips": _l("Had to come back"),
}
CHANNELS = ("phone", "tablet")
NOT_YET = _l("This can be rated once the service is done.")


def level_label(level: int) -> str:
    return str(LEVELS.get(level, level))


def reason_label(code: str) -> str:
    return str(REASONS.get(code, code))


def parse_reasons(raw: list[str]) -> str:
    return ",".join(code for code in REASONS if code in raw)


async def rating_of_dossier(dossier_id: int) -> dict | None:
    return await Rating.ward_select(Rating.level, Rating.created_at).where(Rating.dossier == dossier_id).first()


async def rateable_dossier(token: str) -> dict | None:
    """The dossier behind a tracking token, if it can be rated (handed back)."""
    if not token or len(token) > 40:
        return None
    return (
        await Dossier.ward_select(
            Dossier.id,
            Dossier.code,
            Dossier.state,
            Dossier.procedure,
            Dossier.service_group,
            Dossier.received_by,
            Dossier.procedure.name,
        )
        .where(Dossier.token == token)
        .first()
    )


async def _save(values: dict) -> bool:
    """Insert the rating; False when the transaction was already rated (the first rating stands)."""
    try:
        async with write_transaction():
            await Rating.ward_new(**values, created_at=datetime.now(UTC)).save()
    except Exception as exc:
        if is_unique_violation(exc):
            return False
        raise
    return True


def check_level(level: int | None) -> int:
    if level not in LEVELS:
        raise RuleError(_l("Choose how satisfied you are."), field="level")
    return level  # type: ignore[return-value]


async def rate_dossier(
    dossier: dict, *, level: int | None, reasons: str, comment: str, channel: str, connection: ASGIConnection | None
) -> bool:
    """Rate a handed-back dossier. True for a new rating, False when it was already rated."""
    if dossier["state"] != DossierState.returned:
        raise RuleError(NOT_YET, status_code=409)
    values = {
        "dossier": dossier["id"],
        "level": check_level(level),
        "reasons": reasons,
        "comment": comment,
        "channel": channel if channel in CHANNELS else "phone",
        "procedure": dossier["procedure"],
        "service_group": dossier["service_group"],
        "officer": dossier["received_by"],
    }
    return await _save(values)


async def rating_of_ticket(ticket_id: int) -> dict | None:
    return await Rating.ward_select(Rating.level, Rating.created_at).where(Rating.ticket == ticket_id).first()


async def rateable_ticket(token: str) -> dict | None:
    """The ticket behind its phone page's token; after a transfer, the row that carried it on (the service
    that ended it is the one rated)."""
    if not token or len(token) > 40:
        return None
    columns = (
        Ticket.id, Ticket.label, Ticket.status, Ticket.procedure, Ticket.service_group, Ticket.counter,
        Ticket.officer, Ticket.service_group.name,
    )  # fmt: skip
    row = await Ticket.ward_select(*columns).where(Ticket.token == token).first()
    for _hop in range(20):  # a ticket is transferred a few times at most
        if row is None or row["status"] != TicketStatus.transferred:
            break
        row = await Ticket.ward_select(*columns).where(Ticket.transferred_from == row["id"]).first()
    return row


async def rate_ticket(
    ticket: dict, *, level: int | None, reasons: str, comment: str, channel: str, connection: ASGIConnection | None
) -> bool:
    """Rate a finished ticket's service. True for a new rating, False when it was already rated."""
    if ticket["status"] != TicketStatus.done:
        raise RuleError(NOT_YET, status_code=409)
    values = {
        "ticket": ticket["id"],
        "level": check_level(level),
        "reasons": reasons,
        "comment": comment,
        "channel": channel if channel in CHANNELS else "phone",
        "procedure": ticket["procedure"],
        "service_group": ticket["service_group"],
        "counter": ticket["counter"],
        "officer": ticket["officer"],
    }
    return await _save(values)
