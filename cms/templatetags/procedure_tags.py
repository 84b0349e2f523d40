"""Template helpers for the public site: money in VND, breadcrumbs, links to the procedure index."""

from django import template
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.contrib.routable_page.templatetags.wagtailroutablepage_tags import routablepageurl

from ..formatting import vnd
from ..models import ProcedureIndexPage

register = template.Library()

register.filter("vnd", vnd)


@register.filter
def whole_minutes(duration):
    """A ``timedelta`` as a whole number of minutes (30 for a half-hour lockout)."""
    return int(duration.total_seconds() // 60)


def _home_url():
    return reverse("wagtail_serve", args=("",))


@register.simple_tag
def home_url():
    """The site's home page (the root of the page tree), reversed rather than typed."""
    return _home_url()


@register.simple_tag(takes_context=True)
def procedure_index_url(context, route="index", *args):
    """A route of the procedure index (``index``, ``sector`` + slug, ``official_set``), or "" without one."""
    request = context.get("request")
    index = getattr(request, "_procedure_index", None) if request is not None else None
    if index is None:
        index = ProcedureIndexPage.objects.live().public().first()
        if request is not None:
            request._procedure_index = index
    return routablepageurl(context, index, route, *args) if index else ""


@register.inclusion_tag("includes/breadcrumbs.html", takes_context=True)
def breadcrumbs(context, page=None, *trail):
    """The path to here: the ancestors of ``page`` below the tree's root (or the home page, for a
    view outside the page tree), then ``trail``: label, url, label, url..., a last label unlinked."""
    items = []
    if page is not None:
        for ancestor in page.get_ancestors().live().public().filter(depth__gt=1):  # titles and URLs: no .specific()
            items.append((ancestor.title, ancestor.url))
        items.append((page.title, page.url if trail else None))
    else:
        items.append((_("Trang chủ"), _home_url()))
    for position in range(0, len(trail), 2):
        url = trail[position + 1] if position + 1 < len(trail) else None
        items.append((trail[position], url))
    return {"items": items}
