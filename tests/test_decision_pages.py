"""Decision pages list what each decision announced, read from the published version records.

A procedure amended by a later decision must stay listed on the earlier decision's page (with
the version that decision announced), or a clerk checking the earlier decision cannot trace it.
"""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from tests import factories
from tests.helpers import republish, text_of

pytestmark = [pytest.mark.django_db, pytest.mark.smoke]


def rows_of(response):
    """The announced-versions table, one list of cell texts per row."""
    html = response.content.decode()
    table = re.search(r'<table class="announced-versions">.*?</table>', html, flags=re.S)
    if table is None:
        return []
    body = table.group(0).split("<tbody>", 1)[1]
    return [
        [" ".join(re.sub(r"<[^>]+>", " ", cell).split()) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", body, flags=re.S)
    ]


@pytest.fixture
def amended(index_page):
    """Version 1 under decision 100 (old title), version 2 under decision 200 (new title)."""
    first = factories.decision("100/QĐ-UBND", datetime.date(2022, 1, 1))
    second = factories.decision("200/QĐ-UBND", datetime.date(2023, 6, 1))
    page = factories.procedure(index_page, title="Trợ cấp mai táng", code="1.001731", announcing_decision=first)
    page = republish(page, second, datetime.date(2023, 6, 1), change_note="Sửa đổi", title="Trợ cấp mai táng (sửa đổi)")
    return page, first, second


def test_earlier_decision_still_lists_the_version_it_announced(client, amended):
    page, first, _second = amended
    response = client.get(first.get_absolute_url())
    assert response.status_code == 200
    assert rows_of(response) == [
        [
            "1.001731",
            "Trợ cấp mai táng",
            "Bảo trợ xã hội",
            "Ban hành mới",
            "Phiên bản 1",
            "10/05/2022",
            "Đã có phiên bản mới hơn: xem phiên bản hiện hành (số 2)",
        ]
    ]
    html = response.content.decode()
    assert f'<a href="{page.url}phien-ban/1/">Phiên bản 1</a>' in html
    assert f'<a href="{page.url}">xem phiên bản hiện hành (số 2)</a>' in html
    assert "Không có thủ tục" not in text_of(response)


def test_later_decision_lists_the_current_version_marked_as_such(client, amended):
    page, _first, second = amended
    response = client.get(second.get_absolute_url())
    assert rows_of(response) == [
        [
            "1.001731",
            "Trợ cấp mai táng (sửa đổi)",
            "Bảo trợ xã hội",
            "Sửa đổi, bổ sung",
            "Phiên bản 2",
            "01/06/2023",
            "Phiên bản hiện hành",
        ]
    ]
    assert f'<a href="{page.url}phien-ban/2/">Phiên bản 2</a>' in response.content.decode()


def test_table_is_accessible(client, amended):
    html = client.get(amended[1].get_absolute_url()).content.decode()
    table = re.search(r'<table class="announced-versions">.*?</table>', html, flags=re.S).group(0)
    assert re.search(
        r"<caption[^>]*>Các phiên bản thủ tục hành chính công bố theo Quyết định 100/QĐ-UBND</caption>", table
    )
    assert table.count('<th scope="col">') == 7
    assert '<section aria-labelledby="announced-heading">' in html and 'id="announced-heading"' in html


def test_unpublished_and_private_procedures_are_not_listed(client, index_page):
    decision = factories.decision("300/QĐ-UBND", datetime.date(2024, 1, 1))
    factories.procedure(index_page, title="Thủ tục công khai", announcing_decision=decision)
    withdrawn = factories.procedure(index_page, title="Thủ tục đã gỡ", announcing_decision=decision)
    withdrawn.unpublish()
    private = factories.procedure(index_page, title="Thủ tục nội bộ", announcing_decision=decision)
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.PASSWORD, password="x")
    rows = rows_of(client.get(decision.get_absolute_url()))
    assert [row[1] for row in rows] == ["Thủ tục công khai"]


def test_decision_without_public_versions_says_so(client, index_page):
    decision = factories.decision("400/QĐ-UBND", datetime.date(2024, 2, 1))
    response = client.get(decision.get_absolute_url())
    assert response.status_code == 200
    assert rows_of(response) == []
    assert "Không có thủ tục đang công khai nào được công bố theo quyết định này." in text_of(response)


def test_versions_follow_vietnamese_order_of_sector_then_title(client, index_page):
    # Code-point order would put "Đ" after "T" and "Ă" after "B".
    decision = factories.decision("500/QĐ-UBND", datetime.date(2024, 3, 1))
    for title, sector in [
        ("Trợ giúp khẩn cấp", "Bảo trợ xã hội"),
        ("Đăng ký cai nghiện", "Phòng, chống tệ nạn xã hội"),
        ("Đăng ký hỗ trợ", "Bảo trợ xã hội"),
        ("Ăn chia", "Bảo trợ xã hội"),
        ("Bồi dưỡng", "Phòng, chống tệ nạn xã hội"),
    ]:
        factories.procedure(index_page, title=title, sector=factories.sector(sector), announcing_decision=decision)
    rows = rows_of(client.get(decision.get_absolute_url()))
    assert [(row[2], row[1]) for row in rows] == [
        ("Bảo trợ xã hội", "Ăn chia"),
        ("Bảo trợ xã hội", "Đăng ký hỗ trợ"),
        ("Bảo trợ xã hội", "Trợ giúp khẩn cấp"),
        ("Phòng, chống tệ nạn xã hội", "Bồi dưỡng"),
        ("Phòng, chống tệ nạn xã hội", "Đăng ký cai nghiện"),
    ]


def test_query_count_does_not_grow_with_the_versions_listed(client, index_page, settings):
    settings.PAGE_CACHE_SECONDS = 0  # the page as rendered, not its cached copy
    few = factories.decision("600/QĐ-UBND", datetime.date(2024, 4, 1))
    many = factories.decision("700/QĐ-UBND", datetime.date(2024, 5, 1))
    factories.procedure(index_page, announcing_decision=few)
    for _ in range(6):
        factories.procedure(index_page, announcing_decision=many)
    client.get(few.get_absolute_url())  # warm the site-root cache shared by both pages

    def queries(decision):
        with CaptureQueriesContext(connection) as captured:
            assert len(rows_of(client.get(decision.get_absolute_url()))) >= 1
        return len(captured)

    assert queries(many) == queries(few)
    assert queries(many) <= 10
