"""The 12-digit personal ID number (số định danh cá nhân) printed on every CCCD / căn cước card.

Structure (ND 137/2015 Art 13, TT 07/2016/TT-BCA Art 7, unchanged by Luật Căn cước 2023):
digits 1-3 the province where the birth was registered (the 63 pre-2025 province codes; cards were not
re-issued after the 2025 merger) or a country code for births abroad; digit 4 century and gender
(1900s: 0 male / 1 female, 2000s: 2 / 3, 2100s: 4 / 5, ...); digits 5-6 the last two digits of the birth
year; digits 7-12 random. There is no check digit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from app.i18n import LazyText, _l

# The 63 provinces' statistical codes before July 2025, which ID numbers keep.
LEGACY_PROVINCE_CODES = frozenset(
    {
        1, 2, 4, 6, 8, 10, 11, 12, 14, 15, 17, 19, 20, 22, 24, 25, 26, 27, 30, 31, 33, 34, 35, 36, 37,
        38, 40, 42, 44, 45, 46, 48, 49, 51, 52, 54, 56, 58, 60, 62, 64, 66, 67, 68, 70, 72, 74, 75,
        77, 79, 80, 82, 83, 84, 86, 87, 89, 91, 92, 93, 94, 95, 96,
    }
)  # fmt: skip

_SEPARATORS = re.compile(r"[\s.\-]")
_TWELVE_DIGITS = re.compile(r"[0-9]{12}")  # ASCII only: str.isdigit() would take "²" or full-width digits


class IdNumberError(ValueError):
    def __init__(self, message: LazyText) -> None:
        super().__init__(message.message)
        self.text = message


@dataclass(frozen=True)
class IdNumberFacts:
    number: str
    province_code: int | None  # None when registered abroad
    birth_year: int
    female: bool


def read_id_number(number: str) -> IdNumberFacts:
    century, female = divmod(int(number[3]), 2)
    prefix = int(number[:3])
    return IdNumberFacts(
        number=number,
        province_code=prefix if number[0] == "0" else None,
        birth_year=(19 + century) * 100 + int(number[4:6]),
        female=bool(female),
    )


def validate_id_number(
    raw: str, *, birth_date: date | None = None, female: bool | None = None, today: date | None = None
) -> str:
    """Normalise and check an ID number; return the 12 digits or raise IdNumberError with a reason."""
    number = _SEPARATORS.sub("", raw or "")
    if not number:
        raise IdNumberError(_l("Enter the 12-digit ID number from the citizen ID card."))
    if not _TWELVE_DIGITS.fullmatch(number):
        raise IdNumberError(_l("An ID number has exactly 12 digits (the old 9-digit CMND is not accepted here)."))
    facts = read_id_number(number)
    if facts.province_code is not None and facts.province_code not in LEGACY_PROVINCE_CODES:
        raise IdNumberError(_l("The first three digits are not a province code; check the number on the card."))
    today = today or date.today()
    if facts.birth_year > today.year:
        raise IdNumberError(_l("Digits 4 to 6 give a birth year in the future; check the number on the card."))
    if birth_date is not None and birth_date.year != facts.birth_year:
        raise IdNumberError(
            _l(
                "The ID number says born in %(year)s but the birth date is in %(given)s.",
                year=facts.birth_year,
                given=birth_date.year,
            )
        )
    if female is not None and female != facts.female:
        raise IdNumberError(_l("The 4th digit of the ID number does not match the gender."))
    return number


def mask_id_number(number: str) -> str:
    """Shown where the whole number is not needed: 001******123."""
    return number[:3] + "*" * 6 + number[-3:] if len(number) == 12 else number
