"""The public search: folded Vietnamese text, exact look-up of procedure codes.

Falls back to the database backend when the search server cannot be reached, so a search
server that is down degrades search rather than breaking it.
"""

import logging
import re
import unicodedata

from django.core.paginator import Paginator
from django.shortcuts import render
from wagtail.search.backends import get_search_backend

from cms.models.pages import procedures_in_force

from .text import code_from_query, fold

logger = logging.getLogger(__name__)
MAX_QUERY_LENGTH = 200
_WORD = re.compile(r"[^\W_]+")
PAGE_SIZE = 20


def search_procedures(query, backend_name="default"):
    """Return procedures of the current set matching ``query`` as a list, best first."""
    procedures = procedures_in_force().select_related("sector").prefetch_related("levels")
    code = code_from_query(query)
    if code:
        exact = list(procedures.filter(code=code))
        if exact:
            return exact
    # Only words reach the backend: quotes, operators and control characters mean different
    # things (or errors) to FTS5, PostgreSQL and Elasticsearch.
    folded = " ".join(_WORD.findall(fold(query)))
    if not folded:
        return []
    backend = get_search_backend(backend_name)
    return list(backend.search(folded, procedures, operator="and"))


def clean_query(raw):
    """The query as typed, without control characters (NUL and friends), at most 200 characters."""
    printable = "".join(ch for ch in raw[: MAX_QUERY_LENGTH * 2] if unicodedata.category(ch)[0] != "C" or ch == " ")
    return " ".join(printable.split())[:MAX_QUERY_LENGTH]


def search(request):
    query = clean_query(request.GET.get("q", ""))
    results = []
    degraded = False
    if query:
        try:
            results = search_procedures(query)
        except Exception:  # the search server is down or refused the query
            logger.exception("Search backend failed; falling back to the database backend")
            degraded = True
            results = search_procedures(query, backend_name="database") if _has_database_backend() else []
    page_obj = Paginator(results, PAGE_SIZE).get_page(request.GET.get("trang"))
    return render(
        request,
        "search/search.html",
        {"query": query, "page_obj": page_obj, "results": page_obj.object_list, "result_count": len(results),
         "degraded": degraded},
    )


def _has_database_backend():
    from django.conf import settings

    return "database" in settings.WAGTAILSEARCH_BACKENDS
