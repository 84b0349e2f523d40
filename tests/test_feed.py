"""The Atom feeds of published changes (issue 8): site-wide and per sector, parsed as Atom."""

import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def entries(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    assert feed.find(f"{ATOM}title").text
    return [
        {
            "title": entry.find(f"{ATOM}title").text,
            "link": entry.find(f"{ATOM}link").get("href"),
            "summary": entry.find(f"{ATOM}summary").text,
            "id": entry.find(f"{ATOM}id").text,
        }
        for entry in feed.findall(f"{ATOM}entry")
    ]


def test_site_feed_lists_every_published_change_with_its_decision(client, index_page):
    page = factories.procedure(index_page, title="Trợ cấp mai táng", code="1.001731")
    page.change_type, page.change_note = "amended", "Tăng mức hỗ trợ"
    page.announcing_decision = factories.decision("845/QĐ-UBND")
    page.save_revision().publish()
    factories.procedure(index_page, title="Thủ tục còn là bản nháp", publish=False)

    feed = ET.fromstring(client.get(reverse("changes_feed")).content)
    assert feed.find(f"{ATOM}link[@rel='alternate']").get("href") == "http://testserver/"  # the page it follows
    found = entries(client, reverse("changes_feed"))
    titles = [entry["title"] for entry in found]
    assert titles[:2] == ["Sửa đổi, bổ sung: Trợ cấp mai táng", "Ban hành mới: Trợ cấp mai táng"]
    assert not any("bản nháp" in title for title in titles)
    assert "theo Quyết định 845/QĐ-UBND" in found[0]["summary"] and "Tăng mức hỗ trợ" in found[0]["summary"]
    assert "có hiệu lực từ 10/05/2022" in found[0]["summary"]
    assert found[0]["link"].startswith("http://") and found[0]["link"].endswith(f"{page.url}phien-ban/2/")
    assert client.get(found[0]["link"].removeprefix("http://testserver")).status_code == 200


def test_sector_feed_lists_only_that_sector_and_pages_link_to_their_feeds(client, index_page):
    protection = factories.sector("Bảo trợ xã hội")
    merit = factories.sector("Người có công")
    factories.procedure(index_page, title="Trợ cấp bảo trợ", sector=protection)
    factories.procedure(index_page, title="Trợ cấp người có công", sector=merit)

    titles = [entry["title"] for entry in entries(client, reverse("sector_changes_feed", args=(merit.slug,)))]
    assert titles == ["Ban hành mới: Trợ cấp người có công"]
    assert client.get(reverse("sector_changes_feed", args=("khong-co",))).status_code == 404
    sector_feed = ET.fromstring(client.get(reverse("sector_changes_feed", args=(merit.slug,))).content)
    assert sector_feed.find(f"{ATOM}link[@rel='alternate']").get("href").endswith(f"/linh-vuc/{merit.slug}/")

    home = client.get("/").content.decode()
    assert f'type="application/atom+xml" title="Thay đổi thủ tục hành chính" href="{reverse("changes_feed")}"' in home
    sector_page = client.get(f"{index_page.url}linh-vuc/{merit.slug}/").content.decode()
    assert f'href="{reverse("sector_changes_feed", args=(merit.slug,))}"' in sector_page
