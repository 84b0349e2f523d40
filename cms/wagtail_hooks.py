"""Admin wiring: what each Wagtail hook runs (the rules themselves are in cms.publishing and
cms.admin). Nothing but registration here."""

from wagtail import hooks
from wagtail.snippets.models import register_snippet

from .admin import api, downloads, guards, menus
from .admin.editor import ProcedurePageForm
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
    ("register_admin_urls", menus.admin_urls),
    ("register_reports_menu_item", menus.changes_report_menu_item),
    ("register_reports_menu_item", menus.import_batches_menu_item),
    ("register_reports_menu_item", menus.reconcile_menu_item),
    ("register_admin_urls", downloads.admin_urls),
    ("register_reports_menu_item", downloads.form_downloads_menu_item),
    ("register_settings_menu_item", menus.import_menu_item),
    ("construct_settings_menu", menus.show_import_to_importers),
    ("register_settings_menu_item", menus.locked_accounts_menu_item),
    ("construct_settings_menu", menus.show_locked_accounts_to_those_who_unlock),
    ("construct_help_menu", menus.help_points_to_the_editors_guide),
    ("construct_homepage_panels", menus.add_review_comparison_panel),
    ("construct_admin_api", api.use_lock_respecting_pages_endpoint),
]:
    hooks.register(hook_name, function)
