"""Public views that are not pages: announcing decisions, form files by content, the set as files."""

from django.core.paginator import Paginator
from django.db.models import OuterRef, Subquery
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from wagtail.documents import get_document_model

from search.vietnamese import vietnamese_sort_key

from . import downloads
from .interchange import writers
from .interchange.records import official_set_document
from .models import AnnouncingDecision, ProcedurePage, ProcedureVersion
from .models.filters import ProcedureFilterForm


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


def document_by_hash(request, file_hash):
    """A file by the SHA-1 of its content: the download URL exports and the API give.

    The same file has the same URL in every installation (a document id does not survive an
    export and re-import), and a published file never changes (a new file is a new document),
    so the URL names the content itself. The document view serves it, with its checks (only
    published files reach the public), name, validators and byte ranges.
    """
    document = get_document_model().objects.filter(file_hash=file_hash.lower()).order_by("pk").first()
    if document is None:
        raise Http404
    return downloads.serve_document(request, document.pk, document.filename)


EXPORTS = {"json": writers.to_json, "csv": writers.to_csv, "xlsx": writers.to_xlsx}


def official_set_export(request, extension):
    """The current official set as a file (JSON, CSV or the XLSX template's layout).

    The JSON is the same document ``export_procedures`` writes: other software and other
    installations load it unchanged. The official set page's filters (``?cap=cap-xa``...) give
    the part of the set it lists, read as leniently as there; the file is named after them.
    """
    if extension not in EXPORTS:
        raise Http404
    filters = ProcedureFilterForm(request.GET)
    document = official_set_document(procedures=filters.apply(ProcedurePage.objects.in_force()))
    response = HttpResponse(EXPORTS[extension](document), content_type=writers.CONTENT_TYPES[extension])
    chosen = "-".join(item.slug for item in (filters.sector, filters.level, filters.agency) if item)
    filename = f"bo-thu-tuc-hanh-chinh-{chosen + '-' if chosen else ''}{timezone.localdate():%Y-%m-%d}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
