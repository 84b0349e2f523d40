import re

from django.conf import settings
from django.contrib.sitemaps.views import sitemap
from django.templatetags.static import static
from django.urls import include, path
from django.utils.functional import lazy
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps import Sitemap
from wagtail.documents import urls as wagtaildocs_urls

from cms import downloads
from cms import views as cms_views
from cms.feeds import ChangesFeed
from cms.forms_library import FormsLibrarySitemap, forms_library
from search import suggest as suggest_views
from search import views as search_views

urlpatterns = [
    path("", include("cms.api.urls")),
    path("admin/", include(wagtailadmin_urls)),
    path("tai-lieu/sha1/<str:file_hash>/", cms_views.document_by_hash, name="document_by_hash"),
    # Before Wagtail's own view at the same path and name: Document.url leads to cms.downloads.
    path("tai-lieu/<int:document_id>/<str:document_filename>", downloads.serve_document, name="wagtaildocs_serve"),
    path("tai-lieu/", include(wagtaildocs_urls)),
    path("bieu-mau/<int:form_id>/tai-ve.<str:extension>", downloads.current_form_file, name="form_file"),
    path("tai-ve/bo-thu-tuc-hien-hanh.<str:extension>", cms_views.official_set_export, name="official_set_export"),
    path("tim-kiem/goi-y/", suggest_views.suggest_view, name="search-suggest"),
    path("tim-kiem/", search_views.search_view, name="search"),
    path("bieu-mau/", forms_library, name="forms_library"),
    path("quyet-dinh/", cms_views.decision_list, name="decision_list"),
    path("quyet-dinh/<slug:slug>/", cms_views.decision_detail, name="decision_detail"),
    path("thay-doi/atom/", ChangesFeed(), name="changes_feed"),
    path("thay-doi/linh-vuc/<slug:slug>/atom/", ChangesFeed(), name="sector_changes_feed"),
    # Browsers and apps ask for /favicon.ico whatever a page links to: the static file answers.
    path("favicon.ico", RedirectView.as_view(url=lazy(static, str)("favicon.ico"))),
    path("sitemap.xml", sitemap, {"sitemaps": {"pages": Sitemap, "forms": FormsLibrarySitemap}}),
]

if settings.SERVE_MEDIA:
    from django.urls import re_path

    from config.media import serve_public_media

    # `make run` and tests: see config/media.py (nginx serves media in production).
    urlpatterns += [re_path(rf"^{re.escape(settings.MEDIA_URL.lstrip('/'))}(?P<path>.*)$", serve_public_media)]

urlpatterns += [path("", include(wagtail_urls))]
