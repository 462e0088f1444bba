"""Events and their templates: each context declares its own in its `events.py`, found here by name.

An event is a name (`"<context>.<what_happened>"`), a title (the in-app title and the e-mail subject) and a
text (the SMS, the in-app body and the e-mail's first paragraph), both `_l(...)` messages with `%(key)s`
placeholders filled from the data given to `notify.send()`, in the recipient's language. `essential` marks
a legal or service message a person cannot opt out of.

`load_events()` imports `app.<context>.events` for every context that has one, so a new context's events are
registered (and covered by the test that renders every event in every language) without editing this file.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass, field
from typing import Any

from app.i18n import LazyText

_EVENTS: dict[str, Event] = {}
_loaded = False


class UnknownEvent(KeyError):
    """An event name no context declares: a programming error, caught by the tests."""


@dataclass(frozen=True)
class Event:
    name: str
    title: LazyText
    text: LazyText
    essential: bool = False
    email_body: LazyText | None = None  # a longer e-mail body; the text when None
    zalo_params: tuple[str, ...] = ()  # data keys sent as a Zalo ZNS template's parameters
    example: dict[str, Any] = field(default_factory=dict)  # sample data: the tests render every event with it

    def __str__(self) -> str:
        return self.name


def event(
    name: str,
    *,
    title: LazyText,
    text: LazyText,
    essential: bool = False,
    email_body: LazyText | None = None,
    zalo_params: tuple[str, ...] = (),
    example: dict[str, Any] | None = None,
) -> Event:
    """Declare an event (at import time of a context's `events.py`); returns it for `notify.send()`."""
    if "." not in name or len(name) > 60:
        raise ValueError(f"event name {name!r}: '<context>.<what_happened>', at most 60 characters")
    declared = Event(
        name=name,
        title=title,
        text=text,
        essential=essential,
        email_body=email_body,
        zalo_params=zalo_params,
        example=dict(example or {}),
    )
    existing = _EVENTS.get(name)
    if existing is not None and existing != declared:
        raise ValueError(f"event {name!r} is declared twice, differently")
    _EVENTS[name] = declared
    return declared


def load_events() -> dict[str, Event]:
    """Every declared event, importing each context's `events.py` once."""
    global _loaded
    if not _loaded:
        import app

        for module in pkgutil.iter_modules(app.__path__):
            if module.ispkg and importlib.util.find_spec(f"app.{module.name}.events") is not None:
                importlib.import_module(f"app.{module.name}.events")
        _loaded = True
    return dict(_EVENTS)


def get_event(name: str | Event) -> Event:
    if isinstance(name, Event):
        return name
    found = _EVENTS.get(name) or load_events().get(name)
    if found is None:
        raise UnknownEvent(name)
    return found
