"""What every public page says about itself to search engines and to apps a link is shared in
(Zalo, Facebook): the meta description and the Open Graph tags of ``base.html``.

The page's title is written once, in each template's ``title`` block; ``capture`` renders that
block once into a variable, so ``<title>`` and ``og:title`` can never disagree.
"""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

register = template.Library()


class CaptureNode(template.Node):
    child_nodelists = ("nodelist",)

    def __init__(self, nodelist, name):
        self.nodelist, self.name = nodelist, name

    def render(self, context):
        # The nodelist's output is rendered template output, escaped already: kept as safe text,
        # with its whitespace collapsed (a title block spans lines).
        context[self.name] = mark_safe(" ".join(self.nodelist.render(context).split()))
        return ""


@register.tag
def capture(parser, token):
    """``{% capture as name %}…{% endcapture %}``: render the body once into ``name``.

    Blocks inside it are still overridden by child templates (Django finds them through
    ``child_nodelists``).
    """
    bits = token.split_contents()
    if len(bits) != 3 or bits[1] != "as":
        raise template.TemplateSyntaxError("Usage: {% capture as name %}…{% endcapture %}")
    nodelist = parser.parse(("endcapture",))
    parser.delete_first_token()
    return CaptureNode(nodelist, bits[2])


@register.simple_tag(takes_context=True)
def default_description(context, title, department):
    """A page without its own description (lists, search, decisions) still says what it is:
    its title, then what the site offers and whose it is."""
    search_description = getattr(context.get("page"), "search_description", "")
    if search_description:
        return search_description
    owner = department.department_name
    if department.province_name:
        owner = f"{owner} – {department.province_name}"
    text = _(
        "Bộ thủ tục hành chính của %(owner)s: trình tự, thành phần hồ sơ, biểu mẫu, thời hạn giải quyết, "
        "phí, lệ phí và nơi nộp hồ sơ."
    ) % {"owner": owner}
    # ``title`` is the rendered title block, escaped already.
    return format_html("{}. {}", title, text) if title else text


@register.simple_tag(takes_context=True)
def current_absolute_url(context):
    """This page's address, absolute (``og:url``), with its query string (a search)."""
    request = context.get("request")
    return request.build_absolute_uri(request.get_full_path()) if request is not None else ""
