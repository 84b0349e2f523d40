"""Querying the current set: folded Vietnamese text, exact look-up of procedure codes, fallback.

When the search server cannot be reached, the database backend answers instead, so a search
server that is down degrades search rather than breaking it.
"""

import logging
import re
import unicodedata

from django.conf import settings
from django.core.paginator import Paginator
from wagtail.search.backends import get_search_backend

from cms.models import ProcedurePage

from .vietnamese import code_from_query, fold

logger = logging.getLogger(__name__)
MAX_QUERY_LENGTH = 200
_WORD = re.compile(r"[^\W_]+")


def clean_query(raw):
    """The query as typed, without control characters (NUL and friends), at most 200 characters."""
    printable = "".join(ch for ch in raw[: MAX_QUERY_LENGTH * 2] if unicodedata.category(ch)[0] != "C" or ch == " ")
    return " ".join(printable.split())[:MAX_QUERY_LENGTH]


def search_procedures(query, backend_name="default"):
    """Procedures of the current set matching ``query``, best first.

    The backend's lazy results: a slice asks the backend for that page only and ``count()``
    asks for the number, so a search costs the same at 40 procedures and at 20,000.
    """
    procedures = ProcedurePage.objects.in_force().select_related("sector").prefetch_related("levels")
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
    return backend.search(folded, procedures, operator="and")


def search_page(query, number, per_page):
    """``(page, degraded)``: page ``number`` of the default backend's results, or of the database
    backend's when the default one fails (the page is read here, inside the fallback)."""
    try:
        return _read_page(search_procedures(query), number, per_page), False
    except Exception:  # the search server is down or refused the query
        logger.exception("Search backend failed; falling back to the database backend")
        if "database" in settings.WAGTAILSEARCH_BACKENDS:
            return _read_page(search_procedures(query, backend_name="database"), number, per_page), True
        return _read_page([], number, per_page), True


def _read_page(results, number, per_page):
    page = Paginator(results, per_page).get_page(number)
    page.object_list = list(page.object_list)
    return page
