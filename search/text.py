"""One way to fold Vietnamese text, used for indexing, querying and URLs.

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
