"""The VietQR payload, byte for byte against a published vector, and its CRC against an independent one."""

import binascii

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.counter.vietqr import BankAccount, ascii_memo, crc16_ccitt_false, fee_memo, payload

# subiz/vietqr README's example, recomputed and checked in the research notes (domain.md §5).
KNOWN = (
    "00020101021238570010A00000072701270006970415011300110019324180208QRIBFTTA"
    "530370454061200005802VN62170813ung ho lu lut6304C15C"
)


def _fields(text: str) -> dict[str, str]:
    fields, i = {}, 0
    while i < len(text):
        tag, size = text[i : i + 2], int(text[i + 2 : i + 4])
        fields[tag] = text[i + 4 : i + 4 + size]
        i += 4 + size
    assert i == len(text)
    return fields


def test_the_known_vector_byte_for_byte():
    account = BankAccount(bin="970415", account_number="0011001932418")
    assert payload(account, amount=120_000, memo="ung ho lu lut") == KNOWN


def test_the_crc_matches_an_independent_implementation():
    # binascii.crc_hqx is CRC-CCITT with the initial value given: 0xFFFF makes it CCITT-FALSE.
    body = KNOWN[:-4]
    assert crc16_ccitt_false(body.encode()) == binascii.crc_hqx(body.encode(), 0xFFFF) == 0xC15C
    assert crc16_ccitt_false(b"123456789") == 0x29B1  # the catalogue's check value for CRC-16/CCITT-FALSE


@given(st.binary(max_size=300))
def test_crc_agrees_with_binascii_on_any_bytes(data):
    assert crc16_ccitt_false(data) == binascii.crc_hqx(data, 0xFFFF)


@given(
    amount=st.integers(min_value=0, max_value=9_999_999_999_999),
    account=st.from_regex(r"[0-9]{1,19}", fullmatch=True),
    memo=st.text(max_size=60),
)
def test_every_payload_parses_and_checks(amount, account, memo):
    text = payload(BankAccount(bin="970436", account_number=account), amount=amount, memo=memo)
    fields = _fields(text)
    assert fields["00"] == "01" and fields["53"] == "704" and fields["58"] == "VN"
    assert fields.get("54") == (str(amount) if amount else None)
    merchant = _fields(fields["38"])
    assert merchant["00"] == "A000000727" and _fields(merchant["01"]) == {"00": "970436", "01": account}
    assert len(fields["63"]) == 4 and fields["63"] == fields["63"].upper()
    assert int(fields["63"], 16) == binascii.crc_hqx(text[:-4].encode(), 0xFFFF)
    text.encode("ascii")  # no diacritics reach the bank app


def test_a_small_crc_is_zero_padded():
    # Find a memo whose CRC is below 0x1000; its hex must still have four digits.
    account = BankAccount(bin="970436", account_number="123")
    for n in range(5000):
        text = payload(account, amount=1000, memo=f"x{n}")
        if int(text[-4:], 16) < 0x1000:
            assert text[-8:-4] == "6304" and len(text[-4:]) == 4
            break
    else:  # pragma: no cover - one in sixteen CRCs is below 0x1000
        pytest.fail("no small CRC found")


def test_the_memo_is_ascii_and_short():
    assert ascii_memo("Phí hồ sơ Đăng ký tạm trú, ông Nguyễn Văn Đức") == "Phi ho so Dang ky tam tru"
    assert fee_memo("261202-003") == "261202-003 phi ho so"
    assert len(fee_memo("X" * 40)) == 25


def test_bad_accounts_are_refused():
    with pytest.raises(ValueError):
        payload(BankAccount(bin="97041", account_number="1"), amount=1, memo="")
    with pytest.raises(ValueError):
        payload(BankAccount(bin="970415", account_number="12 34"), amount=1, memo="")
    with pytest.raises(ValueError):
        payload(BankAccount(bin="970415", account_number="1"), amount=10**13, memo="")
