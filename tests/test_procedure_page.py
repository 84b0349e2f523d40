"""The procedure page a citizen can act on: the summary at the top (time limit, fees, where to go,
the online link, the forms with format and size), agencies with their contacts, each time limit
said once, no empty column, the printed sheet's header, what a shared link previews (meta
description, Open Graph) and the favicon. Browser checks (phone layout, the printed PDF, the
citizen's journey on a phone) are in tests/browser/."""

import datetime
import html
import re

import pytest
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.utils import timezone

from cms import procedure_summary
from cms.formatting import file_size
from cms.models import DepartmentSettings, ProcedureAgency, SubmissionChannel
from cms.templatetags.procedure_sheet import qr_data_uri
from tests import factories
from tests.helpers import republish, text_of

pytestmark = [pytest.mark.django_db, pytest.mark.smoke]

PORTAL_URL = "https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh-chi-tiet.html?ma_thu_tuc=1.001731"
HOURS = "Sáng 7h30–11h30, chiều 13h30–17h00, từ thứ Hai đến thứ Sáu"


def summary_of(response):
    """The text of the summary section (what a citizen reads before anything else)."""
    page = response.content.decode()
    section = re.search(r'<section class="summary".*?</section>', page, flags=re.S)
    assert section, "the page has no summary"
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", section.group(0))).split())


def meta(response, attribute, name):
    page = response.content.decode()
    found = re.findall(rf'<meta {attribute}="{re.escape(name)}" content="([^"]*)">', page)
    assert len(found) == 1, f"{name}: {found}"
    return html.unescape(found[0])


def free_channels():
    return [
        SubmissionChannel(channel="in_person", time_limit_days=5, fee_amount=0, charge_amount=0),
        SubmissionChannel(channel="postal", time_limit_days=5, fee_amount=None, charge_amount=None),
    ]


def procedure_with(index_page, title, code="", **relations):
    """A published procedure (every field filled in, tests.factories) with ``relations`` (its
    channels, agencies...) in place of the factory's, in its first version."""
    page = factories.procedure(index_page, title=title, code=code, publish=False)
    for name, rows in relations.items():
        setattr(page, name, rows)
    page.save_revision().publish()
    return page


def contact_agency():
    return factories.agency(
        "Ủy ban nhân dân phường Trung Tâm",
        address="Số 3 đường Mẫu, phường Trung Tâm",
        phone="0200 3 111 222",
        opening_hours=HOURS,
    )


# --- the summary ----------------------------------------------------------------------------------


def test_summary_comes_first_with_fees_per_channel_online_link_and_forms(client, index_page):
    agency = contact_agency()
    page = factories.procedure(
        index_page, title="Hỗ trợ chi phí mai táng", code="1.001731", online_submission_url=PORTAL_URL
    )
    page = republish(
        page,
        effective_date=datetime.date(2022, 6, 1),
        change_note="Bổ sung địa chỉ",
        agency_roles=[ProcedureAgency(role="implementing", agency=agency)],
    )
    response = client.get(page.url)
    page_html = response.content.decode()
    summary = summary_of(response)
    # Before the national standard's sections.
    assert page_html.index('id="s-summary"') < page_html.index('id="s-steps"') < page_html.index('id="s-channels"')
    # Time limits differ by channel: per channel; fees too, in VND.
    assert "Thời hạn giải quyết Trực tiếp: 5 ngày làm việc Trực tuyến: 5 ngày làm việc kể từ ngày nhận đủ hồ sơ" in (
        summary
    )
    assert (
        "Phí, lệ phí Trực tiếp: Không mất phí Trực tuyến: Phí: 150.000 đồng; Lệ phí: 50.000 đồng; Lệ phí cấp giấy"
        in (summary)
    )
    # Where to go: the receiving address, then the implementing agency's contacts.
    assert (
        "Nơi nộp hồ sơ Bộ phận một cửa UBND cấp xã Ủy ban nhân dân phường Trung Tâm "
        f"Địa chỉ: Số 3 đường Mẫu, phường Trung Tâm Thời gian tiếp nhận: {HOURS} Điện thoại: 0200 3 111 222"
    ) in summary
    assert '<a href="tel:02003111222">0200 3 111 222</a>' in page_html
    # The online link, a button-like link to the portal, saying where it leads.
    assert f'<a class="button online-submit" href="{html.escape(PORTAL_URL)}">Nộp hồ sơ trực tuyến</a>' in page_html
    assert "trên dichvucong.gov.vn" in summary
    # The forms, with format and size, linking the exact published file.
    document = page.dossier_components.first().form.document
    size = file_size(document.file_size)
    assert f"Mẫu số 04: Tờ khai đề nghị hỗ trợ chi phí mai táng Tải về: Mẫu số 04, DOCX, {size}" in summary
    assert f'<a class="summary-file" href="{document.url}" download>' in page_html


def test_summary_without_fees_or_online_link(client, index_page):
    page = procedure_with(index_page, "Xác nhận hồ sơ", submission_channels=free_channels())
    response = client.get(page.url)
    summary = summary_of(response)
    # One time limit for every channel: said once, without naming the channels.
    assert "Thời hạn giải quyết 5 ngày làm việc Phí, lệ phí Không mất phí Nơi nộp hồ sơ" in summary
    assert "Trực tiếp" not in summary
    assert "online-submit" not in response.content.decode()
    assert "Nộp hồ sơ trực tuyến" not in summary


def test_online_link_only_for_the_version_in_force(client, index_page):
    """An old version or an abolished procedure is there to be read: no link to submit."""
    page = factories.procedure(index_page, title="Thủ tục có nộp trực tuyến", online_submission_url=PORTAL_URL)
    page = republish(page, effective_date=datetime.date(2023, 1, 1), change_note="Sửa đổi")
    assert "online-submit" in client.get(page.url).content.decode()
    assert "online-submit" not in client.get(f"{page.url}phien-ban/1/").content.decode()
    assert "online-submit" in client.get(f"{page.url}phien-ban/2/").content.decode()
    decision = factories.decision("845/QĐ-UBND", datetime.date(2025, 7, 1))
    page = republish(page, decision, datetime.date(2025, 7, 1), change_type="abolished", change_note="Bãi bỏ")
    assert "online-submit" not in client.get(page.url).content.decode()


def test_time_limit_is_said_once_and_empty_columns_are_left_out(client, index_page):
    channels = [
        SubmissionChannel(
            channel="in_person",
            time_limit_days=5,
            time_limit_text="05 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ",
            fee_amount=0,
            charge_amount=0,
        )
    ]
    page = procedure_with(index_page, "Thủ tục một thời hạn", submission_channels=channels)
    response = client.get(page.url)
    text = text_of(response)
    assert "5 ngày làm việc 05 ngày làm việc" not in text
    channels_table = re.search(r'id="s-channels".*?</table>', response.content.decode(), flags=re.S).group(0)
    assert channels_table.count("ngày làm việc") == 1
    assert ">Mô tả<" not in channels_table  # no notes anywhere: no column
    assert "Thời hạn giải quyết 05 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ Phí, lệ phí" in summary_of(response)

    page = republish(
        page,
        effective_date=datetime.date(2023, 1, 1),
        change_note="Ghi chú",
        submission_channels=[
            SubmissionChannel(channel="in_person", time_limit_days=5, notes="Nộp tại Bộ phận một cửa")
        ],
    )
    text = text_of(client.get(page.url))
    assert "Hình thức nộp Thời hạn giải quyết Phí, lệ phí Mô tả Trực tiếp 5 ngày làm việc" in text
    assert "Nộp tại Bộ phận một cửa" in text


@pytest.mark.parametrize(
    "channel, expected",
    [
        ({"time_limit_days": 5, "time_limit_text": ""}, "5 ngày làm việc"),
        (
            {"time_limit_days": 5, "time_limit_text": "kể từ ngày nhận đủ hồ sơ"},
            "5 ngày làm việc kể từ ngày nhận đủ hồ sơ",
        ),
        ({"time_limit_days": 7, "time_limit_text": "Không quá 07 ngày làm việc"}, "Không quá 07 ngày làm việc"),
        (
            {"time_limit_days": 5, "time_limit_text": "15 ngày làm việc ở cấp tỉnh"},
            "5 ngày làm việc 15 ngày làm việc ở cấp tỉnh",
        ),
        ({"time_limit_days": None, "time_limit_text": "Trong ngày"}, "Trong ngày"),
    ],
)
def test_channel_time_limit(channel, expected):
    assert procedure_summary.channel_time_limit(channel) == expected


@pytest.mark.parametrize(
    "channel, expected",
    [
        ({"fee_amount": 0, "charge_amount": 0, "fee_description": ""}, "Không mất phí"),
        ({"fee_amount": None, "charge_amount": None, "fee_description": ""}, "Không mất phí"),
        ({"fee_amount": 1500000, "charge_amount": 0, "fee_description": ""}, "Phí: 1.500.000 đồng"),
        (
            {"fee_amount": None, "charge_amount": None, "fee_description": "Theo Thông tư 85/2019/TT-BTC"},
            "Theo Thông tư 85/2019/TT-BTC",
        ),
    ],
)
def test_channel_fee(channel, expected):
    assert procedure_summary.channel_fee(channel) == expected


@pytest.mark.parametrize(
    "phone, tel",
    [
        ("0200 3 111 222", "02003111222"),
        ("+84 200 3111222", "+842003111222"),
        ("0200 3 111 222 – máy lẻ 12", ""),
        ("", ""),
    ],
)
def test_only_a_diallable_phone_is_linked(phone, tel):
    assert procedure_summary.dialable(phone) == tel


# --- agencies -------------------------------------------------------------------------------------


def test_agencies_show_address_phone_and_hours(client, index_page):
    with_contacts = contact_agency()
    without = factories.agency("Chủ tịch Ủy ban nhân dân cấp xã")
    page = procedure_with(
        index_page,
        "Thủ tục có địa chỉ cơ quan",
        agency_roles=[
            ProcedureAgency(role="implementing", agency=with_contacts),
            ProcedureAgency(role="competent", agency=without),
        ],
    )
    response = client.get(page.url)
    section = re.search(r'<h2 id="s-agencies">.*?</section>', response.content.decode(), flags=re.S).group(0)
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", section)).split())
    assert text.startswith(
        "Cơ quan thực hiện Vai trò Tên cơ quan Địa chỉ Thời gian tiếp nhận hồ sơ Điện thoại "
        "Cơ quan thực hiện Ủy ban nhân dân phường Trung Tâm Số 3 đường Mẫu, phường Trung Tâm "
        f"{HOURS} 0200 3 111 222 "
        "Cơ quan có thẩm quyền Chủ tịch Ủy ban nhân dân cấp xã — — —"
    ), text
    assert 'data-label="Điện thoại"' in section  # labelled rows on a phone

    # Without any contact (a version published before agencies had them): no empty columns.
    bare = factories.procedure(index_page, title="Thủ tục không có địa chỉ")
    section = re.search(r'<h2 id="s-agencies">.*?</section>', client.get(bare.url).content.decode(), flags=re.S).group(
        0
    )
    assert "Địa chỉ" not in section and "Điện thoại" not in section


def test_snapshots_keep_the_contacts_they_were_published_with(client, index_page):
    agency = contact_agency()
    page = procedure_with(
        index_page, "Thủ tục đổi số điện thoại", agency_roles=[ProcedureAgency(role="implementing", agency=agency)]
    )
    agency.phone = "0200 3 999 999"
    agency.save()
    page = republish(page, effective_date=datetime.date(2023, 1, 1), change_note="Đổi số điện thoại")
    assert "0200 3 111 222" in text_of(client.get(f"{page.url}phien-ban/1/"))
    assert "0200 3 999 999" in text_of(client.get(page.url))


# --- the printed sheet's header -------------------------------------------------------------------


def test_printed_sheet_header_is_rendered_on_the_server(client, index_page):
    settings = DepartmentSettings.objects.get()
    settings.address, settings.hotline = "Số 1 đường Mẫu, phường Trung Tâm", "1900 0000"
    settings.save()
    page = factories.procedure(index_page, title="Thủ tục in phiếu", code="1.001731")
    response = client.get(page.url)
    page_html = response.content.decode()
    header = re.search(r'<div class="sheet-header print-only">.*?</div>\s*</div>', page_html, flags=re.S).group(0)
    header_text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", header)).split())
    today = timezone.localdate().strftime("%d/%m/%Y")
    page_url = f"http://testserver{page.url}"
    assert "Sở Lao động – Thương binh và Xã hội" in header_text
    assert "Địa chỉ: Số 1 đường Mẫu, phường Trung Tâm" in header_text
    assert "Đường dây nóng: 1900 0000" in header_text
    assert f"Trang của thủ tục: {page_url}" in header_text
    assert f"In ngày {today}" in header_text
    assert f'<img class="qr" src="{html.escape(qr_data_uri(page_url))}"' in header
    assert (
        '<p class="sheet-version print-only">Phiên bản 1, hiệu lực từ 10/05/2022, theo Quyết định 1023/QĐ-UBND</p>'
        in (page_html)
    )
    # Each form: its absolute address and a QR code.
    document = page.dossier_components.first().form.document
    assert f"http://testserver{document.url}" in page_html
    assert html.escape(qr_data_uri(f"http://testserver{document.url}")) in page_html
    # The public site's policy: no inline style or script, QR codes as data: images.
    assert " style=" not in page_html and "<script>" not in page_html


def test_printed_sheet_of_an_old_version_leads_back_to_that_version(client, index_page):
    page = factories.procedure(index_page, title="Thủ tục hai phiên bản")
    page = republish(page, effective_date=datetime.date(2023, 1, 1), change_note="Sửa đổi")
    text = text_of(client.get(f"{page.url}phien-ban/1/"))
    assert f"Trang của thủ tục: http://testserver{page.url}phien-ban/1/" in text
    assert "Phiên bản 1, hiệu lực từ 10/05/2022, theo Quyết định 1023/QĐ-UBND" in text


# --- what a shared link previews --------------------------------------------------------------------


def test_procedure_meta_description_and_open_graph(client, index_page):
    page = procedure_with(index_page, "Hỗ trợ chi phí mai táng", code="1.001731", submission_channels=free_channels())
    response = client.get(page.url)
    description = meta(response, "name", "description")
    assert description == (
        "Hỗ trợ chi phí mai táng (mã 1.001731): thời hạn giải quyết 5 ngày làm việc; không mất phí. "
        "Trình tự, hồ sơ, biểu mẫu và nơi nộp hồ sơ."
    )
    assert meta(response, "property", "og:description") == description
    assert meta(response, "property", "og:title") == "Hỗ trợ chi phí mai táng"
    assert meta(response, "property", "og:url") == f"http://testserver{page.url}"
    assert meta(response, "property", "og:type") == "article"
    assert meta(response, "property", "og:site_name") == "Sở Lao động – Thương binh và Xã hội"
    assert meta(response, "property", "og:locale") == "vi_VN"
    assert "<title>Hỗ trợ chi phí mai táng – Sở Lao động – Thương binh và Xã hội</title>" in response.content.decode()


def test_description_with_fees_names_them(client, index_page):
    page = factories.procedure(index_page, title="Cấp giấy phép", code="1.014199")
    description = meta(client.get(page.url), "name", "description")
    assert description.startswith(
        "Cấp giấy phép (mã 1.014199): thời hạn giải quyết Trực tiếp: 5 ngày làm việc; Trực tuyến: 5 ngày làm việc "
        "kể từ ngày nhận đủ hồ sơ; phí, lệ phí: Trực tiếp: Không mất phí; Trực tuyến: Phí: 150.000 đồng;"
    ), description


def test_every_public_page_has_a_description_and_open_graph(client, index_page):
    procedure = factories.procedure(index_page, title="Thủ tục mẫu & thử")
    procedure = republish(procedure, effective_date=datetime.date(2023, 1, 1), change_note="Sửa đổi")
    decision = procedure.announcing_decision
    paths = [
        "/",
        "/thu-tuc/",
        "/thu-tuc/bo-thu-tuc-hien-hanh/",
        "/tim-kiem/?q=th%E1%BB%A7+t%E1%BB%A5c+%26+m%E1%BA%ABu",
        "/quyet-dinh/",
        decision.get_absolute_url(),
        f"{procedure.url}phien-ban/1/",
        f"{procedure.url}so-sanh/?tu=1&den=2",
    ]
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        title = re.search(r"<title>(.*?) – Sở Lao động", response.content.decode()).group(1)
        assert meta(response, "property", "og:title") == html.unescape(title), path
        description = meta(response, "name", "description")
        assert len(description) > 40 and "&amp;" not in description, (path, description)
        assert meta(response, "property", "og:description") == description
        assert meta(response, "property", "og:url").startswith("http://testserver/"), path
        assert meta(response, "property", "og:locale") == "vi_VN"
    # A version page says which version it is, and where it is.
    response = client.get(f"{procedure.url}phien-ban/1/")
    assert meta(response, "property", "og:url") == f"http://testserver{procedure.url}phien-ban/1/"
    assert "Thủ tục mẫu & thử" in meta(response, "name", "description")


def test_favicon_is_linked_and_served(client, index_page):
    page_html = client.get("/").content.decode()
    assert f'<link rel="icon" href="{static("favicon.ico")}" sizes="32x32">' in page_html
    assert f'<link rel="icon" href="{static("favicon.svg")}" type="image/svg+xml">' in page_html
    for name in ("favicon.ico", "favicon.svg"):
        assert finders.find(name), name
    with open(finders.find("favicon.ico"), "rb") as handle:
        assert handle.read(4) == b"\x00\x00\x01\x00"  # an ICO file
    response = client.get("/favicon.ico")
    assert response.status_code == 302 and response["Location"] == static("favicon.ico")


# --- the demo -------------------------------------------------------------------------------------


class TestTheDemo:
    """The demo as ``load_demo`` builds it, loaded once for the class (conftest.class_transaction)."""

    @pytest.fixture(scope="class")
    @classmethod
    def demo(cls, class_transaction):
        from cms.demo.loader import DemoLoader, read_fixture

        DemoLoader(read_fixture()).load()

    def test_the_2025_version_follows_the_reorganisation(self, demo, client):
        """The district level was abolished on 01/07/2025: the version in force from that day names
        no district agency or level (../shared/data/README.md)."""
        from cms.models import ProcedurePage

        burial = ProcedurePage.objects.get(code="1.001731")
        versions = {version.number: version for version in burial.versions.all()}
        before, after = versions[2].snapshot, versions[3].snapshot
        assert versions[3].effective_date == datetime.date(2025, 7, 1)
        assert "Cấp huyện" in before["levels"] and after["levels"] == ["Cấp xã"]
        assert [(agency["role_code"], agency["name"]) for agency in after["agencies"]] == [
            ("implementing", "Phòng Văn hóa – Xã hội cấp xã"),
            ("competent", "Ủy ban nhân dân cấp xã"),
            ("coordinating", "Sở Y tế"),
        ]
        assert not any("huyện" in agency["name"] for agency in after["agencies"])
        assert "huyện" not in after["receiving_address"]
        text = text_of(client.get(burial.url))
        assert "Cấp thực hiện Cấp xã" in text and "Sở Y tế" in text

    def test_agencies_have_contacts_and_online_procedures_a_portal_link(self, demo, client):
        from cms.demo.loader import read_fixture
        from cms.models import Agency, ProcedurePage

        for agency in Agency.objects.all():
            assert agency.address and agency.opening_hours, agency
        assert Agency.objects.get(slug="so-ldtbxh").phone == "0200 3 000 000"
        with_link = 0
        for item in read_fixture()["procedures"]:
            page = ProcedurePage.objects.get(slug=item["slug"])
            online = any(channel["channel"] == "online" for channel in item["channels"])
            if item["code"] and online:
                assert page.online_submission_url == f"{PORTAL_URL.rsplit('=', 1)[0]}={item['code']}"
                with_link += 1
            else:
                assert page.online_submission_url == "", page
        assert with_link >= 5
        burial = ProcedurePage.objects.get(code="1.001731")
        assert f'href="{html.escape(burial.online_submission_url)}">Nộp hồ sơ trực tuyến</a>' in (
            client.get(burial.url).content.decode()
        )

    def test_a_second_load_fills_contacts_only_where_none_were_set(self, demo):
        from cms.demo.loader import DemoLoader, read_fixture
        from cms.models import Agency

        Agency.objects.filter(slug="ubnd-xa").update(address="", phone="", opening_hours="")
        Agency.objects.filter(slug="so-noi-vu").update(address="", phone="0200 9 999 999", opening_hours="")
        DemoLoader(read_fixture()).load()
        assert Agency.objects.get(slug="ubnd-xa").address.startswith("Bộ phận Một cửa")
        edited = Agency.objects.get(slug="so-noi-vu")
        assert (edited.address, edited.phone) == ("", "0200 9 999 999")
