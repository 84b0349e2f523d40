"""What people search for: every public query counted, without personal data.

Citizens type their ID-card, insurance and phone numbers into search boxes, so a run of five or
more digits (spaces, dots and dashes between them included) is never stored; a procedure code is
stored as the code. Queries are stored folded, so "trợ cấp" and "tro cap" count together.
Popular queries are Wagtail's own report (wagtail.contrib.search_promotions); queries that
found nothing are ``UnansweredQuery``.
"""

import re

from wagtail.contrib.search_promotions.models import Query, SearchPromotion

from .models import UnansweredQuery
from .vietnamese import code_from_query, fold

LONG_NUMBER = re.compile(r"\d(?:[\s.\-]*\d){4,}")
MAX_STORED_LENGTH = 100


def storable(query):
    """``query`` as it may be stored: folded, long numbers dropped; "" when nothing is left."""
    code = code_from_query(query)
    if code:
        return code
    kept = LONG_NUMBER.sub(" ", fold(query))
    return " ".join(kept.split())[:MAX_STORED_LENGTH]


def record(query, result_count):
    """Count one public search for ``query``, and one unanswered search when it found nothing."""
    stored = storable(query)
    if not stored:
        return
    Query.get(stored).add_hit()
    if not result_count:
        UnansweredQuery.add_hit(stored)


def promotions(query):
    """The results editors promote for ``query``, whichever way either was typed (with or
    without diacritics). Promoted queries are few: they are compared folded, in Python."""
    folded = " ".join(fold(query).split())
    promoted = Query.objects.filter(editors_picks__isnull=False).values_list("pk", "query_string").distinct()
    matching = [pk for pk, query_string in promoted if " ".join(fold(query_string).split()) == folded]
    if not matching:
        return []
    return list(SearchPromotion.objects.filter(query__in=matching).select_related("page").order_by("sort_order", "pk"))
