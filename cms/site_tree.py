"""The site's fixed tree: a home page, the procedure index under it, the default Site.

An installation needs it before any procedure exists: the demo loader and an import into an
empty installation both make it here.
"""

from django.conf import settings
from wagtail.models import Page, Site

from .models import HomePage, ProcedureIndexPage

# Where Wagtail's initial migration and older versions of the demo loader put the default Site.
OLD_DEFAULT_SITE_ADDRESS = ("localhost", 80)


def _site_address_taken(address, site):
    """Whether another Site already answers at ``(hostname, port)`` (Wagtail keeps them unique)."""
    hostname, port = address
    return Site.objects.filter(hostname=hostname, port=port).exclude(pk=site.pk).exists()


def ensure_site_tree():
    """The home page, the procedure index and the default Site, made if missing: (home, index,
    number of pages created). What exists is left as the administrators made it."""
    created = 0
    # The tree's root is shown in the admin's breadcrumbs and page explorer; Wagtail names it
    # "Root". Renamed only while it still has that name.
    Page.objects.filter(depth=1, title="Root").update(title="Gốc", draft_title="Gốc")
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        home = HomePage(
            title="Bộ thủ tục hành chính",
            slug="trang-chu",
            intro="Tra cứu thủ tục hành chính, thành phần hồ sơ, thời hạn giải quyết, phí, lệ phí và tải biểu mẫu.",
        )
        root.add_child(instance=home)
        home.save_revision().publish()
        # Wagtail's initial migration leaves a plain "Welcome" page as the site root.
        for placeholder in Page.objects.filter(depth=2, content_type__model="page"):
            placeholder.delete()
        created += 1
    _default_site(home)
    index = ProcedureIndexPage.objects.first()
    if index is None:
        index = ProcedureIndexPage(
            title="Thủ tục hành chính",
            slug="thu-tuc",
            intro="Danh mục thủ tục hành chính đang được công khai, lọc theo lĩnh vực, cấp thực hiện và cơ quan.",
        )
        home.add_child(instance=index)
        index.save_revision().publish()
        created += 1
    return home, index, created


def _default_site(home):
    """The default Site, at the address the demo is served from (settings.SITE_HOSTNAME/PORT).

    Sitemap and notification links are built from it. Wagtail's initial migration (and older
    versions of this loader) made it ``localhost:80``, where nothing listens under `make run`:
    that default is corrected; any other address is an administrator's choice and is kept.
    """
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname=settings.SITE_HOSTNAME,
            port=settings.SITE_PORT,
            root_page=home,
            is_default_site=True,
            site_name="Bộ thủ tục hành chính",
        )
        return
    changed = []
    if site.root_page_id != home.pk:
        site.root_page = home
        changed.append("root_page")
    address = (settings.SITE_HOSTNAME, settings.SITE_PORT)
    if (site.hostname, site.port) == OLD_DEFAULT_SITE_ADDRESS and not _site_address_taken(address, site):
        site.hostname, site.port = address
        changed += ["hostname", "port"]
    if changed:
        site.save(update_fields=changed)
