"""What the back office tells residents (through app.notify, in the transaction of the change): a dossier
received, needing documents, ready, late with a new date; a rating request once a dossier is handed back or
a ticket finished; a report answered. Residents have no account: the message goes to the phone they gave, in
the language they used."""

from __future__ import annotations

from datetime import date, datetime

from app.counter import events
from app.counter.tables import Procedure
from app.i18n import TIMEZONE
from app.notify import Recipient, send, ward_base


def _to(row: dict, phone_key: str = "applicant_phone") -> Recipient | None:
    phone = row.get(phone_key) or ""
    return Recipient(phone=phone, locale=row.get("locale") or "vi") if phone else None


def _day(moment: datetime) -> date:
    return moment.astimezone(TIMEZONE).date()


async def _procedure_name(procedure_id: int | None) -> str:
    row = await Procedure.ward_select(Procedure.name).where(Procedure.id == procedure_id).first()
    return row["name"] if row else ""


async def dossier_received(dossier: dict, procedure: str) -> None:
    if to := _to(dossier):
        data = {
            "code": dossier["code"],
            "procedure": procedure,
            "due": _day(dossier["due_at"]),
            "url": f"{await ward_base()}/d/{dossier['token']}",
        }
        await send(events.DOSSIER_RECEIVED, to=to, data=data, subject=f"dossier:{dossier['id']}")


async def dossier_moved(dossier: dict, to_state: str, note: str, at: datetime) -> None:
    """After a move: documents asked for, the result ready, or (handed back) a request to rate."""
    to = _to(dossier)
    if to is None:
        return
    base = await ward_base()
    url = f"{base}/d/{dossier['token']}"
    key = f"dossier:{dossier['id']}"
    if to_state == "supplement":
        data = {"code": dossier["code"], "missing": note, "url": url}
        await send(events.DOSSIER_NEEDS_SUPPLEMENT, to=to, data=data, subject=f"{key}:supplement:{at.isoformat()}")
    elif to_state == "result_ready":
        await send(events.DOSSIER_RESULT_READY, to=to, data={"code": dossier["code"], "url": url}, subject=key)
    elif to_state == "returned":
        data = {"procedure": await _procedure_name(dossier["procedure"]), "url": f"{url}/rate"}
        await send(events.RATING_REQUEST, to=to, data=data, subject=f"{key}:rating")


async def dossier_apology(dossier: dict, new_due: datetime, number: int) -> None:
    if to := _to(dossier):
        data = {"code": dossier["code"], "due": _day(new_due), "url": f"{await ward_base()}/d/{dossier['token']}"}
        await send(
            events.DOSSIER_OVERDUE_APOLOGY, to=to, data=data, subject=f"dossier:{dossier['id']}:apology:{number}"
        )


async def ticket_rating_request(ticket: dict) -> None:
    """A finished ticket whose holder left a phone (a booking or the kiosk) is asked to rate the service."""
    if to := _to(ticket, "phone"):
        data = {"procedure": await _procedure_name(ticket.get("procedure")) or ticket.get("label", ""),
                "url": f"{await ward_base()}/rate/ticket/{ticket['token']}"}  # fmt: skip
        await send(events.RATING_REQUEST, to=to, data=data, subject=f"ticket:{ticket['id']}:rating")


async def report_answered(report: dict) -> None:
    if to := _to(report, "contact_phone"):
        data = {"code": report["code"], "url": f"{await ward_base()}/reports/{report['code']}"}
        await send(events.REPORT_ANSWERED, to=to, data=data, subject=f"report:{report['id']}:answered")
