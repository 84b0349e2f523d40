"""Public pages cost the same whatever the size of the set: the database sorts (by the stored
Vietnamese sort key), paginates and counts; nothing reads every procedure.

Each page's queries are counted on a small set and on a larger one (more procedures, sectors,
levels and agencies): the counts must be equal, and under a fixed ceiling.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cms.interchange.initial_load import InitialLoad
from cms.models import Agency, ProcedurePage, Sector
from search.vietnamese import sorted_vietnamese, vietnamese_collation_key
from tests import factories

PAGES = {
    "home": "/",
    "index": "/thu-tuc/",
    "index, page 2": "/thu-tuc/?trang=2",
    "index, filtered": "/thu-tuc/?cap=cap-tinh",
    "sector": "/thu-tuc/linh-vuc/tro-giup-xa-hoi-1/",
    "official set": "/thu-tuc/bo-thu-tuc-hien-hanh/",
    "search": "/tim-kiem/?q=tro+cap",
    "search, page 2": "/tim-kiem/?q=tro+cap&trang=2",
    "search by code": "/tim-kiem/?q=1.000001",
}
CEILING = 30


def load(index_page, user, size):
    """Procedures up to ``size`` in all, over ``size // 3`` sectors and as many agencies."""
    sectors = [factories.sector(f"Trợ giúp xã hội {n}") for n in range(1, size // 3 + 2)]
    agencies = [factories.agency(f"Phòng Lao động số {n}") for n in range(1, size // 3 + 2)]
    with InitialLoad(index_page, user) as initial_load:
        for n in range(ProcedurePage.objects.count(), size):
            page = factories.procedure(
                index_page,
                title=f"Trợ cấp xã hội số {n:03d}",
                code=f"1.{n + 1:06d}",
                sector=sectors[n % len(sectors)],
                add=False,
            )
            roles = list(page.agency_roles.all())
            roles[0].agency = agencies[n % len(agencies)]
            page.agency_roles = roles
            assert initial_load.publish(page) == []


def queries_of(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context.captured_queries)


@pytest.fixture
def counted(client, index_page, users, django_capture_on_commit_callbacks):
    def count_pages(size):
        with django_capture_on_commit_callbacks(execute=True):
            load(index_page, users["admin"], size)
        for url in PAGES.values():
            client.get(url)  # warm what is read once per process (content types, site root)
        return {name: queries_of(client, url) for name, url in PAGES.items()}

    return count_pages


def test_each_public_page_costs_the_same_queries_at_any_size(counted, client, settings):
    settings.PAGE_CACHE_SECONDS = 0  # the pages as rendered, not their cached copies
    small = counted(6)
    large = counted(45)
    assert small == large
    assert max(large.values()) <= CEILING, large
    assert ProcedurePage.objects.live().count() == 45
    for url in (PAGES["index, page 2"], PAGES["search, page 2"]):  # the pages counted were real pages
        assert "Trang 2/3" in client.get(url).content.decode(), url


def test_the_index_pages_in_vietnamese_order_through_the_database(client, index_page, users):
    names = ["Đăng ký", "Dân tộc", "Ân giảm", "An toàn", "Ăn ở", "Dạy nghề", "Cấp giấy", "Cáp treo", "Cấp"]
    with InitialLoad(index_page, users["admin"]) as initial_load:
        for n, name in enumerate(names):
            page = factories.procedure(index_page, title=name, code=f"1.{n + 1:06d}", add=False)
            assert initial_load.publish(page) == []
    in_database = list(ProcedurePage.objects.order_by("sort_key").values_list("title", flat=True))
    assert in_database == sorted_vietnamese(names)
    assert in_database[:3] == ["An toàn", "Ăn ở", "Ân giảm"]
    assert in_database.index("Dạy nghề") < in_database.index("Dân tộc") < in_database.index("Đăng ký")
    assert in_database.index("Cấp") < in_database.index("Cấp giấy")


@pytest.mark.smoke
def test_sort_keys_follow_renames_and_order_sectors_and_agencies(index_page):
    sector = factories.sector("Việc làm")
    other = factories.sector("Bảo trợ xã hội")
    factories.sector("Đào tạo")
    assert list(Sector.objects.values_list("name", flat=True)) == ["Bảo trợ xã hội", "Đào tạo", "Việc làm"]
    moved = factories.procedure(index_page, title="Zô thủ tục", sector=sector)
    factories.procedure(index_page, title="Ăn thủ tục", sector=other)
    assert list(ProcedurePage.objects.order_by("list_key").values_list("title", flat=True)) == [
        "Ăn thủ tục",
        "Zô thủ tục",
    ]
    sector.name = "An toàn lao động"
    sector.save(update_fields=["name"])
    assert Sector.objects.get(pk=sector.pk).sort_key == vietnamese_collation_key("An toàn lao động")
    assert Sector.objects.first() == sector
    # Lists sort by sector first: the renamed sector's procedures move with it.
    assert ProcedurePage.objects.order_by("list_key").values_list("pk", flat=True).first() == moved.pk
    factories.agency("Ủy ban nhân dân tỉnh")
    factories.agency("Sở Y tế")
    names = list(Agency.objects.values_list("name", flat=True))  # the procedures' agencies too
    assert names == sorted_vietnamese(names) and names.index("Sở Y tế") < names.index("Ủy ban nhân dân tỉnh")
