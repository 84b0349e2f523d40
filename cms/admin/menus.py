"""The admin's URLs and menu items for the project's own screens."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import MenuItem

from ..interchange.importer import IMPORT_PERMISSION
from .accounts import can_unlock, locked_accounts
from .documents import DocumentDeleteView
from .guide import editor_guide
from .imports import import_batch, import_batches, import_procedures, import_template
from .panels import ReviewComparisonPanel
from .reconcile import reconcile_menu_item as reconcile_menu_item  # registered by the hooks
from .reconcile import reconcile_urls
from .views import changes_by_decision


def admin_urls():
    return [
        path("bao-cao/thay-doi-theo-quyet-dinh/", changes_by_decision, name="changes_by_decision"),
        path("tai-khoan-bi-khoa/", locked_accounts, name="locked_accounts"),
        path("huong-dan/", editor_guide, name="editor_guide"),
        *reconcile_urls(),
        path("nhap-thu-tuc/", import_procedures, name="import_procedures"),
        path("nhap-thu-tuc/mau.xlsx", import_template, name="import_template"),
        path("nhap-thu-tuc/lo/", import_batches, name="import_batches"),
        path("nhap-thu-tuc/lo/<int:batch_id>/", import_batch, name="import_batch"),
        # Answers before Wagtail's own view at the same path (cms's hooks register first).
        path("documents/delete/<int:document_id>/", DocumentDeleteView.as_view(), name="delete_document"),
    ]


def changes_report_menu_item():
    return MenuItem(_("Thay đổi theo quyết định công bố"), reverse("changes_by_decision"), icon_name="date", order=700)


def import_menu_item():
    return MenuItem(_("Nhập thủ tục"), reverse("import_procedures"), icon_name="upload", order=720)


def import_batches_menu_item():
    return MenuItem(_("Các lần nhập thủ tục"), reverse("import_batches"), icon_name="list-ul", order=730)


def show_import_to_importers(request, menu_items):
    if not request.user.has_perm(IMPORT_PERMISSION):
        menu_items[:] = [item for item in menu_items if item.url != reverse("import_procedures")]


def locked_accounts_menu_item():
    return MenuItem(_("Tài khoản bị khóa"), reverse("locked_accounts"), icon_name="lock", order=900)


def show_locked_accounts_to_those_who_unlock(request, menu_items):
    if not can_unlock(request.user):
        menu_items[:] = [item for item in menu_items if item.url != reverse("locked_accounts")]


def help_points_to_the_editors_guide(request, menu_items):
    """Wagtail's own guide is in English, on another site: the project's guide replaces it."""
    menu_items[:] = [item for item in menu_items if item.name != "editor-guide" and "whats-new" not in item.name]
    menu_items.insert(0, MenuItem(_("Hướng dẫn biên tập"), reverse("editor_guide"), icon_name="help", order=1))


def add_review_comparison_panel(request, panels):
    panels.insert(0, ReviewComparisonPanel(request))
