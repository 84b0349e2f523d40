"""Admin-only views: the report of changes by announcing decision."""

from django.shortcuts import render

from ..models import AnnouncingDecision, ProcedureVersion


def changes_by_decision(request):
    """Every published change, grouped by the announcing decision it was published under."""
    decisions = AnnouncingDecision.objects.order_by("-effective_date")
    selected = request.GET.get("quyet_dinh", "")
    versions = ProcedureVersion.objects.select_related("page", "decision", "published_by").order_by(
        "-decision__effective_date", "decision__number", "page__title", "number"
    )
    if selected.isascii() and selected.isdigit() and len(selected) < 12:
        versions = versions.filter(decision_id=int(selected))
    groups = []
    for version in versions:
        if not groups or groups[-1]["decision"] != version.decision:
            groups.append({"decision": version.decision, "versions": []})
        groups[-1]["versions"].append(version)
    return render(
        request,
        "cms/admin/changes_by_decision.html",
        {
            "decisions": decisions,
            "selected": selected,
            "groups": groups,
            "count": versions.count(),
        },
    )
