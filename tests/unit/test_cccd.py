"""app/vn/cccd.py: the 12-digit personal ID number on the CCCD / căn cước card."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.i18n import _l
from app.vn.cccd import (
    LEGACY_PROVINCE_CODES,
    IdNumberError,
    IdNumberFacts,
    mask_id_number,
    read_id_number,
    validate_id_number,
)

EMPTY = "Enter the 12-digit ID number from the citizen ID card."
NOT_12_DIGITS = "An ID number has exactly 12 digits (the old 9-digit CMND is not accepted here)."
NOT_PROVINCE = "The first three digits are not a province code; check the number on the card."
FUTURE = "Digits 4 to 6 give a birth year in the future; check the number on the card."
WRONG_GENDER = "The 4th digit of the ID number does not match the gender."
TODAY = date(2026, 6, 1)


def reason(raw: str, **kwargs) -> str:
    kwargs.setdefault("today", TODAY)
    with pytest.raises(IdNumberError) as exc:
        validate_id_number(raw, **kwargs)
    return exc.value.text.message


def test_female_born_1986_in_province_093():
    assert validate_id_number("093186002237", today=TODAY) == "093186002237"
    assert read_id_number("093186002237") == IdNumberFacts(
        number="093186002237", province_code=93, birth_year=1986, female=True
    )


def test_male_born_1990_in_ha_noi():
    assert validate_id_number("001090012345", today=TODAY) == "001090012345"
    facts = read_id_number("001090012345")
    assert (facts.province_code, facts.birth_year, facts.female) == (1, 1990, False)


@pytest.mark.parametrize(
    ("number", "year", "female"),
    [
        ("079203001234", 2003, False),  # Hồ Chí Minh, 2000s male
        ("048305001234", 2005, True),  # Đà Nẵng, 2000s female
        ("001000000000", 1900, False),
        ("001199000000", 1999, True),
        ("096226999999", 2026, False),  # born this year
    ],
)
def test_century_and_gender_digit(number, year, female):
    assert validate_id_number(number, today=TODAY) == number
    facts = read_id_number(number)
    assert (facts.birth_year, facts.female) == (year, female)


@pytest.mark.parametrize("raw", ["001 090 012 345", "001.090.012.345", "001-090-012-345", " 001090012345\n"])
def test_separators_are_removed(raw):
    assert validate_id_number(raw, today=TODAY) == "001090012345"


@pytest.mark.parametrize("raw", ["", "   ", " - . ", None])
def test_empty_is_asked_for(raw):
    assert reason(raw) == EMPTY


@pytest.mark.parametrize(
    "raw",
    [
        "00109001234",  # 11 digits
        "0010900123456",  # 13 digits
        "123456789",  # an old 9-digit CMND
        "00109001234A",
        "O01090012345",  # letter O for zero
        "001090/012345",
        "+01090012345",
    ],
)
def test_twelve_digits_exactly(raw):
    assert reason(raw) == NOT_12_DIGITS


@pytest.mark.parametrize("prefix", ["000", "003", "005", "007", "009", "013", "016", "050", "097", "099"])
def test_prefix_that_is_not_a_province(prefix):
    assert int(prefix) not in LEGACY_PROVINCE_CODES
    assert reason(prefix + "090012345") == NOT_PROVINCE


def test_legacy_province_codes_are_the_63_provinces():
    assert len(LEGACY_PROVINCE_CODES) == 63
    assert {1, 79, 48, 96} <= LEGACY_PROVINCE_CODES
    assert all(1 <= code <= 96 for code in LEGACY_PROVINCE_CODES)


def test_prefix_not_starting_with_zero_is_read_as_born_abroad():
    facts = read_id_number("101090012345")
    assert facts.province_code is None
    assert validate_id_number("101090012345", today=TODAY) == "101090012345"


def test_birth_year_in_the_future():
    assert reason("001227012345", today=date(2026, 12, 31)) == FUTURE  # 2027
    assert validate_id_number("001226012345", today=date(2026, 1, 1)) == "001226012345"  # 2026 is this year
    assert reason("001426012345", today=date(2026, 1, 1)) == FUTURE  # 4: the 2100s
    assert reason("001990012345") == FUTURE  # 9: the 2300s


def test_today_defaults_to_the_real_date():
    assert validate_id_number("001090012345") == "001090012345"
    with pytest.raises(IdNumberError):
        validate_id_number("001499012345")  # 2199


def test_birth_date_must_be_in_the_birth_year():
    assert validate_id_number("001090012345", birth_date=date(1990, 12, 31), today=TODAY) == "001090012345"
    with pytest.raises(IdNumberError) as exc:
        validate_id_number("001090012345", birth_date=date(1991, 1, 1), today=TODAY)
    assert exc.value.text == _l(
        "The ID number says born in %(year)s but the birth date is in %(given)s.", year=1990, given=1991
    )
    # same two digits, other century
    with pytest.raises(IdNumberError) as exc:
        validate_id_number("001090012345", birth_date=date(2090, 1, 1), today=date(2100, 1, 1))
    assert exc.value.text.params == {"year": 1990, "given": 2090}


def test_birth_year_message_is_formatted_when_shown(in_locale):
    with pytest.raises(IdNumberError) as exc:
        validate_id_number("001090012345", birth_date=date(1991, 1, 1), today=TODAY)
    in_locale("en")
    assert str(exc.value.text) == "The ID number says born in 1990 but the birth date is in 1991."
    in_locale("vi")
    assert "1990" in str(exc.value.text) and "1991" in str(exc.value.text)


def test_gender_must_match_the_fourth_digit():
    assert validate_id_number("093186002237", female=True, today=TODAY) == "093186002237"
    assert validate_id_number("001090012345", female=False, today=TODAY) == "001090012345"
    assert reason("093186002237", female=False) == WRONG_GENDER
    assert reason("001090012345", female=True) == WRONG_GENDER


def test_checks_come_in_order():
    # a bad province is reported before a future year, and a future year before a gender mismatch
    assert reason("003990012345", female=True) == NOT_PROVINCE
    assert reason("001990012345", female=True) == FUTURE
    assert reason("001190012345", birth_date=date(1991, 1, 1), female=False).startswith("The ID number says born")


@pytest.mark.parametrize(
    ("number", "masked"),
    [
        ("001090012345", "001******345"),
        ("093186002237", "093******237"),
        ("12345", "12345"),
        ("", ""),
        ("0010900123456", "0010900123456"),
    ],
)
def test_mask_id_number(number, masked):
    assert mask_id_number(number) == masked


# --- properties -----------------------------------------------------------------------------------------

provinces = st.sampled_from(sorted(LEGACY_PROVINCE_CODES))
years = st.integers(1900, 2099)
tails = st.text("0123456789", min_size=6, max_size=6)
FAR_FUTURE = date(2100, 1, 1)


def build(province: int, year: int, female: bool, tail: str) -> str:
    """Per the documented structure: province (3), century and gender (1), year (2), random (6)."""
    century_digit = (year // 100 - 19) * 2 + int(female)
    return f"{province:03d}{century_digit}{year % 100:02d}{tail}"


@given(province=provinces, year=years, female=st.booleans(), tail=tails)
def test_any_well_formed_number_validates_and_reads_back(province, year, female, tail):
    number = build(province, year, female, tail)
    assert validate_id_number(number, today=FAR_FUTURE) == number
    assert validate_id_number(number, birth_date=date(year, 6, 15), female=female, today=FAR_FUTURE) == number
    facts = read_id_number(number)
    assert (facts.province_code, facts.birth_year, facts.female) == (province, year, female)
    assert facts.number == number
    masked = mask_id_number(number)
    assert masked.startswith(f"{province:03d}") and masked.endswith(tail[-3:]) and tail[:3] not in masked[3:9]


@given(province=provinces, year=years, female=st.booleans(), tail=tails)
def test_the_other_gender_is_refused(province, year, female, tail):
    number = build(province, year, female, tail)
    with pytest.raises(IdNumberError) as exc:
        validate_id_number(number, female=not female, today=FAR_FUTURE)
    assert exc.value.text.message == WRONG_GENDER


@given(province=provinces, year=years, female=st.booleans(), tail=tails, other=years)
def test_any_other_birth_year_is_refused(province, year, female, tail, other):
    number = build(province, year, female, tail)
    if other == year:
        assert validate_id_number(number, birth_date=date(other, 1, 1), today=FAR_FUTURE) == number
    else:
        with pytest.raises(IdNumberError) as exc:
            validate_id_number(number, birth_date=date(other, 1, 1), today=FAR_FUTURE)
        assert exc.value.text.params == {"year": year, "given": other}


@given(province=provinces, year=years, female=st.booleans(), tail=tails)
def test_years_after_today_are_refused(province, year, female, tail):
    number = build(province, year, female, tail)
    today = date(year - 1, 12, 31)
    with pytest.raises(IdNumberError) as exc:
        validate_id_number(number, today=today)
    assert exc.value.text.message == FUTURE


@given(
    code=st.integers(0, 99).filter(lambda c: c not in LEGACY_PROVINCE_CODES),
    tail=st.text("0123456789", min_size=9, max_size=9),
)
def test_any_other_zero_prefix_is_refused(code, tail):
    with pytest.raises(IdNumberError) as exc:
        validate_id_number(f"{code:03d}{tail}", today=FAR_FUTURE)
    assert exc.value.text.message == NOT_PROVINCE


@given(raw=st.text(max_size=16))
def test_any_text_gives_twelve_digits_or_an_id_number_error(raw):
    try:
        number = validate_id_number(raw, today=FAR_FUTURE)
    except IdNumberError as exc:
        assert exc.text.message in (EMPTY, NOT_12_DIGITS, NOT_PROVINCE, FUTURE)
    else:
        assert len(number) == 12


@pytest.mark.parametrize(
    "raw",
    [
        "00109001234²",  # superscript two: accepted and returned as is
        "001²90012345",  # in the 4th position: int() raises a bare ValueError without .text
        "００１０９００１２３４５",  # full-width: accepted as "born abroad", returned full-width
    ],
)
def test_non_ascii_digits_are_refused_with_a_reason(raw):
    with pytest.raises(IdNumberError) as exc:
        validate_id_number(raw, today=TODAY)
    assert exc.value.text.message == NOT_12_DIGITS
