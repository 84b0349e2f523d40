"""The report of the most downloaded forms (Báo cáo → "Biểu mẫu được tải nhiều nhất")."""

from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import MenuItem

from ..download_counts import downloads_by_form
from ..formatting import parse_small_int

REPORT_DAYS = (7, 30, 365)
DEFAULT_DAYS = 30


def form_downloads_report(request):
    """Downloads per form and format over the last 7, 30 or 365 days: which forms citizens need
    most, and whether they take the file to fill in or the one to print. Counts only; nobody's
    downloads can be told apart (``cms.download_counts``)."""
    days = parse_small_int(request.GET.get("ngay"))
    days = days if days in REPORT_DAYS else DEFAULT_DAYS
    formats, rows = downloads_by_form(days)
    return render(
        request,
        "cms/admin/form_downloads.html",
        {
            "formats": formats,
            "rows": rows,
            "days": days,
            "day_choices": REPORT_DAYS,
            "grand_total": sum(row["total"] for row in rows),
        },
    )


def admin_urls():
    return [path("bao-cao/bieu-mau-tai-nhieu-nhat/", form_downloads_report, name="form_downloads_report")]


def form_downloads_menu_item():
    return MenuItem(
        _("Biểu mẫu được tải nhiều nhất"), reverse("form_downloads_report"), icon_name="download", order=750
    )
