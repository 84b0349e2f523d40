"""The public pages: every field of a procedure, the index filters, decisions, odd input."""

import pytest

from cms.models import DepartmentSettings
from tests import factories
from tests.helpers import listed_titles, text_of

pytestmark = [pytest.mark.django_db, pytest.mark.smoke]


def test_procedure_page_renders_every_field_in_order(client, index_page):
    """Issue 2's order: ... result; requirements; related procedures; legal basis; decision."""
    from cms.models import RelatedProcedure

    related = factories.procedure(index_page, title="Trợ giúp xã hội khẩn cấp")
    page = factories.procedure(
        index_page,
        title="Hỗ trợ chi phí mai táng cho đối tượng bảo trợ xã hội",
        code="1.001731",
        change_note="Sửa đổi mức hỗ trợ",
        related_procedures=[RelatedProcedure(procedure=related)],
    )
    response = client.get(page.url)
    assert response.status_code == 200
    text = text_of(response)
    decision = page.announcing_decision
    component_form = page.dossier_components.first().form
    expected_in_order = [
        "Mã thủ tục: 1.001731",
        "Hỗ trợ chi phí mai táng cho đối tượng bảo trợ xã hội",
        "Phiên bản chính thức hiện hành",
        "có hiệu lực từ 10/05/2022",
        "Lĩnh vực Bảo trợ xã hội",
        "Cấp thực hiện Cấp tỉnh",
        "Loại thủ tục TTHC không được luật giao cho địa phương quy định hoặc quy định chi tiết",
        "Mức độ dịch vụ công Dịch vụ công trực tuyến một phần",
        "Trình tự thực hiện",
        "Nộp hồ sơ (02 ngày làm việc) Nộp tại UBND cấp xã",
        "Xét duyệt (03 ngày làm việc) Phòng thẩm định",
        "Cách thức thực hiện",
        "Trực tiếp 5 ngày làm việc Không thu phí, lệ phí",
        "Trực tuyến 5 ngày làm việc kể từ ngày nhận đủ hồ sơ Phí: 150.000 đồng Lệ phí: 50.000 đồng Lệ phí cấp giấy",
        "Thành phần hồ sơ",
        "Trường hợp 1: người chết là đối tượng",
        f"Tờ khai đề nghị {component_form.code}: {component_form.title}",
        "Bản sao giấy chứng tử — 0 1",
        "Số lượng hồ sơ: 1 bộ",
        "Đối tượng thực hiện Cơ quan, tổ chức, cá nhân tổ chức mai táng",
        "Cơ quan thực hiện Sở Lao động – Thương binh và Xã hội",
        "Cơ quan có thẩm quyền Chủ tịch Ủy ban nhân dân cấp huyện",
        "Cơ quan phối hợp Ủy ban nhân dân cấp xã",
        "Địa chỉ tiếp nhận hồ sơ Bộ phận một cửa UBND cấp xã",
        "Kết quả thực hiện Quyết định hỗ trợ chi phí mai táng",
        "Yêu cầu, điều kiện thực hiện Đối tượng đang hưởng trợ cấp xã hội hằng tháng",
        "Thủ tục liên quan Trợ giúp xã hội khẩn cấp",
        "Căn cứ pháp lý",
        "Nghị định 20/2021/NĐ-CP (Điều 11) Quy định chính sách trợ giúp xã hội 15/03/2021 Chính phủ",
        f"Quyết định công bố {decision.number} – {decision.title}",
        "Ngày có hiệu lực 10/05/2022",
        "Loại thay đổi Ban hành mới: Sửa đổi mức hỗ trợ",
    ]
    position = 0
    for fragment in expected_in_order:
        found = text.find(fragment, position)
        assert found >= 0, f"not found after position {position}: {fragment!r}\n{text[position : position + 600]}"
        position = found + len(fragment)
    assert f'href="{component_form.document.url}"' in response.content.decode()


def test_related_procedures_are_linked_when_live(client, index_page):
    from cms.models import RelatedProcedure

    other = factories.procedure(index_page, title="Trợ giúp xã hội khẩn cấp")
    page = factories.procedure(index_page, title="Hỗ trợ mai táng", publish=False)
    page.related_procedures = [RelatedProcedure(procedure=other)]
    page.save_revision().publish()
    response = client.get(page.url)
    assert f'<a href="{other.url}">Trợ giúp xã hội khẩn cấp</a>' in response.content.decode()


def test_draft_procedure_is_not_public(client, index_page):
    draft = factories.procedure(index_page, title="Thủ tục đang soạn thảo", publish=False)
    assert client.get(f"/thu-tuc/{draft.slug}/").status_code == 404
    assert "Thủ tục đang soạn thảo" not in text_of(client.get("/thu-tuc/"))
    assert "Thủ tục đang soạn thảo" not in text_of(client.get("/tim-kiem/?q=dang+soan+thao"))


def test_home_page_shows_search_sectors_with_counts_and_latest_changes(client, index_page):
    protection = factories.sector("Bảo trợ xã hội")
    children = factories.sector("Trẻ em")
    factories.procedure(index_page, title="Thủ tục A", sector=protection)
    factories.procedure(index_page, title="Thủ tục B", sector=protection)
    factories.procedure(index_page, title="Thủ tục C", sector=children)
    response = client.get("/")
    text = text_of(response)
    assert 'action="/tim-kiem/"' in response.content.decode()
    assert "Bảo trợ xã hội 2 thủ tục" in text
    assert "Trẻ em 1 thủ tục" in text
    assert "Thay đổi gần đây" in text and "Thủ tục C" in text
    assert "3 thủ tục đang công khai" in text


def test_lists_follow_vietnamese_alphabetical_order(client, index_page):
    # Code-point order (and SQLite's/PostgreSQL's collations) would put "Đ" after "T", "Ă" after "B".
    for name, title in [
        ("Trẻ em", "Ăn trưa bán trú"),
        ("Đào tạo", "Bảo lưu kết quả"),
        ("Dân số", "Cấp thẻ"),
        ("Đào tạo", "Ân hạn học phí"),
    ]:
        factories.procedure(index_page, title=title, sector=factories.sector(name))
    home = text_of(client.get("/"))
    assert home.index("Dân số") < home.index("Đào tạo") < home.index("Trẻ em")
    index = text_of(client.get("/thu-tuc/"))
    assert (
        index.index("Cấp thẻ")
        < index.index("Ân hạn học phí")
        < index.index("Bảo lưu kết quả")
        < index.index("Ăn trưa bán trú")
    )
    official = text_of(client.get("/thu-tuc/bo-thu-tuc-hien-hanh/"))
    assert official.index("Cấp thẻ") < official.index("Ân hạn học phí") < official.index("Ăn trưa bán trú")


def test_sample_data_banner_follows_the_setting(client, index_page):
    assert "Dữ liệu mẫu." in text_of(client.get("/"))
    settings = DepartmentSettings.objects.get()
    settings.show_sample_data_banner = False
    settings.save()
    assert "Dữ liệu mẫu." not in text_of(client.get("/"))


def test_department_comes_from_site_settings(client, index_page):
    settings = DepartmentSettings.objects.get()
    settings.department_name = "Sở Nội vụ"
    settings.save()
    assert "Sở Nội vụ" in text_of(client.get("/"))


class TestIndexFilters:
    """Three procedures in two sectors and two levels, built once for the class's tests, which
    only read them (conftest.class_transaction)."""

    @pytest.fixture(scope="class")
    @classmethod
    def filtered_set(cls, class_transaction):
        index_page = factories.site_tree()[1]
        province, commune = factories.level("cap-tinh", "Cấp tỉnh", 1), factories.level("cap-xa", "Cấp xã", 3)
        protection, children = factories.sector("Bảo trợ xã hội"), factories.sector("Trẻ em")
        factories.procedure(index_page, title="Thủ tục tỉnh bảo trợ", sector=protection)
        b = factories.procedure(index_page, title="Thủ tục xã bảo trợ", sector=protection)
        b.levels = [commune]
        b.save_revision().publish()
        c = factories.procedure(index_page, title="Thủ tục xã trẻ em", sector=children)
        c.levels = [commune]
        c.agency_roles = []
        c.save_revision().publish()
        return {"province": province, "commune": commune, "protection": protection, "children": children}

    def test_index_lists_everything_with_count(self, client, filtered_set):
        response = client.get("/thu-tuc/")
        assert sorted(listed_titles(response)) == ["Thủ tục tỉnh bảo trợ", "Thủ tục xã bảo trợ", "Thủ tục xã trẻ em"]
        assert "Tìm thấy 3 thủ tục" in text_of(response)

    def test_index_filters_by_sector_level_and_agency(self, client, filtered_set):
        response = client.get("/thu-tuc/", {"linh-vuc": filtered_set["protection"].slug})
        assert sorted(listed_titles(response)) == ["Thủ tục tỉnh bảo trợ", "Thủ tục xã bảo trợ"]
        response = client.get("/thu-tuc/", {"cap": "cap-xa"})
        assert sorted(listed_titles(response)) == ["Thủ tục xã bảo trợ", "Thủ tục xã trẻ em"]
        response = client.get("/thu-tuc/", {"cap": "cap-xa", "linh-vuc": filtered_set["protection"].slug})
        assert listed_titles(response) == ["Thủ tục xã bảo trợ"]
        assert "Tìm thấy 1 thủ tục" in text_of(response)
        agency = factories.agency()
        response = client.get("/thu-tuc/", {"co-quan": agency.slug})
        assert sorted(listed_titles(response)) == ["Thủ tục tỉnh bảo trợ", "Thủ tục xã bảo trợ"]
        # The filter options show counts.
        assert f'value="{filtered_set["protection"].slug}"' in response.content.decode()
        assert "Cấp xã (2)" in text_of(client.get("/thu-tuc/"))

    def test_sector_page_lists_only_that_sector(self, client, filtered_set):
        response = client.get(f"/thu-tuc/linh-vuc/{filtered_set['children'].slug}/")
        assert response.status_code == 200
        assert listed_titles(response) == ["Thủ tục xã trẻ em"]
        assert "Lĩnh vực: Trẻ em" in text_of(response)
        assert client.get("/thu-tuc/linh-vuc/khong-co/").status_code == 404

    @pytest.mark.parametrize(
        "query",
        [
            "?trang=abc",
            "?trang=-1",
            "?trang=99999999999999999999",
            "?linh-vuc=%00",
            "?cap=" + "x" * 5000,
            "?co-quan[]=1&cap=%ff",
            "?linh-vuc=<script>",
            "?q=%22",
            "?trang=1e9",
        ],
    )
    def test_odd_query_strings_never_fail(self, client, filtered_set, query):
        assert client.get("/thu-tuc/" + query).status_code == 200
        assert client.get("/tim-kiem/" + query).status_code == 200
        assert client.get("/quyet-dinh/" + query).status_code == 200


def test_index_paginates(client, index_page):
    for number in range(23):
        factories.procedure(index_page, title=f"Thủ tục {number:02d}")
    first = client.get("/thu-tuc/")
    second = client.get("/thu-tuc/", {"trang": 2})
    assert len(listed_titles(first)) == 20 and len(listed_titles(second)) == 3
    assert "Trang 1/2" in text_of(first) and "Tìm thấy 23 thủ tục" in text_of(first)


def test_decision_pages(client, index_page):
    page = factories.procedure(index_page, title="Thủ tục theo quyết định")
    decision = page.announcing_decision
    listing = client.get("/quyet-dinh/")
    assert decision.number in text_of(listing)
    detail = client.get(decision.get_absolute_url())
    assert detail.status_code == 200
    text = text_of(detail)
    assert f"Quyết định {decision.number}" in text and "Thủ tục theo quyết định" in text
    assert "10/05/2022" in text
    assert decision.get_absolute_url() == "/quyet-dinh/1023-qd-ubnd/"


def test_search_finds_with_and_without_diacritics_and_by_code(client, index_page):
    factories.procedure(index_page, title="Đăng ký cai nghiện ma túy tự nguyện", code="1.010941")
    factories.procedure(index_page, title="Trợ giúp xã hội khẩn cấp")
    for query in ["Đăng ký cai nghiện", "dang ky cai nghien", "DANG KY", "1.010941", "1010941"]:
        response = client.get("/tim-kiem/", {"q": query})
        assert listed_titles(response) == ["Đăng ký cai nghiện ma túy tự nguyện"], query
