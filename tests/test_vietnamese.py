"""Vietnamese folding, slugs and code recognition: one function, used everywhere."""

import unicodedata

import pytest

from search.vietnamese import ascii_slug, code_from_query, fold, sorted_vietnamese, vietnamese_sort_key

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
    assert text[fold(text).index("mai") :][:3] == "mai"


def test_ascii_slug_keeps_d_for_d_stroke():
    assert ascii_slug("Đăng ký nội quy lao động") == "dang-ky-noi-quy-lao-dong"


def test_ascii_slug_is_bounded():
    slug = ascii_slug("Giải quyết chế độ " * 20, max_length=40)
    assert len(slug) <= 40 and not slug.endswith("-")


@pytest.mark.parametrize(
    "query, code",
    [
        ("1.001731", "1.001731"),
        ("1001731", "1.001731"),
        (" 2.000744 ", "2.000744"),
        ("1.010803.000.00.00.H62", "1.010803"),
        ("tro cap", None),
        ("12345", None),
        ("", None),
    ],
)
def test_code_from_query(query, code):
    assert code_from_query(query) == code


def test_vietnamese_sort_key_follows_the_vietnamese_alphabet():
    names = [
        "Việc làm",
        "Đào tạo",
        "Dân số",
        "Ăn",
        "Âm",
        "An toàn lao động",
        "Bảo trợ xã hội",
        "Giáo dục nghề nghiệp",
        "Ơn",
        "Ôm",
        "Ong",
        "Trẻ em",
        "Người có công",
    ]
    assert sorted(names, key=vietnamese_sort_key) == [
        "An toàn lao động",
        "Ăn",
        "Âm",
        "Bảo trợ xã hội",
        "Dân số",
        "Đào tạo",
        "Giáo dục nghề nghiệp",
        "Người có công",
        "Ong",
        "Ôm",
        "Ơn",
        "Trẻ em",
        "Việc làm",
    ]


def test_vietnamese_sort_key_breaks_ties_by_tone_then_case():
    # Dictionary tone order: ngang, huyền, hỏi, ngã, sắc, nặng.
    assert sorted(["bạ", "bá", "bã", "bả", "bà", "ba"], key=vietnamese_sort_key) == ["ba", "bà", "bả", "bã", "bá", "bạ"]
    assert sorted(["Ba", "ba"], key=vietnamese_sort_key) == ["ba", "Ba"]
    # Letters decide before tones: "bà" < "bac" although "à" > "a".
    assert sorted(["bac", "bà"], key=vietnamese_sort_key) == ["bà", "bac"]


def test_vietnamese_sort_key_compares_word_by_word_and_ignores_punctuation():
    assert sorted(["Lao động", "Lao động – Tiền lương", "Lao"], key=vietnamese_sort_key) == [
        "Lao",
        "Lao động",
        "Lao động – Tiền lương",
    ]
    assert vietnamese_sort_key("Lao  động") == vietnamese_sort_key(" Lao động ")
    assert vietnamese_sort_key(None) == vietnamese_sort_key("")
    # NFD input (as some keyboards and copied text produce) sorts like NFC.
    assert vietnamese_sort_key(unicodedata.normalize("NFD", "Đào tạo")) == vietnamese_sort_key("Đào tạo")


def test_sorted_vietnamese_by_attribute_paths():
    class Item:
        def __init__(self, sector, title):
            self.sector = type("Sector", (), {"name": sector})()
            self.title = title

    items = [Item("Đào tạo", "A"), Item("Dân số", "Z"), Item("Dân số", "Ă")]
    assert [(i.sector.name, i.title) for i in sorted_vietnamese(items, "sector.name", "title")] == [
        ("Dân số", "Ă"),
        ("Dân số", "Z"),
        ("Đào tạo", "A"),
    ]
