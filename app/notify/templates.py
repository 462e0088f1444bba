"""An event's message in one language, for one transport: title, text, e-mail subject and body, link."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from app.i18n import LazyText, translations
from app.notify.registry import Event
from app.settings import get_settings


class _Data(dict):
    """Template data where a missing key reads as empty rather than failing a message already queued."""

    def __missing__(self, key: str) -> str:
        return ""


@dataclass(frozen=True)
class Rendered:
    title: str
    text: str
    email_body: str
    url: str  # absolute link to open, "" when none

    @property
    def sms(self) -> str:
        return f"{self.text} {self.url}" if self.url else self.text


def _fill(message: LazyText, locale: str, data: Mapping[str, Any]) -> str:
    catalogue = translations(locale)
    # A label given as a message (`_l(...)` in the data, stored as {"$t": id}) is read in the same language.
    values = {k: catalogue.gettext(v["$t"]) if isinstance(v, dict) and "$t" in v else v for k, v in data.items()}
    return catalogue.gettext(message.message) % _Data(values)


def absolute_url(path: str) -> str:
    if not path or path.startswith(("http://", "https://")):
        return path
    return get_settings().file.app.base_url.rstrip("/") + "/" + path.lstrip("/")


def render(event: Event, data: Mapping[str, Any], locale: str) -> Rendered:
    """The event in `locale` ("vi" or "en") with `data`; `data["url"]`, a path or URL, is the link."""
    text = _fill(event.text, locale, data)
    return Rendered(
        title=_fill(event.title, locale, data),
        text=text,
        email_body=_fill(event.email_body, locale, data) if event.email_body else text,
        url=absolute_url(str(data.get("url") or "")),
    )
