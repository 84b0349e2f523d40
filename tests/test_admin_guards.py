"""Admin paths that used to end in a server error or leak unapproved content (review findings 4, 6, 8, 9).

Each test checks the HTTP answer, the message the user reads and the state of the data after a
request crafted as the admin's own buttons would send it.
"""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from wagtail.models import Page, WorkflowState

from cms.models import AnnouncingDecision, Form, ProcedureIndexPage, ProcedurePage, ProcedureVersion
from tests import factories
from tests.helpers import as_user, messages_of, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(live_page):
    """The live procedure (with a published version) every guard is tried on."""
    return live_page


def download_status(client, document):
    response = client.get(document.url)
    if response.status_code == 200:
        b"".join(response.streaming_content)  # close the file
    return response.status_code


# --- 4. files of forms and decisions are public only once published ---------------------------


def test_the_file_of_a_draft_form_is_not_public(client, users):
    document = factories.document("mau-so-99-nhap.docx")
    draft = Form(code="Mẫu số 99", title="Tờ khai chưa duyệt", document=document, live=False)
    draft.save()
    draft.save_revision()
    assert download_status(as_user(client, users, "anonymous"), document) == 404
    citizen = get_user_model().objects.create_user("citizen", "citizen@example.vn", "x")  # no admin access
    client.force_login(citizen)
    assert download_status(client, document) == 404
    # Staff preview drafts: anyone who may use the admin still downloads it.
    for role in ("editor", "reviewer", "approver", "admin"):
        assert download_status(as_user(client, users, role), document) == 200, role


def test_a_file_only_in_a_revision_in_moderation_is_not_public_until_approved(client, users):
    form = factories.form()
    replacement = factories.document("ban-moi.docx")
    as_user(client, users, "editor")
    response = client.post(
        reverse("wagtailsnippets_cms_form:edit", args=(form.pk,)),
        {
            "code": form.code,
            "title": form.title,
            "legal_document": "",
            "document": replacement.pk,
            "note": "",
            "action-submit": "1",
        },
    )
    assert response.status_code == 302
    assert WorkflowState.objects.active().for_instance(form).exists()
    form.refresh_from_db()
    assert form.live and form.document_id != replacement.pk
    assert download_status(as_user(client, users, "anonymous"), replacement) == 404
    assert download_status(client, form.document) == 200  # the live file stays public
    form.get_latest_revision().publish()
    assert download_status(client, replacement) == 200


def test_files_of_published_versions_stay_public_after_the_form_changes(client, users, published):
    form = published.dossier_components.first().form
    old_document = form.document
    form.document = factories.document("mau-moi.docx")
    form.save_revision().publish()
    as_user(client, users, "anonymous")
    assert download_status(client, old_document) == 200  # named by version 1's snapshot
    assert download_status(client, form.document) == 200  # the live form's file


def test_the_file_of_an_unpublished_form_is_no_longer_public(client, users):
    form = Form.objects.get(pk=factories.form().pk)
    form.unpublish()
    assert download_status(as_user(client, users, "anonymous"), form.document) == 404


def test_a_decision_file_is_public_once_the_decision_is(client, users):
    document = factories.document("quyet-dinh-1078.docx", title="Quyết định 1078")
    decision = AnnouncingDecision(
        number="1078/QĐ-UBND",
        title="Công bố",
        signed_date=datetime.date(2025, 1, 1),
        effective_date=datetime.date(2025, 1, 5),
        document=document,
        live=False,
    )
    decision.save()
    decision.save_revision()
    as_user(client, users, "anonymous")
    assert download_status(client, document) == 404
    decision.get_latest_revision().publish()
    assert download_status(client, document) == 200
    assert f'href="{document.url}"' in client.get(decision.get_absolute_url()).content.decode()


def test_a_refused_download_looks_like_a_missing_file(client, users):
    document = factories.document("bi-mat.docx")
    anonymous = as_user(client, users, "anonymous")
    refused = anonymous.get(document.url)
    missing = anonymous.get(reverse("wagtaildocs_serve", args=(document.pk + 1000, "bi-mat.docx")))
    assert refused.status_code == missing.status_code == 404
    assert refused.content == missing.content


def test_the_download_check_reads_the_exact_document_id_from_the_snapshots(users, published):
    """The check asks the database only for snapshots whose text names the id: 12 is not 123."""
    from cms.publishing import document_is_published

    version = published.versions.get()
    snapshot = version.snapshot
    named = [component["form"] for component in snapshot["dossier"] if component["form"]]
    assert all(document_is_published(form["document_id"]) for form in named)
    named[0]["document_id"] = 12345
    ProcedureVersion.objects.filter(pk=version.pk).update(snapshot=snapshot)
    assert document_is_published(12345)
    for other in (1234, 2345, 123450, 112345):
        assert not document_is_published(other), other


def test_the_download_check_is_a_few_small_queries(users, published):
    """It runs on every public download: the live form, the live decision, the matching snapshots."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cms.publishing import document_is_published

    with CaptureQueriesContext(connection) as queries:
        assert not document_is_published(987654)
    assert len(queries) == 3


# --- 6. bulk actions on pages ------------------------------------------------------------------


def bulk_url(action, *pages):
    query = "&".join(f"id={page.pk}" for page in pages)
    return f"{reverse('wagtail_bulk_action', args=('wagtailcore', 'page', action))}?{query}"


REFUSED_DELETE = "Không thể xóa thủ tục đã từng được công bố"


@pytest.mark.parametrize("role", ["approver", "admin"])
def test_bulk_delete_of_a_published_procedure_is_refused_with_a_message(client, users, published, role):
    response = as_user(client, users, role).post(bulk_url("delete", published))
    assert response.status_code == 302
    assert any(REFUSED_DELETE in message for message in messages_of(response))
    assert ProcedurePage.objects.filter(pk=published.pk).exists()
    assert published.versions.count() == 1


def test_bulk_delete_of_a_parent_of_a_published_procedure_is_refused(client, users, index_page, published):
    draft = factories.procedure(index_page, title="Bản nháp", publish=False)
    response = as_user(client, users, "admin").post(bulk_url("delete", index_page))
    assert response.status_code == 302
    assert any(REFUSED_DELETE in message for message in messages_of(response))
    assert ProcedurePage.objects.filter(pk__in=[published.pk, draft.pk]).count() == 2


def test_bulk_delete_of_an_unpublished_procedure_that_once_was_published_is_refused(client, users, published):
    published.unpublish()
    response = as_user(client, users, "editor").post(bulk_url("delete", published))
    assert response.status_code == 302
    assert any(REFUSED_DELETE in message for message in messages_of(response))
    assert ProcedurePage.objects.filter(pk=published.pk).exists()


def test_bulk_delete_of_never_published_drafts_still_works(client, users, index_page, published):
    draft = factories.procedure(index_page, title="Bản nháp chưa công bố", publish=False)
    response = as_user(client, users, "admin").post(bulk_url("delete", draft))
    assert response.status_code == 302
    assert not ProcedurePage.objects.filter(pk=draft.pk).exists()


def _with_duplicate_code(index_page, published):
    """A second live procedure whose latest revision takes the first one's code.

    Such a revision passed validation when it was saved, before the first procedure went live
    with that code (review finding 7); saved here without validation to the same effect.
    """
    other = factories.procedure(index_page, title="Thủ tục khác", code="1.000002")
    draft = other.get_latest_revision_as_object()
    draft.code = published.code
    draft.save_revision(clean=False)
    return other


def test_bulk_publish_of_an_invalid_revision_is_refused_with_a_message(client, users, index_page, published):
    other = _with_duplicate_code(index_page, published)
    response = as_user(client, users, "approver").post(bulk_url("publish", other))
    assert response.status_code == 302
    text = " ".join(messages_of(response))
    assert "Không thể xuất bản" in text and "1.001731" in text
    other.refresh_from_db()
    assert other.code == "1.000002" and other.versions.count() == 1


def test_bulk_publish_with_descendants_checks_the_descendants(client, users, index_page, published):
    draft = factories.procedure(index_page, title="Bản nháp trùng mã", code="1.000004", publish=False)
    revision = draft.get_latest_revision_as_object()
    revision.code = published.code
    revision.save_revision(clean=False)
    response = as_user(client, users, "approver").post(bulk_url("publish", index_page), {"include_descendants": "on"})
    assert response.status_code == 302
    assert "Bản nháp trùng mã" in " ".join(messages_of(response))
    draft.refresh_from_db()
    assert not draft.live


def test_editors_cannot_bulk_publish_or_unpublish(client, users, index_page, published):
    draft = factories.procedure(index_page, title="Bản nháp của biên tập viên", publish=False)
    as_user(client, users, "editor")
    client.post(bulk_url("publish", draft))
    client.post(bulk_url("unpublish", published))
    draft.refresh_from_db()
    published.refresh_from_db()
    assert not draft.live and published.live


def test_approvers_bulk_publish_and_unpublish(client, users, index_page, published):
    draft = factories.procedure(index_page, title="Thủ tục mới", code="1.000003", publish=False)
    as_user(client, users, "approver")
    assert client.post(bulk_url("publish", draft)).status_code == 302
    assert client.post(bulk_url("unpublish", published)).status_code == 302
    draft.refresh_from_db()
    published.refresh_from_db()
    assert draft.live and draft.versions.count() == 1
    assert not published.live and published.versions.count() == 1


def test_bulk_move_of_a_procedure_does_not_fail(client, users, site_tree, published):
    home, _index_page = site_tree
    second_index = home.add_child(instance=ProcedureIndexPage(title="Thủ tục cấp xã", slug="cap-xa"))
    response = as_user(client, users, "approver").post(bulk_url("move", published), {"chooser": second_index.pk})
    assert response.status_code == 302
    published.refresh_from_db()
    assert published.get_parent().pk == second_index.pk and published.live


# --- 8. copies of procedures -----------------------------------------------------------------


def copy_url(page):
    return reverse("wagtailadmin_pages:copy", args=(page.pk,))


@pytest.mark.parametrize("option", ["publish_copies", "alias"])
def test_a_copy_of_a_procedure_is_never_published_directly(client, users, index_page, published, option):
    pages_before = Page.objects.count()
    response = as_user(client, users, "admin").post(
        copy_url(published),
        {
            "new_title": "Bản sao",
            "new_slug": "ban-sao",
            "new_parent_page": index_page.pk,
            option: "on",
        },
    )
    assert response.status_code == 302
    assert any("phải được trình duyệt" in message for message in messages_of(response))
    assert Page.objects.count() == pages_before
    assert ProcedurePage.objects.live().filter(code=published.code).count() == 1


def test_a_copy_of_a_parent_with_procedures_is_never_published_directly(client, users, site_tree, published):
    """The index is unique today, so Wagtail would refuse this copy anyway; the guard does not rely on it."""
    home, index_page = site_tree
    pages_before = Page.objects.count()
    response = as_user(client, users, "admin").post(
        copy_url(index_page),
        {
            "new_title": "Bản sao",
            "new_slug": "ban-sao",
            "new_parent_page": home.pk,
            "copy_subpages": "on",
            "publish_copies": "on",
        },
    )
    assert response.status_code == 302
    assert any("phải được trình duyệt" in message for message in messages_of(response))
    assert Page.objects.count() == pages_before


def test_a_copy_of_a_procedure_as_a_draft_still_works(client, users, index_page, published):
    response = as_user(client, users, "admin").post(
        copy_url(published),
        {
            "new_title": "Bản sao",
            "new_slug": "ban-sao",
            "new_parent_page": index_page.pk,
        },
    )
    assert response.status_code == 302
    copy = ProcedurePage.objects.get(slug="ban-sao")
    assert not copy.live and copy.code == published.code and copy.versions.count() == 0


def test_the_copy_form_still_opens(client, users, published):
    assert as_user(client, users, "admin").get(copy_url(published)).status_code == 200


# --- 9. submitting again what is already in moderation ---------------------------------------

ALREADY_IN_MODERATION = "đang trong quy trình duyệt"


def form_post(form, **changes):
    return {
        "code": form.code,
        "title": form.title,
        "legal_document": form.legal_document_id or "",
        "document": form.document_id,
        "note": "",
        **changes,
    }


def decision_post(decision, **changes):
    return {
        "number": decision.number,
        "slug": decision.slug,
        "title": decision.title,
        "issuer": decision.issuer,
        "signed_date": decision.signed_date.isoformat(),
        "effective_date": decision.effective_date.isoformat(),
        "document": decision.document_id or "",
        "summary": decision.summary,
        **changes,
    }


SNIPPETS = {
    "form": (lambda: factories.form(), form_post, "wagtailsnippets_cms_form:edit"),
    "decision": (
        lambda: factories.decision("555/QĐ-UBND"),
        decision_post,
        "wagtailsnippets_cms_announcingdecision:edit",
    ),
}


def submitted_by_reviewer(client, users, kind, title):
    """A new form or decision that the reviewer has just submitted with ``title``:
    (the item, its edit URL, the function building its POST data)."""
    make, post_data, url_name = SNIPPETS[kind]
    item = make()
    url = reverse(url_name, args=(item.pk,))
    as_user(client, users, "reviewer")
    assert client.post(url, {**post_data(item, title=title), "action-submit": "1"}).status_code == 302
    return item, url, post_data


@pytest.mark.parametrize("kind", list(SNIPPETS))
def test_submitting_a_snippet_already_in_moderation_keeps_the_edit_and_says_why(client, users, kind):
    item, url, post_data = submitted_by_reviewer(client, users, kind, "Lần trình thứ nhất")
    second = client.post(url, {**post_data(item, title="Sửa thêm ở thẻ thứ hai"), "action-submit": "1"})
    assert second.status_code == 302 and second.url == url
    assert any(
        ALREADY_IN_MODERATION in message and "đã được lưu thành bản nháp" in message for message in messages_of(second)
    )
    assert WorkflowState.objects.active().for_instance(item).count() == 1
    item.refresh_from_db()
    assert item.get_latest_revision_as_object().title == "Sửa thêm ở thẻ thứ hai"  # saved as a draft
    assert item.title not in ("Lần trình thứ nhất", "Sửa thêm ở thẻ thứ hai")  # nothing went live


def test_a_workflow_started_meanwhile_by_another_request_is_refused_the_same_way(client, users, monkeypatch):
    from cms.admin.viewsets import ModeratedSnippetEditView

    form = factories.form()
    url = reverse("wagtailsnippets_cms_form:edit", args=(form.pk,))
    as_user(client, users, "reviewer")
    assert client.post(url, {**form_post(form, title="Lần trình thứ nhất"), "action-submit": "1"}).status_code == 302
    # The second request checked before the first one's workflow existed.
    monkeypatch.setattr(ModeratedSnippetEditView, "in_moderation", property(lambda view: False))
    response = client.post(url, {**form_post(form, title="Trình cùng lúc"), "action-submit": "1"})
    assert response.status_code == 302 and response.url == url
    assert any("đã được lưu thành bản nháp" in message for message in messages_of(response))
    assert WorkflowState.objects.active().for_instance(form).count() == 1
    form.refresh_from_db()
    assert form.get_latest_revision_as_object().title == "Trình cùng lúc"


@pytest.mark.parametrize("kind", list(SNIPPETS))
def test_an_editor_submitting_a_locked_snippet_gets_the_form_back_with_the_reason(client, users, kind):
    item, url, post_data = submitted_by_reviewer(client, users, kind, "Đang duyệt")
    as_user(client, users, "editor")
    response = client.post(url, {**post_data(item, title="Sửa của biên tập viên"), "action-submit": "1"})
    assert response.status_code == 200
    assert any(ALREADY_IN_MODERATION in message for message in messages_of(response))
    item.refresh_from_db()
    assert item.get_latest_revision_as_object().title == "Đang duyệt"  # locked: Wagtail saved nothing
    assert WorkflowState.objects.active().for_instance(item).count() == 1


def test_submitting_a_page_already_in_moderation_saves_a_draft_and_says_why(client, users, published):
    as_user(client, users, "reviewer")
    changes = {
        "announcing_decision": factories.decision("777/QĐ-UBND", datetime.date(2026, 1, 1)),
        "effective_date": datetime.date(2026, 1, 1),
        "change_type": "amended",
        "change_note": "Sửa",
    }
    responses = [
        submit(client, published, title=title, **changes) for title in ("Lần trình thứ nhất", "Sửa thêm ở thẻ thứ hai")
    ]
    assert [response.status_code for response in responses] == [302, 302]
    assert any(ALREADY_IN_MODERATION in message for message in messages_of(responses[1]))
    assert WorkflowState.objects.active().for_instance(published).count() == 1
    published.refresh_from_db()
    assert published.get_latest_revision_as_object().title == "Sửa thêm ở thẻ thứ hai"
    assert published.title == "Hỗ trợ chi phí mai táng"
