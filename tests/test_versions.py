"""Published versions as citizens and staff see them: history, version URLs, comparison,
"in force on", abolished and replaced procedures, the current official set."""

import datetime
import re

import pytest
from django.urls import reverse

from cms.models import ProcedurePage, SubmissionChannel
from tests import factories
from tests.helpers import listed_titles, republish, text_of

pytestmark = [pytest.mark.django_db, pytest.mark.smoke]


def with_fee(page, amount):
    return [
        SubmissionChannel(
            channel=c.channel,
            time_limit_days=c.time_limit_days,
            time_limit_text=c.time_limit_text,
            fee_amount=amount,
            charge_amount=c.charge_amount,
        )
        for c in page.submission_channels.all()
    ]


class TestAProcedurePublishedThreeTimes:
    """One procedure published three times, built once for the class's tests
    (conftest.class_transaction): each reads it afresh and its changes are rolled back after it."""

    @pytest.fixture(scope="class")
    @classmethod
    def built(cls, class_transaction):
        """A procedure published three times under three decisions (its id)."""
        index_page = factories.site_tree()[1]
        d1 = factories.decision("100/QĐ-UBND", datetime.date(2022, 1, 1))
        d2 = factories.decision("200/QĐ-UBND", datetime.date(2023, 6, 1))
        d3 = factories.decision("300/QĐ-UBND", datetime.date(2025, 7, 1))
        page = factories.procedure(index_page, title="Trợ cấp mai táng", code="1.001731", announcing_decision=d1)
        page = republish(
            page, d2, datetime.date(2023, 6, 1), change_note="Tăng phí", submission_channels=with_fee(page, 200000)
        )
        page = republish(page, d3, datetime.date(2025, 7, 1), change_note="Đổi tên", title="Trợ cấp mai táng (sửa đổi)")
        return page.pk

    @pytest.fixture
    def three_versions(self, db, built):
        """The procedure, read afresh for each test."""
        return ProcedurePage.objects.get(pk=built)

    def test_every_publication_is_a_numbered_version(self, three_versions):
        versions = list(three_versions.versions.order_by("number"))
        assert [v.number for v in versions] == [1, 2, 3]
        assert [v.decision.number for v in versions] == ["100/QĐ-UBND", "200/QĐ-UBND", "300/QĐ-UBND"]
        assert [v.effective_date for v in versions] == [
            datetime.date(2022, 5, 10),
            datetime.date(2023, 6, 1),
            datetime.date(2025, 7, 1),
        ]
        assert [v.change_type for v in versions] == ["new", "amended", "amended"]

    def test_public_history_lists_every_version(self, client, three_versions):
        text = text_of(client.get(three_versions.url))
        assert "Lịch sử phiên bản" in text
        assert "Phiên bản 3 (mới nhất) 01/07/2025 Sửa đổi, bổ sung 300/QĐ-UBND Đổi tên" in text
        assert "Phiên bản 2 01/06/2023 Sửa đổi, bổ sung 200/QĐ-UBND Tăng phí" in text
        assert "Phiên bản 1 10/05/2022 Ban hành mới 100/QĐ-UBND" in text
        assert (
            "Phiên bản chính thức hiện hành (phiên bản số 3) · có hiệu lực từ 01/07/2025 · theo Quyết định 300/QĐ-UBND"
            in text
        )

    def test_version_url_renders_that_version_as_published(self, client, three_versions):
        response = client.get(f"{three_versions.url}phien-ban/1/")
        assert response.status_code == 200
        text = text_of(response)
        heading = re.search(r'<h1 id="procedure-title">([^<]+)</h1>', response.content.decode()).group(1)
        assert heading == "Trợ cấp mai táng"
        assert "<title>Trợ cấp mai táng – phiên bản 1 –" in response.content.decode()
        assert "Phiên bản số 1 – không phải phiên bản hiện hành." in text
        assert "Phí: 150.000 đồng" in text  # the online channel's fee in version 1
        assert "Phí: 200.000 đồng" in text_of(client.get(f"{three_versions.url}phien-ban/2/"))
        assert client.get(f"{three_versions.url}phien-ban/4/").status_code == 404

    def test_old_version_keeps_old_names_and_old_form_file(self, client, three_versions):
        version_1_html = client.get(f"{three_versions.url}phien-ban/1/").content.decode()
        old_link = re.search(r'class="form-download" href="([^"]+)"', version_1_html).group(1)
        # The department renames the sector and replaces the form's file (a new document).
        sector = three_versions.sector
        sector.name = "Bảo trợ xã hội (tên mới)"
        sector.save()
        form = three_versions.dossier_components.first().form
        form.document = factories.document("mau-moi.docx", title="Mẫu mới", code=form.code)
        form.save_revision().publish()

        old = client.get(f"{three_versions.url}phien-ban/1/")
        assert "Bảo trợ xã hội (tên mới)" not in text_of(old)
        assert f'href="{old_link}"' in old.content.decode()
        downloaded = client.get(old_link)
        assert downloaded.status_code == 200
        assert b"".join(downloaded.streaming_content if downloaded.streaming else [downloaded.content])[:2] == b"PK"
        # The current page is version 3 exactly as published: still the old file, not a form file
        # approved after it (otherwise "phiên bản số 3" would name two different texts).
        current_html = client.get(three_versions.url).content.decode()
        assert "mau-moi" not in current_html and f'href="{old_link}"' in current_html
        # The procedure's next version picks the new file up, on the page and in phien-ban/4/.
        page = ProcedurePage.objects.get(pk=three_versions.pk)
        page.effective_date += datetime.timedelta(days=30)
        page.change_type, page.change_note = "amended", "Thay mẫu tờ khai"
        page.save_revision().publish()
        assert "mau-moi" in client.get(three_versions.url).content.decode()
        assert "mau-moi" in client.get(f"{three_versions.url}phien-ban/4/").content.decode()

    def test_comparison_highlights_the_changed_fee(self, client, three_versions):
        response = client.get(f"{three_versions.url}so-sanh/", {"tu": 1, "den": 2})
        html = response.content.decode()
        assert response.status_code == 200
        assert "Cách thức thực hiện, thời hạn, phí và lệ phí có thay đổi" in text_of(response)
        assert "<del>150.000</del>" in html and "<ins>200.000</ins>" in html
        changed = re.findall(r'<h2 id="cmp-(\w+)">', html)
        assert changed == ["channels", "decision", "effective_date", "unchanged"]
        # Default: the two latest versions; title change shows.
        default = client.get(f"{three_versions.url}so-sanh/").content.decode()
        assert "<ins>(sửa đổi)</ins>" in default

    @pytest.mark.parametrize(
        "day, number", [("15/03/2023", 1), ("01/06/2023", 2), ("30/06/2025", 2), ("2026-01-01", 3)]
    )
    def test_in_force_on_a_day(self, client, three_versions, day, number):
        response = client.get(f"{three_versions.url}hieu-luc/", {"ngay": day})
        assert response.status_code == 200
        text = text_of(response)
        if number == 3:
            assert "Phiên bản chính thức hiện hành (phiên bản số 3)" in text
        else:
            assert f"Phiên bản số {number} – không phải phiên bản hiện hành." in text

    @pytest.mark.parametrize(
        "day, message",
        [
            ("01/01/2020", "Không có phiên bản nào"),
            ("31/02/2024", "không hợp lệ"),
            ("abc", "không hợp lệ"),
            ("", "không hợp lệ"),
        ],
    )
    def test_in_force_on_a_day_without_a_version(self, client, three_versions, day, message):
        response = client.get(f"{three_versions.url}hieu-luc/", {"ngay": day})
        assert response.status_code == 200 and message in text_of(response)

    def test_current_official_set_for_staff(self, client, three_versions, index_page):
        factories.procedure(index_page, title="Thủ tục thứ hai")
        response = client.get("/thu-tuc/bo-thu-tuc-hien-hanh/")
        text = text_of(response)
        assert "2 thủ tục đang có hiệu lực" in text
        assert "2 1.001731 Trợ cấp mai táng (sửa đổi) Bảo trợ xã hội 3 01/07/2025 300/QĐ-UBND" in text
        assert 'media="print"' in response.content.decode()

    def test_drafts_and_submissions_are_never_public(self, client, three_versions):
        draft = three_versions.get_latest_revision_as_object()
        draft.title = "Bản nháp bí mật"
        draft.submission_channels = with_fee(three_versions, 777000)
        draft.save_revision()
        for url in [
            three_versions.url,
            f"{three_versions.url}phien-ban/3/",
            f"{three_versions.url}phien-ban/4/",
            f"{three_versions.url}so-sanh/",
            "/thu-tuc/",
            "/thu-tuc/bo-thu-tuc-hien-hanh/",
            "/tim-kiem/?q=bi+mat",
            "/",
        ]:
            response = client.get(url)
            assert "Bản nháp bí mật" not in response.content.decode(), url
            assert "777.000" not in response.content.decode(), url
        assert three_versions.versions.count() == 3

    def test_admin_report_lists_changes_by_decision(self, client, admin_user, three_versions):
        client.force_login(admin_user)
        response = client.get(reverse("changes_by_decision"))
        text = text_of(response)
        assert response.status_code == 200
        assert "Quyết định 300/QĐ-UBND" in text and "Quyết định 100/QĐ-UBND" in text
        decision = three_versions.versions.get(number=2).decision
        filtered = text_of(client.get(reverse("changes_by_decision"), {"quyet_dinh": decision.pk}))
        assert "Tăng phí" in filtered and "Đổi tên" not in filtered


def test_comparison_is_404_for_a_single_version(client, index_page):
    page = factories.procedure(index_page)
    assert client.get(f"{page.url}so-sanh/").status_code == 404
    assert client.get(f"{page.url}so-sanh/?tu=abc&den=%00").status_code == 404


def test_abolished_procedure_stays_reachable_but_leaves_the_set(client, index_page):
    keep = factories.procedure(index_page, title="Thủ tục còn hiệu lực")
    page = factories.procedure(index_page, title="Thủ tục bị bãi bỏ", code="1.009999")
    decision = factories.decision("845/QĐ-UBND", datetime.date(2025, 7, 1))
    page = republish(page, decision, datetime.date(2025, 7, 1), change_type="abolished", change_note="Bãi bỏ")
    response = client.get(page.url)
    assert response.status_code == 200
    text = text_of(response)
    assert "Thủ tục đã bị bãi bỏ theo Quyết định 845/QĐ-UBND từ ngày 01/07/2025." in text
    assert "Phiên bản chính thức hiện hành" not in text
    assert listed_titles(client.get("/thu-tuc/")) == [keep.title]
    assert listed_titles(client.get("/tim-kiem/", {"q": "bai bo"})) == []
    assert listed_titles(client.get("/tim-kiem/", {"q": "1.009999"})) == []
    assert "Thủ tục bị bãi bỏ" not in text_of(client.get("/thu-tuc/bo-thu-tuc-hien-hanh/"))


def test_replaced_procedure_links_to_its_replacement(client, index_page):
    new = factories.procedure(index_page, title="Thủ tục mới thay thế")
    old = factories.procedure(index_page, title="Thủ tục cũ")
    old = republish(old, change_type="replaced", replaced_by=new)
    html = client.get(old.url).content.decode()
    assert "Thủ tục đã được thay thế" in html and f'href="{new.url}"' in html
    assert listed_titles(client.get("/thu-tuc/")) == ["Thủ tục mới thay thế"]


def test_agency_named_by_an_old_version_cannot_be_deleted(client, admin_user, index_page):
    from cms.models import Agency, ProcedureAgency

    page = factories.procedure(index_page, title="Thủ tục chuyển cơ quan")
    old_agency = factories.agency("Phòng Lao động – Thương binh và Xã hội")
    page = republish(page, agency_roles=[ProcedureAgency(role="implementing", agency=old_agency)])
    new_agency = factories.agency("Sở Y tế")
    page = republish(page, agency_roles=[ProcedureAgency(role="implementing", agency=new_agency)])
    unused = factories.agency("Cơ quan chưa từng dùng")
    client.force_login(admin_user)

    response = client.post(reverse("wagtailsnippets_cms_agency:delete", args=(old_agency.pk,)))
    assert response.status_code == 302
    assert Agency.objects.filter(pk=old_agency.pk).exists()
    # The old version still names it.
    assert "Phòng Lao động – Thương binh và Xã hội" in text_of(client.get(f"{page.url}phien-ban/2/"))

    client.post(reverse("wagtailsnippets_cms_agency:delete", args=(unused.pk,)))
    assert not Agency.objects.filter(pk=unused.pk).exists()


def test_the_comparison_shows_a_new_online_submission_link():
    from cms.compare import compare_snapshots

    sections = compare_snapshots(
        {"online_submission_url": ""}, {"online_submission_url": "https://dichvucong.gov.vn/p/x"}
    )
    online = next(section for section in sections if section["key"] == "online_submission_url")
    assert online["changed"] and [row[0] for row in online["rows"]] == ["added"]
