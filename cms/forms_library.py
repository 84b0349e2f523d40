"""The forms library ("Biểu mẫu", ``/bieu-mau/``): every published form in one place.

A citizen often knows the form before the procedure ("tờ khai mai táng", "Mẫu số 04"), and a
counter needs to hand out the current file of each. Each form shows its code, title, issuing
legal document, the procedures in force that use it (and so their sectors) and each of its files
with format and size, linked to the stable download URL of the form's current file in that
format (which outlives a replaced file, unlike a document's own URL).

The cost of the page does not grow with the set: the database filters, sorts (the forms' indexed
Vietnamese ``sort_key``), counts and slices; the procedures of the forms shown are read in one
query; the sector choices are an aggregate remembered until the next publication.
"""

from types import SimpleNamespace
from urllib.parse import urlsplit

from django.contrib.sitemaps import Sitemap
from django.db.models import Count, Q
from django.shortcuts import render
from django.urls import reverse
from wagtail.models import Site

from .downloads import form_files
from .generations import remembered
from .models import DossierComponent, Form, ProcedurePage, Sector
from .models.site_pages import paginate

PAGE_SIZE = 50
SECTOR_PARAMETER = "linh-vuc"  # the same name as the procedure index's sector filter


def forms_library(request):
    """The library page: live forms, optionally those of one sector, a page at a time."""
    in_force = ProcedurePage.objects.in_force()
    sectors = remembered("forms-library:sectors", lambda: list(sectors_with_form_counts(in_force)))
    # Read leniently, as the index's filters are: a slug naming no sector with forms is no filter.
    chosen = next((sector for sector in sectors if sector.slug == request.GET.get(SECTOR_PARAMETER)), None)
    forms = Form.objects.filter(live=True)
    if chosen is not None:
        # A subquery rather than a join: a form used twice in the sector is listed once, without DISTINCT.
        used_in_sector = DossierComponent.objects.filter(page__in=in_force.filter(sector=chosen)).values("form_id")
        forms = forms.filter(pk__in=used_in_sector)
    forms = forms.select_related("legal_document", "document", "print_document").order_by("sort_key", "code", "pk")
    page_obj = paginate(request, forms, PAGE_SIZE)
    entries = library_entries(request, list(page_obj.object_list), in_force)
    return render(
        request,
        "cms/forms_library.html",
        {
            "page_obj": page_obj,
            "entries": entries,
            "result_count": page_obj.paginator.count,
            "sectors": sectors,
            "chosen_sector": chosen,
            "sector_parameter": SECTOR_PARAMETER,
            "querystring_without_page": f"{SECTOR_PARAMETER}={chosen.slug}" if chosen else "",
        },
    )


def sectors_with_form_counts(procedures):
    """Sectors whose procedures among ``procedures`` use a published form, each with ``form_count``
    (the distinct published forms they use), in Vietnamese order."""
    in_sector = Q(procedurepage__in=procedures, procedurepage__dossier_components__form__live=True)
    return (
        Sector.objects.filter(in_sector)
        .annotate(form_count=Count("procedurepage__dossier_components__form", filter=in_sector, distinct=True))
        .order_by("sort_key", "pk")
    )


def library_entries(request, forms, procedures):
    """One entry per form of the page: the form, its files, and the procedures among
    ``procedures`` that use it with their sectors, both in Vietnamese order (one query)."""
    uses = {form.pk: {} for form in forms}
    components = (
        DossierComponent.objects.filter(form__in=forms, page__in=procedures)
        .select_related("page__sector")
        .order_by("page__list_key", "page_id")
    )
    for component in components:
        uses[component.form_id].setdefault(component.page_id, component.page)  # a form twice in one procedure: once
    entries = []
    for form in forms:
        using = list(uses[form.pk].values())
        sectors = {page.sector_id: page.sector for page in using if page.sector_id}
        entries.append(
            {
                "form": form,
                "files": form_files(form),
                "procedures": [{"title": p.title, "code": p.code, "url": p.get_url(request)} for p in using],
                "sectors": sorted(sectors.values(), key=lambda sector: (sector.sort_key, sector.pk)),
            }
        )
    return entries


class FormsLibrarySitemap(Sitemap):
    """The forms library in ``/sitemap.xml`` beside the page tree.

    The form files themselves are left out: a file is no page to index, and every fetch of its
    stable URL counts as a citizen's download (``FormDownload``); crawlers reach them through the
    library anyway.
    """

    changefreq = "weekly"

    def items(self):
        return ["forms_library"]

    def location(self, item):
        return reverse(item)

    def get_urls(self, page=1, site=None, protocol=None):
        """On the default Wagtail site's address, as the page tree's entries are (Wagtail's
        ``Sitemap`` uses it), rather than on whatever host the request named."""
        default = Site.objects.filter(is_default_site=True).first()
        if default is not None:
            root = urlsplit(default.root_url)
            protocol, site = root.scheme, SimpleNamespace(domain=root.netloc)  # what Sitemap reads of a site
        return super().get_urls(page=page, site=site, protocol=protocol)
