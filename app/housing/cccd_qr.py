"""Reading the QR code of a chip CCCD / căn cước card into a checked card record.

The payload is one UTF-8 line of `|`-separated fields (domain research section 2.1):

    <12-digit ID>|<9-digit old CMND or empty>|<full name>|<birth ddmmyyyy>|<Nam/Nữ>|<permanent address>|<issue ddmmyyyy>

Cards issued from late 2024 append further fields (11 parts in all); only the first seven are read. Parsing is
lenient about what scanners do to the text (BOM, CR/LF, decomposed Unicode, lost diacritics in "Nữ", UTF-8
read as Windows-1252) but strict about the facts: the ID number must be valid and agree with the birth date and
gender. An optional field that cannot be read is left empty and named in `unreadable`, never guessed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime

from app.i18n import TIMEZONE, LazyText, _l
from app.vn.cccd import IdNumberError, validate_id_number

FIELD_COUNT = 7

_ASCII_SPACE = " \t\r\n\v\f"

_WEB_ADDRESS = re.compile(r"(?:[a-z][a-z0-9+.\-]*://|www\.)", re.IGNORECASE)
_LOOKS_LIKE_ID = re.compile(r"[0-9][0-9\s.\-]*")
_SEPARATORS = re.compile(r"[\s/.\-]")
_EIGHT_DIGITS = re.compile(r"[0-9]{8}")
_NINE_DIGITS = re.compile(r"[0-9]{9}")
_GENDERS = {"nam": "male", "nu": "female"}


class CccdQrError(ValueError):
    def __init__(self, message: LazyText) -> None:
        super().__init__(message.message)
        self.text = message


@dataclass(frozen=True)
class CccdCard:
    id_number: str
    old_id_number: str  # the 9-digit CMND, or "" when the card has none (or it could not be read)
    full_name: str
    birth_date: date | None
    gender: str | None  # "male", "female", or None when unreadable
    permanent_address: str
    issue_date: date | None
    unreadable: tuple[str, ...] = ()  # fields present in the QR that could not be read, left empty

    @property
    def female(self) -> bool | None:
        return None if self.gender is None else self.gender == "female"


def parse_cccd_qr(payload: str, *, today: date | None = None) -> CccdCard:
    """Parse the text of a CCCD QR code, or raise CccdQrError saying what is wrong with it."""
    today = today or datetime.now(TIMEZONE).date()
    raw = (payload or "").replace("\ufeff", "")
    text = raw.strip()
    if not text:
        raise CccdQrError(_l("The QR code is empty."))
    if _WEB_ADDRESS.match(text):
        raise CccdQrError(_l("This QR code is a web address, not a citizen ID card."))
    # Only ASCII whitespace is stripped before the mojibake repair: NBSP and NEL may be bytes of a letter.
    fields = [_clean(field) for field in raw.strip(_ASCII_SPACE).split("|")]
    if len(fields) < FIELD_COUNT:
        if len(fields) > 1 and _LOOKS_LIKE_ID.fullmatch(fields[0]):
            raise CccdQrError(
                _l(
                    "The QR code was cut short: it has %(count)s of the 7 fields of a citizen ID card. Scan it again.",
                    count=len(fields),
                )
            )
        raise CccdQrError(_l("This QR code is not from a citizen ID card."))
    raw_id, raw_old_id, raw_name, raw_birth, raw_gender, raw_address, raw_issue = fields[:FIELD_COUNT]
    unreadable: list[str] = []

    try:
        id_number = validate_id_number(raw_id, today=today)
    except IdNumberError as exc:
        raise CccdQrError(exc.text) from exc

    old_id_number = ""
    if raw_old_id:
        compact = _SEPARATORS.sub("", raw_old_id)
        if _NINE_DIGITS.fullmatch(compact):
            old_id_number = compact
        else:
            unreadable.append("old_id_number")

    full_name = _one_line(raw_name)
    if not full_name or "\ufffd" in full_name:
        full_name = ""
        unreadable.append("full_name")

    try:
        birth_date = _read_date(raw_birth)
    except ValueError:
        digits = _SEPARATORS.sub("", raw_birth)
        shown = f"{digits[:2]}/{digits[2:4]}/{digits[4:]}"
        raise CccdQrError(_l("The birth date in the QR code, %(date)s, does not exist.", date=shown)) from None
    if birth_date is None:
        raise CccdQrError(_l("The birth date in the QR code cannot be read (expected ddmmyyyy)."))
    if birth_date > today:
        raise CccdQrError(_l("The birth date in the QR code is in the future."))

    gender = _GENDERS.get(_fold(raw_gender))
    if gender is None:
        unreadable.append("gender")

    permanent_address = _one_line(raw_address)
    if "\ufffd" in permanent_address:
        permanent_address = ""
        unreadable.append("permanent_address")

    issue_date = None
    if raw_issue:
        try:
            issue_date = _read_date(raw_issue)
        except ValueError:
            issue_date = None
        if issue_date is None or issue_date > today:
            issue_date = None
            unreadable.append("issue_date")
        elif issue_date < birth_date:
            raise CccdQrError(_l("The card's issue date in the QR code is before the birth date."))

    try:
        validate_id_number(
            id_number, birth_date=birth_date, female=None if gender is None else gender == "female", today=today
        )
    except IdNumberError as exc:
        raise CccdQrError(exc.text) from exc

    return CccdCard(
        id_number=id_number,
        old_id_number=old_id_number,
        full_name=full_name,
        birth_date=birth_date,
        gender=gender,
        permanent_address=permanent_address,
        issue_date=issue_date,
        unreadable=tuple(unreadable),
    )


def _clean(field: str) -> str:
    repaired = _repair_mojibake(field.strip(_ASCII_SPACE)).replace("\ufeff", "").strip()
    return unicodedata.normalize("NFC", repaired)


def _repair_mojibake(text: str) -> str:
    """Undo UTF-8 bytes that a scanner or browser decoded as Windows-1252 / Latin-1 ("Nguyá»…n" → "Nguyễn").

    Real Vietnamese text cannot be encoded in those single-byte charsets, and Latin-1 text that is not mojibake
    almost never forms valid UTF-8, so the text is only changed when the round trip succeeds.
    """
    if text.isascii():
        return text
    raw = bytearray()
    for ch in text:
        try:
            raw += ch.encode("cp1252")
        except UnicodeEncodeError:
            if ord(ch) > 0xFF:  # bytes 81, 8D, 8F, 90, 9D, undefined in cp1252, come through as U+0081...
                return text
            raw.append(ord(ch))
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return text


def _one_line(value: str) -> str:
    return " ".join(value.split())


def _fold(value: str) -> str:
    """Lower case without diacritics: "Nữ", "NỮ", "nu" → "nu"; "Đ" has no decomposition and is kept."""
    decomposed = unicodedata.normalize("NFD", value.strip().lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _read_date(value: str) -> date | None:
    """ddmmyyyy (separators tolerated); None when it is not eight digits, ValueError when no such day exists."""
    compact = _SEPARATORS.sub("", value)
    if not _EIGHT_DIGITS.fullmatch(compact):
        return None
    return date(int(compact[4:]), int(compact[2:4]), int(compact[:2]))
