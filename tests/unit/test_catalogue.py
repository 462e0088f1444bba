"""The Vietnamese catalogue: complete, consistent with its message ids, and holding every string in use.

When `test_every_string_in_use_is_in_the_catalogue` fails, run `make messages` and translate the new
entries in locale/vi/LC_MESSAGES/messages.po.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

from app.settings import ROOT

PO = ROOT / "locale" / "vi" / "LC_MESSAGES" / "messages.po"
PLACEHOLDER = re.compile(r"%\((\w+)\)")
CONVERSION = re.compile(r"%(?:\((\w+)\))?[#0\- +]*\d*(?:\.\d+)?([a-zA-Z%])")


def key(message: Message) -> str:
    return message.id[0] if isinstance(message.id, tuple) else message.id


def ids(message: Message) -> tuple[str, ...]:
    return message.id if isinstance(message.id, tuple) else (message.id,)


def strings(message: Message) -> tuple[str, ...]:
    return message.string if isinstance(message.string, tuple) else (message.string,)


@pytest.fixture(scope="module")
def catalogue() -> Catalog:
    with PO.open("rb") as fh:
        return read_po(fh, locale="vi")


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> Catalog:
    pot = tmp_path_factory.mktemp("messages") / "extracted.pot"
    pybabel = Path(sys.executable).parent / "pybabel"
    if not pybabel.exists():
        pybabel = ROOT / ".venv" / "bin" / "pybabel"
    result = subprocess.run(
        [str(pybabel), "extract", "-F", "babel.cfg", "-k", "_l", "-k", "gettext", "-k", "ngettext:1,2",
         "-o", str(pot), "--no-location", "--omit-header", "."],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    with pot.open("rb") as fh:
        return read_po(fh)


def messages(catalog: Catalog) -> list[Message]:
    return [m for m in catalog if m.id]


def test_catalogue_is_not_empty(catalogue):
    assert len(messages(catalogue)) > 100


def test_every_message_is_translated(catalogue):
    untranslated = [key(m) for m in messages(catalogue) if not all(s.strip() for s in strings(m))]
    assert not untranslated, f"{len(untranslated)} untranslated in {PO.name}: {untranslated}"


def test_no_fuzzy_translations(catalogue):
    # fuzzy entries are left out when the catalogue is compiled, so they would show in English
    fuzzy = [key(m) for m in messages(catalogue) if m.fuzzy]
    assert not fuzzy, f"fuzzy in {PO.name} (check them and remove the flag): {fuzzy}"


def test_translations_keep_the_placeholders(catalogue):
    wrong = []
    for m in messages(catalogue):
        expected = set(PLACEHOLDER.findall(ids(m)[-1]))
        for s in strings(m):
            if set(PLACEHOLDER.findall(s)) != expected:
                wrong.append((key(m), s))
    assert not wrong, wrong


def test_translations_with_parameters_can_be_formatted(catalogue):
    # gettext() applies `%` only when there are parameters; a stray % or a bad conversion would then raise
    for m in messages(catalogue):
        names = set().union(*(PLACEHOLDER.findall(i) for i in ids(m)))
        if not names:
            continue
        params = {name: 1 for name in names} | {"num": 1}
        for text in (*ids(m), *strings(m)):
            text % params  # raises on a broken format


def test_conversions_match_their_message_id(catalogue):
    wrong = []
    for m in messages(catalogue):
        if not PLACEHOLDER.search(ids(m)[-1]):
            continue
        expected = sorted(CONVERSION.findall(ids(m)[-1]))
        wrong += [(key(m), s) for s in strings(m) if sorted(CONVERSION.findall(s)) != expected]
    assert not wrong, wrong


def test_every_string_in_use_is_in_the_catalogue(catalogue, extracted):
    assert len(messages(extracted)) > 100, "extraction found (almost) nothing: check babel.cfg"
    known = {key(m) for m in messages(catalogue)}
    missing = sorted(key(m) for m in messages(extracted) if key(m) not in known)
    assert not missing, (
        f"{len(missing)} message id(s) used in the code or templates are not in {PO.name}; "
        f"run `make messages` and translate them: {missing}"
    )


def test_plural_messages_are_plural_in_the_catalogue(catalogue, extracted):
    by_key = {key(m): m for m in messages(catalogue)}
    wrong = [
        key(m)
        for m in messages(extracted)
        if key(m) in by_key and isinstance(m.id, tuple) != isinstance(by_key[key(m)].id, tuple)
    ]
    assert not wrong, wrong
