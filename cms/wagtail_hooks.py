"""Admin registration: the shared snippets, grouped under one menu item."""

from django.utils.translation import gettext_lazy as _
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
