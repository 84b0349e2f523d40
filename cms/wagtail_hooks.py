"""Admin registration: the shared snippets, grouped under one menu item; the admin's guards."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.models import Page
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import EditView, SnippetViewSet, SnippetViewSetGroup

from .models import AnnouncingDecision, Agency, Form, ImplementationLevel, LegalDocument, ProcedurePage, Sector


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


class ModeratedSnippetEditView(EditView):
    """Edit view of forms and decisions: "submit" on an item already in moderation saves a draft.

    Wagtail's snippet view would start a second workflow and fail with a server error (only one
    active workflow state per object), e.g. when a reviewer submits again from a second tab. The
    page editor saves a draft in that case; do the same, so nothing typed is lost, and say why.
    With WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT the saved draft is what the workflow in
    progress approves.
    """

    @cached_property
    def in_moderation(self):
        return self.object is not None and self.object.workflow_in_progress

    @cached_property
    def resubmitted(self):
        return bool(self.request.POST.get("action-submit")) and self.in_moderation

    def get_available_actions(self):
        actions = super().get_available_actions()
        if "submit" in actions and self.in_moderation:
            actions = [action for action in actions if action != "submit"]
        return actions

    def form_valid(self, form):
        response = super().form_valid(form)
        if self.resubmitted:
            _warn_already_in_moderation(self.request, self.object, saved=True)
        return response

    def form_invalid(self, form):
        if self.resubmitted:  # e.g. locked for this user: Wagtail says why nothing was saved
            _warn_already_in_moderation(self.request, self.object, saved=False)
        return super().form_invalid(form)

    def submit_action(self):
        """A workflow started by another request in the meantime is refused the same way."""
        try:
            return super().submit_action()  # Workflow.start is atomic: a refusal leaves nothing behind
        except ValidationError:
            _warn_already_in_moderation(self.request, self.object, saved=True)
            return redirect(self.get_edit_url())


class DecisionViewSet(SnippetViewSet):
    model = AnnouncingDecision
    edit_view_class = ModeratedSnippetEditView
    icon = "date"
    list_display = ["number", "title", "signed_date", "effective_date"]
    search_fields = ["number", "title"]


class FormViewSet(SnippetViewSet):
    model = Form
    edit_view_class = ModeratedSnippetEditView
    icon = "doc-empty"
    list_display = ["code", "title", "legal_document"]
    search_fields = ["code", "title"]


class ProcedureSnippetsGroup(SnippetViewSetGroup):
    menu_label = _("Danh mục dùng chung")
    menu_icon = "folder-open-inverse"
    menu_order = 200
    items = (DecisionViewSet, FormViewSet, LegalDocumentViewSet, SectorViewSet, AgencyViewSet, LevelViewSet)


register_snippet(ProcedureSnippetsGroup)


# --- submitting again what is already in moderation ----------------------------------------------

@hooks.register("before_edit_page")
def explain_resubmitting_pages_in_moderation(request, page):
    """The page editor turns "submit" on a page already in moderation into a plain save; say why."""
    if request.method == "POST" and request.POST.get("action-submit") and page.workflow_in_progress:
        _warn_already_in_moderation(request, page, saved=False)
    return None


def _warn_already_in_moderation(request, item, saved):
    """Say why "submit" did not start a review; claim the edits were kept only when they were."""
    message = _("“%(item)s” đang trong quy trình duyệt nên không gửi duyệt lại được.")
    if saved:
        message = _("“%(item)s” đang trong quy trình duyệt nên không gửi duyệt lại được. Các thay đổi đã được "
                    "lưu thành bản nháp và sẽ được duyệt trong quy trình đang thực hiện.")
    messages.error(request, message % {"item": item})


# --- published records are never deleted -----------------------------------------------------------

@hooks.register("before_delete_page")
def refuse_deleting_published_procedures(request, page):
    """A published procedure is a legal reference: it is abolished (bãi bỏ), never deleted."""
    if _has_published_versions([page]):
        _refuse_deleting_published(request)
        return redirect("wagtailadmin_explore", page.get_parent().pk)
    return None


def _has_published_versions(pages):
    """Whether any of ``pages`` or their descendants has a published version (one query)."""
    from django.db.models import Q

    from .models import ProcedureVersion

    paths = Q()
    for page in pages:
        paths |= Q(page__path__startswith=page.path)
    return bool(pages) and ProcedureVersion.objects.filter(paths).exists()


def _refuse_deleting_published(request):
    """The single and the bulk delete refuse with the same words."""
    messages.error(
        request,
        _("Không thể xóa thủ tục đã từng được công bố: các phiên bản đã công bố là văn bản để tra cứu. "
          "Hãy công bố bãi bỏ thủ tục (loại thay đổi “Bãi bỏ”) theo quyết định công bố."),
    )


# --- bulk actions on pages: the same rules as one page at a time ---------------------------------

@hooks.register("before_bulk_action")
def guard_bulk_page_actions(request, action_type, objects, action):
    """Wagtail's page bulk actions skip ``before_delete_page`` and publish without a form.

    Bulk delete would end in a server error on a published procedure (its versions are
    protected), and bulk publish in one on a revision that fails validation (a procedure code
    already live elsewhere). Refuse both with a message instead; who may publish, unpublish or
    move is still Wagtail's permission check (editors may not publish or unpublish).
    """
    if not issubclass(action.model, Page) or not objects:
        return None
    if action_type == "delete" and _has_published_versions(objects):
        _refuse_deleting_published(request)
        return _back_from_bulk_action(request, objects)
    if action_type == "publish":
        problems = _bulk_publication_problems(objects, action.cleaned_form.cleaned_data.get("include_descendants"))
        if problems:
            for problem in problems:
                messages.error(request, problem)
            return _back_from_bulk_action(request, objects)
    return None


def _back_from_bulk_action(request, objects):
    """Back to the listing the action came from (or the parent's), where the messages show."""
    return redirect(get_valid_next_url_from_request(request)
                    or reverse("wagtailadmin_explore", args=(objects[0].get_parent().pk,)))


def _bulk_publication_problems(pages, include_descendants):
    """One message per page whose latest revision cannot go live, as bulk publish would publish it."""
    pages = list(pages)
    if include_descendants:
        for page in list(pages):
            pages += list(page.get_descendants().not_live())
    from .workflows import publication_problems

    problems = []
    for page in pages:
        candidate = page.specific.get_latest_revision_as_object()
        for problem in publication_problems(candidate):
            problems.append(_("Không thể xuất bản “%(page)s”: %(problem)s")
                            % {"page": candidate.get_admin_display_title(), "problem": problem})
    return problems


# --- copies of procedures are drafts -----------------------------------------------------------

@hooks.register("before_copy_page")
def refuse_publishing_copies_of_procedures(request, page):
    """A copy of a procedure is a new procedure: it goes through approval as a draft.

    Publishing the copy (or making it an alias, which is live) would put a second live procedure
    with the same code online without review, and ends in a server error (the code must be
    unique among live procedures). Copying as a draft stays possible.
    """
    if request.method != "POST" or not _copy_would_be_live(request):
        return None
    if not page.get_descendants(inclusive=True).type(ProcedurePage).exists():
        return None
    messages.error(
        request,
        _("Bản sao của thủ tục hành chính phải được trình duyệt trước khi công khai: hãy sao chép thành "
          "bản nháp (không chọn đăng bản sao, không tạo trang bí danh), rồi gửi duyệt."),
    )
    return redirect(request.get_full_path())


def _copy_would_be_live(request):
    """Whether the copy form asks to publish the copies or make a (live) alias, read as Django would."""
    checkbox = forms.CheckboxInput()
    return any(checkbox.value_from_datadict(request.POST, None, name) for name in ("publish_copies", "alias"))


# --- files are public only once published ------------------------------------------------------

@hooks.register("before_serve_document")
def serve_only_published_documents(document, request):
    """Drafts and revisions in moderation are never public (issue 3), and neither are their files.

    The public downloads a file only when a live form or decision, or a published procedure
    version, links to it; anyone who may use the admin downloads any file (editors preview
    drafts). A refused download is the same 404 as a missing file: ids are sequential.
    """
    from .versioning import document_is_published

    if request.user.has_perm("wagtailadmin.access_admin") or document_is_published(document.pk):
        return None
    raise Http404


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
