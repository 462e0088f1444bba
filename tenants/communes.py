"""The official list of communes (phường, xã, đặc khu) in force since 1 July 2025 (see data/README.md)."""

from __future__ import annotations

import csv
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "vn-wards-2025.csv"


@dataclass(frozen=True)
class Commune:
    code: int
    name: str
    kind: str
    province_code: int
    province_name: str


@lru_cache(maxsize=1)
def communes() -> dict[int, Commune]:
    with DATA.open(encoding="utf-8") as fh:
        return {
            int(row["ward_code"]): Commune(
                code=int(row["ward_code"]),
                name=row["ward_name"],
                kind=row["ward_type"],
                province_code=int(row["province_code"]),
                province_name=row["province_name"],
            )
            for row in csv.DictReader(fh)
        }


def find_commune(code: int) -> Commune | None:
    return communes().get(code)


def fold(text: str) -> str:
    """Lower-case ASCII without diacritics, so "nguyen van a" matches "Nguyễn Văn A"."""
    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn").lower()


def slugify(name: str) -> str:
    """ "Phường Xuân Phương" -> "xuan-phuong" (the commune-type word is dropped)."""
    words = fold(name).replace("-", " ").split()
    if words[:1] in (["phuong"], ["xa"]):
        words = words[1:]
    elif words[:2] == ["dac", "khu"]:
        words = words[2:]
    return "-".join("".join(ch for ch in w if ch.isalnum()) for w in words if any(ch.isalnum() for ch in w))


def search_communes(query: str, limit: int = 20) -> list[Commune]:
    q = fold(query.strip())
    if not q:
        return []
    if q.isdigit():
        found = find_commune(int(q))
        return [found] if found else []
    return [c for c in communes().values() if q in fold(f"{c.name} {c.province_name}")][:limit]
