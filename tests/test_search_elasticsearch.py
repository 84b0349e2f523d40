"""A procedure is indexed into the real Elasticsearch server and found there."""

import pytest
from django.conf import settings
from wagtail.search.backends import get_search_backend

from cms.models import ProcedurePage
from search.query import search_procedures
from search.vietnamese import fold
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.services]


@pytest.fixture
def elasticsearch(services_required):
    backend = get_search_backend("default")
    assert settings.WAGTAILSEARCH_BACKENDS["default"]["BACKEND"].endswith("elasticsearch8")
    # GET / is not served by the integ-test distribution; the cluster API is.
    health = backend.es.cluster.health()
    version = backend.es.nodes.info(filter_path="nodes.*.version")["nodes"]
    server_version = next(iter(version.values()))["version"]
    print(f"\nElasticsearch server version: {server_version} (cluster {health['cluster_name']}, {health['status']})")
    assert server_version.startswith("8.")
    return backend


def test_published_procedure_is_indexed_and_found(elasticsearch, index_page):
    page = factories.procedure(index_page, title="Đăng ký nhận chăm sóc thay thế cho trẻ em xyzzy", code="1.004941")
    for query in ["chăm sóc thay thế xyzzy", "cham soc thay the xyzzy"]:
        results = list(elasticsearch.search(fold(query), ProcedurePage.objects.live(), operator="and"))
        assert [result.pk for result in results] == [page.pk], query
    # Through the public search function too (diacritics, code lookup).
    assert [p.pk for p in search_procedures("Chăm sóc THAY THẾ xyzzy")] == [page.pk]
    assert [p.pk for p in search_procedures("1004941")] == [page.pk]
    # The document really is in Elasticsearch: ask the server directly.
    prefix = settings.WAGTAILSEARCH_BACKENDS["default"]["INDEX_PREFIX"]
    # Documents of earlier tests' rolled-back pages stay in the index: ask for this one by id.
    query = {"bool": {"must": {"match": {"_all_text": "xyzzy"}}, "filter": {"ids": {"values": [str(page.pk)]}}}}
    hits = elasticsearch.es.search(index=f"{prefix}*", query=query)["hits"]["hits"]
    assert [hit["_id"] for hit in hits] == [str(page.pk)], hits


def test_autocomplete_on_elasticsearch_uses_folded_title(elasticsearch, index_page):
    page = factories.procedure(index_page, title="Giải quyết chế độ trợ cấp thờ cúng quuxly")
    results = list(elasticsearch.autocomplete("tro cap tho cung quux", ProcedurePage.objects.live()))
    assert page.pk in [result.pk for result in results]


def test_unpublished_procedure_is_not_found(elasticsearch, index_page):
    page = factories.procedure(index_page, title="Thủ tục sắp bãi bỏ plughy")
    page.unpublish()
    assert list(search_procedures("plughy")) == []


def test_searches_see_every_earlier_write_without_periodic_refresh(elasticsearch, index_page):
    """With the server's periodic refresh turned off, only the backend's own refresh before each
    search and count (REFRESH_BEFORE_SEARCH, test settings) can make a write visible: no race."""
    prefix = settings.WAGTAILSEARCH_BACKENDS["default"]["INDEX_PREFIX"]
    elasticsearch.es.indices.put_settings(index=f"{prefix}*", settings={"index": {"refresh_interval": "-1"}})
    try:
        page = factories.procedure(index_page, title="Thủ tục hiện ngay frobnitz")
        assert [p.pk for p in search_procedures("frobnitz")] == [page.pk]
        # Counts are answered by the server alone (no database filtering): deletions are seen too.
        assert elasticsearch.search("frobnitz", ProcedurePage.objects.all()).count() == 1
        page.versions.all().delete()  # published versions protect the page
        page.delete()
        assert elasticsearch.search("frobnitz", ProcedurePage.objects.all()).count() == 0
    finally:
        elasticsearch.es.indices.put_settings(index=f"{prefix}*", settings={"index": {"refresh_interval": None}})
