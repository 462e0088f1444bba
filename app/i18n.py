"""Languages: Vietnamese by default, English by choice; numbers, dates, times and VND through Babel.

Message ids are English; `locale/<lang>/LC_MESSAGES/messages.po` holds the translations. The catalogues
are compiled in memory when first used, so there is no build step and no stale `.mo` file to forget.
The locale of the work at hand lives in a ContextVar, set per request by `LocaleMiddleware`.
"""

from __future__ import annotations

import gettext as _gettext
import io
from contextvars import ContextVar
from datetime import UTC, date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date as _format_date
from babel.dates import format_datetime as _format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_currency, format_decimal

from app.settings import ROOT, get_settings

LOCALES = ("vi", "en")
LOCALE_NAMES = {"vi": "Tiếng Việt", "en": "English"}
LOCALE_COOKIE = "lang"
LOCALE_DIR = ROOT / "locale"
TIMEZONE = ZoneInfo(get_settings().file.app.timezone)

_locale: ContextVar[str] = ContextVar("locale", default=get_settings().file.app.default_locale)


@lru_cache(maxsize=len(LOCALES))
def translations(locale: str) -> _gettext.NullTranslations:
    po = LOCALE_DIR / locale / "LC_MESSAGES" / "messages.po"
    if not po.exists():
        return _gettext.NullTranslations()
    with po.open("rb") as fh:
        catalog = read_po(fh, locale=locale)
    buf = io.BytesIO()
    write_mo(buf, catalog, use_fuzzy=False)
    buf.seek(0)
    return _gettext.GNUTranslations(buf)


def current_locale() -> str:
    return _locale.get()


def set_locale(locale: str):
    return _locale.set(locale if locale in LOCALES else get_settings().file.app.default_locale)


def reset_locale(token) -> None:
    _locale.reset(token)


def gettext(message: str, **params: object) -> str:
    text = translations(current_locale()).gettext(message)
    return text % params if params else text


def ngettext(singular: str, plural: str, n: int, **params: object) -> str:
    text = translations(current_locale()).ngettext(singular, plural, n)
    return text % {"num": n, **params}


_ = gettext


class LazyText:
    """A message translated when it is shown, so it can be made before the locale is known."""

    __slots__ = ("message", "params")

    def __init__(self, message: str, **params: object) -> None:
        self.message = message
        self.params = params

    def __str__(self) -> str:
        return gettext(self.message, **self.params)

    def __repr__(self) -> str:
        return f"LazyText({self.message!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, LazyText) and (self.message, self.params) == (other.message, other.params)

    def __hash__(self) -> int:
        return hash(self.message)


def _l(message: str, **params: object) -> LazyText:
    return LazyText(message, **params)


def negotiate(cookie: str | None, accept_language: str | None) -> str:
    """The visitor's choice (cookie) first, then the browser's Accept-Language, then Vietnamese."""
    if cookie in LOCALES:
        return cookie  # type: ignore[return-value]
    return (accept_language and _from_accept_language(accept_language)) or get_settings().file.app.default_locale


@lru_cache(maxsize=512)
def _from_accept_language(header: str) -> str | None:
    """Our locale the header ranks first, if any. Cached: browsers send a handful of distinct headers, and
    Babel's negotiation looks for locale files on disk each time."""
    ranked = []
    for i, part in enumerate(header.split(",")):
        tag, *params = (p.strip() for p in part.split(";"))
        weight = 1.0
        for param in params:
            key, _sep, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    weight = float(value.strip())
                except ValueError:
                    weight = 0.0
        if tag and weight > 0:
            ranked.append((-weight, i, tag.strip()))
    preferred = [tag for _w, _i, tag in sorted(ranked)]
    found = Locale.negotiate(preferred, list(LOCALES), sep="-") if preferred else None
    return str(found.language) if found else None


def _babel_locale() -> str:
    return "vi_VN" if current_locale() == "vi" else "en_GB"


def format_date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = to_local(value).date()
    return _format_date(value, "dd/MM/yyyy", locale=_babel_locale())


def today() -> date:
    """Today in Vietnam, whatever the server's clock zone: the day of a stay, a booking or a queue."""
    return datetime.now(UTC).astimezone(TIMEZONE).date()


def to_local(value: datetime) -> datetime:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(TIMEZONE)


def format_datetime(value: datetime | None) -> str:
    if value is None:
        return ""
    return _format_datetime(to_local(value), "dd/MM/yyyy HH:mm", locale=_babel_locale())


def format_money(amount: int | None) -> str:
    """Whole đồng, e.g. 1.500.000 ₫ in Vietnamese and ₫1,500,000 in English."""
    if amount is None:
        return ""
    return format_currency(amount, "VND", locale=_babel_locale())


def format_number(value: int | float | None) -> str:
    return "" if value is None else format_decimal(value, locale=_babel_locale())
