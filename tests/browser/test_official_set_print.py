"""The official set filtered for a commune's counter, on screen and printed: the table takes the
whole width (the print button beside it used to narrow it), and the printed sheet is the
filtered list with what it is filtered by, without the form, the downloads or the button."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

OFFICIAL_SET = "/thu-tuc/bo-thu-tuc-hien-hanh/"
A4_CONTENT_WIDTH = 680  # px at 96 dpi: 210 mm less the print stylesheet's 15 mm margins


def table_fills_main(page):
    table = page.locator("table.official-set").bounding_box()
    main = page.evaluate(
        "() => { const m = document.querySelector('main'); const s = getComputedStyle(m);"
        " return m.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight); }"
    )
    return table["width"] >= main - 2, (table["width"], main)


def test_the_filtered_official_set_prints_across_the_whole_width(page, site_url):
    from cms.models import ProcedurePage

    commune = ProcedurePage.objects.in_force().filter(levels__slug="cap-xa").count()
    assert 0 < commune < ProcedurePage.objects.in_force().count()

    page.goto(site_url + OFFICIAL_SET)
    page.select_option("#f-level", "cap-xa")  # the filter form works without JavaScript: a GET
    page.get_by_role("button", name="Lọc", exact=True).click()
    page.wait_for_url(re.compile(r"[?&]cap=cap-xa"))
    expect(page.locator("table.official-set tbody tr")).to_have_count(commune)
    expect(page.locator(".print-button")).to_have_text("In danh mục đang lọc")
    fills, widths = table_fills_main(page)
    assert fills, f"on screen the table is narrower than the page: {widths}"

    page.set_viewport_size({"width": A4_CONTENT_WIDTH, "height": 960})
    page.emulate_media(media="print")
    for hidden in ("form.filters", ".official-set-actions", ".print-button", "nav.pagination"):
        for element in page.locator(hidden).all():
            expect(element).to_be_hidden()
    expect(page.locator(".official-set-filters")).to_contain_text("Cấp thực hiện: Cấp xã")
    expect(page.locator("table.official-set tbody tr")).to_have_count(commune)
    fills, widths = table_fills_main(page)
    assert fills, f"printed, the table is narrower than the sheet: {widths}"
    assert page.locator("table.official-set").evaluate("t => getComputedStyle(t).breakInside") == "auto"
