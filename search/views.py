"""The public search page."""

from django.core.paginator import Paginator
from django.shortcuts import render

from .query import clean_query, search_with_fallback

PAGE_SIZE = 20


def search(request):
    query = clean_query(request.GET.get("q", ""))
    results, degraded = search_with_fallback(query) if query else ([], False)
    page_obj = Paginator(results, PAGE_SIZE).get_page(request.GET.get("trang"))
    return render(
        request,
        "search/search.html",
        {
            "query": query,
            "page_obj": page_obj,
            "results": page_obj.object_list,
            "result_count": len(results),
            "degraded": degraded,
        },
    )
