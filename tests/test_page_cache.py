"""Public pages read through the cache (cms/page_cache.py), on the embedded default's file cache
and on Redis: cached and revalidated, and never showing a draft or outliving a publication, an
unpublication, a scheduled publication or a change that takes effect at midnight."""

import datetime
import os

import pytest
import time_machine
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone

from cms.models import DepartmentSettings, ProcedurePage, Sector
from tests import factories
from tests.helpers import listed_titles, republish, text_of

LISTS = ("/", "/thu-tuc/", "/thu-tuc/bo-thu-tuc-hien-hanh/")


@pytest.fixture(params=["file", "redis"])
def cache_backend(request, settings, tmp_path):
    if request.param == "file":
        settings.CACHES = {
            "default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(tmp_path)}
        }
    else:
        url = os.environ.get("TEST_REDIS_URL")
        if not url:
            pytest.fail("The Redis cache tests need TEST_REDIS_URL (make test starts site/services/redis.sh).")
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": url,
                "KEY_PREFIX": "test-page-cache",
            }
        }
    cache.clear()
    yield request.param
    cache.clear()


def read(client, url, **headers):
    response = client.get(url, **headers)
    assert response.status_code in (200, 304), url
    return response


def warm(client, *urls):
    """Read each page twice: the second answer comes from the cache."""
    for url in urls:
        read(client, url)
        assert read(client, url)["X-Page-Cache"] == "hit", url


def test_a_page_is_served_from_the_cache_and_revalidated(cache_backend, client, live_page):
    first = read(client, live_page.url)
    assert first["X-Page-Cache"] == "miss"
    second = read(client, live_page.url)
    assert second["X-Page-Cache"] == "hit" and second.content == first.content
    assert second["ETag"] == first["ETag"] and second["Last-Modified"] == first["Last-Modified"]
    assert second["Cache-Control"] == "public, max-age=0, must-revalidate"
    assert "Content-Security-Policy" in second  # the headers of the page as it was rendered
    assert 0 < int(second["X-Accel-Expires"]) <= 24 * 3600
    not_modified = read(client, live_page.url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert not_modified.status_code == 304 and not not_modified.content


def test_what_is_not_cached(cache_backend, client, live_page, users):
    assert "X-Page-Cache" not in read(client, "/api/v1/procedures/")  # it answers conditional requests itself
    missing = client.get("/khong-co-trang-nay/")
    assert missing.status_code == 404 and "X-Page-Cache" not in missing
    client.force_login(users["editor"])  # an editor sees the live page with the userbar, never cached
    assert "X-Page-Cache" not in read(client, live_page.url)


def test_a_publication_is_read_at_once_and_a_draft_never(cache_backend, client, live_page):
    warm(client, live_page.url, *LISTS)
    draft = live_page.get_latest_revision_as_object()
    draft.title = "Bản nháp chưa duyệt"
    draft.save_revision()
    for url in (live_page.url, *LISTS):
        assert "Bản nháp chưa duyệt" not in text_of(read(client, url)), url

    republish(live_page, effective_date=datetime.date(2026, 1, 1), change_note="Đổi tên", title="Trợ cấp mai táng mới")

    page = read(client, live_page.url)
    assert page["X-Page-Cache"] == "miss" and "Trợ cấp mai táng mới" in text_of(page)
    for url in LISTS:
        assert "Trợ cấp mai táng mới" in text_of(read(client, url)), url


def test_an_unpublished_procedure_disappears_at_once(cache_backend, client, live_page):
    warm(client, live_page.url, "/thu-tuc/")
    ProcedurePage.objects.get(pk=live_page.pk).unpublish()
    assert client.get(live_page.url).status_code == 404
    assert live_page.title not in listed_titles(read(client, "/thu-tuc/"))


def test_a_scheduled_publication_is_read_when_publish_scheduled_makes_it(cache_backend, client, live_page):
    go_live = timezone.make_aware(datetime.datetime(2030, 7, 1, 8, 0))
    draft = live_page.get_latest_revision_as_object()
    draft.title, draft.change_type, draft.change_note = "Tên mới từ 01/07/2030", "amended", "Đổi tên"
    draft.effective_date = datetime.date(2030, 7, 1)
    draft.save_revision(approved_go_live_at=go_live)
    with time_machine.travel(go_live - datetime.timedelta(minutes=1), tick=False):
        warm(client, live_page.url, "/thu-tuc/")
    with time_machine.travel(go_live + datetime.timedelta(minutes=1), tick=False):
        call_command("publish_scheduled")
        assert "Tên mới từ 01/07/2030" in text_of(read(client, live_page.url))
        assert "Tên mới từ 01/07/2030" in listed_titles(read(client, "/thu-tuc/"))


def test_an_abolition_takes_effect_at_midnight_without_a_publication(cache_backend, client, live_page):
    evening = timezone.make_aware(datetime.datetime(2026, 12, 31, 23, 59))
    with time_machine.travel(evening, tick=False):
        republish(
            live_page,
            change_type="abolished",
            effective_date=datetime.date(2027, 1, 1),
            change_note="Bãi bỏ từ 01/01/2027",
        )
        warm(client, "/thu-tuc/", "/")
        assert live_page.title in listed_titles(read(client, "/thu-tuc/"))
        assert 0 < int(read(client, "/thu-tuc/")["X-Accel-Expires"]) <= 60  # nginx keeps it until midnight
    with time_machine.travel(evening + datetime.timedelta(minutes=2), tick=False):
        assert live_page.title not in listed_titles(read(client, "/thu-tuc/"))


def test_a_sector_renamed_or_the_settings_changed_show_at_once(cache_backend, client, live_page):
    warm(client, "/", "/thu-tuc/")
    sector = Sector.objects.get(pk=live_page.sector_id)
    sector.name = "Bảo trợ xã hội (đổi tên)"
    sector.save()
    assert "Bảo trợ xã hội (đổi tên)" in text_of(read(client, "/thu-tuc/"))
    settings = DepartmentSettings.objects.get()
    settings.department_name = "Sở Nội vụ"
    settings.save()
    assert "Sở Nội vụ" in text_of(read(client, "/"))


def test_a_decision_published_shows_on_the_decisions_list(cache_backend, client, index_page):
    warm(client, "/quyet-dinh/")
    factories.decision("999/QĐ-UBND")
    assert "999/QĐ-UBND" in text_of(read(client, "/quyet-dinh/"))
