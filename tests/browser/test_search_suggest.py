"""Suggestions as you type in headless Chromium: the header search box as a WAI-ARIA combobox
(keyboard, mouse, screen-reader attributes, axe-core), under the site's Content-Security-Policy,
and the plain search form it still is without JavaScript."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DEFAULT_TIMEOUT_MS

pytestmark = pytest.mark.browser

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
RECORD_CSP_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI || "inline"}`);
});
"""


def _type_in_header_box(page, text):
    box = page.locator("#header-q")
    box.fill("")  # on the search page the box holds the query
    box.press_sequentially(text, delay=20)
    listbox = page.get_by_role("listbox", name="Gợi ý thủ tục")
    expect(listbox).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    return box, listbox


def test_keyboard_and_mouse_open_a_suggested_procedure(page, site_url):
    from cms.models import ProcedurePage

    page.context.add_init_script(RECORD_CSP_VIOLATIONS)
    page.goto(site_url + "/")
    box = page.locator("#header-q")
    # Enhanced: a combobox controlling a listbox, the browser's own autofill off.
    expect(box).to_have_attribute("role", "combobox")
    expect(box).to_have_attribute("aria-autocomplete", "list")
    expect(box).to_have_attribute("aria-controls", "header-q-goi-y")
    expect(box).to_have_attribute("autocomplete", "off")
    expect(box).to_have_attribute("aria-expanded", "false")

    box, listbox = _type_in_header_box(page, "tro cap")
    options = listbox.get_by_role("option")
    expect(options.first).to_be_visible()
    count = options.count()
    titles = [title.strip() for title in listbox.locator(".suggest-title").all_text_contents()]
    current = {procedure.title for procedure in ProcedurePage.objects.in_force()}
    assert titles and set(titles) <= current, titles
    # The names with "trợ cấp" itself first, then those with both words apart.
    phrase = ["trợ cấp" in title.lower() for title in titles]
    assert phrase[0] and phrase == sorted(phrase, reverse=True), titles
    # Announced politely, in Vietnamese.
    expect(page.locator("#header-q-goi-y ~ [role=status]")).to_have_text(f"{count} gợi ý")

    # Arrow keys move the active option (the focus stays in the box), wrapping round.
    box.press("ArrowDown")
    expect(box).to_have_attribute("aria-activedescendant", "header-q-goi-y-0")
    expect(options.nth(0)).to_have_attribute("aria-selected", "true")
    expect(box).to_be_focused()
    box.press("ArrowUp")
    expect(box).to_have_attribute("aria-activedescendant", f"header-q-goi-y-{count - 1}")
    expect(options.nth(0)).to_have_attribute("aria-selected", "false")
    box.press("ArrowDown")
    expect(box).to_have_attribute("aria-activedescendant", "header-q-goi-y-0")

    # Escape closes the list and keeps what was typed.
    box.press("Escape")
    expect(listbox).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(box).not_to_have_attribute("aria-activedescendant", re.compile(".*"))
    expect(box).to_have_value("tro cap")

    # ArrowDown opens it again; Enter on the active option opens that procedure.
    box.press("ArrowDown")
    expect(listbox).to_be_visible()
    expect(box).to_have_attribute("aria-activedescendant", "header-q-goi-y-0")
    box.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(titles[0])
    assert urlsplit(page.url).path.startswith("/thu-tuc/")

    # Enter with no active option submits the form as typed.
    box, listbox = _type_in_header_box(page, "dang ky")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/tim-kiem/\?q=dang\+ky$"))

    # A click on an option opens it.
    box, listbox = _type_in_header_box(page, "đăng ký")
    second = listbox.get_by_role("option").nth(1)
    title = second.locator(".suggest-title").text_content().strip()
    second.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)

    assert page.evaluate("window.__cspViolations") == []


def test_no_wcag_violations_with_the_list_open(browser, site_url, axe_source):
    if not axe_source.is_file():  # a failure, never a skip
        pytest.fail(f"axe-core is not installed: {axe_source} is missing. Run `npm ci --prefix tests/browser`.")
    # axe-core is injected as an inline script: the policy is bypassed for the audit only.
    context = browser.new_context(locale="vi-VN", bypass_csp=True, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    try:
        page = context.new_page()
        page.goto(site_url + "/")
        box, listbox = _type_in_header_box(page, "tro cap")
        box.press("ArrowDown")  # an active option too, for its contrast
        expect(listbox.get_by_role("option").first).to_have_attribute("aria-selected", "true")
        page.add_script_tag(path=str(axe_source))
        results = page.evaluate(
            "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
        )
        assert results["passes"]
        checked = {rule["id"] for rule in results["passes"]}
        assert {"aria-valid-attr-value", "aria-required-children", "color-contrast"} <= checked, checked
        assert results["violations"] == [], [
            (violation["id"], [node["html"][:200] for node in violation["nodes"][:3]])
            for violation in results["violations"]
        ]
        expect(listbox).to_be_visible()  # still open when audited
    finally:
        context.close()


def test_the_list_fits_a_phone_screen(browser, site_url):
    context = browser.new_context(
        viewport={"width": 320, "height": 740}, device_scale_factor=2, is_mobile=True, has_touch=True, locale="vi-VN"
    )
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    try:
        page = context.new_page()
        page.goto(site_url + "/")
        box, listbox = _type_in_header_box(page, "tro cap")
        box_left = box.bounding_box()["x"]
        list_box = listbox.bounding_box()
        assert list_box["x"] >= 0 and list_box["x"] + list_box["width"] <= 320, list_box
        assert list_box["x"] <= box_left
        assert page.evaluate("document.scrollingElement.scrollWidth") <= 320
        # A tap opens the procedure.
        title = listbox.locator(".suggest-title").first.text_content().strip()
        listbox.get_by_role("option").first.tap()
        expect(page.get_by_role("heading", level=1)).to_have_text(title)
    finally:
        context.close()


def test_without_javascript_the_box_is_a_plain_search_form(browser, site_url):
    context = browser.new_context(locale="vi-VN", java_script_enabled=False)
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    try:
        page = context.new_page()
        page.goto(site_url + "/")
        box = page.locator("#header-q")
        for attribute in ("role", "autocomplete", "aria-expanded", "aria-controls"):
            expect(box).not_to_have_attribute(attribute, re.compile(".*"))
        expect(page.locator("[role=listbox]")).to_have_count(0)
        box.fill("trợ cấp")
        box.press("Enter")
        page.wait_for_url(re.compile(r"/tim-kiem/\?q="))
        parts = urlsplit(page.url)
        assert parts.path == "/tim-kiem/" and parse_qs(parts.query) == {"q": ["trợ cấp"]}
        # The results, read without JavaScript.
        expect(page.get_by_role("link", name="Giải quyết chế độ trợ cấp thờ cúng liệt sĩ")).to_be_visible()
    finally:
        context.close()
