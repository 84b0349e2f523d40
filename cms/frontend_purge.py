"""Purging nginx's proxy cache (``site/deploy/nginx.conf``) through ``wagtail.contrib.frontend_cache``.

Wagtail purges a page's own URLs when it is published or unpublished. A new generation of the
public pages (``cms.page_cache``) also purges what lists or names procedures: the home page, the
index with its official set and sector pages, the decisions, the downloads and the feeds. nginx
caches only URLs without a query string (a filtered list or a search goes to the application,
whose own cache answers), so this set is complete.
"""

import logging

from django.conf import settings
from django.urls import reverse

logger = logging.getLogger(__name__)


def shared_urls():
    """Absolute URLs of the pages that list or name procedures."""
    from wagtail.models import Site

    from .models import AnnouncingDecision, HomePage, ProcedureIndexPage, Sector

    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return []
    root = site.root_url
    paths = [reverse("decision_list"), reverse("changes_feed"), "/sitemap.xml"]
    paths += [reverse("official_set_export", args=(extension,)) for extension in ("xlsx", "csv", "json")]
    paths += [
        reverse("decision_detail", args=(slug,)) for slug in AnnouncingDecision.objects.values_list("slug", flat=True)
    ]
    for slug in Sector.objects.values_list("slug", flat=True):
        paths.append(reverse("sector_changes_feed", args=(slug,)))
    urls = [root + path for path in paths]
    for page in [*HomePage.objects.live(), *ProcedureIndexPage.objects.live()]:
        url = page.get_full_url()
        if url:
            urls += [url.rstrip("/") + "/" + path.lstrip("/") for path in page.specific.get_cached_paths()]
    return urls


def purge_frontend_cache():
    """Purge the shared URLs from the frontend cache, if one is configured; a failure is logged."""
    if not getattr(settings, "WAGTAILFRONTENDCACHE", None):
        return
    from wagtail.contrib.frontend_cache.utils import PurgeBatch

    try:
        batch = PurgeBatch()
        batch.add_urls(shared_urls())
        batch.purge()
    except Exception:
        logger.exception("Frontend cache not purged")
