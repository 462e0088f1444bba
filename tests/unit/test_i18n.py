"""app/i18n.py: language negotiation, translation, and dates, times and money in the reader's language."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from app.i18n import (
    LazyText,
    _l,
    current_locale,
    format_date,
    format_datetime,
    format_money,
    format_number,
    gettext,
    negotiate,
    ngettext,
    to_local,
)

# --- negotiate ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cookie", "accept_language", "expected"),
    [
        ("en", None, "en"),
        ("vi", None, "vi"),
        ("en", "vi", "en"),  # the visitor's choice wins over the browser
        ("vi", "en-US,en;q=0.9", "vi"),
        ("fr", "en", "en"),  # a cookie that is not one of ours is ignored
        ("", "en", "en"),
        ("EN", "vi", "vi"),
        (None, "en-US,en;q=0.9", "en"),
        (None, "en-GB", "en"),
        (None, "EN-us", "en"),
        (None, "vi-VN,vi;q=0.9,en-US;q=0.8,en;q=0.7", "vi"),
        (None, "fr, en;q=0.5", "en"),
        (None, "fr-FR,fr;q=0.9,en;q=0.8,vi;q=0.7", "en"),
        (None, "en;q=0.5, vi", "vi"),  # ranked by q, not by position
        (None, "vi;q=0.1, en;q=0.9", "en"),
        (None, "en;q=0.8, vi;q=0.8", "en"),  # a tie keeps the browser's order
        (None, "vi;q=0.8, en;q=0.8", "vi"),
        (None, "fr", "vi"),
        (None, "zh-CN,ja", "vi"),
        (None, "en;q=0", "vi"),  # q=0 means "not this one"
        (None, "en;q=0.0, fr", "vi"),
        (None, "en;q=abc", "vi"),  # an unreadable weight counts as 0
        (None, "*", "vi"),
        (None, "garbage", "vi"),
        (None, ";;;,,,;q=", "vi"),
        (None, ",", "vi"),
        (None, "", "vi"),
        (None, None, "vi"),
        ("", "", "vi"),
    ],
)
def test_negotiate(cookie, accept_language, expected):
    assert negotiate(cookie, accept_language) == expected


@pytest.mark.parametrize("accept_language", ["fr, en; q=0.5", "fr, en ; q=0.5", "fr, en;Q=0.5"])
def test_negotiate_allows_whitespace_and_case_in_the_weight(accept_language):
    assert negotiate(None, accept_language) == "en"


# --- current locale and translation ---------------------------------------------------------------------


def test_set_locale_switches_and_unknown_falls_back_to_vietnamese(in_locale):
    in_locale("en")
    assert current_locale() == "en"
    in_locale("vi")
    assert current_locale() == "vi"
    in_locale("fr")
    assert current_locale() == "vi"


def test_reset_locale_restores_the_previous_one():
    from app.i18n import reset_locale, set_locale

    before = current_locale()
    token = set_locale("en" if before == "vi" else "vi")
    assert current_locale() != before
    reset_locale(token)
    assert current_locale() == before


def test_gettext_translates_in_vietnamese_only(in_locale):
    in_locale("en")
    assert gettext("Enter a phone number.") == "Enter a phone number."
    in_locale("vi")
    assert gettext("Enter a phone number.") == "Vui lòng nhập số điện thoại."


def test_gettext_fills_parameters_after_translating(in_locale):
    in_locale("en")
    assert gettext("At most %(n)s characters.", n=500) == "At most 500 characters."
    in_locale("vi")
    text = gettext("At most %(n)s characters.", n=500)
    assert "500" in text and "%(" not in text and text != "At most 500 characters."


def test_unknown_message_is_shown_as_is(in_locale):
    in_locale("vi")
    assert gettext("No such message in any catalogue") == "No such message in any catalogue"
    assert gettext("Only %(x)s here", x=1) == "Only 1 here"


def test_without_parameters_a_percent_sign_is_left_alone(in_locale):
    in_locale("en")
    assert gettext("100% sure") == "100% sure"


def test_ngettext_picks_the_form_and_fills_num(in_locale):
    in_locale("en")
    assert ngettext("%(num)s room", "%(num)s rooms", 1) == "1 room"
    assert ngettext("%(num)s room", "%(num)s rooms", 3) == "3 rooms"
    assert ngettext("%(num)s room in %(ward)s", "%(num)s rooms in %(ward)s", 2, ward="A") == "2 rooms in A"
    in_locale("vi")  # Vietnamese has one form
    assert ngettext("%(num)s room", "%(num)s rooms", 1) == "1 phòng"
    assert ngettext("%(num)s room", "%(num)s rooms", 3) == "3 phòng"
    # A message missing from the catalogue falls back to the English forms.
    assert ngettext("%(num)s room in %(ward)s", "%(num)s rooms in %(ward)s", 2, ward="A") == "2 rooms in A"


def test_lazy_text_is_translated_when_shown(in_locale):
    text = _l("Enter a phone number.")
    assert isinstance(text, LazyText)
    in_locale("en")
    assert str(text) == "Enter a phone number."
    in_locale("vi")
    assert str(text) == "Vui lòng nhập số điện thoại."


def test_lazy_text_equality_and_hash():
    a = _l("At most %(n)s characters.", n=5)
    assert a == _l("At most %(n)s characters.", n=5)
    assert a != _l("At most %(n)s characters.", n=6)
    assert a != "At most %(n)s characters."
    assert hash(a) == hash(_l("At most %(n)s characters.", n=6))
    assert len({a, _l("At most %(n)s characters.", n=5)}) == 1
    assert repr(a) == "LazyText('At most %(n)s characters.')"
    assert (a.message, a.params) == ("At most %(n)s characters.", {"n": 5})


# --- dates, times, money --------------------------------------------------------------------------------


@pytest.mark.parametrize("locale", ["en", "vi"])
def test_format_date_is_day_month_year(in_locale, locale):
    in_locale(locale)
    assert format_date(date(2026, 1, 2)) == "02/01/2026"
    assert format_date(date(2026, 12, 31)) == "31/12/2026"
    assert format_date(None) == ""


@pytest.mark.parametrize("locale", ["en", "vi"])
def test_format_date_of_a_datetime_is_the_date_in_vietnam(in_locale, locale):
    in_locale(locale)
    assert format_date(datetime(2026, 1, 1, 17, 30, tzinfo=UTC)) == "02/01/2026"
    assert format_date(datetime(2026, 1, 1, 16, 59, tzinfo=UTC)) == "01/01/2026"
    assert format_date(datetime(2026, 1, 1, 17, 30)) == "02/01/2026"  # naive means UTC


@pytest.mark.parametrize("locale", ["en", "vi"])
def test_format_datetime_in_vietnam_time(in_locale, locale):
    in_locale(locale)
    assert format_datetime(datetime(2026, 1, 1, 17, 30, tzinfo=UTC)) == "02/01/2026 00:30"
    assert format_datetime(datetime(2026, 1, 1, 17, 30)) == "02/01/2026 00:30"
    assert format_datetime(datetime(2026, 7, 4, 3, 5, tzinfo=UTC)) == "04/07/2026 10:05"
    tokyo = timezone(timedelta(hours=9))
    assert format_datetime(datetime(2026, 1, 2, 9, 0, tzinfo=tokyo)) == "02/01/2026 07:00"
    assert format_datetime(None) == ""


def test_to_local():
    local = to_local(datetime(2026, 1, 1, 17, 30, tzinfo=UTC))
    assert (local.day, local.hour, local.minute) == (2, 0, 30)
    assert local.utcoffset() == timedelta(hours=7)
    assert to_local(datetime(2026, 1, 1, 17, 30)) == local


def test_format_money_in_vietnamese(in_locale):
    in_locale("vi")
    text = format_money(1500000)
    assert "1.500.000" in text and "₫" in text
    assert text.index("1") < text.index("₫")  # the symbol after the amount
    assert format_money(0).startswith("0")
    assert format_money(None) == ""


def test_format_money_in_english(in_locale):
    in_locale("en")
    text = format_money(1500000)
    assert "1,500,000" in text and "₫" in text
    assert "1,500,000.00" not in text  # the đồng has no minor unit


def test_format_number(in_locale):
    in_locale("vi")
    assert format_number(1234567) == "1.234.567"
    assert format_number(None) == ""
    in_locale("en")
    assert format_number(1234567) == "1,234,567"
