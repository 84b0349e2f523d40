"""Template helpers for the public site: money in VND, breadcrumbs."""

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def vnd(amount):
    """Format an amount in đồng the Vietnamese way: 1.500.000 đồng; 0 or None -> "Không"."""
    if amount in (None, ""):
        return ""
    amount = int(amount)
    if amount == 0:
        return _("Không")
    return f"{amount:,}".replace(",", ".") + " " + _("đồng")


@register.inclusion_tag("includes/breadcrumbs.html", takes_context=True)
def breadcrumbs(context, page=None, extra=None):
    """Ancestors of ``page`` below the site root, then ``extra`` (a label without link)."""
    items = []
    if page is not None:
        for ancestor in page.get_ancestors().live().public().specific().filter(depth__gt=1):
            items.append((ancestor.title, ancestor.url))
        if extra:
            items.append((page.title, page.url))
        else:
            items.append((page.title, None))
    if extra:
        items.append((extra, None))
    return {"items": items}
