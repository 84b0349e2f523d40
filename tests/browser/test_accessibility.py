"""WCAG 2.1 A/AA checks with axe-core on every kind of public page, and the printed procedure."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PROCEDURE_PATH = "/thu-tuc/ho-tro-chi-phi-mai-tang-cho-doi-tuong-bao-tro-xa-hoi/"


@pytest.fixture
def context(browser):
    """axe-core is injected as an inline script, which the site's Content-Security-Policy blocks
    (as it should): these pages are audited with the policy bypassed. The policy itself is
    tested, without bypass, in test_content_security_policy.py."""
    from tests.browser.conftest import DEFAULT_TIMEOUT_MS

    context = browser.new_context(locale="vi-VN", bypass_csp=True, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    yield context
    context.close()


def _format_violations(url, violations):
    lines = [f"{len(violations)} axe-core violation(s) on {url}:"]
    for violation in violations:
        lines.append(f"- {violation['id']} [{violation.get('impact')}]: {violation['help']} ({violation['helpUrl']})")
        for node in violation["nodes"][:3]:
            lines.append(f"    target: {node['target']}")
            lines.append(f"    html:   {node['html'][:300]}")
            if node.get("failureSummary"):
                lines.append("    " + node["failureSummary"].replace("\n", "\n    "))
        if len(violation["nodes"]) > 3:
            lines.append(f"    … and {len(violation['nodes']) - 3} more node(s)")
    return "\n".join(lines)


def test_public_pages_have_no_wcag_violations(axe_source, page, site_url, public_paths):
    """Every kind of public page, one after the other: the demo site is loaded once for all."""
    if not axe_source.is_file():  # a failure, never a skip
        pytest.fail(
            f"axe-core is not installed: {axe_source} is missing. "
            "Run `npm ci --prefix tests/browser` (make test does).",
            pytrace=False,
        )
    failures = []
    for name, path in public_paths.items():
        url = site_url + path
        response = page.goto(url)
        assert response is not None and response.ok, f"{name}: {url} answered HTTP {response and response.status}"
        expect(page.locator("h1"), f"{name}: one h1").to_have_count(1)
        if name == "search results":
            # The query must find something, or the results and their filters would go unchecked.
            expect(page.locator("ol.search-result-list li").first).to_be_visible()
            expect(page.locator("aside.facets")).to_be_visible()
        page.add_script_tag(path=str(axe_source))
        results = page.evaluate(
            "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
        )
        assert results["passes"], f"axe-core checked nothing on {url}"
        if results["violations"]:
            failures.append(_format_violations(f"{name} ({url})", results["violations"]))
    assert not failures, "\n\n".join(failures)


def test_printed_procedure_shows_content_without_navigation(page, site_url):
    page.goto(site_url + PROCEDURE_PATH)
    expect(page.locator("#procedure-title")).to_be_visible()
    page.emulate_media(media="print")

    hidden = {
        "main navigation": "header nav.main-nav",
        "header search": "form.header-search",
        "print button": "button.print-button",
        "breadcrumbs": "nav.breadcrumbs",
    }
    for what, selector in hidden.items():
        locator = page.locator(selector)
        expect(locator, f"{what} is missing from the page").to_have_count(1)
        expect(locator, f"{what} should not be printed").to_have_css("display", "none")
        expect(locator).to_be_hidden()
    for form in page.locator("form[role=search]").all():
        expect(form).to_have_css("display", "none")

    expect(page.locator("#procedure-title")).to_be_visible()
    expect(page.locator("article.procedure")).to_be_visible()
    expect(page.locator(".procedure-code")).to_contain_text("1.001731")
    for heading in ("s-steps", "s-channels", "s-dossier", "s-legal"):
        expect(page.locator(f"#{heading}")).to_be_visible()
    expect(page.locator("a.form-download").first).to_be_visible()

    # Back on screen, navigation and search come back.
    page.emulate_media(media="screen")
    expect(page.locator("header nav.main-nav")).to_be_visible()
    expect(page.locator("form.header-search")).to_be_visible()
