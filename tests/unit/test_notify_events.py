"""Every declared event renders in both languages with its example data (events declared later are covered
automatically: the test iterates the registry)."""

import re

import pytest

from app.notify import load_events
from app.notify.templates import render

EVENTS = sorted(load_events().values(), key=lambda e: e.name)


def test_events_are_declared_by_the_contexts():
    assert all(re.fullmatch(r"[a-z_]+\.[a-z0-9_]+", e.name) for e in EVENTS)


@pytest.mark.parametrize("event", EVENTS, ids=lambda e: e.name)
@pytest.mark.parametrize("locale", ["vi", "en"])
def test_every_event_renders_in_every_language(event, locale):
    data = {"ward": "Phường Xuân Phương", **event.example}
    rendered = render(event, data, locale)
    for text in (rendered.title, rendered.text, rendered.email_body):
        assert text.strip() and "%(" not in text
    placeholders = set(re.findall(r"%\((\w+)\)s", event.text.message + event.title.message))
    assert placeholders <= set(data), f"{event.name}: example lacks {placeholders - set(data)}"
