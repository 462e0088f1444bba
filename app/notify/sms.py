"""SMS text: GSM-7 or UCS-2, and how many parts a text takes.

A text in the GSM 03.38 alphabet (GSM-7) fits 160 characters in one SMS, 153 a part when split. One character
outside it (every Vietnamese letter with a diacritic but a handful, "ạ", "ơ", "đ") makes the whole SMS UCS-2:
70 characters, 67 a part, at two to three times the price. Gateways that need GSM-7 get the Vietnamese without
diacritics ("Phường Xuân Phương" -> "Phuong Xuan Phuong"), as Vietnamese SMS usually are; the per-transport
setting `notify.sms.encoding` chooses.
"""

from __future__ import annotations

import unicodedata

# GSM 03.38 basic character set, and the extension table (each costs two septets: ESC + char).
GSM7_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = set("^{}\\[~]|€\f")

SINGLE = {"gsm7": 160, "ucs2": 70}
PART = {"gsm7": 153, "ucs2": 67}  # a concatenated SMS's header takes the rest

_PUNCTUATION = {
    "“": '"',
    "”": '"',
    "‘": "'",
    "’": "'",
    "–": "-",
    "—": "-",
    "…": "...",
    "•": "-",
    "·": "-",
    "₫": "d",
    "\u00a0": " ",
}


def is_gsm7(text: str) -> bool:
    return all(c in GSM7_BASIC or c in GSM7_EXTENSION for c in text)


def to_gsm7(text: str) -> str:
    """Vietnamese (and any Latin text) without diacritics, in the GSM-7 alphabet; other characters become '?'.

    Every accented letter loses its marks, also the few GSM-7 has (à, è, é, ì, ò, ù): in Vietnamese those are
    tones, and "Nhà tro" half with marks reads worse than "Nha tro"."""
    out = []
    for char in text:
        if char in GSM7_BASIC or char in GSM7_EXTENSION:
            if char.isascii():
                out.append(char)
                continue
        elif char.isascii():
            out.append({"`": "'", "\t": " "}.get(char, "?"))  # the few ASCII characters GSM-7 lacks
            continue
        char = _PUNCTUATION.get(char, char)
        if char in ("đ", "Đ"):
            out.append("d" if char == "đ" else "D")
            continue
        stripped = "".join(c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c))
        if stripped.isascii():
            out.append(stripped)
        elif char in GSM7_BASIC or char in GSM7_EXTENSION:
            out.append(char)  # £, ¥, Δ, ß...: in the alphabet as they are
        else:
            out.append("?")
    return "".join(out)


def _units(char: str, encoding: str) -> int:
    if encoding == "gsm7":
        return 2 if char in GSM7_EXTENSION else 1
    return 2 if ord(char) > 0xFFFF else 1  # UTF-16 code units: an emoji takes two


def length(text: str, encoding: str) -> int:
    return sum(_units(c, encoding) for c in text)


def split(text: str, encoding: str) -> list[str]:
    """The parts a phone joins back into `text`: one if it fits, else parts of PART units, never cutting an
    escape pair or a surrogate pair, and at a space where one is near the end of a part."""
    if length(text, encoding) <= SINGLE[encoding]:
        return [text] if text else []
    parts, current, used = [], [], 0
    for char in text:
        units = _units(char, encoding)
        if used + units > PART[encoding]:
            cut = "".join(current)
            space = cut.rfind(" ")
            if space >= len(cut) - 20 and space > 0:  # break between words when it costs little
                parts.append(cut[: space + 1])
                current = list(cut[space + 1 :])
            else:
                parts.append(cut)
                current = []
            used = length("".join(current), encoding)
        current.append(char)
        used += units
    if current:
        parts.append("".join(current))
    return parts


def prepare(text: str, url: str, *, encoding: str, max_parts: int) -> tuple[str, list[str]]:
    """The SMS to send (GSM-7 when asked) and its parts: the link is kept whole, the text shortened with "..."
    if the whole would take more than `max_parts` parts."""
    if encoding == "gsm7":
        text = to_gsm7(text)
    elif is_gsm7(text + url):
        encoding = "gsm7"  # a UCS-2 gateway still sends plain ASCII text at the GSM-7 length
    tail = f" {url}" if url else ""
    budget = SINGLE[encoding] if max_parts <= 1 else PART[encoding] * max_parts
    full = text + tail
    keep = budget - length(tail, encoding) - 3
    while len(parts := split(full, encoding)) > max(1, max_parts):
        while length(text, encoding) > keep:
            text = text[:-1]
        full = text.rstrip() + "..." + tail
        keep -= 5  # splitting between words wastes a little: shorten until it fits
    return full, parts
