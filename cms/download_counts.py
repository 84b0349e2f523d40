"""How often each form's files are downloaded: one count per form, format and day.

Only the count is kept: no address, no user, no log of who downloaded what. It answers what a
department asks ("which forms do citizens need most?", the home page's most downloaded forms,
the admin report) without anything personal to protect.
"""

import datetime

from django.db.models import Sum
from django.utils import timezone

from .counting import add_one
from .models import Form, FormDownload

TOP_FORMS_DAYS = 30
TOP_FORMS_COUNT = 5


def record_download(form_id, file_format, day=None):
    """One more download of the form's ``file_format`` file today; concurrent downloads all count
    (``cms.counting``; the day's row is unique by ``form_download_day``)."""
    add_one(FormDownload, "count", form_id=form_id, file_format=file_format, date=day or timezone.localdate())


def since(days):
    """The first day of the last ``days`` days, today included."""
    return timezone.localdate() - datetime.timedelta(days=days - 1)


def top_forms(days=TOP_FORMS_DAYS, limit=TOP_FORMS_COUNT):
    """The live forms downloaded most over the last ``days`` days, most first, as (form, total);
    each form with its files loaded."""
    totals = list(
        FormDownload.objects.filter(date__gte=since(days), form__live=True)
        .values("form_id")
        .annotate(total=Sum("count"))
        .order_by("-total", "form_id")[:limit]
    )
    forms = Form.objects.select_related("document", "print_document").in_bulk([row["form_id"] for row in totals])
    return [(forms[row["form_id"]], row["total"]) for row in totals]


def downloads_by_form(days):
    """The formats seen over the last ``days`` days (the report's columns, most downloaded first,
    each with its total) and every form downloaded then, with its count per format (in the
    columns' order) and in all, most downloaded first."""
    rows = (
        FormDownload.objects.filter(date__gte=since(days)).values("form_id", "file_format").annotate(total=Sum("count"))
    )
    by_form, format_totals = {}, {}
    for row in rows:
        counts = by_form.setdefault(row["form_id"], {})
        counts[row["file_format"]] = counts.get(row["file_format"], 0) + row["total"]
        format_totals[row["file_format"]] = format_totals.get(row["file_format"], 0) + row["total"]
    formats = sorted(format_totals, key=lambda name: (-format_totals[name], name))
    forms = Form.objects.in_bulk(list(by_form))
    report = [
        {
            "form": forms[form_id],
            "counts": [counts.get(name, 0) for name in formats],
            "total": sum(counts.values()),
        }
        for form_id, counts in by_form.items()
        if form_id in forms
    ]
    report.sort(key=lambda row: (-row["total"], row["form"].code, row["form"].pk))
    return [{"name": name.upper(), "total": format_totals[name]} for name in formats], report
