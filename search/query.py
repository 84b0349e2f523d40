"""Querying the current set: folded Vietnamese text, exact look-up of procedure codes, fallback.

When the search server cannot be reached, the database backend answers instead, so a search
server that is down degrades search rather than breaking it.
"""

import logging
import re
import unicodedata

from django.conf import settings
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
    """Return procedures of the current set matching ``query`` as a list, best first."""
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
    return list(backend.search(folded, procedures, operator="and"))


def search_with_fallback(query):
    """``(results, degraded)``: the default backend's results, or the database backend's when it fails."""
    try:
        return search_procedures(query), False
    except Exception:  # the search server is down or refused the query
        logger.exception("Search backend failed; falling back to the database backend")
        if "database" in settings.WAGTAILSEARCH_BACKENDS:
            return search_procedures(query, backend_name="database"), True
        return [], True
