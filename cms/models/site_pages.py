"""The site's own pages: the home page and the procedure index (with sector pages and the
official set for staff)."""

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import models
from django.db.models import Count, Max, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import Page

from ..generations import remembered
from .filters import ProcedureFilterForm
from .procedure import ProcedurePage
from .slugs import VietnameseSlugMixin
from .taxonomy import Agency, ImplementationLevel, Sector

PAGE_SIZE = 20
OFFICIAL_SET_PAGE_SIZE = 200


def sectors_with_counts(procedures):
    """Sectors that have procedures among ``procedures``, each with ``procedure_count``, in Vietnamese order."""
    return (
        Sector.objects.filter(procedurepage__in=procedures)
        .annotate(procedure_count=Count("procedurepage", filter=Q(procedurepage__in=procedures), distinct=True))
        .order_by("sort_key", "pk")
    )


def facet_counts(procedures):
    """The filters' choices with their counts: aggregates over the whole set, so remembered
    until the next publication (``cms.page_cache.remembered``)."""
    return {
        "sectors": list(sectors_with_counts(procedures)),
        "levels": list(
            ImplementationLevel.objects.filter(procedurepage__in=procedures)
            .annotate(procedure_count=Count("procedurepage", distinct=True))
            .order_by("sort_order", "sort_key")
        ),
        "agencies": list(
            Agency.objects.filter(procedure_roles__page__in=procedures)
            .annotate(procedure_count=Count("procedure_roles__page", distinct=True))
            .order_by("sort_key", "pk")
        ),
    }


def paginate(request, items, per_page):
    """The page ``?trang=`` asks for (the first for nonsense, the last beyond the end)."""
    paginator = Paginator(items, per_page)
    try:
        return paginator.page(request.GET.get("trang", 1))
    except PageNotAnInteger:
        return paginator.page(1)
    except EmptyPage:
        return paginator.page(paginator.num_pages)


# Lists in the Vietnamese order of sector, then name: sorted and paginated by the database.
LIST_ORDER = ("list_key", "pk")


class HomePage(VietnameseSlugMixin, Page):
    """The home page: search box, sectors with counts, latest changes."""

    intro = models.TextField(_("lời giới thiệu"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["cms.ProcedureIndexPage"]
    max_count = 1

    class Meta:
        verbose_name = _("trang chủ")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        procedures = ProcedurePage.objects.in_force()
        context["procedure_index"] = ProcedureIndexPage.objects.live().public().first()
        context["sectors"] = remembered("home:sectors", lambda: list(sectors_with_counts(procedures)))
        context["procedure_count"] = remembered("home:count", procedures.count)
        context["latest_procedures"] = procedures.select_related("sector", "announcing_decision").order_by(
            "-last_published_at"
        )[:8]
        return context


class ProcedureIndexPage(VietnameseSlugMixin, RoutablePageMixin, Page):
    """The procedure set: a list with filters by sector, level and agency.

    Also serves the sector pages (``sector``) and the official set for staff (``official_set``);
    decisions have their own views.
    """

    intro = models.TextField(_("lời giới thiệu"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.ProcedurePage"]
    max_count = 1

    class Meta:
        verbose_name = _("danh mục thủ tục")

    def get_cached_paths(self):
        """What nginx may keep of this page (``cms.frontend_purge``): the list, the official set and
        every sector's page."""
        sectors = Sector.objects.values_list("slug", flat=True)
        return ["/", "/bo-thu-tuc-hien-hanh/", *(f"/linh-vuc/{slug}/" for slug in sectors)]

    def live_procedures(self):
        return ProcedurePage.objects.in_force().child_of(self)

    @path("", name="index")
    def index_view(self, request):
        return self.render_list(request, sector=None)

    @path("bo-thu-tuc-hien-hanh/", name="official_set")
    def official_set_view(self, request):
        """For staff: every procedure in force with its version, last change and decision; a
        page at a time (the downloads give the whole set in one file).

        Filtered as the index is (sector, level, agency: a commune's counter prints only "Cấp
        xã"), with the same form and the same remembered counts, so its cost stays constant."""
        procedures = self.live_procedures()
        filters = ProcedureFilterForm(request.GET)
        filtered = (
            filters.apply(procedures)
            .select_related("sector", "announcing_decision")
            .annotate(version_number=Max("versions__number"))
            .order_by(*LIST_ORDER)
        )
        page_obj = paginate(request, filtered, OFFICIAL_SET_PAGE_SIZE)
        return self.render(
            request,
            template="cms/official_set.html",
            context_overrides={
                "filters": filters,
                "page_obj": page_obj,
                "procedures": page_obj.object_list,
                "result_count": page_obj.paginator.count,
                "today": timezone.localdate(),
                **remembered(f"facets:{self.pk}", lambda: facet_counts(procedures)),
                "querystring_without_page": filters.querystring(),
            },
        )

    @path("linh-vuc/<slug:slug>/", name="sector")
    def sector_view(self, request, slug):
        sector = get_object_or_404(Sector, slug=slug)
        return self.render_list(request, sector=sector)

    def render_list(self, request, sector):
        procedures = self.live_procedures()
        filters = ProcedureFilterForm(request.GET, fixed_sector=sector)
        filtered = filters.apply(procedures).select_related("sector", "announcing_decision").prefetch_related("levels")
        page_obj = paginate(request, filtered.order_by(*LIST_ORDER), PAGE_SIZE)
        return self.render(
            request,
            context_overrides={
                "sector": sector,
                "filters": filters,
                "page_obj": page_obj,
                "procedures": page_obj.object_list,
                "result_count": page_obj.paginator.count,
                **remembered(f"facets:{self.pk}", lambda: facet_counts(procedures)),
                "querystring_without_page": filters.querystring(),
            },
        )
