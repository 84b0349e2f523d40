"""Snippet viewsets for the shared catalogues, grouped under one menu item."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.snippets.views.snippets import EditView, SnippetViewSet, SnippetViewSetGroup

from ..models import Agency, AnnouncingDecision, Form, ImplementationLevel, LegalDocument, Sector
from .form_usage import FormUsagePanel


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
            warn_already_in_moderation(self.request, self.object, saved=True)
        return response

    def form_invalid(self, form):
        if self.resubmitted:  # e.g. locked for this user: Wagtail says why nothing was saved
            warn_already_in_moderation(self.request, self.object, saved=False)
        return super().form_invalid(form)

    def submit_action(self):
        """A workflow started by another request in the meantime is refused the same way."""
        try:
            return super().submit_action()  # Workflow.start is atomic: a refusal leaves nothing behind
        except ValidationError:
            warn_already_in_moderation(self.request, self.object, saved=True)
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
    # The model's panels, then where the form is used (procedures and published versions).
    panels = [*Form.panels, FormUsagePanel()]


class ProcedureSnippetsGroup(SnippetViewSetGroup):
    menu_label = _("Danh mục dùng chung")
    menu_icon = "folder-open-inverse"
    menu_order = 200
    items = (DecisionViewSet, FormViewSet, LegalDocumentViewSet, SectorViewSet, AgencyViewSet, LevelViewSet)


def warn_already_in_moderation(request, item, saved):
    """Say why "submit" did not start a review; claim the edits were kept only when they were."""
    message = _("“%(item)s” đang trong quy trình duyệt nên không gửi duyệt lại được.")
    if saved:
        message = _(
            "“%(item)s” đang trong quy trình duyệt nên không gửi duyệt lại được. Các thay đổi đã được "
            "lưu thành bản nháp và sẽ được duyệt trong quy trình đang thực hiện."
        )
    messages.error(request, message % {"item": item})
