"""app/vn/phone.py: Vietnamese phone numbers normalised to 0XXXXXXXXX."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.vn.phone import PhoneError, format_phone, normalize_phone

EMPTY = "Enter a phone number."
DIGITS_ONLY = "A phone number has digits only, e.g. 0912 345 678."
NOT_MOBILE = "Enter a Vietnamese mobile number: 10 digits starting 03, 05, 07, 08 or 09."
NOT_PHONE = "Enter a Vietnamese phone number: 10 digits for a mobile (09…), 11 for a landline (02…)."


@pytest.mark.parametrize(
    "raw",
    [
        "0912345678",
        "0912 345 678",
        "+84 912 345 678",
        "+84912345678",
        "84912345678",
        "84 912 345 678",
        "0912.345.678",
        "0912-345-678",
        "(091) 2345678",
        "  0912 345 678  ",
        "0912\t345\n678",
        "0912\u00a0345\u00a0678",  # a no-break space pasted from a web page
    ],
)
def test_accepted_forms_of_one_mobile(raw):
    assert normalize_phone(raw) == "0912345678"
    assert normalize_phone(raw, allow_landline=True) == "0912345678"


@pytest.mark.parametrize("prefix", ["03", "05", "07", "08", "09"])
def test_every_mobile_prefix(prefix):
    number = prefix + "12345678"
    assert normalize_phone(number) == number


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("02438123456", "02438123456"),
        ("024 3812 3456", "02438123456"),
        ("(024) 3812 3456", "02438123456"),
        ("+84 24 3812 3456", "02438123456"),
        ("842438123456", "02438123456"),
        ("0236.3821.234", "02363821234"),
    ],
)
def test_landline_only_where_allowed(raw, expected):
    assert normalize_phone(raw, allow_landline=True) == expected
    with pytest.raises(PhoneError) as exc:
        normalize_phone(raw)
    assert exc.value.text.message == NOT_MOBILE


@pytest.mark.parametrize("raw", ["", "   ", " . - ( ) ", None])
def test_empty_is_asked_for(raw):
    with pytest.raises(PhoneError) as exc:
        normalize_phone(raw)
    assert exc.value.text.message == EMPTY
    with pytest.raises(PhoneError) as exc:
        normalize_phone(raw, allow_landline=True)
    assert exc.value.text.message == EMPTY


@pytest.mark.parametrize(
    "raw",
    ["0912 345 67a", "09l2345678", "0912_345_678", "0912/345/678", "+1 202 555 0143", "0912345678 ext 12", "+"],
)
def test_non_digits_are_rejected(raw):
    with pytest.raises(PhoneError) as exc:
        normalize_phone(raw)
    assert exc.value.text.message == DIGITS_ONLY
    with pytest.raises(PhoneError) as exc:
        normalize_phone(raw, allow_landline=True)
    assert exc.value.text.message == DIGITS_ONLY


@pytest.mark.parametrize(
    "raw",
    [
        "091234567",  # 9 digits
        "09123456789",  # 11 digits
        "0112345678",  # 01x: not a mobile prefix since 2018
        "0412345678",
        "0612345678",
        "0012345678",
        "1912345678",
        "912345678",  # the national 0 left out
        "+84 0912 345 678",  # +84 then the national 0 as well
        "8491234567",  # 84 and 8 digits
        "0243812345",  # 10 digits starting 02
    ],
)
def test_wrong_numbers_name_the_mobile_rule(raw):
    with pytest.raises(PhoneError) as exc:
        normalize_phone(raw)
    assert exc.value.text.message == NOT_MOBILE


@pytest.mark.parametrize("raw", ["0243812345", "024381234567", "0112345678", "0312345678901", "+84 24 3812 345"])
def test_wrong_numbers_with_landlines_allowed_name_both_rules(raw):
    with pytest.raises(PhoneError) as exc:
        normalize_phone(raw, allow_landline=True)
    assert exc.value.text.message == NOT_PHONE


def test_error_is_a_value_error_with_the_english_message():
    with pytest.raises(ValueError, match="digits only"):
        normalize_phone("abc")


def test_error_text_is_translated_when_shown(in_locale):
    with pytest.raises(PhoneError) as exc:
        normalize_phone("")
    in_locale("en")
    assert str(exc.value.text) == EMPTY
    in_locale("vi")
    assert str(exc.value.text) not in ("", EMPTY)


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("0912345678", "0912 345 678"),
        ("02438123456", "024 3812 3456"),
        ("", ""),
        ("123", "123"),
        ("091234567890", "091234567890"),
    ],
)
def test_format_phone(value, shown):
    assert format_phone(value) == shown


# --- properties -----------------------------------------------------------------------------------------

mobiles = st.builds(
    lambda second, rest: "0" + second + rest,
    st.sampled_from("35789"),
    st.text("0123456789", min_size=8, max_size=8),
)
landlines = st.text("0123456789", min_size=9, max_size=9).map(lambda rest: "02" + rest)
separators = st.text(" .-()\t", max_size=2)


@st.composite
def written(draw, number: str) -> str:
    """`number` as a person might type it: an optional country prefix and separators anywhere."""
    prefix = draw(st.sampled_from(["", "+84", "+84 ", "84", "84 ", "(+84) "]))
    body = number[1:] if prefix else number
    out = draw(separators)
    for digit in body:
        out += digit + draw(separators)
    return prefix + out


@given(data=st.data(), number=mobiles)
def test_any_written_mobile_normalises_back(data, number):
    raw = data.draw(written(number))
    assert normalize_phone(raw) == number
    assert normalize_phone(raw, allow_landline=True) == number


@given(data=st.data(), number=landlines)
def test_any_written_landline_normalises_back_where_allowed(data, number):
    raw = data.draw(written(number))
    assert normalize_phone(raw, allow_landline=True) == number
    with pytest.raises(PhoneError):
        normalize_phone(raw)


@given(number=mobiles)
def test_format_then_normalise_is_identity(number):
    shown = format_phone(number)
    assert len(shown) == 12 and shown.count(" ") == 2
    assert normalize_phone(shown) == number


@given(number=landlines)
def test_format_then_normalise_is_identity_for_landlines(number):
    assert normalize_phone(format_phone(number), allow_landline=True) == number


@given(raw=st.text(max_size=20))
def test_result_is_always_a_valid_national_number_or_a_phone_error(raw):
    try:
        value = normalize_phone(raw, allow_landline=True)
    except PhoneError as exc:
        assert exc.text.message in (EMPTY, DIGITS_ONLY, NOT_PHONE)
    else:
        assert value.startswith("0") and len(value) in (10, 11)


def test_non_ascii_digits_are_not_stored():
    # "09" then full-width digits: _MOBILE's \d matches them, so the number is returned as typed.
    try:
        value = normalize_phone("09１２３４５６７８")
    except PhoneError:
        return
    assert value.isascii()
