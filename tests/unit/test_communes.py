"""tenants/communes.py: the official list of communes since 1 July 2025, and names for search and URLs."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tenants.communes import Commune, communes, find_commune, fold, search_communes, slugify


def test_the_whole_list():
    all_communes = communes()
    assert len(all_communes) == 3321
    assert len({c.province_code for c in all_communes.values()}) == 34
    assert len({c.province_name for c in all_communes.values()}) == 34
    assert Counter(c.kind for c in all_communes.values()) == {"phường": 687, "xã": 2621, "đặc khu": 13}


def test_the_list_is_read_once():
    assert communes() is communes()


def test_every_entry_is_consistent():
    provinces: dict[int, str] = {}
    for code, commune in communes().items():
        assert commune.code == code > 0
        assert commune.name == commune.name.strip() and commune.name
        # the name starts with its kind: "Phường …", "Xã …", "Đặc khu …"
        assert fold(commune.name).startswith(fold(commune.kind) + " ")
        assert provinces.setdefault(commune.province_code, commune.province_name) == commune.province_name
    assert len(set(provinces.values())) == len(provinces)


def test_xuan_phuong_in_ha_noi():
    assert communes()[622] == Commune(
        code=622, name="Phường Xuân Phương", kind="phường", province_code=1, province_name="Thành phố Hà Nội"
    )


def test_lien_chieu_in_da_nang():
    commune = find_commune(20197)
    assert commune is not None
    assert commune.name == "Phường Liên Chiểu"
    assert commune.province_name == "Thành phố Đà Nẵng"


def test_find_unknown_code():
    assert find_commune(0) is None
    assert find_commune(99999) is None


def test_an_island_special_zone():
    assert any(c.name == "Đặc khu Phú Quốc" and c.kind == "đặc khu" for c in communes().values())


# --- fold and slugify -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Nguyễn Văn A", "nguyen van a"),
        ("Đà Nẵng", "da nang"),
        ("ĐẶNG THỊ Ư", "dang thi u"),
        ("Phường Liên Chiểu", "phuong lien chieu"),
        ("Thủ Dầu Một", "thu dau mot"),
        ("already plain 123", "already plain 123"),
        ("", ""),
    ],
)
def test_fold(text, folded):
    assert fold(text) == folded


def test_fold_does_not_depend_on_unicode_normal_form():
    import unicodedata

    name = "Nguyễn Thị Phượng"
    assert fold(unicodedata.normalize("NFC", name)) == fold(unicodedata.normalize("NFD", name)) == "nguyen thi phuong"


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Phường Xuân Phương", "xuan-phuong"),
        ("Đặc khu Phú Quốc", "phu-quoc"),
        ("Xã Đắk Lắk", "dak-lak"),
        ("Phường Liên Chiểu", "lien-chieu"),
        ("Phường Thủ Dầu Một", "thu-dau-mot"),
        ("Phường 1", "1"),
        ("Phường Hòa Xuân", "hoa-xuan"),
        ("Xã Ea H'Leo", "ea-hleo"),
        ("Phường Bà Rịa - Vũng Tàu", "ba-ria-vung-tau"),
        ("Thành phố Hà Nội", "thanh-pho-ha-noi"),  # only the commune kinds are dropped
        ("Phường", ""),
    ],
)
def test_slugify(name, slug):
    assert slugify(name) == slug


def test_every_commune_has_a_url_safe_slug():
    import re

    for commune in communes().values():
        assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", slugify(commune.name)), commune


def test_slugs_are_not_unique_so_they_are_only_a_suggestion():
    # e.g. "Xã Văn Lang" and "Xã Văn Lăng" in one province: the admin edits the suggested slug
    slugs = Counter(slugify(c.name) for c in communes().values())
    assert slugs["van-lang"] > 1


VIETNAMESE_LETTERS = "aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"


@given(st.text(VIETNAMESE_LETTERS + VIETNAMESE_LETTERS.upper() + " -0123456789", max_size=30))
def test_fold_of_vietnamese_text_is_plain_lower_case_ascii(text):
    folded = fold(text)
    assert folded.isascii()
    assert folded == folded.lower()
    assert len(folded) == len(text)  # one letter for one letter
    assert fold(folded) == folded


# --- search ---------------------------------------------------------------------------------------------


def test_search_without_diacritics():
    found = search_communes("xuan phuong")
    assert [c.code for c in found] == [622]


def test_search_with_diacritics_and_case():
    assert [c.code for c in search_communes("  Phường LIÊN CHIỂU ")] == [20197]


def test_search_matches_the_province_too():
    found = search_communes("lien chieu thanh pho da nang")
    assert [c.code for c in found] == [20197]
    in_ha_noi = search_communes("ha noi", limit=500)
    assert len(in_ha_noi) == len([c for c in communes().values() if c.province_code == 1])


def test_search_by_code():
    assert search_communes("622") == [communes()[622]]
    assert search_communes(" 20197 ") == [communes()[20197]]
    assert search_communes("99999") == []


def test_search_limit():
    assert len(search_communes("xa")) == 20
    assert len(search_communes("xa", limit=5)) == 5
    assert len(search_communes("phuong", limit=10_000)) > 687  # also "Phương" in names


@pytest.mark.parametrize("query", ["", "   ", "\t"])
def test_empty_search(query):
    assert search_communes(query) == []


def test_search_without_a_match():
    assert search_communes("zzzz qqqq") == []
