"""The forms library (/bieu-mau/), where a form is used (admin), the official set's filters and
exports, and the demo's form files (a PDF to print beside the DOCX).

Most tests are smoke tests: they need no service and run on SQLite too.
"""

import csv
import datetime
import io
import json
import re

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.documents import get_document_model

from cms import forms_library
from cms.admin.form_usage import form_usage
from cms.demo.form_files import make_form_pdf
from cms.demo.loader import DemoLoader, read_fixture
from cms.document_checks import check_document_content
from cms.formatting import file_size
from cms.models import DossierComponent, Form, ProcedurePage, ProcedureVersion, site_pages
from search.vietnamese import sorted_vietnamese
from tests import factories
from tests.helpers import as_user, republish, text_of

pytestmark = [pytest.mark.django_db, pytest.mark.smoke]

LIBRARY = "/bieu-mau/"
OFFICIAL_SET = "/thu-tuc/bo-thu-tuc-hien-hanh/"


# --- building content -----------------------------------------------------------------------------


def pdf_document(code, title):
    document = get_document_model()(title=f"{code} {title} (PDF)")
    document.file.save(f"{code.replace(' ', '-')}.pdf", ContentFile(make_form_pdf(code, title)), save=False)
    document.save()
    return document


def published_form(code, title, legal=None, pdf=False):
    form = factories.form(code=code, title=title, legal=legal)
    if pdf:
        form.print_document = pdf_document(code, title)
        form.save_revision().publish()
    return Form.objects.get(pk=form.pk)


def procedure_using(index, forms, title, sector, levels=None, code="", publish=True):
    """A published procedure whose dossier uses ``forms`` (and no other form)."""
    page = factories.procedure(index, title=title, code=code, sector=sector, add=False)
    stray = page.dossier_components.all()[0].form  # the factory's own form, unused from here on
    page.dossier_components = [
        DossierComponent(name=f"Giấy tờ {number}", originals=1, form=form) for number, form in enumerate(forms)
    ]
    if levels:
        page.levels = levels
    index.add_child(instance=page)
    if publish:
        page.save_revision().publish()
    else:
        page.unpublish()
    stray.delete()
    stray.document.delete()
    return ProcedurePage.objects.get(pk=page.pk)


@pytest.fixture
def library(index_page):
    """Two sectors; forms used in one, in both, by no procedure, only in a draft; one with a PDF."""
    social = factories.sector("Bảo trợ xã hội")
    merit = factories.sector("Người có công")
    decree = factories.legal_document("20/2021/NĐ-CP")
    forms = {
        "funeral": published_form("Mẫu số 04", "Tờ khai đề nghị hỗ trợ chi phí mai táng", decree, pdf=True),
        "proxy": published_form("Mẫu số 02", "Giấy ủy quyền"),
        "unused": published_form("Mẫu số 09", "Bản khai thông tin người có công"),
        "grave": published_form("Mẫu số 11", "Đơn đề nghị thăm viếng mộ liệt sĩ"),
    }
    draft = Form.objects.get(pk=factories.form(code="Mẫu số 99", title="Ấn phẩm chưa duyệt").pk)
    draft.unpublish()
    forms["draft"] = Form.objects.get(pk=draft.pk)
    funeral = procedure_using(
        index_page,
        [forms["funeral"], forms["proxy"], forms["funeral"]],
        "Hỗ trợ chi phí mai táng",
        social,
        code="1.001731",
    )
    visit = procedure_using(index_page, [forms["grave"], forms["proxy"]], "Thăm viếng mộ liệt sĩ", merit)
    procedure_using(index_page, [forms["draft"]], "Thủ tục chưa công bố", social, publish=False)
    return {"forms": forms, "social": social, "merit": merit, "funeral": funeral, "visit": visit}


def library_blocks(response):
    """Each form's block of the library, by its heading's text ("Mẫu số 04: Tờ khai ...")."""
    html = response.content.decode()
    blocks = re.findall(r'<li class="library-form">(.*?)</li>\s*(?=<li class="library-form">|</ol>)', html, re.S)
    named = {}
    for block in blocks:
        heading = re.search(r'<h2 class="library-form-title">(.*?)</h2>', block, re.S).group(1)
        named[re.sub(r"<[^>]+>", "", heading).strip()] = block
    return named


# --- the forms library ----------------------------------------------------------------------------


def test_library_lists_every_live_form_with_its_procedures_sectors_and_files(client, library):
    response = client.get(LIBRARY)
    assert response.status_code == 200
    blocks = library_blocks(response)
    forms = library["forms"]
    assert set(blocks) == {
        "Mẫu số 04: Tờ khai đề nghị hỗ trợ chi phí mai táng",
        "Mẫu số 02: Giấy ủy quyền",
        "Mẫu số 09: Bản khai thông tin người có công",
        "Mẫu số 11: Đơn đề nghị thăm viếng mộ liệt sĩ",
    }, "only live forms, each once"
    funeral = blocks["Mẫu số 04: Tờ khai đề nghị hỗ trợ chi phí mai táng"]
    assert "Nghị định 20/2021/NĐ-CP" in funeral
    assert f'href="{library["funeral"].url}"' in funeral
    assert funeral.count(library["funeral"].url) == 1, "a form twice in one procedure: the procedure once"
    assert "Thủ tục chưa công bố" not in response.content.decode()
    # Each file: its format and size in Vietnamese, linked to the form's stable URL.
    form = forms["funeral"]
    docx_url = reverse("form_file", args=(form.pk, "docx"))
    pdf_url = reverse("form_file", args=(form.pk, "pdf"))
    assert re.search(rf'href="{docx_url}">.*?DOCX, {file_size(form.document.file_size)}</a>', funeral)
    assert re.search(rf'href="{pdf_url}">.*?PDF, {file_size(form.print_document.file_size)}</a>', funeral)
    assert re.search(r"(DOCX|PDF), \d+ KB", funeral)
    # A form used in two sectors names both; one used nowhere says so.
    proxy = blocks["Mẫu số 02: Giấy ủy quyền"]
    assert "Bảo trợ xã hội; Người có công" in text_of_html(proxy)
    assert proxy.index("Hỗ trợ chi phí mai táng") < proxy.index("Thăm viếng mộ liệt sĩ")
    assert (
        "Không có thủ tục đang có hiệu lực nào sử dụng mẫu này."
        in blocks["Mẫu số 09: Bản khai thông tin người có công"]
    )
    assert f'href="{reverse("form_file", args=(forms["unused"].pk, "docx"))}"' in response.content.decode()


def text_of_html(html):
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_library_lists_only_procedures_in_force(client, library, index_page):
    funeral = library["funeral"]
    ProcedurePage.objects.filter(pk=funeral.pk).update(
        change_type="abolished", effective_date=datetime.date(2024, 1, 1)
    )
    blocks = library_blocks(client.get(LIBRARY))
    assert "Hỗ trợ chi phí mai táng" not in blocks["Mẫu số 04: Tờ khai đề nghị hỗ trợ chi phí mai táng"]
    assert "Thăm viếng mộ liệt sĩ" in blocks["Mẫu số 02: Giấy ủy quyền"]


def test_library_is_filtered_by_sector_with_a_plain_form(client, library):
    response = client.get(LIBRARY)
    html = response.content.decode()
    form_html = re.search(r'<form class="filters" method="get" action="([^"]+)">(.*?)</form>', html, re.S)
    assert form_html.group(1) == LIBRARY
    assert '<select id="f-form-sector" name="linh-vuc">' in form_html.group(2)
    assert '<button type="submit">' in form_html.group(2)
    assert '<label for="f-form-sector">' in form_html.group(2)
    # Sectors with the number of published forms their procedures use (the draft form not counted).
    assert '<option value="bao-tro-xa-hoi">Bảo trợ xã hội (2)</option>' in html
    assert '<option value="nguoi-co-cong">Người có công (2)</option>' in html

    filtered = client.get(LIBRARY, {"linh-vuc": "nguoi-co-cong"})
    assert set(library_blocks(filtered)) == {"Mẫu số 02: Giấy ủy quyền", "Mẫu số 11: Đơn đề nghị thăm viếng mộ liệt sĩ"}
    assert "Có 2 biểu mẫu" in text_of(filtered)
    assert '<option value="nguoi-co-cong" selected>' in filtered.content.decode()
    assert "<h1>Biểu mẫu: Người có công</h1>" in filtered.content.decode()
    # A slug naming nothing is no filter, never an error.
    assert len(library_blocks(client.get(LIBRARY, {"linh-vuc": "khong-co"}))) == 4


def test_library_in_vietnamese_order_and_paginated(client, index_page, monkeypatch):
    titles = ["Đơn đề nghị", "Dạy nghề", "Ăn ở", "An toàn", "Bản khai", "Âm thanh", "Cấp giấy"]
    for number, title in enumerate(titles):
        published_form(f"Mẫu số {number:02d}", title)
    listed = [heading.split(": ", 1)[1] for heading in library_blocks(client.get(LIBRARY))]
    assert listed == sorted_vietnamese(titles)
    assert listed[:3] == ["An toàn", "Ăn ở", "Âm thanh"]

    monkeypatch.setattr(forms_library, "PAGE_SIZE", 3)
    social = factories.sector("Bảo trợ xã hội")
    procedure_using(index_page, list(Form.objects.all()), "Thủ tục dùng mọi mẫu", social)
    second = client.get(LIBRARY, {"linh-vuc": "bao-tro-xa-hoi", "trang": 2})
    assert [heading.split(": ", 1)[1] for heading in library_blocks(second)] == sorted_vietnamese(titles)[3:6]
    html = second.content.decode()
    assert "Trang 2/3" in text_of(second)
    assert 'href="?linh-vuc=bao-tro-xa-hoi&amp;trang=3"' in html
    assert 'href="?linh-vuc=bao-tro-xa-hoi&amp;trang=1"' in html
    assert '<ol class="form-library" start="4">' in html


def test_the_main_navigation_links_the_library(client, library):
    for path in ("/", LIBRARY, OFFICIAL_SET):
        nav = re.search(r'<nav class="main-nav".*?</nav>', client.get(path).content.decode(), re.S).group(0)
        assert f'<a href="{LIBRARY}">Biểu mẫu</a>' in nav


def test_the_sitemap_lists_the_library(client, library):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    locations = re.findall(r"<loc>([^<]+)</loc>", response.content.decode())
    assert any(location.endswith(LIBRARY) for location in locations)
    assert any(location.endswith(library["funeral"].url) for location in locations), "the pages are still there"
    assert not any("/tai-ve." in location for location in locations), "form files are no pages to index"


def test_a_published_form_reaches_the_cached_library(client, library):
    first = client.get(LIBRARY)
    assert client.get(LIBRARY)["X-Page-Cache"] == "hit"
    published_form("Mẫu số 30", "Tờ khai mới ban hành")
    again = client.get(LIBRARY)
    assert again["X-Page-Cache"] == "miss"
    assert "Tờ khai mới ban hành" in again.content.decode()
    assert "Tờ khai mới ban hành" not in first.content.decode()
    # A draft of a live form changes nothing public (its title stays, and so does its order).
    form = Form.objects.get(code="Mẫu số 30")
    form.title = "Tiêu đề bản nháp"
    form.save_revision()
    assert Form.objects.get(pk=form.pk).title == "Tờ khai mới ban hành"
    assert "Tiêu đề bản nháp" not in client.get(LIBRARY).content.decode()


def populate(index_page, count):
    """``count`` more forms, each used by two procedures, over sectors as many as a third of them."""
    existing = Form.objects.count()
    sectors = [factories.sector(f"Lĩnh vực thử {n}") for n in range(count // 3 + 1)]
    for number in range(existing, existing + count):
        form = published_form(f"Mẫu số {number:03d}", f"Tờ khai thử số {number:03d}", pdf=number % 2 == 0)
        for copy in range(2):
            procedure_using(index_page, [form], f"Thủ tục {number:03d}-{copy}", sectors[number % len(sectors)])


def queries_of(client, urls):
    """The queries each URL costs, after a first request has read what is read once per process
    or remembered per publication."""
    for url in urls:
        client.get(url)
    counted = []
    for url in urls:
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        counted.append(len(context.captured_queries))
    return counted


def test_library_costs_the_same_queries_at_any_size(client, index_page, settings, django_assert_max_num_queries):
    settings.PAGE_CACHE_SECONDS = 0  # the page as rendered, not its cached copy
    urls = [LIBRARY, LIBRARY + "?linh-vuc=linh-vuc-thu-0", LIBRARY + "?trang=2"]

    populate(index_page, 3)
    small = queries_of(client, urls)
    populate(index_page, 9)
    assert queries_of(client, urls) == small
    for url in urls:
        with django_assert_max_num_queries(12):
            client.get(url)


# --- where a form is used (admin) ----------------------------------------------------------------


def test_the_form_edit_view_shows_procedures_and_published_versions(client, users, library):
    form = library["forms"]["proxy"]
    visit = library["visit"]
    # The visit procedure drops the form in its next version: version 1 still carries it.
    republish(
        visit,
        decision=factories.decision("77/QĐ-UBND", effective_date=datetime.date(2024, 3, 1)),
        change_note="Bỏ giấy ủy quyền",
        dossier_components=[DossierComponent(name="Đơn", originals=1, form=library["forms"]["grave"])],
    )
    as_user(client, users, "editor")
    response = client.get(reverse("wagtailsnippets_cms_form:edit", args=(form.pk,)))
    assert response.status_code == 200
    html = response.content.decode()
    panel = html[html.index('class="form-usage"') :]
    current = panel[panel.index("Thủ tục đang sử dụng mẫu này") : panel.index("Phiên bản đã công bố có mẫu này")]
    assert "Hỗ trợ chi phí mai táng" in current
    assert "Thăm viếng mộ liệt sĩ" not in current
    assert reverse("wagtailadmin_pages:edit", args=(library["funeral"].pk,)) in current
    assert "Đang có hiệu lực" in current
    published = panel[panel.index("Phiên bản đã công bố có mẫu này") :]
    assert "Thăm viếng mộ liệt sĩ" in published and "Phiên bản 1" in published
    assert visit.url + "phien-ban/1/" in published
    assert form.document.filename in published
    # Both numbers of the funeral procedure's only version, and the current one marked.
    usage = form_usage(form)
    assert [(row["title"], row["number"], row["is_current"]) for row in usage["versions"]] == [
        ("Hỗ trợ chi phí mai táng", 1, True),
        ("Thăm viếng mộ liệt sĩ", 1, False),
    ]


def test_a_new_form_has_no_usage_panel_and_an_unused_one_says_so(client, users, library):
    as_user(client, users, "editor")
    assert "form-usage" not in client.get(reverse("wagtailsnippets_cms_form:add")).content.decode()
    unused = library["forms"]["unused"]
    html = client.get(reverse("wagtailsnippets_cms_form:edit", args=(unused.pk,))).content.decode()
    assert "Chưa có thủ tục đang công khai nào sử dụng mẫu này." in html
    assert "Chưa có phiên bản thủ tục đã công bố nào có mẫu này." in html


def test_versions_naming_a_form_are_found_by_id_not_by_a_prefix(library):
    proxy = library["forms"]["proxy"]
    found = ProcedureVersion.objects.naming_form(proxy.pk)
    assert {version.page_id for version in found} == {library["funeral"].pk, library["visit"].pk}
    missing = max(Form.objects.values_list("pk", flat=True)) * 10 + proxy.pk  # ends with the same digits
    assert ProcedureVersion.objects.naming_form(missing) == []


# --- the official set's filters ----------------------------------------------------------------------


@pytest.fixture
def official(index_page, library):
    """Levels: the funeral procedure at commune level, the visit procedure at province level."""
    commune = factories.level("cap-xa", "Cấp xã", 3)
    through = ProcedurePage.levels.through
    through.objects.filter(procedurepage_id=library["funeral"].pk).delete()
    through.objects.create(procedurepage_id=library["funeral"].pk, implementationlevel_id=commune.pk)
    ProcedurePage.objects.filter(pk=library["funeral"].pk).update(level_set=f"|{commune.pk}|")
    return library


def test_the_official_set_is_filtered_by_level_sector_and_agency(client, official):
    everything = client.get(OFFICIAL_SET)
    assert "2 thủ tục đang có hiệu lực" in text_of(everything)
    commune = client.get(OFFICIAL_SET, {"cap": "cap-xa"})
    text = text_of(commune)
    assert "1 thủ tục đang có hiệu lực" in text
    assert "Hỗ trợ chi phí mai táng" in text and "Thăm viếng mộ liệt sĩ" not in text
    assert "Đang lọc: Cấp thực hiện: Cấp xã" in text
    html = commune.content.decode()
    assert f'<form class="filters" method="get" action="{OFFICIAL_SET}">' in html
    assert '<option value="cap-xa" selected>Cấp xã (1)</option>' in html
    assert '<option value="cap-tinh">Cấp tỉnh (1)</option>' in html
    assert "Bộ thủ tục hành chính hiện hành (Cấp thực hiện: Cấp xã)" in html  # the title, printed on each sheet
    merit = text_of(client.get(OFFICIAL_SET, {"linh-vuc": "nguoi-co-cong"}))
    assert "Thăm viếng mộ liệt sĩ" in merit and "Hỗ trợ chi phí mai táng" not in merit
    nobody = text_of(client.get(OFFICIAL_SET, {"cap": "cap-xa", "linh-vuc": "nguoi-co-cong"}))
    assert "0 thủ tục đang có hiệu lực" in nobody
    assert "2 thủ tục đang có hiệu lực" in text_of(client.get(OFFICIAL_SET, {"cap": "khong-co"}))


def test_the_official_set_downloads_and_print_keep_the_filters(client, official, monkeypatch):
    html = client.get(OFFICIAL_SET, {"cap": "cap-xa"}).content.decode()
    for extension in ("xlsx", "csv", "json"):
        assert f'href="{reverse("official_set_export", args=(extension,))}?cap=cap-xa"' in html
    assert '<button type="button" class="print-button">In danh mục đang lọc</button>' in html
    # The print button prints the page: the filtered list, with what it is filtered by.
    assert 'class="print-button"' in html and "Đang lọc" in html
    unfiltered = client.get(OFFICIAL_SET).content.decode()
    assert f'href="{reverse("official_set_export", args=("csv",))}"' in unfiltered

    export = reverse("official_set_export", args=("json",))
    response = client.get(export, {"cap": "cap-xa"})
    assert [item["name"] for item in json.loads(response.content)["procedures"]] == ["Hỗ trợ chi phí mai táng"]
    assert "bo-thu-tuc-hanh-chinh-cap-xa-" in response["Content-Disposition"]
    assert len(json.loads(client.get(export).content)["procedures"]) == 2  # the whole set without filters
    rows = csv.reader(io.StringIO(client.get(reverse("official_set_export", args=("csv",)), {"cap": "cap-xa"}).text))
    assert "Thăm viếng mộ liệt sĩ" not in str(list(rows))

    # Pagination keeps the filters too.
    monkeypatch.setattr(site_pages, "OFFICIAL_SET_PAGE_SIZE", 1)
    agency = factories.agency().slug  # both procedures'
    two_pages = client.get(OFFICIAL_SET, {"co-quan": agency}).content.decode()
    assert f'href="?co-quan={agency}&amp;trang=2"' in two_pages


def test_the_printed_official_set_uses_the_whole_width():
    """The print rules for the official set (browser check: tests/browser/test_official_set_print.py)."""
    from pathlib import Path

    css = (Path(__file__).resolve().parent.parent / "static" / "css" / "print.css").read_text()
    official = css[css.index("/* The official set") :]
    assert "table.official-set { width: 100%" in official
    assert "break-inside: auto" in official  # split between pages, not pushed whole to a new one
    assert ".official-set-actions { display: none" in official


def test_the_official_set_costs_the_same_queries_filtered(client, index_page, settings):
    settings.PAGE_CACHE_SECONDS = 0
    urls = [OFFICIAL_SET + "?cap=cap-tinh", OFFICIAL_SET + "?co-quan=" + factories.agency().slug]

    populate(index_page, 2)
    small = queries_of(client, urls)
    populate(index_page, 6)
    assert queries_of(client, urls) == small


# --- the demo's form files -------------------------------------------------------------------------


def test_the_demo_pdf_is_a_valid_one_page_pdf():
    pdf = make_form_pdf("Mẫu số 04", "Tờ khai đề nghị hỗ trợ chi phí mai táng", "Nghị định 20/2021/NĐ-CP")
    check_document_content("mau-so-04.pdf", pdf)  # the upload checks: no ValidationError
    assert pdf.startswith(b"%PDF-1.4\n") and pdf.rstrip().endswith(b"%%EOF")
    assert b"(Mau so 04) Tj" in pdf and b"TO KHAI DE NGHI HO TRO CHI PHI MAI TANG" in pdf
    assert b"/Count 1" in pdf
    # The cross-reference table points at each object exactly.
    xref = int(re.search(rb"startxref\n(\d+)\n", pdf).group(1))
    assert pdf[xref:].startswith(b"xref\n")
    offsets = [int(offset) for offset in re.findall(rb"(\d{10}) 00000 n ", pdf)]
    for number, offset in enumerate(offsets, start=1):
        assert pdf[offset:].startswith(b"%d 0 obj\n" % number)
    # The Vietnamese title is kept in the document information (UTF-16BE).
    title = re.search(rb"/Title <([0-9A-F]+)>", pdf).group(1)
    assert bytes.fromhex(title.decode()).decode("utf-16") == "Mẫu số 04 Tờ khai đề nghị hỗ trợ chi phí mai táng"


def test_the_demo_fixture_forms_are_named_and_listed_once_per_case():
    data = read_fixture()
    with_pdf = [item for item in data["forms"] if item.get("print_pdf")]
    assert len(with_pdf) >= 3
    for item in data["forms"]:
        assert not re.fullmatch(r"Mẫu( số)? ?\d+\w*", item["title"]), f"{item['code']} has no real title"
    for procedure in data["procedures"]:
        named = [
            (component["case_label"], component["form"]) for component in procedure["dossier"] if component["form"]
        ]
        assert len(named) == len(set(named)), f"{procedure['slug']} lists a form twice"


def test_the_demo_loader_gives_some_forms_a_pdf_that_passes_the_upload_checks(settings, tmp_path, site_tree):
    settings.MEDIA_ROOT = tmp_path
    loader = DemoLoader(read_fixture())
    loader.load_legal_documents()
    loader.load_forms()
    with_pdf = Form.objects.filter(print_document__isnull=False).select_related("print_document")
    assert with_pdf.count() >= 3
    for form in with_pdf:
        document = form.print_document
        assert document.file_extension == "pdf"
        with document.file.open("rb") as stored:
            check_document_content(document.filename, stored.read())
        assert document.file_size and document.file_hash
        assert [file.file_extension for file in form.documents()] == ["docx", "pdf"]
    assert Form.objects.get(code="Mẫu số 22").title == "Bản đăng ký tự nguyện cai nghiện"
