"""A citizen on a 375 px phone: searches "tro cap mai tang" (no diacritics, as phones are typed),
opens the funeral-support procedure, reads the summary at the top, and downloads its form in both
formats from the summary, getting byte for byte the files that were published."""

import datetime
import re

import pytest
from django.core.files.base import ContentFile
from playwright.sync_api import expect

from tests.browser.conftest import DEFAULT_TIMEOUT_MS, PROCEDURE_PATH

pytestmark = pytest.mark.browser

PROCEDURE_TITLE = "Hỗ trợ chi phí mai táng cho đối tượng bảo trợ xã hội"
FORM_CODE = "Mẫu số 04"


def _form_with_both_files(browser):
    """Mẫu số 04 of 1.001731 with a DOCX to fill in and a PDF to print, as the current version
    publishes it. The demo gives it both; were it only a DOCX, a PDF (printed by Chromium) is
    added through the models and reaches the page with the procedure's next version."""
    from wagtail.documents import get_document_model

    from cms.models import Form, ProcedurePage
    from tests.helpers import republish

    procedure = ProcedurePage.objects.get(code="1.001731")
    form = Form.objects.get(pk=procedure.dossier_components.exclude(form=None).first().form_id)
    if form.print_document_id is None:
        context = browser.new_context()
        page = context.new_page()
        page.set_content(f"<h1>{FORM_CODE}</h1><p>{form.title}</p>")
        pdf = page.pdf(format="A4")
        context.close()
        document = get_document_model()(title=f"{FORM_CODE} (PDF)", collection=form.document.collection)
        document.file.save("mau-so-04-ban-in.pdf", ContentFile(pdf), save=False)
        document.save()
        form.print_document = document
        form.save_revision().publish()
        current = procedure.versions.order_by("-number").first()
        republish(
            procedure,
            effective_date=current.effective_date + datetime.timedelta(days=1),
            change_note="Bổ sung bản PDF của Mẫu số 04",
        )
        form.refresh_from_db()
    return form


def test_citizen_on_a_phone_finds_reads_and_downloads(browser, site_url):
    form = _form_with_both_files(browser)
    context = browser.new_context(
        viewport={"width": 375, "height": 740},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="vi-VN",
        accept_downloads=True,
    )
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    try:
        page = context.new_page()
        page.goto(site_url + "/")
        search = page.locator("#home-q")
        search.fill("tro cap mai tang")
        search.press("Enter")
        expect(page).to_have_url(re.compile(r"/tim-kiem/\?q=tro\+cap\+mai\+tang"))

        page.locator("ol.search-result-list").get_by_role("link", name=PROCEDURE_TITLE, exact=True).click()
        expect(page).to_have_url(re.compile(re.escape(PROCEDURE_PATH) + "$"))
        expect(page.get_by_role("heading", level=1)).to_have_text(PROCEDURE_TITLE)

        # The summary answers how long, how much, where and what to bring, near the top.
        summary = page.locator("section.summary")
        expect(summary.get_by_role("heading", name="Tóm tắt")).to_be_visible()
        for label in ("Thời hạn giải quyết", "Phí, lệ phí", "Nơi nộp hồ sơ", "Biểu mẫu cần tải"):
            expect(summary.locator("dt", has_text=label)).to_be_visible()
        expect(summary).to_contain_text("ngày làm việc")
        expect(summary).to_contain_text("Không mất phí")
        expect(summary.get_by_role("link", name="Nộp hồ sơ trực tuyến")).to_be_visible()
        assert summary.bounding_box()["y"] < 2 * 740, "the summary is too far down on a phone"
        widths = page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1] == 375, widths

        # Both files of the form, from the summary: the DOCX to fill in, the PDF to print.
        for extension, document in (("DOCX", form.document), ("PDF", form.print_document)):
            link = summary.locator("a.summary-file", has_text=extension)
            expect(link).to_have_count(1)
            expect(link).to_have_accessible_name(re.compile(rf"^{FORM_CODE}, {extension}, \d+ KB$"))
            with page.expect_download() as download_info:
                link.click()
            download = download_info.value
            assert download.failure() is None, download.failure()
            assert download.suggested_filename.lower().endswith("." + extension.lower()), download.suggested_filename
            with open(download.path(), "rb") as downloaded, document.file.open("rb") as stored:
                assert downloaded.read() == stored.read(), f"the {extension} differs from the published file"
    finally:
        context.close()
