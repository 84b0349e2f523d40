"""Admin registration: the shared snippets, grouped under one menu item."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import AnnouncingDecision, Agency, Form, ImplementationLevel, LegalDocument, Sector


class SectorViewSet(SnippetViewSet):
    model = Sector
    icon = "tag"
    list_display = ["name", "code", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name"]


class LevelViewSet(SnippetViewSet):
    model = ImplementationLevel
    icon = "list-ol"
    list_display = ["name", "sort_order", "is_active"]


class AgencyViewSet(SnippetViewSet):
    model = Agency
    icon = "group"
    list_display = ["name", "short_name", "level", "is_active"]
    list_filter = ["is_active", "level"]
    search_fields = ["name", "short_name"]


class LegalDocumentViewSet(SnippetViewSet):
    model = LegalDocument
    icon = "doc-full"
    list_display = ["__str__", "title", "issue_date", "issuer"]
    list_filter = ["kind"]
    search_fields = ["number", "title"]


class DecisionViewSet(SnippetViewSet):
    model = AnnouncingDecision
    icon = "date"
    list_display = ["number", "title", "signed_date", "effective_date"]
    search_fields = ["number", "title"]


class FormViewSet(SnippetViewSet):
    model = Form
    icon = "doc-empty"
    list_display = ["code", "title", "legal_document"]
    search_fields = ["code", "title"]


class ProcedureSnippetsGroup(SnippetViewSetGroup):
    menu_label = _("Danh mục dùng chung")
    menu_icon = "folder-open-inverse"
    menu_order = 200
    items = (DecisionViewSet, FormViewSet, LegalDocumentViewSet, SectorViewSet, AgencyViewSet, LevelViewSet)


register_snippet(ProcedureSnippetsGroup)


# --- published records are never deleted -----------------------------------------------------------

@hooks.register("before_delete_page")
def refuse_deleting_published_procedures(request, page):
    """A published procedure is a legal reference: it is abolished (bãi bỏ), never deleted."""
    from .models import ProcedureVersion

    if ProcedureVersion.objects.filter(page__path__startswith=page.path).exists():
        messages.error(
            request,
            _("Không thể xóa thủ tục đã từng được công bố: các phiên bản đã công bố là văn bản để tra cứu. "
              "Hãy công bố bãi bỏ thủ tục (loại thay đổi “Bãi bỏ”) theo quyết định công bố."),
        )
        return redirect("wagtailadmin_explore", page.get_parent().pk)
    return None


@hooks.register("before_delete_snippet")
def refuse_deleting_referenced_snippets(request, instances):
    """Sectors, agencies, levels, forms, decisions and legal documents a published version names stay."""
    from .versioning import published_references

    references = None
    for instance in instances:
        reference = _reference_of(instance)
        if reference is None:
            continue
        if references is None:
            references = published_references()
        if reference in references:
            messages.error(
                request,
                _("Không thể xóa “%(name)s”: một phiên bản thủ tục đã công bố có sử dụng. "
                  "Hãy đánh dấu thôi sử dụng và chọn đơn vị kế thừa.") % {"name": instance},
            )
            return redirect(request.META.get("HTTP_REFERER") or "wagtailadmin_home")
    return None


def _reference_of(instance):
    """How a snapshot names ``instance`` (see cms.versioning.snapshot_references), or None."""
    if isinstance(instance, Sector):
        return ("sector", instance.name)
    if isinstance(instance, ImplementationLevel):
        return ("level", instance.name)
    if isinstance(instance, Agency):
        return ("agency", instance.name)
    if isinstance(instance, LegalDocument):
        return ("legal_document", str(instance))
    if isinstance(instance, Form):
        return ("form", instance.pk)
    if isinstance(instance, AnnouncingDecision):
        return ("decision", instance.pk)
    return None


# --- admin: report of changes by decision, the reviewer's comparison panel ----------------------

@hooks.register("register_admin_urls")
def register_report_urls():
    from django.urls import path

    from .admin_views import changes_by_decision

    return [path("bao-cao/thay-doi-theo-quyet-dinh/", changes_by_decision, name="changes_by_decision")]


@hooks.register("register_reports_menu_item")
def register_changes_report_menu_item():
    from django.urls import reverse
    from wagtail.admin.menu import MenuItem

    return MenuItem(_("Thay đổi theo quyết định công bố"), reverse("changes_by_decision"), icon_name="date", order=700)


@hooks.register("construct_homepage_panels")
def add_review_comparison_panel(request, panels):
    from .admin_views import ReviewComparisonPanel

    panels.insert(0, ReviewComparisonPanel(request))


@hooks.register("after_publish_page")
def record_who_published(request, page):
    """Direct publications are logged after page_published fires: take the user from the request."""
    from .models import ProcedureVersion

    ProcedureVersion.objects.filter(page_id=page.pk, revision_id=page.live_revision_id,
                                    published_by__isnull=True).update(published_by=request.user)
