"""Nationalities, as ISO 3166-1 alpha-2 codes (the police API's catalogue is keyed the same way), named in the
reader's language from the CLDR data Babel ships: nothing of our own to keep up to date."""

from __future__ import annotations

from functools import cache

from babel import Locale

from app.i18n import _babel_locale

VIETNAM = "VN"
# CLDR territories that are not a country one holds a passport of.
_NOT_COUNTRIES = frozenset({"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"})


@cache
def _names(locale: str) -> tuple[tuple[str, str], ...]:
    territories = Locale.parse(locale).territories
    found = [
        (code, name)
        for code, name in territories.items()
        if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES
    ]
    return tuple(sorted(found, key=lambda item: (item[0] != VIETNAM, item[1])))


CODES = frozenset(code for code, _name in _names("en_GB"))


def choices() -> tuple[tuple[str, str], ...]:
    """(code, name) in the current language, Vietnam first, then by name."""
    return _names(_babel_locale())


def name_of(code: str) -> str:
    return dict(_names(_babel_locale())).get(code, code)


def is_foreign(code: str | None) -> bool:
    return bool(code) and code != VIETNAM
