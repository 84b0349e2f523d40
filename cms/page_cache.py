"""Public pages served from a cache until anything they show changes, and never past midnight.

The whole public site is one cache "generation": publishing, unpublishing, moving or deleting a
page, publishing or changing a sector, level, agency, legal document, form or decision, the site
settings, a site or a redirect starts a new one (``invalidate``), once the transaction that made
the change has committed. Coarse on purpose: a procedure's name is on the home page, the index,
its sector's page, the official set and the search results, and a sector's on every list; one
miss per page after a publication is cheap, a stale page is not.

Each entry's key also carries the day: what is in force changes at midnight without anyone
publishing anything (an abolition announced ahead), so at midnight every page is read afresh.

The cache is Django's default cache: Redis, shared by every application instance, in production
(``REDIS_URL``); a file cache on the embedded default, shared by its processes (the web server,
``publish_scheduled`` from cron). nginx in front caches too (``site/deploy/nginx.conf``) and is
purged at each new generation (``cms.frontend_purge``).

What is cached: anonymous GET and HEAD requests outside the admin and the API (which answers
conditional requests itself), answered 200 with HTML, JSON or XML, setting no cookie. Browsers
revalidate every time (``max-age=0``) against the ETag and Last-Modified, and get a 304 while
the generation lasts; a view that allows a short public ``max-age`` (the suggestions as you type)
keeps it.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_max_age, patch_vary_headers
from django.utils.http import http_date

from .generations import current_generation, seconds_to_midnight, start_generation

CACHED_TYPES = ("text/html", "application/json", "application/xml", "application/atom+xml", "application/rss+xml")
# Headers the response is served with again; Date, Set-Cookie and hop-by-hop ones are not kept.
DROPPED_HEADERS = {"date", "set-cookie", "connection", "transfer-encoding"}


def invalidate(*args, **kwargs):
    """Start a new generation now, and again when the current transaction commits (a signal
    receiver).

    Now, so that the process making the change reads it back at once; again at the commit,
    because a request served in between (by another process, before the commit) may have
    cached what the database still held under the generation begun now. Once per transaction
    at the commit, however many objects it saves.
    """
    connection = connections[kwargs.get("using") or DEFAULT_DB_ALIAS]
    if connection.in_atomic_block:
        start_generation()
    _once_at_commit(_committed, connection)


def invalidate_everywhere(*args, **kwargs):
    """As ``invalidate``, for what every page shows (the site settings: department, hotline,
    address; the site): nginx's copy of every public page is purged at the commit too."""
    invalidate(*args, **kwargs)
    _once_at_commit(_purge_all, connections[kwargs.get("using") or DEFAULT_DB_ALIAS])


def _once_at_commit(callback, connection):
    """Run ``callback`` now outside a transaction; else once when the transaction commits."""
    if not connection.in_atomic_block:
        callback()
    # ``run_on_commit`` holds (savepoints, callback, robust); a rollback empties it.
    elif not any(pending is callback for _ids, pending, _robust in connection.run_on_commit):
        transaction.on_commit(callback, using=connection.alias)


def _committed():
    """The change is in the database: a new generation, and nginx purged (once per transaction)."""
    start_generation()
    from .frontend_purge import purge_frontend_cache

    purge_frontend_cache()


def _purge_all():
    from .frontend_purge import purge_every_page

    purge_every_page()


def connect_invalidation():
    """Every change the public can see starts a new generation (see the module)."""
    from django.db.models.signals import post_delete, post_save
    from wagtail.contrib.redirects.models import Redirect
    from wagtail.models import Page, Site
    from wagtail.signals import page_published, page_unpublished, post_page_move, published, unpublished

    from .frontend_purge import purge_referring_procedures
    from .models import (
        Agency,
        AnnouncingDecision,
        DepartmentSettings,
        Form,
        ImplementationLevel,
        LegalDocument,
        Sector,
    )

    signals = {
        "page_published": page_published,
        "page_unpublished": page_unpublished,
        "post_page_move": post_page_move,
        "published": published,  # snippets: forms and decisions
        "unpublished": unpublished,
    }
    for name, signal in signals.items():
        signal.connect(invalidate, dispatch_uid=f"cms.page_cache.{name}")
    for signal in (page_published, page_unpublished):
        signal.connect(purge_referring_procedures, dispatch_uid=f"cms.frontend_purge.referring.{id(signal)}")
    post_delete.connect(invalidate, sender=Page, dispatch_uid="cms.page_cache.page_deleted")
    # Saved live without moderation, or outside it (a command, the demo loader): every save counts.
    models = (Sector, ImplementationLevel, Agency, LegalDocument, Form, AnnouncingDecision, Redirect)
    for model in models:
        post_save.connect(invalidate, sender=model, dispatch_uid=f"cms.page_cache.saved.{model.__name__}")
        post_delete.connect(invalidate, sender=model, dispatch_uid=f"cms.page_cache.deleted.{model.__name__}")
    for model in (DepartmentSettings, Site):  # on every page
        post_save.connect(invalidate_everywhere, sender=model, dispatch_uid=f"cms.page_cache.saved.{model.__name__}")
        post_delete.connect(
            invalidate_everywhere, sender=model, dispatch_uid=f"cms.page_cache.deleted.{model.__name__}"
        )


class PublicPageCacheMiddleware:
    """Answers cacheable requests from the cache and stores cacheable responses (see the module)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefixes = tuple(getattr(settings, "PAGE_CACHE_EXCLUDED_PREFIXES", ("/admin/", "/api/")))

    def __call__(self, request):
        if not self.cacheable_request(request):
            return self.get_response(request)
        generation = current_generation()  # read first: a change meanwhile must not be stored as new
        key = self.key(request, generation)
        stored = cache.get(key)
        if stored is not None:
            response = self.rebuild(stored)
            response["X-Accel-Expires"] = str(self.freshness())  # what is left of it
            response["X-Page-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if self.cacheable_response(response):
            self.prepare(response, generation)
            cache.set(key, self.freeze(response), self.freshness())
            response["X-Page-Cache"] = "miss"
        return response

    def freshness(self):
        """Seconds a copy may be kept: ``PAGE_CACHE_SECONDS``, and never past midnight."""
        return min(settings.PAGE_CACHE_SECONDS, seconds_to_midnight())

    def cacheable_request(self, request):
        return (
            settings.PAGE_CACHE_SECONDS > 0
            and request.method in ("GET", "HEAD")
            and not request.path.startswith(self.admin_prefixes)
            and settings.SESSION_COOKIE_NAME not in request.COOKIES  # editors see their userbar
            and "HTTP_AUTHORIZATION" not in request.META
        )

    def cacheable_response(self, response):
        content_type = response.get("Content-Type", "").split(";")[0].strip()
        return (
            response.status_code == 200
            and not response.streaming
            and content_type in CACHED_TYPES
            and not response.cookies
            and "private" not in response.get("Cache-Control", "")
            and "no-store" not in response.get("Cache-Control", "")
        )

    def key(self, request, generation):
        day = timezone.localdate().isoformat()
        raw = f"{generation}|{day}|{request.method == 'HEAD'}|{request.get_host()}|{request.get_full_path()}"
        return "public-page:" + hashlib.sha256(raw.encode()).hexdigest()

    def prepare(self, response, generation):
        """The validators and freshness of a cached page: the same for every copy of it."""
        if hasattr(response, "render") and not response.is_rendered:
            response.render()
        started = int(generation.split("-", 1)[0])
        response["ETag"] = '"' + hashlib.sha256(response.content).hexdigest()[:32] + '"'
        response["Last-Modified"] = http_date(started)
        # Browsers revalidate every time, unless the view lets them keep a public copy a little
        # while (the suggestions as you type: a minute, search.suggest).
        own_max_age = get_max_age(response) if "public" in response.get("Cache-Control", "") else None
        if own_max_age:
            response["Cache-Control"] = f"public, max-age={min(own_max_age, self.freshness())}"
        else:
            response["Cache-Control"] = "public, max-age=0, must-revalidate"
        # nginx keeps it until midnight at most, and is purged at the next generation.
        response["X-Accel-Expires"] = str(self.freshness())
        patch_vary_headers(response, ["Cookie"])

    def freeze(self, response):
        headers = [(name, value) for name, value in response.items() if name.lower() not in DROPPED_HEADERS]
        return {"content": response.content, "headers": headers}

    def rebuild(self, stored):
        response = HttpResponse(stored["content"])
        for name, value in stored["headers"]:
            response[name] = value
        return response
