"""A citizen's journey in headless Chromium: home → sector → procedure → download the form."""

import io
import re
import zipfile

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

SECTOR = "Bảo trợ xã hội"
PROCEDURE_TITLE = "Hỗ trợ chi phí mai táng cho đối tượng bảo trợ xã hội"
PROCEDURE_CODE = "1.001731"
PROCEDURE_PATH = "/thu-tuc/ho-tro-chi-phi-mai-tang-cho-doi-tuong-bao-tro-xa-hoi/"
FORM_CODE = "Mẫu số 04"
DEFAULT_TIMEOUT_MS = 15_000


def test_citizen_finds_procedure_and_downloads_form(page, site_url):
    from cms.models import ProcedurePage

    page.goto(site_url + "/")
    expect(page.locator("h1")).to_be_visible()

    page.locator(".sector-grid a", has_text=SECTOR).click()
    expect(page).to_have_url(re.compile(r"/thu-tuc/linh-vuc/bao-tro-xa-hoi/$"))
    expect(page.locator("h1")).to_contain_text(SECTOR)

    page.get_by_role("link", name=PROCEDURE_TITLE, exact=True).click()
    expect(page).to_have_url(re.compile(re.escape(PROCEDURE_PATH) + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(PROCEDURE_TITLE)
    expect(page.locator(".procedure-code")).to_contain_text(PROCEDURE_CODE)

    # The form the page links to, as stored in the database.
    procedure = ProcedurePage.objects.live().get(code=PROCEDURE_CODE)
    forms = [c.form for c in procedure.dossier_components.all() if c.form and c.form.code == FORM_CODE]
    assert len(forms) == 1, f"expected one {FORM_CODE!r} form on {PROCEDURE_CODE}, got {forms}"
    form = forms[0]

    link = page.locator("a.form-download", has_text=FORM_CODE)
    expect(link).to_have_count(1)
    expect(link).to_contain_text(form.title)
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.failure() is None, download.failure()
    assert download.suggested_filename.endswith(".docx"), download.suggested_filename
    with open(download.path(), "rb") as handle:
        data = handle.read()

    # A real DOCX (a ZIP of Office Open XML parts) that carries the form's code and title.
    assert data[:2] == b"PK", f"not a ZIP/DOCX: starts with {data[:8]!r}"
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = set(archive.namelist())
        assert {"[Content_Types].xml", "word/document.xml"} <= names, sorted(names)
        document_xml = archive.read("word/document.xml").decode("utf-8")
    assert FORM_CODE in document_xml
    # The generator prints the title in capitals, as on official forms.
    assert form.title.casefold() in document_xml.casefold(), (form.title, document_xml[:500])

    # Byte for byte the Wagtail document that was uploaded for the form.
    with form.document.file.open("rb") as stored:
        assert data == stored.read(), "downloaded file differs from the stored Wagtail document"


# Elements sticking out on the right: named in the failure message, so the CSS fix is obvious.
_OVERFLOW_JS = """() => {
  const width = document.documentElement.clientWidth;
  const culprits = [...document.body.querySelectorAll("*")]
    .filter((el) => el.getBoundingClientRect().right > width + 0.5)
    .slice(0, 5)
    .map((el) => el.tagName.toLowerCase() + (el.className ? "." + String(el.className).split(" ").join(".") : ""));
  return {scroll: document.scrollingElement.scrollWidth, body: document.body.scrollWidth,
          inner: window.innerWidth, culprits};
}"""


def test_pages_fit_a_phone_screen(browser, site_url, public_paths):
    """No sideways scrolling: on the procedure page first of all, and on every other public page.

    375×740 is a common phone; 320 CSS px is WCAG 2.1's reflow width (1.4.10). A mobile browser
    widens its layout viewport to fit content that overflows, so innerWidth must also stay at the
    device width, or the "fit" would be measured against a zoomed-out page.
    """
    overflowing = {}
    for width in (375, 320):
        context = browser.new_context(
            viewport={"width": width, "height": 740},
            device_scale_factor=2,
            is_mobile=True,
            has_touch=True,
            locale="vi-VN",
        )
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        try:
            page = context.new_page()
            page.goto(site_url + PROCEDURE_PATH)
            expect(page.get_by_role("heading", level=1)).to_have_text(PROCEDURE_TITLE)
            for name, path in public_paths.items():
                page.goto(site_url + path)  # waits for "load": stylesheets are applied
                expect(page.locator("h1")).to_have_count(1)
                widths = page.evaluate(_OVERFLOW_JS)
                if not (widths["inner"] == width and widths["scroll"] <= width and widths["body"] <= width):
                    overflowing[f"{width}px: {name} ({path})"] = widths
        finally:
            context.close()
    assert not overflowing, f"pages scroll sideways on a phone: {overflowing}"
