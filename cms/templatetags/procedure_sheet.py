"""The procedure page's summary, its printed guidance sheet (absolute URLs, QR codes) and what a
shared link previews.

A printed sheet leaves the building: a relative link ("/tai-lieu/23/…") means nothing on paper,
so every address printed is absolute and carries a QR code a phone can follow. QR codes are SVG
``data:`` images made on the server (segno): the public site's Content-Security-Policy allows
``data:`` images and no inline script.
"""

from urllib.parse import urlsplit

import segno
from django import template
from wagtail.contrib.routable_page.templatetags.wagtailroutablepage_tags import routablepageurl

from .. import procedure_summary
from ..formatting import file_size

register = template.Library()

register.filter("channel_time_limit", procedure_summary.channel_time_limit)
register.filter("filesize", file_size)


@register.simple_tag(takes_context=True)
def procedure_summary_of(context, procedure):
    """Time limits and fees grouped by channel, where to go, the forms to download, and whether
    the online submission link may be offered (only for the version in force of a procedure
    still in force: an abolished procedure or an old version is there to be read, not used)."""
    data = procedure.data
    page, shown, latest = context.get("page"), context.get("shown_version"), context.get("latest_version")
    is_current = shown is None or latest is None or shown.number == latest.number
    in_force = page is None or getattr(page, "is_in_force", True)
    online_url = data.get("online_submission_url") or ""
    return {
        "time_limits": procedure_summary.time_limits(data.get("channels", [])),
        "fees": procedure_summary.fees(data.get("channels", [])),
        "contacts": procedure_summary.where_to_go(data.get("agencies", [])),
        "forms": procedure_summary.forms_to_download(procedure.dossier_groups),
        "online_url": online_url if is_current and in_force else "",
    }


@register.simple_tag
def agencies_of(procedure):
    """The agencies section's rows and which contact columns have something to show."""
    rows = procedure_summary.agency_rows(procedure.data.get("agencies", []))
    return {"rows": rows, "columns": procedure_summary.contact_columns(rows)}


@register.simple_tag
def procedure_description(procedure):
    return procedure_summary.description(procedure.data)


@register.simple_tag(takes_context=True)
def procedure_absolute_url(context):
    """The absolute address of what is shown: the procedure's page for its current version, the
    version's own page for an older one (what a printed sheet or a shared link must lead back to)."""
    request, page = context.get("request"), context.get("page")
    if request is None or page is None or context.get("is_preview"):
        return ""  # a preview has no public address to lead back to
    shown, latest = context.get("shown_version"), context.get("latest_version")
    if shown is not None and latest is not None and shown.number != latest.number:
        path = routablepageurl(context, page, "version", shown.number)
    else:
        path = page.get_url(request=request)
    return request.build_absolute_uri(path)


@register.simple_tag(takes_context=True)
def absolute_url(context, path):
    """``path`` as an absolute URL on the host the request came to ("" without a request)."""
    request = context.get("request")
    return request.build_absolute_uri(path) if request is not None and path else ""


@register.filter
def qr_data_uri(url):
    """A QR code of ``url`` as an SVG ``data:`` URI (error correction M: a folded or smudged
    sheet still scans), scaled by CSS."""
    if not url:
        return ""
    return segno.make(url, error="m", micro=False).svg_data_uri(omitsize=True, border=4, light="#fff")


@register.filter
def print_file(form):
    return procedure_summary.print_file(form)


@register.filter
def host_of(url):
    """The host a link leads to ("dichvucong.gov.vn"), said next to it so a citizen knows where
    they are going before leaving the site."""
    return urlsplit(url).hostname or ""


@register.filter
def any_value(items, key):
    """Whether any of ``items`` (dicts) has something under ``key``: a column nobody fills in
    (the channels' "Mô tả", a dossier without forms) is left out rather than shown empty."""
    return any(item.get(key) for item in items)
