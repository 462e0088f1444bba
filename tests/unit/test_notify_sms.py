"""SMS text: Vietnamese without diacritics for GSM-7 gateways, parts counted and split as phones join them."""

from hypothesis import given
from hypothesis import strategies as st

from app.notify.sms import PART, SINGLE, is_gsm7, length, prepare, split, to_gsm7


def test_vietnamese_is_transliterated_for_gsm7():
    text = "Phường Xuân Phương: Đặng Thị Ánh đã được công an tiếp nhận “lưu trú” – mã 12…"
    assert to_gsm7(text) == 'Phuong Xuan Phuong: Dang Thi Anh da duoc cong an tiep nhan "luu tru" - ma 12...'
    assert not is_gsm7(text) and is_gsm7(to_gsm7(text))


def test_a_text_of_160_gsm7_characters_is_one_sms_and_161_are_two():
    assert split("a" * 160, "gsm7") == ["a" * 160]
    assert [len(p) for p in split("a" * 161, "gsm7")] == [153, 8]
    assert length("€[]", "gsm7") == 6  # extension characters take two septets


def test_ucs2_parts_are_70_then_67_and_an_emoji_is_not_cut():
    assert len(split("ư" * 70, "ucs2")) == 1
    parts = split("ư" * 66 + "😀" + "ư" * 10, "ucs2")
    assert parts[0] == "ư" * 66 and parts[1].startswith("😀")


def test_a_long_message_is_shortened_to_the_parts_allowed_keeping_the_link():
    text, parts = prepare("Nhắc lịch hẹn " * 40, "https://nhatro.vn/q/r/abc", encoding="gsm7", max_parts=2)
    assert len(parts) <= 2 and text.endswith("... https://nhatro.vn/q/r/abc") and text.isascii()
    short, one = prepare("Nhắc lịch hẹn A12 lúc 08:30", "", encoding="gsm7", max_parts=3)
    assert one == [short] == ["Nhac lich hen A12 luc 08:30"]


@given(st.text(max_size=600), st.sampled_from(["gsm7", "ucs2"]))
def test_parts_join_back_and_each_fits(text, encoding):
    if encoding == "gsm7":
        text = to_gsm7(text)
    parts = split(text, encoding)
    assert "".join(parts) == text
    limit = SINGLE[encoding] if len(parts) == 1 else PART[encoding]
    assert all(length(p, encoding) <= limit for p in parts)


@given(st.text(min_size=1, max_size=800), st.integers(min_value=1, max_value=4))
def test_prepared_sms_never_exceeds_its_parts(text, max_parts):
    _full, parts = prepare(text, "https://x.vn/a", encoding="gsm7", max_parts=max_parts)
    assert len(parts) <= max_parts


def test_tone_marks_go_even_where_gsm7_has_the_letter():
    assert to_gsm7("Nhà trọ Hoa Sữa, từ ngày 02/12") == "Nha tro Hoa Sua, tu ngay 02/12"
    assert to_gsm7("£5 ¥ Δ") == "£5 ¥ Δ"


@given(st.text(max_size=200))
def test_the_transliteration_is_always_gsm7(text):
    assert is_gsm7(to_gsm7(text))
