"""The public search page."""

from django.core.paginator import Paginator
from django.shortcuts import render

from .query import clean_query, search_page

PAGE_SIZE = 20


def search(request):
    query = clean_query(request.GET.get("q", ""))
    number = request.GET.get("trang")
    page_obj, degraded = (
        search_page(query, number, PAGE_SIZE) if query else (Paginator([], PAGE_SIZE).get_page(1), False)
    )
    return render(
        request,
        "search/search.html",
        {
            "query": query,
            "page_obj": page_obj,
            "results": page_obj.object_list,
            "result_count": page_obj.paginator.count,
            "degraded": degraded,
        },
    )
