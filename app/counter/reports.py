"""Reports (phản ánh, kiến nghị): a resident tells the ward about a problem, from the ward's home or a
property's page, and follows it with the code they are given; officers triage, assign, answer and close.

    new → in_progress (triaged, maybe assigned) → answered → closed
    new / in_progress → answered;  answered → in_progress (taken up again);  any but closed → closed

The photo is re-encoded here (JPEG, at most 1600 px a side): that drops whatever the file carried besides
the picture (EXIF with the phone's GPS position, scripts in an SVG or a polyglot file) and bounds its size. It
is kept in the database, apart from the report, and served only to the ward's officers.
"""

from __future__ import annotations

import io
import secrets
from datetime import UTC, datetime

from litestar.connection import ASGIConnection
from PIL import Image, ImageOps, UnidentifiedImageError

from app.accounts.tables import Membership, MembershipStatus, Role
from app.audit.service import record
from app.counter import dossier_messages
from app.counter.dossier_tables import Report, ReportEvent, ReportPhoto, ReportState
from app.db import is_postgres, write_transaction
from app.errors import RuleError
from app.housing.tables import Property
from app.i18n import LazyText, _l
from app.once import run_once

R = ReportState
MAX_PHOTO_BYTES = 8 * 1024 * 1024
MAX_SIDE = 1600
MAX_PIXELS = 50_000_000
PHOTO_FORMATS = ("JPEG", "PNG", "WEBP", "GIF")
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read off a phone and typed again
CODE_LENGTH = 16  # 32^16 = 2^80: the code alone opens the report (the follow page has no throttle)

CATEGORIES: dict[str, LazyText] = {
    "service": _l("Administrative procedures and service"),
    "housing": _l("Rental housing"),
    "security": _l("Security and public order"),
    "environment": _l("Environment and sanitation"),
    "infrastructure": _l("Roads, lighting, drainage"),
    "other": _l("Other"),
}
STATE_LABELS = {
    R.new: _l("New"),
    R.in_progress: _l("Being handled"),
    R.answered: _l("Answered"),
    R.closed: _l("Closed"),
}
TRANSITIONS: dict[ReportState, frozenset[ReportState]] = {
    R.new: frozenset({R.in_progress, R.answered, R.closed}),
    R.in_progress: frozenset({R.answered, R.closed}),
    R.answered: frozenset({R.in_progress, R.closed}),
    R.closed: frozenset(),
}


class ReportAction:
    RECEIVED = "report_received"
    UPDATED = "report_updated"


def category_label(code: str) -> str:
    return str(CATEGORIES.get(code, code))


def state_label(state: str) -> str:
    return str(STATE_LABELS.get(state, state))  # type: ignore[call-overload]


class PhotoError(ValueError):
    def __init__(self, message: LazyText) -> None:
        super().__init__(message.message)
        self.text = message


def clean_photo(data: bytes) -> bytes:
    """The photo as a fresh JPEG with nothing but the picture, or PhotoError. CPU work: run in a thread."""
    if not data:
        raise PhotoError(_l("The file is empty."))
    if len(data) > MAX_PHOTO_BYTES:
        raise PhotoError(_l("The photo is larger than 8 MB. Choose a smaller photo."))
    try:
        with Image.open(io.BytesIO(data), formats=PHOTO_FORMATS) as image:
            if image.width * image.height > MAX_PIXELS:
                raise PhotoError(_l("This photo is too large."))
            image.draft("RGB", (MAX_SIDE, MAX_SIDE))  # JPEG: decode at a reduced scale
            picture = ImageOps.exif_transpose(image).convert("RGB")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        if isinstance(exc, PhotoError):
            raise
        raise PhotoError(_l("This file is not a photo. Choose a JPEG, PNG or WebP picture.")) from None
    picture.thumbnail((MAX_SIDE, MAX_SIDE))
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=82, optimize=True)
    return out.getvalue()


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


async def property_by_token(token: str) -> dict | None:
    """The property a report is about, from its sticker's token (the public page links with it)."""
    if not token or len(token) > 40:
        return None
    return (
        await Property.ward_select(Property.id, Property.name, Property.street_address)
        .where(Property.qr_token == token)
        .first()
    )


async def submit(
    *,
    category: str,
    text: str,
    place: str,
    contact_name: str,
    contact_phone: str,
    photo: bytes | None,
    property_id: int | None,
    ward_slug: str,
    form_token: str,
    connection: ASGIConnection,
) -> str:
    """Record the report (and its photo), once per form token. Returns the follow page's URL."""

    async def create() -> str:
        report = Report.ward_new(
            code=_new_code(),
            category=category,
            text=text,
            place=place,
            property=property_id,
            contact_name=contact_name,
            contact_phone=contact_phone,
            has_photo=photo is not None,
            state=R.new,
            created_at=datetime.now(UTC),
        )
        await report.save()
        if photo is not None:
            await ReportPhoto.ward_new(report=report.id, content_type="image/jpeg", data=photo, size=len(photo)).save()
        await _append(report.id, None, "", R.new, "")
        await record(
            ReportAction.RECEIVED,
            connection=connection,
            actor_id=None,
            subject_type="report",
            subject_id=report.id,
            summary=f"{category_label(category)}: {text[:200]}",
        )
        return f"/w/{ward_slug}/reports/{report.code}?new=1"

    return await run_once(form_token, create)


async def _append(report_id: int, who: int | None, from_state: str, to_state: str, note: str) -> None:
    await ReportEvent.ward_new(
        report=report_id, at=datetime.now(UTC), who=who, from_state=from_state, to_state=to_state, note=note
    ).save()


async def public_view(code: str) -> dict | None:
    """What the reporter sees: the report, its state, the answer and the steps; no contact, no officer."""
    if not code or len(code) > 16:
        return None
    row = (
        await Report.ward_select(
            Report.id,
            Report.code,
            Report.category,
            Report.text,
            Report.state,
            Report.answer,
            Report.created_at,
            Report.answered_at,
            Report.closed_at,
            Report.has_photo,
        )
        .where(Report.code == code.strip().upper())
        .first()
    )
    if row is None:
        return None
    row["steps"] = (
        await ReportEvent.ward_select(ReportEvent.at, ReportEvent.to_state)
        .where(ReportEvent.report == row["id"])
        .order_by(ReportEvent.id)
    )
    return row


# --- the officers' side ----------------------------------------------------------------------------------


async def officers() -> list[dict]:
    """The ward's active officer accounts, to assign a report to."""
    rows = await Membership.ward_select(Membership.user, Membership.user.full_name).where(
        (Membership.role == Role.officer) & (Membership.status == MembershipStatus.active)
    )
    return sorted(({"id": r["user"], "name": r["user.full_name"]} for r in rows), key=lambda r: r["name"])


async def search(*, state: str = "", mine: int | None = None, limit: int = 200) -> list[dict]:
    query = Report.ward_select(
        Report.id,
        Report.code,
        Report.category,
        Report.text,
        Report.state,
        Report.created_at,
        Report.has_photo,
        Report.assigned_to.full_name,
        Report.property.name,
    )
    if state == "open":
        query = query.where(Report.state.is_in([R.new, R.in_progress]))
    elif state in R.__members__:
        query = query.where(Report.state == state)
    if mine is not None:
        query = query.where(Report.assigned_to == mine)
    return await query.order_by(Report.id, ascending=False).limit(limit)


async def report(report_id: int) -> dict:
    row = (
        await Report.ward_select(
            *Report.all_columns(), Report.assigned_to.full_name, Report.property.name, Report.property.street_address
        )
        .where(Report.id == report_id)
        .first()
    )
    if row is None:
        raise LookupError(report_id)
    return row


async def history(report_id: int) -> list[dict]:
    return (
        await ReportEvent.ward_select(
            ReportEvent.at, ReportEvent.from_state, ReportEvent.to_state, ReportEvent.note, ReportEvent.who.full_name
        )
        .where(ReportEvent.report == report_id)
        .order_by(ReportEvent.id)
    )


async def photo(report_id: int) -> dict | None:
    return (
        await ReportPhoto.ward_select(ReportPhoto.content_type, ReportPhoto.data)
        .where(ReportPhoto.report == report_id)
        .first()
    )


async def handle(
    report_id: int,
    *,
    to_state: str,
    answer: str = "",
    note: str = "",
    assign_to: int | None = None,
    connection: ASGIConnection,
) -> None:
    """One officer's step on a report: a move (with the answer when answering), an assignment, or both."""
    user = connection.scope.get("user")
    who = user.id if user else None
    async with write_transaction():
        query = Report.ward_select(
            Report.id, Report.state, Report.code, Report.assigned_to, Report.contact_phone
        ).where(Report.id == report_id)
        if is_postgres():
            query = query.lock_rows("NO KEY UPDATE")
        row = await query.first()
        if row is None:
            raise LookupError(report_id)
        source = R(row["state"])
        values: dict = {}
        target = source
        if to_state and to_state != source:
            try:
                target = R(to_state)
            except ValueError:
                raise RuleError(_l("Choose one of the options."), status_code=409) from None
            if target not in TRANSITIONS[source]:
                raise RuleError(
                    _l(
                        "A report that is “%(from)s” cannot become “%(to)s”.",
                        **{"from": STATE_LABELS[source], "to": STATE_LABELS[target]},
                    ),
                    status_code=409,
                )
            values[Report.state] = target
        if target is R.answered and source is not R.answered:
            if not answer.strip():
                raise RuleError(_l("Write the answer the reporter will read."), field="answer")
            values[Report.answer] = answer.strip()
            values[Report.answered_at] = datetime.now(UTC)
        if target is R.closed:
            values[Report.closed_at] = datetime.now(UTC)
        if assign_to is not None and assign_to != row["assigned_to"]:
            if assign_to not in {o["id"] for o in await officers()}:
                raise RuleError(_l("Choose one of the options."), field="assign_to")
            values[Report.assigned_to] = assign_to
            if source is R.new and target is R.new:
                values[Report.state] = target = R.in_progress  # assigning is triaging
        if not values:
            raise RuleError(_l("Nothing to change."), field="__all__")
        await Report.ward_update(values).where((Report.id == report_id) & (Report.state == source))
        text = answer.strip() if Report.answer in values else note.strip()
        if Report.assigned_to in values:
            assignee = next(o["name"] for o in await officers() if o["id"] == assign_to)
            text = (f"→ {assignee}\n" + text).strip()
        await _append(report_id, who, source, target, text)
        await record(
            ReportAction.UPDATED,
            connection=connection,
            subject_type="report",
            subject_id=report_id,
            summary=f"{row['code']}: {state_label(source)} → {state_label(target)}",
        )
        if target is R.answered and source is not R.answered:
            await dossier_messages.report_answered(row)


async def open_count() -> int:
    return await Report.ward_count().where(Report.state.is_in([R.new, R.in_progress]))
