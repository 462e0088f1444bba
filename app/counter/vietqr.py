"""VietQR: the EMVCo merchant-presented QR that every Vietnamese bank app reads to pay into an account over
NAPAS 247, for a dossier's fee.

Each field is ID (2 digits) + length (2 digits) + value. Field 38 names the beneficiary: the NAPAS GUID, the
bank's BIN and the account, and the service "transfer to account". Amount (54) is whole đồng; the memo
(62.08, purpose of transaction) carries the dossier code so the ward can match the transfer. The checksum (63)
is CRC-16/CCITT-FALSE (polynomial 0x1021, initial value 0xFFFF, no reflection) over everything before it
including the literal "6304", written as four upper-case hex digits, zero-padded.

The memo is plain ASCII: bank apps truncate or mangle Vietnamese diacritics, so they are folded away.
Nothing here is secret: a bank account number is printed on every receipt.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

GUID = "A000000727"  # NAPAS
SERVICE_TO_ACCOUNT = "QRIBFTTA"
CURRENCY_VND = "704"
MEMO_MAX = 25
AMOUNT_MAX_DIGITS = 13

# Banks a ward's fee account is likely to be held at (the state treasury's partner banks first), by the BIN
# NAPAS gives them. Public data, as published in NAPAS's and VietQR's bank lists.
BANKS: dict[str, str] = {
    "970436": "Vietcombank",
    "970415": "VietinBank",
    "970418": "BIDV",
    "970405": "Agribank",
    "970422": "MB Bank",
    "970407": "Techcombank",
    "970416": "ACB",
    "970432": "VPBank",
    "970403": "Sacombank",
    "970423": "TPBank",
    "970443": "SHB",
    "970437": "HDBank",
    "970441": "VIB",
    "970440": "SeABank",
    "970448": "OCB",
    "970426": "MSB",
    "970431": "Eximbank",
    "970449": "LPBank",
    "970428": "Nam A Bank",
    "970409": "Bac A Bank",
    "970412": "PVcomBank",
    "970425": "ABBANK",
    "970454": "Ban Viet",
    "970438": "BaoViet Bank",
    "970419": "NCB",
    "970452": "KienlongBank",
    "970427": "VietABank",
    "970400": "Saigonbank",
    "970430": "PG Bank",
    "970433": "Vietbank",
    "970414": "MBV",
    "970444": "CBBank",
    "970408": "GPBank",
}

_ACCOUNT = re.compile(r"^[0-9A-Za-z]{1,19}$")
_MEMO_UNSAFE = re.compile(r"[^0-9A-Za-z .\-]")


def crc16_ccitt_false(data: bytes) -> int:
    """CRC-16/CCITT-FALSE: poly 0x1021, init 0xFFFF, MSB first, no final XOR."""
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else (crc << 1)
            crc &= 0xFFFF
    return crc


def tlv(tag: str, value: str) -> str:
    if len(tag) != 2 or not tag.isdigit():
        raise ValueError(f"bad tag {tag!r}")
    if len(value) > 99:
        raise ValueError(f"field {tag} is longer than 99 characters")
    return f"{tag}{len(value):02d}{value}"


def ascii_memo(text: str) -> str:
    """Diacritics folded ("Phí hồ sơ" → "Phi ho so"), đ → d, anything else unusual dropped, at most 25
    characters."""
    folded = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    return " ".join(_MEMO_UNSAFE.sub("", folded).split())[:MEMO_MAX].strip()


@dataclass(frozen=True)
class BankAccount:
    bin: str  # the bank's 6-digit NAPAS BIN
    account_number: str
    account_name: str = ""  # shown beside the code; the bank app shows the name NAPAS holds

    @property
    def bank_name(self) -> str:
        return BANKS.get(self.bin, self.bin)


def payload(account: BankAccount, *, amount: int | None, memo: str = "", dynamic: bool = True) -> str:
    """The VietQR text to encode as a QR code. `amount` in whole đồng (None or 0: the payer types it);
    `dynamic`: meant for this one payment (point of initiation 12) rather than a reusable code (11)."""
    if not re.fullmatch(r"\d{6}", account.bin):
        raise ValueError("a bank BIN has 6 digits")
    if not _ACCOUNT.fullmatch(account.account_number):
        raise ValueError("an account number has 1 to 19 letters or digits")
    beneficiary = tlv("00", account.bin) + tlv("01", account.account_number)
    merchant = tlv("00", GUID) + tlv("01", beneficiary) + tlv("02", SERVICE_TO_ACCOUNT)
    text = tlv("00", "01") + tlv("01", "12" if dynamic else "11") + tlv("38", merchant) + tlv("53", CURRENCY_VND)
    if amount:
        if amount < 0 or len(str(amount)) > AMOUNT_MAX_DIGITS:
            raise ValueError("the amount must be a positive whole number of at most 13 digits")
        text += tlv("54", str(amount))
    text += tlv("58", "VN")
    if memo := ascii_memo(memo):
        text += tlv("62", tlv("08", memo))
    text += "6304"
    return text + f"{crc16_ccitt_false(text.encode('ascii')):04X}"


def fee_memo(dossier_code: str) -> str:
    """The transfer memo for a dossier's fee: the code first, so a truncating bank app still keeps it."""
    return ascii_memo(f"{dossier_code} phi ho so")
