"""The admin speaks Vietnamese: strings missing from Wagtail's own vi catalog come from locale/vi."""

import json
import re

import pytest
from django.urls import reverse

from tests import factories

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
    for vietnamese, english in [("Tài liệu", "Documents"), ("Cài đặt", "Settings"), ("Báo cáo", "Reports"),
                                ("Trợ giúp", "Help")]:
        assert f'"label": {json.dumps(vietnamese)}' in html, vietnamese
        assert f'"label": "{english}"' not in html, english


def test_page_editor_is_vietnamese(client, admin_user):
    home, index = factories.site_tree()
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
        english=["Save draft", "More actions", "Autosave is paused", "Go live date/time", "Expiry date/time",
                 "Set publishing schedule", "View history", "No publishing schedule set"],
    )


def test_validation_errors_are_vietnamese(client, admin_user):
    from tests.admin_forms import edit_form_data

    home, index = factories.site_tree()
    page = factories.procedure(index)
    client.force_login(admin_user)
    data = edit_form_data(page, title="")
    data["action-publish"] = "Publish"
    html = visible_text(client.post(reverse("wagtailadmin_pages:edit", args=(page.pk,)), data))
    assert_translated(
        html,
        vietnamese=["Không thể lưu trang do có lỗi nhập liệu.", "Đến lỗi đầu tiên", "Trường này là bắt buộc."],
        english=["The page could not be saved due to validation errors.", "Go to the first error",
                 "This field is required."],
    )


def test_workflow_actions_are_vietnamese(client, admin_user):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from cms import roles
    from tests.admin_forms import edit_form_data

    home, index = factories.site_tree()
    roles.setup_roles_and_workflow()
    page = factories.procedure(index)
    client.force_login(admin_user)
    data = edit_form_data(page, title="Hỗ trợ chi phí mai táng (sửa đổi)")
    data["action-submit"] = "Submit"
    assert client.post(reverse("wagtailadmin_pages:edit", args=(page.pk,)), data).status_code == 302

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
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(admin_user)
    response = client.post(reverse("wagtaildocs:add"), {
        "title": "Mẫu thử", "file": SimpleUploadedFile("mau.exe", b"MZ"), "collection": 1,
    })
    html = visible_text(response)
    assert "Không cho phép tệp có phần mở rộng “exe”" in html
    assert "is not allowed" not in html
