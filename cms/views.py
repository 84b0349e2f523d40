"""Public views that are not pages: announcing decisions."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from search.text import sorted_vietnamese

from .models import AnnouncingDecision, ProcedurePage


def decision_list(request):
    decisions = AnnouncingDecision.objects.filter(live=True).order_by("-effective_date")
    page_obj = Paginator(decisions, 30).get_page(request.GET.get("trang"))
    return render(request, "cms/decision_list.html", {"page_obj": page_obj, "decisions": page_obj.object_list})


def decision_detail(request, slug):
    decision = get_object_or_404(AnnouncingDecision, slug=slug, live=True)
    procedures = sorted_vietnamese(
        ProcedurePage.objects.live().public().filter(announcing_decision=decision)
        .select_related("sector").prefetch_related("levels"),
        "sector.name", "title",
    )
    return render(request, "cms/decision_detail.html", {"decision": decision, "procedures": procedures})
