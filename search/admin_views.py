"""Search in the admin: the synonyms editors maintain, and what people search for."""

import datetime

from django.contrib.admin.views.decorators import user_passes_test
from django.db.models import Sum
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.search_promotions.models import QueryDailyHits
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Synonym, UnansweredQuery

REPORT_DAYS = (7, 30, 365)


class SynonymViewSet(SnippetViewSet):
    model = Synonym
    icon = "list-ul"
    menu_label = _("Từ đồng nghĩa (tìm kiếm)")
    menu_order = 260
    add_to_settings_menu = True
    list_display = ["terms", "one_way", "note"]
    search_fields = ["terms", "note"]
    panels = [FieldPanel("terms"), FieldPanel("one_way"), FieldPanel("note")]


def _can_read_reports(user):
    return user.is_active and user.has_perm("wagtailadmin.access_admin")


@user_passes_test(_can_read_reports)
def search_terms_report(request):
    """The most searched queries and the queries that found nothing, over the last N days."""
    try:
        days = int(request.GET.get("ngay", "30"))
    except ValueError:
        days = 30
    days = days if days in REPORT_DAYS else 30
    since = timezone.localdate() - datetime.timedelta(days=days - 1)
    popular = (
        QueryDailyHits.objects.filter(date__gte=since)
        .values("query__query_string")
        .annotate(total=Sum("hits"))
        .order_by("-total", "query__query_string")[:100]
    )
    unanswered = (
        UnansweredQuery.objects.filter(date__gte=since)
        .values("query_string")
        .annotate(total=Sum("hits"))
        .order_by("-total", "query_string")[:100]
    )
    return render(
        request,
        "search/admin/search_terms.html",
        {"popular": popular, "unanswered": unanswered, "days": days, "day_choices": REPORT_DAYS},
    )


def admin_urls():
    return [path("bao-cao/tu-khoa-tim-kiem/", search_terms_report, name="search_terms_report")]


def search_terms_menu_item():
    return MenuItem(_("Từ khóa tìm kiếm"), reverse("search_terms_report"), icon_name="search", order=760)
