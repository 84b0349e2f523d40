"""Purging nginx's proxy cache (``site/deploy/nginx.conf``) through ``wagtail.contrib.frontend_cache``.

Wagtail purges a page's own URLs when it is published or unpublished. A new generation of the
public pages (``cms.page_cache``) also purges what lists or names procedures: the home page, the
index with its official set and sector pages, the decisions, the forms library, the downloads
and the feeds. nginx caches only URLs without a query string (a filtered list or a search goes
to the application, whose own cache answers), so this set is complete.
"""

import logging
from urllib.error import HTTPError
from urllib.parse import urlsplit
from urllib.request import Request

from django.conf import settings
from django.urls import reverse
from wagtail.contrib.frontend_cache.backends.base import BaseBackend

logger = logging.getLogger(__name__)


class NginxBackend(BaseBackend):
    """Purges nginx's cache through its purge location (``LOCATION``, e.g.
    ``http://127.0.0.1/__purge__``, see site/deploy/nginx-page-cache.conf) with the page's Host.

    Wagtail's HTTP backend keeps only the location's host (the purge module's other syntax,
    PURGE on the page's own URL, crashes Debian's nginx 1.22 worker), and logs an error for each
    page that was simply not cached ("404").
    """

    def __init__(self, params):
        super().__init__(params)
        self.location = params.pop("LOCATION").rstrip("/")

    def purge(self, url):
        parts = urlsplit(url)
        request = Request(f"{self.location}{parts.path}", headers={"Host": parts.netloc})
        try:
            urlopen_quietly(request)
        except HTTPError as error:
            if error.code != 404:
                logger.error("Could not purge %s from nginx: HTTP %s", url, error.code)
        except OSError as error:
            logger.error("Could not purge %s from nginx: %s", url, error)


def urlopen_quietly(request):
    from urllib.request import urlopen

    with urlopen(request, timeout=2):
        pass


def shared_urls():
    """Absolute URLs of the pages that list or name procedures."""
    from wagtail.models import Site

    from .models import AnnouncingDecision, HomePage, ProcedureIndexPage, Sector

    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return []
    root = site.root_url
    paths = [reverse("decision_list"), reverse("forms_library"), reverse("changes_feed"), "/sitemap.xml"]
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


def purge_referring_procedures(sender, instance, **kwargs):
    """Receiver of ``page_published`` and ``page_unpublished``: the procedures that name a
    procedure as related link to it only while it is live."""
    if not getattr(settings, "WAGTAILFRONTENDCACHE", None):
        return
    from wagtail.contrib.frontend_cache.utils import PurgeBatch

    from .models import ProcedurePage

    referring = ProcedurePage.objects.live().filter(related_procedures__procedure_id=instance.pk).distinct()
    if referring:
        batch = PurgeBatch()
        batch.add_pages(referring)
        batch.purge()


def purge_every_page():
    """Purge every live page's URLs and the shared ones: after a change every page shows (the
    site settings). One request per URL: at 20,000 procedures, a few minutes of purging."""
    if not getattr(settings, "WAGTAILFRONTENDCACHE", None):
        return
    from wagtail.contrib.frontend_cache.utils import PurgeBatch
    from wagtail.models import Page

    try:
        batch = PurgeBatch()
        batch.add_urls(shared_urls())
        batch.add_pages(Page.objects.live().specific().iterator(chunk_size=500))
        batch.purge()
    except Exception:
        logger.exception("Frontend cache not purged")


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
