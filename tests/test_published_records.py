"""What is published stays as published: files, decisions, related procedures, authorship.

Regression tests for the review of the first two issues.
"""

import datetime

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.documents import get_document_model

from cms import roles
from cms.demo.form_files import make_form_docx
from cms.models import Agency, AnnouncingDecision, ProcedureAgency, RelatedProcedure
from tests import factories
from tests.helpers import listed_titles, publish, republish, text_of

pytestmark = [pytest.mark.django_db, pytest.mark.smoke]


def user_in(group_name, username):
    user = get_user_model().objects.create_user(username, f"{username}@example.gov.vn", "x")
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def published(index_page):
    """A live procedure with one published version (the roles are there for every test: conftest)."""
    return factories.procedure(index_page, title="Hỗ trợ chi phí mai táng")


def test_a_published_form_file_is_never_replaced_in_place(client, published):
    document = published.dossier_components.first().form.document
    original_name = document.file.name
    for user in (user_in(roles.EDITORS, "editor"), user_in(roles.APPROVERS, "approver")):
        client.force_login(user)
        client.post(
            reverse("wagtaildocs:edit", args=(document.pk,)),
            {
                "title": "Thay tệp",
                "collection": document.collection_id,
                "file": SimpleUploadedFile("moi.docx", make_form_docx("Mẫu số 04", "Tệp chưa duyệt")),
            },
        )
        document.refresh_from_db()
        assert document.file.name == original_name, user.username
    link = client.get(f"{published.url}phien-ban/1/").content.decode()
    assert f"/tai-lieu/{document.pk}/" in link


def test_a_live_decisions_file_is_never_replaced_in_place(client, published):
    """The decision's own file (linked from its public page) is a legal reference too."""
    document = get_document_model()(title="Quyết định 1023")
    document.file.save("qd-1023.pdf", SimpleUploadedFile("qd-1023.pdf", b"%PDF-1.4\n%%EOF\n"), save=False)
    document.save()
    decision = published.announcing_decision
    decision.document = document
    decision.save_revision().publish()
    original_name = document.file.name
    client.force_login(user_in(roles.APPROVERS, "approver"))
    response = client.post(
        reverse("wagtaildocs:edit", args=(document.pk,)),
        {
            "title": "Thay tệp",
            "collection": document.collection_id,
            "file": SimpleUploadedFile("khac.pdf", b"%PDF-1.4\n%%EOF\n"),
        },
    )
    assert "quyết định công bố" in response.content.decode()
    document.refresh_from_db()
    assert document.file.name == original_name


def test_a_file_linked_by_a_published_version_is_never_deleted(client, admin_user, published):
    form = published.dossier_components.first().form
    old_document = form.document
    form.document = factories.document("mau-moi.docx", title="Mẫu mới", code="Mẫu số 04")
    form.save_revision().publish()
    client.force_login(admin_user)
    client.post(reverse("wagtaildocs:delete", args=(old_document.pk,)))
    assert get_document_model().objects.filter(pk=old_document.pk).exists()
    download = client.get(old_document.url)
    assert download.status_code == 200


def test_a_first_publication_scheduled_for_later_records_its_version_at_go_live(index_page):
    page = factories.procedure(index_page, title="Thủ tục mới hẹn giờ", publish=False)
    go_live = timezone.now() + datetime.timedelta(days=10)
    page.go_live_at = go_live
    page.save_revision().publish()
    page.refresh_from_db()
    assert not page.live and page.versions.count() == 0
    with time_machine.travel(go_live + datetime.timedelta(minutes=1), tick=False):
        call_command("publish_scheduled")
    page.refresh_from_db()
    assert page.live and [v.number for v in page.versions.all()] == [1]


def test_unpublished_decisions_and_procedures_are_not_named_publicly(client, index_page):
    draft_decision = AnnouncingDecision(
        number="999/QĐ-NHAP",
        title="DỰ THẢO QUYẾT ĐỊNH CHƯA DUYỆT",
        signed_date=datetime.date(2026, 1, 1),
        effective_date=datetime.date(2026, 1, 2),
        live=False,
    )
    draft_decision.save()
    unpublished = factories.procedure(index_page, title="THỦ TỤC MỚI CHƯA CÔNG BỐ", publish=False)
    page = factories.procedure(index_page, title="Thủ tục công khai")
    page = republish(
        page,
        decision=draft_decision,
        related_procedures=[RelatedProcedure(procedure=unpublished)],
        replaced_by=unpublished,
        change_type="amended",
    )
    for url in (page.url, f"{page.url}phien-ban/2/", f"{page.url}so-sanh/", "/", "/thu-tuc/bo-thu-tuc-hien-hanh/"):
        html = client.get(url).content.decode()
        assert "DỰ THẢO QUYẾT ĐỊNH CHƯA DUYỆT" not in html and "999/QĐ-NHAP" not in html, url
        assert "THỦ TỤC MỚI CHƯA CÔNG BỐ" not in html, url


def test_direct_publication_records_who_published(client, published):
    admin = get_user_model().objects.create_superuser("chief", "chief@example.gov.vn", "x")
    client.force_login(admin)
    publish(client, published, title="Xuất bản trực tiếp")
    latest = published.versions.order_by("-number").first()
    assert latest.number == 2 and latest.published_by == admin


@pytest.mark.parametrize("query", ["?tu=%C2%B2&den=%C2%B9", "?tu=1e3", "?den=-1"])
def test_odd_version_numbers_never_fail(client, index_page, query):
    page = republish(factories.procedure(index_page), change_note="v2")
    assert client.get(f"{page.url}so-sanh/{query}").status_code == 200


def test_admin_report_ignores_odd_filters(client, admin_user):
    client.force_login(admin_user)
    assert client.get(reverse("changes_by_decision"), {"quyet_dinh": "²"}).status_code == 200


def test_two_agencies_may_share_a_name():
    first = Agency.objects.create(name="Phòng Văn hóa – Xã hội")
    second = Agency.objects.create(name="Phòng Văn hóa – Xã hội")
    assert (first.slug, second.slug) == ("phong-van-hoa-xa-hoi", "phong-van-hoa-xa-hoi-2")


def test_an_abolition_announced_ahead_takes_effect_on_its_date(client, index_page):
    page = factories.procedure(index_page, title="Thủ tục sắp bãi bỏ")
    today = timezone.localdate()
    page = republish(
        page,
        effective_date=today + datetime.timedelta(days=30),
        change_type="abolished",
        agency_roles=[ProcedureAgency(role="implementing", agency=factories.agency())],
    )
    assert listed_titles(client.get("/thu-tuc/")) == ["Thủ tục sắp bãi bỏ"]
    assert "Thủ tục sẽ bị bãi bỏ" in text_of(client.get(page.url))
    with time_machine.travel(timezone.now() + datetime.timedelta(days=31)):
        assert listed_titles(client.get("/thu-tuc/")) == []
        assert "Thủ tục đã bị bãi bỏ" in text_of(client.get(page.url))
