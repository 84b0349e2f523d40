"""Suggestions as you type: procedure names of the current set, with or without diacritics.

The search box (static/js/search-suggest.js) asks ``/tim-kiem/goi-y/?q=`` while the visitor types
and shows the answer as a list under the box; without JavaScript the box stays a plain search form.

The typed text is folded like everything indexed (search.vietnamese.fold: "Trợ cấ" and "tro ca"
are the same query, "đ" is "d") and sent to the search backend's ``autocomplete()`` (the last word
is a prefix), which reads the ``folded_title`` AutocompleteField of ProcedurePage. The backend
returns only a few candidates (``limit`` is applied inside it), so a suggestion costs the same at
40 procedures and at 20,000. When the search server fails, the database backend answers instead,
as for the search page (search.query).
"""

import logging

from django.conf import settings
from django.http import JsonResponse
from django.views.decorators.http import require_safe
from wagtail.search.backends import get_search_backend

from cms.models import ProcedurePage

from .query import clean_query
from .vietnamese import code_from_query, words

logger = logging.getLogger(__name__)

DEFAULT_LIMIT = 8
MAX_LIMIT = 20
# Longer than any procedure name anyone types into a search box: answered with nothing.
MAX_SUGGEST_LENGTH = 100
MIN_SUGGEST_LENGTH = 2
# Candidates asked of the backend per suggestion shown, so that names beginning with (or
# containing) the query can be put first among more than the ``limit`` best matches; a constant.
CANDIDATES_PER_SUGGESTION = 3


def suggestions(query, limit=DEFAULT_LIMIT, request=None):
    """Up to ``limit`` procedures of the current set whose names match ``query`` as typed so far.

    Each is ``{"title", "code", "url"}``. Names beginning with the query come first, then names
    containing it, then the others, each group in the backend's order. A code-shaped query
    ("1.001731", "1001731") gives that procedure. An empty, one-letter or overlong query gives
    ``[]``.
    """
    limit = max(0, min(int(limit), MAX_LIMIT))
    query = clean_query(query or "")
    if not limit or len(query) > MAX_SUGGEST_LENGTH:
        return []
    procedures = ProcedurePage.objects.in_force()
    code = code_from_query(query)
    if code:
        exact = list(procedures.filter(code=code)[:1])
        if exact:
            return [_item(page, request) for page in exact]
    # Only words reach the backend (see search.query.search_procedures).
    folded = " ".join(words(query))
    if len(folded) < MIN_SUGGEST_LENGTH:
        return []
    candidates = _candidates(folded, procedures, limit * CANDIDATES_PER_SUGGESTION)
    candidates.sort(key=lambda page: _closeness(page.title, folded))  # stable: the backend's order kept
    return [_item(page, request) for page in candidates[:limit]]


def _closeness(title, folded):
    """0 for a name beginning with the words typed, 1 for one containing them in that order (the
    backend matches the words anywhere: "tro cap" also finds "trợ giúp ... cấp tỉnh"), else 2."""
    name = " ".join(words(title))
    if name.startswith(folded):
        return 0
    return 1 if f" {folded}" in name else 2


def _candidates(folded, procedures, count):
    """The first ``count`` matches of the default backend, or of the database backend when the
    default one fails (the results are read here, inside the fallback); with no database backend
    to fall back to, the failure is the caller's (the view answers no suggestions, uncached)."""
    try:
        return _autocomplete(folded, procedures, count, "default")
    except Exception:  # the search server is down or refused the query
        if "database" not in settings.WAGTAILSEARCH_BACKENDS:
            raise
        logger.exception("Search backend failed for suggestions; falling back to the database backend")
        return _autocomplete(folded, procedures, count, "database")


def _autocomplete(folded, procedures, count, backend_name):
    backend = get_search_backend(backend_name)
    return list(backend.autocomplete(folded, procedures, operator="and")[:count])


def _item(page, request):
    return {"title": page.title, "code": page.code, "url": page.get_url(request=request)}


@require_safe
def suggest_view(request):
    """``{"query": ..., "suggestions": [...]}`` for ``?q=``: never an error, whatever the query.

    Browsers may keep the answer a minute (a visitor deleting a letter asks again for what they
    had); the public page cache (cms.page_cache) keeps it until the next publication.
    """
    query = clean_query(request.GET.get("q", ""))
    cache_control = "public, max-age=60"
    try:
        found = suggestions(query, request=request)
    except Exception:  # even the database backend failed: no suggestions, the search box still works
        logger.exception("Suggestions failed")
        found, cache_control = [], "no-store"  # not kept by anyone: the next keystroke asks again
    response = JsonResponse({"query": query, "suggestions": found}, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = cache_control
    return response
