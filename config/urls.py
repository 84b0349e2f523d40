import re

from django.conf import settings
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps import Sitemap
from wagtail.documents import urls as wagtaildocs_urls

from cms import views as cms_views
from cms.feeds import ChangesFeed
from search import suggest as suggest_views
from search import views as search_views

urlpatterns = [
    path("", include("cms.api.urls")),
    path("admin/", include(wagtailadmin_urls)),
    path("tai-lieu/sha1/<str:file_hash>/", cms_views.document_by_hash, name="document_by_hash"),
    path("tai-lieu/", include(wagtaildocs_urls)),
    path("tai-ve/bo-thu-tuc-hien-hanh.<str:extension>", cms_views.official_set_export, name="official_set_export"),
    path("tim-kiem/goi-y/", suggest_views.suggest_view, name="search-suggest"),
    path("tim-kiem/", search_views.search_view, name="search"),
    path("quyet-dinh/", cms_views.decision_list, name="decision_list"),
    path("quyet-dinh/<slug:slug>/", cms_views.decision_detail, name="decision_detail"),
    path("thay-doi/atom/", ChangesFeed(), name="changes_feed"),
    path("thay-doi/linh-vuc/<slug:slug>/atom/", ChangesFeed(), name="sector_changes_feed"),
    path("sitemap.xml", sitemap, {"sitemaps": {"pages": Sitemap}}),
]

if settings.SERVE_MEDIA:
    from django.urls import re_path

    from config.media import serve_public_media

    # `make run` and tests: see config/media.py (nginx serves media in production).
    urlpatterns += [re_path(rf"^{re.escape(settings.MEDIA_URL.lstrip('/'))}(?P<path>.*)$", serve_public_media)]

urlpatterns += [path("", include(wagtail_urls))]
