"""The public site and the admin work under their Content-Security-Policy in Chromium (issue 7).

Every violation the browser reports (the ``securitypolicyviolation`` event and the console's
"Content Security Policy" errors) fails the test, on the public pages (anonymous, then with the
Wagtail userbar of a logged-in editor) and on the admin screens editors use.
"""

import pytest
from django.contrib.auth import get_user_model

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  const where = `${event.sourceFile}:${event.lineNumber}`;
  window.__cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI || "inline"} at ${where}`);
});
"""


@pytest.fixture
def watched_page(context):
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    page.console_violations = []
    page.on(
        "console",
        lambda message: (
            page.console_violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return page


def violations_on(page, url):
    response = page.goto(url)
    assert response.status == 200, url
    page.wait_for_load_state("networkidle")
    found = page.evaluate("window.__cspViolations") + page.console_violations
    page.console_violations.clear()
    return found


def test_public_pages_have_no_violations(watched_page, site_url, public_paths):
    for name, path in public_paths.items():
        assert violations_on(watched_page, site_url + path) == [], name
    # The print button still works without inline handlers.
    watched_page.goto(site_url + public_paths["procedure 1.001731"])
    watched_page.evaluate("window.print = () => { window.__printed = true; }")
    watched_page.click(".print-button")
    assert watched_page.evaluate("window.__printed") is True


def test_admin_screens_have_no_violations(watched_page, site_url, public_paths):
    from cms.models import Form, ProcedurePage

    get_user_model().objects.create_superuser("kiemtra", "kt@example.gov.vn", "Mat-Khau-Kiem-Tra-2026")
    watched_page.goto(site_url + "/admin/login/")
    watched_page.locator("#id_username").fill("kiemtra")
    watched_page.locator("#id_password").fill("Mat-Khau-Kiem-Tra-2026")
    watched_page.locator("button[type=submit]").click()
    watched_page.wait_for_url(site_url + "/admin/")

    procedure = ProcedurePage.objects.live().order_by("pk").first()
    form = Form.objects.order_by("pk").first()
    screens = {
        "dashboard": "/admin/",
        "page explorer": f"/admin/pages/{procedure.get_parent().pk}/",
        "procedure editor": f"/admin/pages/{procedure.pk}/edit/",
        "page history": f"/admin/pages/{procedure.pk}/history/",
        "form snippet editor": f"/admin/snippets/cms/form/edit/{form.pk}/",
        "documents": "/admin/documents/",
        "users": "/admin/users/",
        "report by decision": "/admin/bao-cao/thay-doi-theo-quyet-dinh/",
        "editor guide": "/admin/huong-dan/",
        "public page with the userbar": public_paths["procedure 1.001731"],
    }
    for name, path in screens.items():
        assert violations_on(watched_page, site_url + path) == [], name
