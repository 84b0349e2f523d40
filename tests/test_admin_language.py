"""The admin speaks Vietnamese: strings missing from Wagtail's own vi catalog come from locale/vi."""

import json
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from tests import factories
from tests.helpers import publish, submit, upload_document

pytestmark = [pytest.mark.django_db, pytest.mark.smoke]


def visible_text(response):
    """The page's HTML, with tags kept (labels and buttons are checked as they are rendered)."""
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def assert_translated(html, vietnamese, english):
    for text in vietnamese:
        assert text in html, f"missing Vietnamese text: {text!r}"
    for text in english:
        # As a whole word/phrase, so that e.g. "Live" does not match inside another word.
        assert not re.search(rf"(?<![\w-]){re.escape(text)}(?![\w-])", html), f"English text still shown: {text!r}"


def test_login_page_is_vietnamese(client):
    html = visible_text(client.get(reverse("wagtailadmin_login")))
    assert_translated(
        html,
        vietnamese=["Đăng nhập", "Quên mật khẩu?", "Ghi nhớ đăng nhập", "Đang đăng nhập…"],
        english=["Sign in", "Forgotten password?", "Remember me", "Signing in…"],
    )


def test_dashboard_is_vietnamese(client, admin_user):
    factories.site_tree()
    client.force_login(admin_user)
    html = visible_text(client.get(reverse("wagtailadmin_home")))
    assert_translated(
        html,
        vietnamese=["Tổng quan", "Tìm trong tất cả các trang…", "tài liệu <span", "Bỏ qua, đến nội dung chính"],
        english=["Site summary", "Search all pages…", "Skip to main content", "Sign in"],
    )
    # The sidebar menu is rendered by JavaScript from JSON props (non-ASCII characters escaped).
    for vietnamese, english in [
        ("Tài liệu", "Documents"),
        ("Cài đặt", "Settings"),
        ("Báo cáo", "Reports"),
        ("Trợ giúp", "Help"),
    ]:
        assert f'"label": {json.dumps(vietnamese)}' in html, vietnamese
        assert f'"label": "{english}"' not in html, english


def test_page_editor_is_vietnamese(client, admin_user):
    _home, index = factories.site_tree()
    page = factories.procedure(index)
    client.force_login(admin_user)
    html = visible_text(client.get(reverse("wagtailadmin_pages:edit", args=(page.pk,))))
    assert_translated(
        html,
        vietnamese=[
            "Lưu bản nháp",  # footer action menu
            "Thao tác khác",
            "Tự động lưu đang tạm dừng",
            "Thời điểm bắt đầu xuất bản",  # go live date/time label
            "Thời điểm hết hạn",  # expiry date/time label
            "Đặt lịch xuất bản",
            "Đã xuất bản",  # "Live" status
            "Bình luận",
            "Xem lịch sử",
        ],
        english=[
            "Save draft",
            "More actions",
            "Autosave is paused",
            "Go live date/time",
            "Expiry date/time",
            "Set publishing schedule",
            "View history",
            "No publishing schedule set",
        ],
    )


def test_validation_errors_are_vietnamese(client, admin_user):
    _home, index = factories.site_tree()
    page = factories.procedure(index)
    client.force_login(admin_user)
    html = visible_text(publish(client, page, title=""))
    assert_translated(
        html,
        vietnamese=["Không thể lưu trang do có lỗi nhập liệu.", "Đến lỗi đầu tiên", "Trường này là bắt buộc."],
        english=[
            "The page could not be saved due to validation errors.",
            "Go to the first error",
            "This field is required.",
        ],
    )


def test_workflow_actions_are_vietnamese(client, admin_user):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from cms import roles

    _home, index = factories.site_tree()
    page = factories.procedure(index)
    client.force_login(admin_user)
    assert submit(client, page, title="Hỗ trợ chi phí mai táng (sửa đổi)").status_code == 302

    reviewer = get_user_model().objects.create_user("truongphong", "tp@example.gov.vn", "x")
    reviewer.groups.add(Group.objects.get(name=roles.REVIEWERS))
    client.force_login(reviewer)
    html = visible_text(client.get(reverse("wagtailadmin_pages:edit", args=(page.pk,))))
    assert_translated(
        html,
        vietnamese=["Yêu cầu chỉnh sửa", "Phê duyệt kèm ý kiến", "Đang chờ duyệt"],
        english=["Request changes", "Approve with comment", "In Moderation"],
    )


def test_document_extension_error_is_vietnamese(client, admin_user):
    client.force_login(admin_user)
    response = upload_document(client, "mau.exe", b"MZ")
    html = visible_text(response)
    assert "Không cho phép tệp có phần mở rộng “exe”" in html
    assert "is not allowed" not in html


def _wagtail_english_messages():
    """Every single-line message Wagtail's admin can show, from its English catalogs."""
    from pathlib import Path

    import wagtail

    messages = set()
    for catalog in Path(wagtail.__file__).parent.glob("**/locale/en/LC_MESSAGES/django.po"):
        for match in re.finditer(r'^msgid "(.+)"$', catalog.read_text(encoding="utf-8"), re.MULTILINE):
            messages.add(match.group(1).replace('\\"', '"'))
    return messages


class _ShownText(HTMLParser):
    """Text nodes and the labels screen readers announce, outside scripts and styles."""

    def __init__(self):
        super().__init__()
        self.texts, self._hidden = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template"):
            self._hidden += 1
        self.texts += [
            value.strip()
            for name, value in attrs
            if name in ("aria-label", "title", "placeholder") and value and value.strip()
        ]

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template"):
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.texts.append(" ".join(data.split()))


# English that Wagtail 8.0 renders without gettext (hard-coded in its templates) or that is data.
NOT_TRANSLATABLE = {"Actions", "True", "False", "Wagtail", "None"}


def test_admin_screens_show_no_untranslated_wagtail_message(client, admin_user):
    """Walk the screens editors and approvers use; none may show a Wagtail message in English."""
    _home, index = factories.site_tree()
    page = factories.procedure(index)
    draft = factories.procedure(index, title="Thủ tục đang soạn", publish=False)
    form = factories.form()
    client.force_login(admin_user)
    english = _wagtail_english_messages()
    screens = [
        reverse("wagtailadmin_home"),
        reverse("wagtailadmin_explore_root"),
        reverse("wagtailadmin_explore", args=(index.pk,)),
        reverse("wagtailadmin_pages:edit", args=(page.pk,)),
        reverse("wagtailadmin_pages:history", args=(page.pk,)),
        reverse("wagtailadmin_pages:add", args=("cms", "procedurepage", index.pk)),
        reverse("wagtailadmin_pages:delete", args=(draft.pk,)),
        reverse("wagtailadmin_pages:unpublish", args=(page.pk,)),
        reverse("wagtailsnippets:index"),
        reverse("wagtailsnippets_cms_form:list"),
        reverse("wagtailsnippets_cms_form:edit", args=(form.pk,)),
        reverse("wagtaildocs:index"),
        reverse("wagtaildocs:add"),
        reverse("wagtailusers_users:index"),
        reverse("wagtailusers_groups:index"),
        reverse("wagtailadmin_workflows:index"),
        reverse("wagtailadmin_workflows:task_index"),
        reverse("wagtailadmin_reports:site_history"),
        reverse("wagtailadmin_reports:workflow"),
        reverse("wagtailadmin_reports:locked_pages"),
        reverse("wagtailadmin_account"),
        reverse("wagtailadmin_pages:search") + "?q=mai+t%C3%A1ng",
    ]
    shown_in_english = {}
    for url in screens:
        response = client.get(url, follow=True)
        assert response.status_code == 200, (url, response.status_code)
        parser = _ShownText()
        parser.feed(response.content.decode())
        left = sorted({text for text in parser.texts if text in english and text not in NOT_TRANSLATABLE})
        if left:
            shown_in_english[url] = left
    assert not shown_in_english, shown_in_english


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_compiled_catalogs_match_their_sources(domain):
    """locale/vi/*.mo are committed: each must hold exactly what its .po says (run msgfmt after edits)."""
    import gettext
    from pathlib import Path

    import polib

    folder = Path(__file__).resolve().parent.parent / "locale" / "vi" / "LC_MESSAGES"
    with open(folder / f"{domain}.mo", "rb") as compiled_file:
        compiled = gettext.GNUTranslations(compiled_file)
    source = [entry for entry in polib.pofile(str(folder / f"{domain}.po")) if entry.translated()]
    assert len(source) > 50
    for entry in source:
        if entry.msgid_plural:
            got = (
                compiled.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, 1)
                if entry.msgctxt
                else compiled.ngettext(entry.msgid, entry.msgid_plural, 1)
            )
            want = entry.msgstr_plural[0]
        else:
            got = compiled.pgettext(entry.msgctxt, entry.msgid) if entry.msgctxt else compiled.gettext(entry.msgid)
            want = entry.msgstr
        assert got == want, (entry.msgctxt, entry.msgid)
