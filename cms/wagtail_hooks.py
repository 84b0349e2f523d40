"""Admin wiring: what each Wagtail hook runs (the rules themselves are in cms.publishing and
cms.admin). Nothing but registration here."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet

from .admin import guards
from .admin.editor import ProcedurePageForm
from .admin.panels import ReviewComparisonPanel
from .admin.views import changes_by_decision
from .admin.viewsets import ProcedureSnippetsGroup
from .models import ProcedurePage

register_snippet(ProcedureSnippetsGroup)

# The editor's form asks the publication rules, which the model cannot import.
ProcedurePage.base_form_class = ProcedurePageForm

for hook_name, function in [
    ("before_edit_page", guards.explain_resubmitting_pages_in_moderation),
    ("before_delete_page", guards.refuse_deleting_published_procedures),
    ("before_bulk_action", guards.guard_bulk_page_actions),
    ("before_copy_page", guards.refuse_publishing_copies_of_procedures),
    ("before_serve_document", guards.serve_only_published_documents),
    ("before_delete_snippet", guards.refuse_deleting_referenced_snippets),
    ("after_publish_page", guards.record_who_published),
]:
    hooks.register(hook_name, function)


@hooks.register("register_admin_urls")
def register_report_urls():
    return [path("bao-cao/thay-doi-theo-quyet-dinh/", changes_by_decision, name="changes_by_decision")]


@hooks.register("register_reports_menu_item")
def register_changes_report_menu_item():
    return MenuItem(_("Thay đổi theo quyết định công bố"), reverse("changes_by_decision"), icon_name="date", order=700)


@hooks.register("construct_homepage_panels")
def add_review_comparison_panel(request, panels):
    panels.insert(0, ReviewComparisonPanel(request))
