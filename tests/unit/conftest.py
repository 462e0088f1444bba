"""Unit tests touch no database: the suite-wide autouse `clean_database` fixture (tests/conftest.py)
is replaced here by one that does nothing, so these tests neither migrate nor empty a database."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from app.i18n import reset_locale, set_locale


@pytest.fixture(autouse=True)
def clean_database() -> Iterator[None]:
    yield


@pytest.fixture
def in_locale() -> Iterator[Callable[[str], None]]:
    """`in_locale("en")` switches the current language until the end of the test."""
    tokens = []

    def switch(code: str) -> None:
        tokens.append(set_locale(code))

    yield switch
    for token in reversed(tokens):
        reset_locale(token)
