"""The query's words marked in a result: in its name, and the passage of its text that matches.

Matches are found in the text folded in place (search.vietnamese.fold_in_place), so "tro cap"
marks "trợ cấp" and the marks land on the original characters; the same on every backend.
"""

import re

from django.utils.html import escape
from django.utils.safestring import mark_safe

from .vietnamese import fold_in_place

PASSAGE_LENGTH = 240


def query_pattern(units):
    """A pattern matching any word of any alternative of the query's units, as whole words."""
    terms = sorted({word for unit in units for alternative in unit.alternatives for word in alternative}, key=len)
    if not terms:
        return None
    alternation = "|".join(re.escape(term) for term in reversed(terms))
    return re.compile(rf"(?<![^\W_])(?:{alternation})(?![^\W_])")


def _marked(text, spans):
    parts, last = [], 0
    for start, end in spans:
        parts += [escape(text[last:start]), "<mark>", escape(text[start:end]), "</mark>"]
        last = end
    parts.append(escape(text[last:]))
    return mark_safe("".join(parts))


def highlight(text, pattern):
    """``text`` escaped, with every match of ``pattern`` in ``<mark>``."""
    text = str(text or "")
    if pattern is None:
        return escape(text)
    return _marked(text, [match.span() for match in pattern.finditer(fold_in_place(text))])


def passage(text, pattern, length=PASSAGE_LENGTH):
    """The part of ``text`` (about ``length`` characters, cut at spaces) where the most different
    query words occur, marked; "" when none occurs."""
    text = " ".join(str(text or "").split())
    if pattern is None:
        return ""
    matches = [(match.start(), match.end(), match.group()) for match in pattern.finditer(fold_in_place(text))]
    if not matches:
        return ""
    best_start, best_score = 0, (-1, -1)
    for index, (start, _, _) in enumerate(matches):
        window = [m for m in matches[index:] if m[1] <= start + length]
        score = (len({m[2] for m in window}), len(window))
        if score > best_score:
            best_start, best_score = start, score
    # Some words of context before the first match, then cut at spaces.
    begin = max(0, best_start - length // 4)
    if begin:
        begin = text.find(" ", begin) + 1 or begin
    end = min(len(text), begin + length)
    if end < len(text):
        end = text.rfind(" ", begin, end) if text.rfind(" ", begin, end) > best_start else end
    spans = [(s - begin, e - begin) for s, e, _ in matches if s >= begin and e <= end]
    marked = _marked(text[begin:end], spans)
    prefix = "… " if begin else ""
    suffix = " …" if end < len(text) else ""
    return mark_safe(prefix + marked + suffix)
