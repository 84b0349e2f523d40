"""The procedure page in Chromium: on a 375 px phone every wide table becomes labelled rows and
nothing scrolls sideways; printed on A4 it is the counter's guidance sheet (department, version,
print date, absolute addresses, QR codes that lead back to the page and its forms, no navigation
nor history), checked in the PDF Chromium prints."""

import io
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import DEFAULT_TIMEOUT_MS, PROCEDURE_PATH

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 740}

# Each stacked table's cells: shown as blocks, each labelled by its data-label.
_STACKED_JS = """() => [...document.querySelectorAll("table.stack")].map((table) => ({
  display: getComputedStyle(table).display,
  head: table.tHead ? getComputedStyle(table.tHead).display : "none",
  cells: [...table.querySelectorAll("td[data-label]")].map((cell) => ({
    label: cell.dataset.label,
    before: getComputedStyle(cell, "::before").content,
    width: cell.getBoundingClientRect().width,
  })),
}))"""


@pytest.fixture
def phone(browser):
    context = browser.new_context(
        viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True, locale="vi-VN", accept_downloads=True
    )
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    yield context.new_page()
    context.close()


def test_wide_tables_become_labelled_rows_on_a_phone(phone, site_url):
    pages = {
        "procedure": PROCEDURE_PATH,
        "old version": PROCEDURE_PATH + "phien-ban/1/",
        "comparison": PROCEDURE_PATH + "so-sanh/?tu=1&den=3",
        "comparison of neighbours": PROCEDURE_PATH + "so-sanh/?tu=2&den=3",
    }
    for name, path in pages.items():
        phone.goto(site_url + path)
        expect(phone.locator("h1")).to_have_count(1)
        widths = phone.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1] == PHONE["width"], f"{name} scrolls sideways: {widths}"
        tables = phone.evaluate(_STACKED_JS)
        assert tables, f"{name}: no stacked table"
        for table in tables:
            assert (table["display"], table["head"]) == ("block", "none"), (name, table)
            for cell in table["cells"]:
                assert cell["before"] == f'"{cell["label"]}"', (name, cell)
                # A cell takes the row's whole width: text reads in lines, not a word per line.
                assert cell["width"] > 280, (name, cell)

    # The procedure page itself: the summary first, then the tables as labelled rows.
    phone.goto(site_url + PROCEDURE_PATH)
    summary = phone.locator("section.summary")
    expect(summary).to_be_visible()
    assert summary.bounding_box()["y"] < 2 * PHONE["height"]
    history_note = phone.locator(".version-history td[data-label='Nội dung thay đổi']").first
    assert history_note.bounding_box()["width"] > 280
    for label in ("Thời hạn giải quyết", "Phí, lệ phí", "Bản chính", "Địa chỉ", "Nội dung thay đổi"):
        expect(phone.locator(f"td[data-label='{label}']").first).to_be_visible()


def _pdf_of(page, url):
    page.goto(url)
    expect(page.locator("#procedure-title")).to_be_visible()
    page.emulate_media(media="print")
    return page.pdf(format="A4", prefer_css_page_size=True)


def _text(pdf):
    return "\n".join(pdf[number].get_textpage().get_text_range() for number in range(len(pdf)))


def _urls_joined(text):
    """The PDF's text with its lines joined, so that an address broken across lines reads whole
    (PDFium marks a hyphen at a line's end as U+FFFE)."""
    return re.sub(r"\s*[\r\n]+\s*", "", text.replace("\ufffe", "-"))


def test_printed_guidance_sheet(page, site_url):
    """The PDF Chromium prints: its pages, its text (pypdfium2) and its QR codes (zxing-cpp)."""
    import pypdfium2
    import zxingcpp

    from cms.models import DepartmentSettings, ProcedurePage

    department = DepartmentSettings.objects.get()
    procedure = ProcedurePage.objects.get(code="1.001731")
    version = procedure.versions.order_by("-number").first()
    form = procedure.dossier_components.exclude(form=None).first().form
    page_url = site_url + PROCEDURE_PATH

    pdf = pypdfium2.PdfDocument(io.BytesIO(_pdf_of(page, page_url)))
    assert 1 <= len(pdf) <= 4, f"{len(pdf)} pages"
    text = _text(pdf)
    flat = re.sub(r"\s+", " ", text)
    today = timezone.localdate().strftime("%d/%m/%Y")
    for expected in (
        department.department_name,
        f"Địa chỉ: {department.address}",
        f"Đường dây nóng: {department.hotline}",
        "Phiếu hướng dẫn thực hiện thủ tục hành chính".upper(),
        f"In ngày {today}",
        "Mã thủ tục: 1.001731",
        procedure.title,
        f"Phiên bản {version.number}, hiệu lực từ {version.effective_date:%d/%m/%Y}, "
        f"theo Quyết định {version.decision.number}",
        "Tóm tắt",
        "Thành phần hồ sơ",
    ):
        assert expected in flat, f"{expected!r} not printed:\n{flat[:3000]}"
    # Every printed address is absolute: the page's, and each document's.
    joined = _urls_joined(text)
    assert page_url in joined
    assert "/tai-lieu/" in joined
    for match in re.finditer(r"/tai-lieu/", joined):
        assert joined[: match.start()].endswith(site_url), joined[max(0, match.start() - 60) : match.end() + 20]
    # Neither navigation, search, history nor comparison.
    for absent in ("Lịch sử phiên bản", "So sánh", "Trang chủ", "Tìm thủ tục", "Xem phiên bản có hiệu lực", "In phiếu"):
        assert absent not in flat, absent

    # The QR codes: the page's, and one per form leading to its file.
    image = pdf[0].render(scale=300 / 72).to_pil()
    decoded = {result.text for result in zxingcpp.read_barcodes(image)}
    assert page_url in decoded, decoded
    printed = form.print_document or form.document  # the PDF to print when the form has one
    file_url = site_url + printed.url
    assert file_url in decoded, decoded
    # ...and the file that address serves is the published one.
    response = page.request.get(file_url)
    assert response.ok
    with printed.file.open("rb") as stored:
        assert response.body() == stored.read()
    pdf.close()


def test_printed_old_version_says_which_version(page, site_url):
    import pypdfium2

    pdf = pypdfium2.PdfDocument(io.BytesIO(_pdf_of(page, site_url + PROCEDURE_PATH + "phien-ban/1/")))
    text = _text(pdf)
    assert "Phiên bản 1, hiệu lực từ 10/05/2022, theo Quyết định 1023/QĐ-UBND" in re.sub(r"\s+", " ", text)
    assert site_url + PROCEDURE_PATH + "phien-ban/1/" in _urls_joined(text)
    assert 1 <= len(pdf) <= 4
    pdf.close()
