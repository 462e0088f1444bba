"""What the kiosk at the door reads: a booking's QR (its link), a booking code typed in, or a citizen ID card's
QR (from the camera or a USB scanner typing into the focused field) or its 12-digit number.

A card or number finds the holder's booking of today (Booking.id_number) and checks it in; without one the
person chooses a service for a walk-in number, and a card saying they are 60 or over ticks the elderly priority
for them (the card is the proof the counter would ask for; they can untick it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlparse

from app.counter.queue import is_elderly, today
from app.counter.tables import Booking, BookingStatus
from app.errors import RuleError
from app.housing.cccd_qr import CccdCard, CccdQrError, parse_cccd_qr
from app.i18n import _l

_ID_NUMBER = re.compile(r"[0-9]{12}")
_CODE = re.compile(r"[A-Z0-9-]{3,12}")
_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")


@dataclass(frozen=True)
class Scan:
    booking_id: int | None = None  # a booking of this ward (of any day: check-in says if it is not today's)
    id_number: str = ""  # from a card or typed, when no booking of today was found
    full_name: str = ""
    elderly: bool = False


async def _booking_by(condition) -> int | None:
    row = await Booking.ward_select(Booking.id).where(condition).order_by(Booking.id, ascending=False).first()
    return row["id"] if row else None


async def _todays_booking_of(id_number: str) -> int | None:
    row = await (
        Booking.ward_select(Booking.id)
        .where(
            (Booking.id_number == id_number)
            & (Booking.day == today())
            & Booking.status.is_in([BookingStatus.booked, BookingStatus.checked_in])
        )
        .order_by(Booking.slot_start)
        .first()
    )
    return row["id"] if row else None


def _tokens_in(link: str) -> list[str]:
    parsed = urlparse(link)
    parts = [p for p in parsed.path.split("/") if p] + [v for _k, v in parse_qsl(parsed.query)]
    return [p for p in reversed(parts) if _TOKEN.fullmatch(p)]


async def read(text: str) -> Scan:
    text = (text or "").replace("\ufeff", "").strip()
    if not text:
        raise RuleError(_l("Scan a booking QR or a citizen ID card, or type the booking code."), field="scan")
    if "|" in text:  # the CCCD's QR
        try:
            card: CccdCard = parse_cccd_qr(text)
        except CccdQrError as exc:
            raise RuleError(exc.text, field="scan") from None
        booking_id = await _todays_booking_of(card.id_number)
        if booking_id is not None:
            return Scan(booking_id=booking_id)
        return Scan(id_number=card.id_number, full_name=card.full_name, elderly=is_elderly(card.birth_date, today()))
    if "/" in text:  # a booking's QR: its link carries the booking's token
        for token in _tokens_in(text):
            if (booking_id := await _booking_by(Booking.token == token)) is not None:
                return Scan(booking_id=booking_id)
        raise RuleError(_l("This QR is not a booking of this ward."), field="scan", status_code=404)
    compact = re.sub(r"[\s.]", "", text)
    if _ID_NUMBER.fullmatch(compact):
        booking_id = await _todays_booking_of(compact)
        return Scan(booking_id=booking_id) if booking_id is not None else Scan(id_number=compact)
    code = compact.upper()
    if _CODE.fullmatch(code) and (booking_id := await _booking_by(Booking.code == code)) is not None:
        return Scan(booking_id=booking_id)
    if _TOKEN.fullmatch(text) and (booking_id := await _booking_by(Booking.token == text)) is not None:
        return Scan(booking_id=booking_id)
    raise RuleError(_l("No booking has this code. Check it, or choose a service below."), field="scan", status_code=404)
