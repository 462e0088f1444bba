"""Vietnamese phone numbers, normalised to the national form 0XXXXXXXXX.

Accepted as typed on a phone: "0912 345 678", "+84 912 345 678", "84912345678", "0912.345.678".
Mobile numbers are 10 digits starting 03, 05, 07, 08 or 09 (since the 2018 renumbering); a landline
is 11 digits starting 02 and is accepted only where a contact number (not a login) is asked for.
"""

from __future__ import annotations

import re

from app.i18n import LazyText, _l

_SEPARATORS = re.compile(r"[\s.\-()]")
_MOBILE = re.compile(r"^0[35789][0-9]{8}$")
_LANDLINE = re.compile(r"^02[0-9]{9}$")


class PhoneError(ValueError):
    def __init__(self, message: LazyText) -> None:
        super().__init__(message.message)
        self.text = message


def normalize_phone(raw: str, *, allow_landline: bool = False) -> str:
    value = _SEPARATORS.sub("", raw or "")
    if not value:
        raise PhoneError(_l("Enter a phone number."))
    if value.startswith("+84"):
        value = "0" + value[3:]
    elif value.startswith("84") and len(value) in (11, 12):
        value = "0" + value[2:]
    if not re.fullmatch(r"[0-9]+", value):
        raise PhoneError(_l("A phone number has digits only, e.g. 0912 345 678."))
    if _MOBILE.match(value) or (allow_landline and _LANDLINE.match(value)):
        return value
    if allow_landline:
        raise PhoneError(_l("Enter a Vietnamese phone number: 10 digits for a mobile (09…), 11 for a landline (02…)."))
    raise PhoneError(_l("Enter a Vietnamese mobile number: 10 digits starting 03, 05, 07, 08 or 09."))


def format_phone(value: str) -> str:
    """0912345678 -> 0912 345 678, for reading aloud and dialling."""
    if len(value) == 10:
        return f"{value[:4]} {value[4:7]} {value[7:]}"
    if len(value) == 11:
        return f"{value[:3]} {value[3:7]} {value[7:]}"
    return value
