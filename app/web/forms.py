"""Server-side form validation: values as typed, cleaned values, and a translated message per field.

A form re-renders with what the person typed and the message beside each field, with status 422,
whether it came from htmx (the swap shows it in place) or from a plain browser post (a full page).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from app.i18n import LazyText, _l
from app.vn.cccd import IdNumberError, validate_id_number
from app.vn.phone import PhoneError, normalize_phone
from app.web.ids import ID_MAX

REQUIRED = _l("This field is required.")
_THOUSANDS = re.compile(r"-?\d{1,3}([.,]\d{3})+")


class Form:
    """Subclasses implement `validate()`, reading `self.raw` and filling `self.cleaned` or `self.errors`."""

    def __init__(self, data: Mapping[str, Any] | None = None) -> None:
        self.raw: dict[str, str] = {}
        if data is not None:
            for key in data:
                value = data.get(key)
                self.raw[key] = value.strip() if isinstance(value, str) else value
        self.cleaned: dict[str, Any] = {}
        self.errors: dict[str, LazyText] = {}

    def value(self, name: str, default: str = "") -> str:
        value = self.raw.get(name, default)
        return value if isinstance(value, str) else default

    def error(self, name: str, message: LazyText) -> None:
        self.errors.setdefault(name, message)

    def is_valid(self) -> bool:
        self.validate()
        return not self.errors

    def validate(self) -> None:  # pragma: no cover - each form defines it
        raise NotImplementedError

    # Field readers: each records the cleaned value or an error, and returns the cleaned value.

    def text(self, name: str, *, required: bool = True, max_length: int = 255, min_length: int = 0) -> str:
        value = " ".join(self.value(name).split())
        if not value:
            if required:
                self.error(name, REQUIRED)
        elif len(value) > max_length:
            self.error(name, _l("At most %(n)s characters.", n=max_length))
        elif len(value) < min_length:
            self.error(name, _l("At least %(n)s characters.", n=min_length))
        self.cleaned[name] = value
        return value

    def multiline(self, name: str, *, required: bool = False, max_length: int = 2000) -> str:
        value = self.value(name).replace("\r\n", "\n").strip()
        if not value and required:
            self.error(name, REQUIRED)
        elif len(value) > max_length:
            self.error(name, _l("At most %(n)s characters.", n=max_length))
        self.cleaned[name] = value
        return value

    def phone(self, name: str, *, required: bool = True, allow_landline: bool = False) -> str:
        raw = self.value(name)
        value = ""
        if raw or required:
            try:
                value = normalize_phone(raw, allow_landline=allow_landline)
            except PhoneError as exc:
                self.error(name, exc.text)
        self.cleaned[name] = value
        return value

    def id_number(self, name: str, *, required: bool = True) -> str:
        raw = self.value(name)
        value = ""
        if raw or required:
            try:
                value = validate_id_number(raw)
            except IdNumberError as exc:
                self.error(name, exc.text)
        self.cleaned[name] = value
        return value

    def password(self, name: str, *, min_length: int = 8) -> str:
        value = self.value(name)
        if not value:
            self.error(name, REQUIRED)
        elif len(value) < min_length:
            self.error(name, _l("Use at least %(n)s characters.", n=min_length))
        elif len(value) > 128:
            self.error(name, _l("At most %(n)s characters.", n=128))
        self.cleaned[name] = value
        return value

    def checkbox(self, name: str) -> bool:
        value = self.value(name) in ("on", "1", "true", "yes")
        self.cleaned[name] = value
        return value

    def choice(self, name: str, choices: list[str] | tuple[str, ...], *, required: bool = True) -> str:
        value = self.value(name)
        if not value and not required:
            self.cleaned[name] = ""
            return ""
        if value not in choices:
            self.error(name, _l("Choose one of the options."))
        self.cleaned[name] = value
        return value

    def integer(self, name: str, *, required: bool = True, minimum: int | None = None, maximum: int | None = None):
        raw = self.value(name).replace(" ", "")
        if _THOUSANDS.fullmatch(raw):  # "2.500.000" or "2,500,000"; but "2.5" is not twenty-five
            raw = raw.replace(".", "").replace(",", "")
        if not raw:
            if required:
                self.error(name, REQUIRED)
            self.cleaned[name] = None
            return None
        digits = raw[1:] if raw.startswith("-") and minimum is not None and minimum < 0 else raw
        if not digits.isdecimal():  # not isdigit(): it admits "²", which int() refuses
            self.error(name, _l("Enter a whole number."))
            self.cleaned[name] = None
            return None
        value = int(raw)
        maximum = ID_MAX if maximum is None else maximum  # what the database's integer column holds
        if minimum is not None and value < minimum:
            self.error(name, _l("At least %(n)s.", n=minimum))
        if maximum is not None and value > maximum:
            self.error(name, _l("At most %(n)s.", n=maximum))
        self.cleaned[name] = value
        return value
