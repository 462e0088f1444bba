"""app/housing/cccd_qr.py: the QR code of a chip CCCD / căn cước card."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.housing.cccd_qr import CccdCard, CccdQrError, parse_cccd_qr
from app.vn.cccd import LEGACY_PROVINCE_CODES

TODAY = date(2026, 6, 1)
SAMPLE = (
    "093186002237|362499103|Nguyễn Thị Kim Thư|11011986|Nữ|56 Trần Hoàng Na, Kv6, An Khánh, Ninh Kiều, Cần Thơ"
    "|04102024||||"
)
SAMPLE_CARD = CccdCard(
    id_number="093186002237",
    old_id_number="362499103",
    full_name="Nguyễn Thị Kim Thư",
    birth_date=date(1986, 1, 11),
    gender="female",
    permanent_address="56 Trần Hoàng Na, Kv6, An Khánh, Ninh Kiều, Cần Thơ",
    issue_date=date(2024, 10, 4),
    unreadable=(),
)

EMPTY = "The QR code is empty."
WEB_ADDRESS = "This QR code is a web address, not a citizen ID card."
NOT_CCCD = "This QR code is not from a citizen ID card."
TRUNCATED = "The QR code was cut short: it has %(count)s of the 7 fields of a citizen ID card. Scan it again."
NO_SUCH_BIRTH_DATE = "The birth date in the QR code, %(date)s, does not exist."
BAD_BIRTH_DATE = "The birth date in the QR code cannot be read (expected ddmmyyyy)."
FUTURE_BIRTH = "The birth date in the QR code is in the future."
ISSUED_BEFORE_BIRTH = "The card's issue date in the QR code is before the birth date."
# Passed through from app.vn.cccd.validate_id_number:
ID_EMPTY = "Enter the 12-digit ID number from the citizen ID card."
ID_NOT_12_DIGITS = "An ID number has exactly 12 digits (the old 9-digit CMND is not accepted here)."
ID_NOT_PROVINCE = "The first three digits are not a province code; check the number on the card."
ID_FUTURE = "Digits 4 to 6 give a birth year in the future; check the number on the card."
ID_YEAR_MISMATCH = "The ID number says born in %(year)s but the birth date is in %(given)s."
ID_WRONG_GENDER = "The 4th digit of the ID number does not match the gender."


def parse(payload: str) -> CccdCard:
    return parse_cccd_qr(payload, today=TODAY)


def refusal(payload: str) -> CccdQrError:
    with pytest.raises(CccdQrError) as exc:
        parse(payload)
    return exc.value


def fields(**changes: str) -> str:
    """The sample's seven fields, some replaced."""
    values = {
        "id": "093186002237",
        "old": "362499103",
        "name": "Nguyễn Thị Kim Thư",
        "birth": "11011986",
        "gender": "Nữ",
        "address": "56 Trần Hoàng Na, Kv6, An Khánh, Ninh Kiều, Cần Thơ",
        "issue": "04102024",
    }
    values.update(changes)
    return "|".join(values.values())


# --- Reading ------------------------------------------------------------------------------------------------


def test_real_looking_sample_with_trailing_fields_parses_fully():
    assert parse(SAMPLE) == SAMPLE_CARD


def test_exactly_seven_fields():
    assert parse(fields()) == SAMPLE_CARD


def test_empty_old_id_field_is_not_unreadable():
    card = parse("001090012345||Nguyễn Văn A|01021990|Nam|123 Hà Nội|10102021")
    assert card.id_number == "001090012345"
    assert card.old_id_number == ""
    assert card.unreadable == ()


def test_male_card_from_the_research_notes():
    card = parse("001090012345|123456789|Nguyễn Văn A|01021990|Nam|123 Hà Nội|10102021")
    assert card == CccdCard(
        id_number="001090012345",
        old_id_number="123456789",
        full_name="Nguyễn Văn A",
        birth_date=date(1990, 2, 1),
        gender="male",
        permanent_address="123 Hà Nội",
        issue_date=date(2021, 10, 10),
    )
    assert card.female is False


@pytest.mark.parametrize(
    "payload",
    [
        "\ufeff" + SAMPLE,
        SAMPLE + "\r\n",
        "  \n" + SAMPLE + "\n  ",
        "\ufeff  " + SAMPLE.replace("|", " | ") + " \r\n",
        unicodedata.normalize("NFD", SAMPLE),
    ],
    ids=["bom", "crlf", "whitespace", "spaced-fields", "nfd"],
)
def test_scanner_noise_is_ignored(payload):
    assert parse(payload) == SAMPLE_CARD


@pytest.mark.parametrize("gender", ["Nữ", "nữ", "NỮ", "Nu", "nu", "NU", " Nữ "])
def test_female_spellings(gender):
    assert parse(fields(gender=gender)).gender == "female"


@pytest.mark.parametrize("gender", ["Nam", "nam", "NAM"])
def test_male_spellings(gender):
    card = parse(fields(id="001090012345", birth="01021990", gender=gender))
    assert card.gender == "male"


def test_name_and_address_whitespace_is_collapsed_and_nfc():
    card = parse(fields(name="  Nguyễn   Thị\tKim Thư ", address=unicodedata.normalize("NFD", "Ninh  Kiều,  Cần Thơ")))
    assert card.full_name == "Nguyễn Thị Kim Thư"
    assert card.permanent_address == "Ninh Kiều, Cần Thơ"
    assert unicodedata.is_normalized("NFC", card.full_name + card.permanent_address)


def test_id_number_with_separators_is_normalised():
    assert parse(fields(id="093 186 002 237")).id_number == "093186002237"


def test_utf8_read_as_windows_1252_is_repaired():
    """A scanner or page that decoded the UTF-8 bytes as Windows-1252 ("Nguyá»…n")."""
    mangled = "".join(
        chr(b) if b in (0x81, 0x8D, 0x8F, 0x90, 0x9D) else bytes([b]).decode("cp1252") for b in SAMPLE.encode()
    )
    assert mangled != SAMPLE
    assert parse(mangled) == SAMPLE_CARD


def test_utf8_read_as_latin_1_is_repaired():
    assert parse(SAMPLE.encode().decode("latin-1")) == SAMPLE_CARD


def test_issue_date_on_the_birth_day_is_accepted():
    assert parse(fields(issue="11011986")).issue_date == date(1986, 1, 11)


def test_empty_address_and_issue_date_are_simply_empty():
    card = parse(fields(address="", issue=""))
    assert (card.permanent_address, card.issue_date, card.unreadable) == ("", None, ())


# --- Unreadable optional fields: left empty, named, never guessed -------------------------------------------


@pytest.mark.parametrize("issue", ["0410202", "04/10/20x4", "??", "31022024", "00002024", "04102099"])
def test_garbled_issue_date_is_unreadable(issue):
    card = parse(fields(issue=issue))
    assert card.issue_date is None
    assert card.unreadable == ("issue_date",)
    assert card.full_name == SAMPLE_CARD.full_name


@pytest.mark.parametrize("old", ["36249910", "3624991034", "36249910X", "362499103362"])
def test_old_id_not_nine_digits_is_unreadable(old):
    card = parse(fields(old=old))
    assert card.old_id_number == ""
    assert card.unreadable == ("old_id_number",)


@pytest.mark.parametrize("gender", ["N?", "N", "Khác", "F", "?"])
def test_garbled_gender_is_unreadable_not_taken_from_the_id(gender):
    card = parse(fields(gender=gender))
    assert card.gender is None
    assert card.female is None
    assert card.unreadable == ("gender",)


def test_name_and_address_with_replacement_characters_are_unreadable():
    card = parse(fields(name="Nguy\ufffd\ufffdn Th\ufffd Kim Th\ufffd", address="56 Tr\ufffdn Ho\ufffdng Na"))
    assert (card.full_name, card.permanent_address) == ("", "")
    assert card.unreadable == ("full_name", "permanent_address")


def test_empty_name_is_unreadable():
    card = parse(fields(name=" "))
    assert card.full_name == ""
    assert card.unreadable == ("full_name",)


def test_several_unreadable_fields_in_card_order():
    card = parse(fields(old="12", gender="", issue="x"))
    assert card.unreadable == ("old_id_number", "gender", "issue_date")


# --- Refusals -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("payload", ["", "   ", "\ufeff\r\n", None])
def test_empty(payload):
    assert refusal(payload).text.message == EMPTY


@pytest.mark.parametrize(
    "payload",
    [
        "https://dichvucong.gov.vn/p/home/dvc-trang-chu.html",
        "http://example.com/a|b|c|d|e|f|g",
        "  HTTPS://EXAMPLE.COM",
        "www.example.com",
        "zalo://qr/p/abc",
    ],
)
def test_web_address(payload):
    assert refusal(payload).text.message == WEB_ADDRESS


@pytest.mark.parametrize(
    "payload",
    [
        "hello",
        "00020101021138570010A000000727012700069704220113VQRQ00000000102080208QRIBFTTA5303704",  # a VietQR
        "Nguyễn Văn A|01021990",
        "BEGIN:VCARD|VERSION:3.0|FN:A",
    ],
)
def test_not_a_cccd(payload):
    assert refusal(payload).text.message == NOT_CCCD


@pytest.mark.parametrize("count", [2, 3, 4, 5, 6])
def test_truncated(count):
    error = refusal("|".join(SAMPLE.split("|")[:count]))
    assert error.text.message == TRUNCATED
    assert error.text.params == {"count": count}


@pytest.mark.parametrize(
    ("raw_id", "message"),
    [
        ("", ID_EMPTY),
        ("362499103", ID_NOT_12_DIGITS),
        ("09318600223", ID_NOT_12_DIGITS),
        ("0931860022377", ID_NOT_12_DIGITS),
        ("09318600223X", ID_NOT_12_DIGITS),
        ("099186002237", ID_NOT_PROVINCE),
        ("093386002237", ID_FUTURE),
    ],
)
def test_invalid_id_number_passes_the_reason_through(raw_id, message):
    assert refusal(fields(id=raw_id)).text.message == message


def test_impossible_birth_date():
    error = refusal(fields(id="093300002237", birth="31022000", issue="04102024"))
    assert error.text.message == NO_SUCH_BIRTH_DATE
    assert error.text.params == {"date": "31/02/2000"}


@pytest.mark.parametrize("birth", ["", "1101198", "11-01-86", "xx011986", "110119866"])
def test_unreadable_birth_date(birth):
    assert refusal(fields(birth=birth)).text.message == BAD_BIRTH_DATE


def test_birth_date_with_separators_is_read():
    assert parse(fields(birth="11/01/1986")).birth_date == date(1986, 1, 11)


def test_birth_date_in_the_future():
    # Born "tomorrow", in the same year, so the ID number's year digits are not in the future.
    error = refusal(fields(id="093326002237", birth="02062026", issue=""))
    assert error.text.message == FUTURE_BIRTH


def test_birth_year_contradicting_the_id_number():
    error = refusal(fields(birth="11011987"))
    assert error.text.message == ID_YEAR_MISMATCH
    assert error.text.params == {"year": 1986, "given": 1987}


def test_century_digit_contradicting_the_birth_date():
    # Digit 4 = 3: a woman born in 2086 (future) — with a 1986 birth date the century disagrees.
    error = refusal(fields(id="093386002237", birth="11011986"))
    assert error.text.message == ID_FUTURE
    # Digit 4 = 3 with 05: born 2005, but the QR says 1905.
    error = refusal(fields(id="093305002237", birth="11011905", issue=""))
    assert error.text.message == ID_YEAR_MISMATCH
    assert error.text.params == {"year": 2005, "given": 1905}


def test_gender_contradicting_the_id_number():
    assert refusal(fields(gender="Nam")).text.message == ID_WRONG_GENDER


def test_issue_date_before_birth_date():
    assert refusal(fields(issue="10011986")).text.message == ISSUED_BEFORE_BIRTH


def test_error_is_a_value_error_with_readable_text(in_locale):
    in_locale("en")
    error = refusal("https://example.com")
    assert isinstance(error, ValueError)
    assert str(error) == WEB_ADDRESS
    assert str(error.text) == WEB_ADDRESS


# --- Properties ---------------------------------------------------------------------------------------------

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Lý"]
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Ngọc", "Thanh", "Quốc", "Xuân", "Bảo", "Kim", "Thùy"]
GIVEN = ["An", "Bình", "Châu", "Dũng", "Giang", "Hạnh", "Hùng", "Khoa", "Lộc", "Mai", "Nga", "Phúc", "Quỳnh", "Thư"]
STREETS = ["Trần Hưng Đạo", "Lê Lợi", "Nguyễn Trãi", "Hai Bà Trưng", "Điện Biên Phủ", "30 Tháng 4", "Ỷ Lan"]
PLACES = ["Phường Bến Nghé", "Quận 1", "Ninh Kiều", "Cần Thơ", "Hà Nội", "Đà Nẵng", "Xã Ẳng Nưa", "Tổ 5, Kv6"]
VOWELS = "aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵ"
# Vietnamese letters, digits and address punctuation: never `|`, and never text that reads as UTF-8 mojibake.
ADDRESS_CHARS = st.sampled_from(VOWELS + VOWELS.upper() + "bcdđghklmnpqrstvxBCDĐGHKLMNPQRSTVX0123456789 ,./-()")


@st.composite
def cards(draw) -> CccdCard:
    """A valid card: the ID's province, century/gender digit and year agree with the birth date and gender."""
    female = draw(st.booleans())
    birth_date = draw(st.dates(date(1930, 1, 1), date(2010, 12, 31)))
    province = draw(st.sampled_from(sorted(LEGACY_PROVINCE_CODES)))
    century_digit = (birth_date.year // 100 - 19) * 2 + female
    serial = draw(st.integers(0, 999_999))
    id_number = f"{province:03d}{century_digit}{birth_date.year % 100:02d}{serial:06d}"
    old_id_number = draw(st.one_of(st.just(""), st.from_regex(r"\A[0-9]{9}\Z")))
    name = " ".join(
        [
            draw(st.sampled_from(FAMILY)),
            *draw(st.lists(st.sampled_from(MIDDLE), max_size=2)),
            draw(st.sampled_from(GIVEN)),
        ]
    )
    address = draw(
        st.one_of(
            st.builds(
                lambda n, s, ps: ", ".join([f"{n} {s}", *ps]),
                st.integers(1, 999),
                st.sampled_from(STREETS),
                st.lists(st.sampled_from(PLACES), min_size=1, max_size=4),
            ),
            st.text(ADDRESS_CHARS, max_size=80).map(lambda t: " ".join(t.split())),
        )
    )
    issue_date = draw(st.one_of(st.none(), st.dates(birth_date, TODAY)))
    return CccdCard(
        id_number=id_number,
        old_id_number=old_id_number,
        full_name=name,
        birth_date=birth_date,
        gender="female" if female else "male",
        permanent_address=address,
        issue_date=issue_date,
    )


def build_payload(card: CccdCard, *, extras: list[str] | tuple[str, ...] = (), gender_word: str | None = None) -> str:
    parts = [
        card.id_number,
        card.old_id_number,
        card.full_name,
        card.birth_date.strftime("%d%m%Y"),
        gender_word or ("Nữ" if card.gender == "female" else "Nam"),
        card.permanent_address,
        card.issue_date.strftime("%d%m%Y") if card.issue_date else "",
        *extras,
    ]
    return "|".join(parts)


@given(
    card=cards(),
    extras=st.lists(st.text(st.characters(codec="utf-8", exclude_characters="|"), max_size=8), max_size=5),
    before=st.sampled_from(["", " ", "\ufeff", "\n", "\r\n", "\t "]),
    after=st.sampled_from(["", " ", "\n", "\r\n", " \r\n"]),
    decompose=st.booleans(),
    latin_1=st.booleans(),
)
def test_round_trip(card, extras, before, after, decompose, latin_1):
    payload = before + build_payload(card, extras=extras) + after
    if decompose:
        payload = unicodedata.normalize("NFD", payload)
    if latin_1:  # the UTF-8 bytes read as Latin-1 somewhere on the way
        payload = payload.encode().decode("latin-1")
    assert parse(payload) == card


@given(card=cards())
def test_flipped_gender_is_refused(card):
    flipped = "Nam" if card.gender == "female" else "Nữ"
    assert refusal(build_payload(card, gender_word=flipped)).text.message == ID_WRONG_GENDER


@given(card=cards(), count=st.integers(1, 6))
def test_any_cut_short_payload_is_refused(card, count):
    payload = "|".join(build_payload(card).split("|")[:count])
    assert refusal(payload).text.message in {TRUNCATED, NOT_CCCD}
