"""Template helpers for form downloads: a form's stable file URL and the most downloaded forms."""

from django import template

from .. import download_counts
from ..downloads import form_file_url as _form_file_url
from ..downloads import form_files
from ..generations import remembered

register = template.Library()


@register.simple_tag
def form_file_url(form, document):
    """``{% form_file_url form document %}``: the URL that always serves ``form``'s current file
    in ``document``'s format, for links that should follow a newly published file."""
    return _form_file_url(form, document)


@register.simple_tag
def most_downloaded_forms():
    """``{% most_downloaded_forms as forms %}``: the live forms downloaded most over the last 30
    days (at most 5), as plain data: code, title, total, files (format, size, stable URL).

    The home page is read far more often than the counts matter to the minute, so the list is
    remembered until the next publication or midnight (``cms.generations.remembered``), as the
    page itself is cached.
    """
    return remembered("home:most-downloaded-forms", _most_downloaded)


def _most_downloaded():
    return [
        {
            "code": form.code,
            "title": form.title,
            "total": total,
            "files": form_files(form),
        }
        for form, total in download_counts.top_forms()
    ]
