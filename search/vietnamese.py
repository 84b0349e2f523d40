"""Vietnamese text, one way everywhere: folding for search, ASCII slugs, alphabetical order, codes.

A pure module (no models): ``cms`` and ``search`` both import it.

Why fold in Python: no search backend folds Vietnamese the same way by itself (SQLite FTS5 keeps
letters with two marks and never folds "đ"; PostgreSQL needs ``unaccent``; Elasticsearch needs
``asciifolding``). Folding both the indexed text and the query here makes SQLite, PostgreSQL and
Elasticsearch see the same ASCII tokens. See ../shared/design/search.md.
"""

import re
import unicodedata

from django.utils.text import slugify

_WHITESPACE = re.compile(r"\s+")
# "đ" (U+0111) and "Đ" (U+0110) have no Unicode decomposition, so they survive NFD.
_NO_DECOMPOSITION = str.maketrans({"đ": "d", "Đ": "D"})


def fold(text):
    """Return ``text`` without Vietnamese diacritics, case-folded, whitespace collapsed.

    Each Vietnamese letter in NFC folds to exactly one character, so offsets in the folded text
    point at the same characters in the NFC original (useful for highlighting).
    """
    if not text:
        return ""
    text = unicodedata.normalize("NFC", str(text))
    decomposed = unicodedata.normalize("NFD", text.translate(_NO_DECOMPOSITION))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _WHITESPACE.sub(" ", stripped.casefold()).strip()


_WORD = re.compile(r"[^\W_]+")


def words(text):
    """The folded words of ``text``, without punctuation: what the backends index and match."""
    return _WORD.findall(fold(text))


def fold_in_place(text):
    """``text`` (NFC) folded character by character, keeping its length, so that a match found
    in the result is at the same offsets in ``text`` (highlighting)."""
    text = unicodedata.normalize("NFC", str(text or ""))
    folded = []
    for char in text:
        one = fold(char) if not char.isspace() else " "
        folded.append(one if len(one) == 1 else char.lower() if len(char.lower()) == 1 else char)
    return "".join(folded)


def ascii_slug(text, max_length=80):
    """A readable ASCII URL slug from Vietnamese text: "Đăng ký" -> "dang-ky"."""
    slug = slugify(fold(text))
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0] or slug[:max_length]
    return slug


PROCEDURE_CODE = re.compile(r"^\d\.\d{6}$")
_CODE_IN_QUERY = re.compile(r"^\s*(\d)[.\s]?(\d{6})(?:\.[0-9a-z.]*)?\s*$", re.IGNORECASE)


def code_from_query(query):
    """Return the procedure code a query is shaped like ("1.001731", "1001731"), or None.

    Backends tokenise codes differently (SQLite splits "1.001731" in two), so code-shaped queries
    are looked up exactly instead of being sent to the search backend.
    """
    match = _CODE_IN_QUERY.match(query or "")
    if not match:
        return None
    return f"{match.group(1)}.{match.group(2)}"


_CODE_WITHIN = re.compile(r"(?<![\d.])(\d)\.?(\d{6})(?![\d])")


def codes_within(query):
    """Procedure codes written anywhere in a query ("thủ tục 1.001731", "ma 1001731")."""
    return [f"{first}.{rest}" for first, rest in _CODE_WITHIN.findall(query or "")]


# Vietnamese alphabetical order (Bộ GD&ĐT): letters with breve, circumflex and horn, and đ, are
# letters of their own, sorted after their base letter; tone marks only break ties, in the
# dictionary order ngang, huyền, hỏi, ngã, sắc, nặng. f, j, w, z appear in loanwords and names.
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER_RANK = {letter: chr(0x100 + rank) for rank, letter in enumerate(_ALPHABET)}
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}  # breve, circumflex, horn: part of the letter
_TONE_RANK = {"\u0300": "1", "\u0309": "2", "\u0303": "3", "\u0301": "4", "\u0323": "5"}


def sorted_vietnamese(items, *attributes):
    """``items`` sorted by the Vietnamese order of the given attributes, in priority order.

    ``attributes`` are dotted paths ("sector.name", "title"); with none, the items themselves.
    """

    def key(item):
        if not attributes:
            return vietnamese_sort_key(item)
        values = []
        for path in attributes:
            value = item
            for name in path.split("."):
                value = getattr(value, name, None)
            values.append(vietnamese_sort_key(value))
        return tuple(values)

    return sorted(items, key=key)


def vietnamese_sort_key(text):
    """A key that sorts Vietnamese text alphabetically, the same on every database.

    Code-point order puts "Đ" after "Z" and "Â" far from "A"; database collations differ between
    SQLite and PostgreSQL and none follows Vietnamese order. Lists of names (sectors, agencies,
    procedures) are sorted in Python with this key instead. Compares letters first (word by word:
    a space sorts before any letter), then tone marks, then case.
    """
    letters, tones, cases = [], [], []
    space_pending = False
    for char in unicodedata.normalize("NFC", str(text or "")):
        if char.isspace():
            space_pending = bool(letters)  # leading and repeated whitespace do not count
            continue
        lower = char.lower()
        base, *marks = unicodedata.normalize("NFD", lower)
        letter = unicodedata.normalize("NFC", base + "".join(mark for mark in marks if mark in _LETTER_MARKS))
        if letter in _LETTER_RANK:
            rank = _LETTER_RANK[letter]
        elif char.isalnum():
            rank = char  # digits before letters; another script after them, by code point
        else:
            continue  # punctuation and dashes do not count, as in a dictionary
        if space_pending:
            letters.append(" ")
            tones.append("0")
            cases.append("0")
            space_pending = False
        letters.append(rank)
        tones.append(next((_TONE_RANK[mark] for mark in marks if mark in _TONE_RANK), "0"))
        cases.append("1" if char != lower else "0")
    return ("".join(letters), "".join(tones), "".join(cases))


# The widest stored key: 255 characters of a name (4 hex digits each), the separator, tones, cases.
COLLATION_KEY_LENGTH = 255 * 4 + 4 + 255 * 2


def vietnamese_collation_key(text):
    """``vietnamese_sort_key`` as one string a database sorts the same way, for an indexed column.

    Only the digits 0-9 and the letters a-f, each character of the key as four of them (its code
    point), so SQLite's binary order and any PostgreSQL collation agree with the Python order;
    "0000" ends the letters, so a name sorts before the longer names it begins.
    """
    letters, tones, cases = vietnamese_sort_key(text)
    return "".join(f"{min(ord(char), 0xFFFF):04x}" for char in letters) + "0000" + tones + cases


# A list's key (group, then name) fits a PostgreSQL index entry (at most 2,704 bytes): only
# names of more than 150 letters sharing their first 150 would tie, and then the id decides.
LIST_KEY_LENGTH = 2000


def list_key(group_key, name_key):
    """The key of a list sorted by group (a sector) then name, from their collation keys.

    Two collation keys with the same letters have the same length, so the group's key ends at
    the same place for every name in that group and the concatenation sorts as the pair.
    """
    return group_key[:600] + name_key[:1400]


def vietnamese_slug(slug, title):
    """An ASCII slug in which "đ" became "d".

    Wagtail's admin JavaScript turns "đ" into "dj" (a Serbian transliteration) when it fills the
    slug from the title, Django's slugify drops it ("ang-ky"), and editors may type accented
    letters; all three are mended here. A slug the editor chose deliberately is kept.
    """
    expected = ascii_slug(title) if title else ""
    if not slug:
        return expected
    if not slug.isascii():
        return ascii_slug(slug)
    if slug != expected and (slug.replace("dj", "d") == expected or slug == slugify(title)):
        return expected
    return slug
