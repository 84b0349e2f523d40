"""Vietnamese folding, slugs and code recognition: one function, used everywhere."""

import unicodedata

import pytest

from search.text import ascii_slug, code_from_query, fold

pytestmark = pytest.mark.smoke


@pytest.mark.parametrize(
    "text, folded",
    [
        ("Đăng ký cai nghiện ma túy tự nguyện", "dang ky cai nghien ma tuy tu nguyen"),
        ("TRỢ CẤP  thờ cúng\tliệt sĩ", "tro cap tho cung liet si"),
        ("Người có công", "nguoi co cong"),
        ("đ Đ ư Ư ơ Ơ", "d d u u o o"),
        ("", ""),
        (None, ""),
    ],
)
def test_fold(text, folded):
    assert fold(text) == folded


def test_fold_treats_decomposed_input_like_composed():
    decomposed = unicodedata.normalize("NFD", "Bảo trợ xã hội")
    assert fold(decomposed) == fold("Bảo trợ xã hội") == "bao tro xa hoi"


def test_fold_keeps_offsets_of_nfc_text():
    text = "Hỗ trợ chi phí mai táng"
    assert len(fold(text)) == len(text)
    assert text[fold(text).index("mai"):][:3] == "mai"


def test_ascii_slug_keeps_d_for_d_stroke():
    assert ascii_slug("Đăng ký nội quy lao động") == "dang-ky-noi-quy-lao-dong"


def test_ascii_slug_is_bounded():
    slug = ascii_slug("Giải quyết chế độ " * 20, max_length=40)
    assert len(slug) <= 40 and not slug.endswith("-")


@pytest.mark.parametrize(
    "query, code",
    [("1.001731", "1.001731"), ("1001731", "1.001731"), (" 2.000744 ", "2.000744"),
     ("1.010803.000.00.00.H62", "1.010803"), ("tro cap", None), ("12345", None), ("", None)],
)
def test_code_from_query(query, code):
    assert code_from_query(query) == code
