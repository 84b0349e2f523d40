"""The public search page."""

from urllib.parse import urlencode

from django.shortcuts import render
from django.utils.cache import patch_cache_control

from cms.models import Sector

from . import stats
from .query import clean_query, search, spelling_suggestion

PAGE_SIZE = 20


def search_view(request):
    """Results with facets, forms and decisions; what was searched is counted (search.stats)."""
    query = clean_query(request.GET.get("q", ""))
    number = request.GET.get("trang") or 1
    outcome = search(query, request.GET, number, PAGE_SIZE) if query else None
    if outcome is not None and "trang" not in request.GET:
        stats.record(query, outcome.count)
    # Filters kept by the pagination links (which add q and trang themselves).
    kept = {key: value for key, value in request.GET.items() if key not in ("q", "trang") and len(value) < 100}
    with_abolished = {"q": query, **{k: v for k, v in kept.items() if k != "bai-bo"}}
    context = {
        "query": query,
        "outcome": outcome,
        "page_obj": outcome.page if outcome else None,
        "results": outcome.page.object_list if outcome else [],
        "result_count": outcome.count if outcome else 0,
        "degraded": outcome.degraded if outcome else False,
        "promotions": stats.promotions(query) if query else [],
        "spelling": spelling_suggestion(outcome),
        "include_abolished": request.GET.get("bai-bo") == "1",
        "with_abolished_url": "?" + urlencode({**with_abolished, "bai-bo": "1"}),
        "without_abolished_url": "?" + urlencode(with_abolished),
        "querystring_without_page": urlencode(kept),
        "sectors": Sector.objects.active().order_by("sort_key") if outcome is not None and not outcome.count else [],
    }
    response = render(request, "search/search.html", context)
    # Every query is counted (search.stats): no shared cache may answer in the view's place.
    patch_cache_control(response, private=True, max_age=0)
    return response
