"""Registers search's admin screens (search.admin_views): synonyms and the search terms report."""

from wagtail import hooks
from wagtail.snippets.models import register_snippet

from . import admin_views

register_snippet(admin_views.SynonymViewSet)
hooks.register("register_admin_urls", admin_views.admin_urls)
hooks.register("register_reports_menu_item", admin_views.search_terms_menu_item)
