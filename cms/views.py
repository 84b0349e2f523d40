"""Public views that are not pages: announcing decisions."""

from django.core.paginator import Paginator
from django.db.models import OuterRef, Subquery
from django.shortcuts import get_object_or_404, render

from search.vietnamese import vietnamese_sort_key

from .models import AnnouncingDecision, ProcedurePage, ProcedureVersion


def decision_list(request):
    decisions = AnnouncingDecision.objects.filter(live=True).order_by("-effective_date")
    page_obj = Paginator(decisions, 30).get_page(request.GET.get("trang"))
    return render(request, "cms/decision_list.html", {"page_obj": page_obj, "decisions": page_obj.object_list})


def decision_detail(request, slug):
    decision = get_object_or_404(AnnouncingDecision, slug=slug, live=True)
    return render(
        request, "cms/decision_detail.html", {"decision": decision, "announced_versions": announced_versions(decision)}
    )


def announced_versions(decision):
    """The procedure versions ``decision`` announced, as published, in Vietnamese order.

    Read from the version records, not from the current pages: once a later decision amends a
    procedure, its page names the later decision, yet the earlier decision still announced the
    earlier version, which stays citable at its own URL. Only procedures that are live and public
    are listed. Each version carries ``latest_number`` (its procedure's current version number)
    and ``is_current``.
    """
    latest_number = ProcedureVersion.objects.filter(page=OuterRef("page")).order_by("-number").values("number")[:1]
    versions = list(
        ProcedureVersion.objects.filter(decision=decision, page__in=ProcedurePage.objects.live().public())
        .select_related("page")
        .annotate(latest_number=Subquery(latest_number))
    )
    for version in versions:
        version.is_current = version.number == version.latest_number
    return sorted(versions, key=_snapshot_order)


def _snapshot_order(version):
    """Sector then title as that version published them (the names a reader sees in the row)."""
    snapshot = version.snapshot
    return (
        vietnamese_sort_key(snapshot.get("sector")),
        vietnamese_sort_key(snapshot.get("title")),
        version.page_id,
        version.number,
    )
