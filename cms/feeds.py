"""Atom feeds of published changes: the whole set, and one per sector.

Each entry is a published version (new, amended, replaced, abolished) with its announcing
decision and effective date, linking to the version's own URL, so a subscriber (staff at the
counters, another system) learns of every change with the reference that makes it official.
"""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from .formatting import dmy
from .models import DepartmentSettings, ProcedureIndexPage, ProcedurePage, ProcedureVersion, Sector

FEED_SIZE = 50


class ChangesFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, slug=None):
        self.request = request
        return get_object_or_404(Sector, slug=slug) if slug else None

    def title(self, sector):
        department = DepartmentSettings.for_request(self.request).department_name
        if sector is None:
            return _("Thay đổi thủ tục hành chính – %(department)s") % {"department": department}
        return _("Thay đổi thủ tục hành chính lĩnh vực %(sector)s – %(department)s") % {
            "sector": sector.name,
            "department": department,
        }

    def link(self, sector):
        """The page the feed follows: the sector's page, or the home page."""
        index = ProcedureIndexPage.objects.live().public().first()
        if sector is not None and index is not None:
            return index.url + index.reverse_subpage("sector", args=(sector.slug,))
        return reverse("wagtail_serve", args=("",))

    def subtitle(self, sector):
        return _("Thủ tục ban hành mới, sửa đổi, bổ sung, thay thế và bãi bỏ, theo quyết định công bố.")

    def items(self, sector):
        versions = ProcedureVersion.objects.filter(page__in=ProcedurePage.objects.live().public())
        if sector is not None:
            versions = versions.filter(snapshot__sector_id=sector.pk)
        return versions.select_related("page", "decision").order_by("-published_at", "-pk")[:FEED_SIZE]

    def item_title(self, version):
        return f"{version.change_type_label}: {version.snapshot.get('title', '')}"

    def item_description(self, version):
        parts = [_("Phiên bản %(number)s") % {"number": version.number}]
        if version.decision_id:
            parts.append(_("theo Quyết định %(number)s") % {"number": version.decision.number})
        if version.effective_date:
            parts.append(_("có hiệu lực từ %(day)s") % {"day": dmy(version.effective_date.isoformat())})
        text = ", ".join(parts) + "."
        return f"{text} {version.change_note}".strip()

    def item_link(self, version):
        return version.get_url()

    def item_guid(self, version):
        return self.request.build_absolute_uri(version.get_url())

    def item_pubdate(self, version):
        return version.published_at

    def item_updateddate(self, version):
        return version.published_at

    def item_categories(self, version):
        return [version.snapshot.get("sector", "")]

    def feed_url(self, sector):
        return reverse("sector_changes_feed", args=(sector.slug,)) if sector else reverse("changes_feed")
