"""Issue 7, findings 1 to 4: nothing unreviewed goes public, and no edit is lost.

The forms are read from the admin's own HTML and posted back as a browser would (hidden ids,
the revision the editor loaded...), so the tests see what an editor sees.
"""

from html.parser import HTMLParser

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.models import Workflow

from cms.demo.form_files import make_form_docx
from cms.models import Form, ProcedureStep
from tests import factories
from tests.helpers import edit_url

pytestmark = pytest.mark.django_db


class _FormReader(HTMLParser):
    """The fields of the first form with ``form_id`` (or the first form), as a browser submits them."""

    def __init__(self, form_id=None):
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside, self.done = form_id, False, False
        self.fields, self.action = [], None
        self._select, self._textarea, self._templates = None, None, 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "template":  # a browser does not submit the fields of a template
            self._templates += 1
        if self._templates:
            return
        if tag == "form" and not self.done and not self.inside:
            if self.form_id is None or attrs.get("id") == self.form_id:
                self.inside, self.action = True, attrs.get("action")
            return
        if not self.inside or ("name" not in attrs and tag != "option"):
            return
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "file", "image"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.fields.append((attrs["name"], attrs.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "select":
            self._select = attrs["name"]
        elif tag == "option" and self._select and "selected" in attrs:
            self.fields.append((self._select, attrs.get("value", "")))
        elif tag == "textarea":
            self._textarea = [attrs["name"], ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "template":
            self._templates -= 1
        if tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            name, text = self._textarea
            self.fields.append((name, text.removeprefix("\n")))
            self._textarea = None
        elif tag == "form" and self.inside:
            self.inside, self.done = False, True


def read_form(response, form_id="page-edit-form"):
    reader = _FormReader(form_id)
    reader.feed(response.content.decode())
    data = {}
    for name, value in reader.fields:
        data.setdefault(name, []).append(value)
    return reader.action, data


# --- finding 3: reverting to a published version gives a draft that can be saved -------------


def test_reverting_to_an_earlier_version_gives_a_savable_draft(client, users, live_page):
    first = live_page.live_revision
    live_page.steps = [ProcedureStep(title="Một bước duy nhất của phiên bản 2", description="")]
    live_page.change_type, live_page.change_note = "amended", "Rút gọn trình tự"
    live_page.announcing_decision = factories.decision("901/QĐ-UBND")
    live_page.save_revision().publish()
    assert not ProcedureStep.objects.filter(pk__in=[s["pk"] for s in first.content["steps"]]).exists()

    client.force_login(users["editor"])
    revert_url = reverse("wagtailadmin_pages:revisions_revert", args=(live_page.pk, first.pk))
    action, data = read_form(client.get(revert_url))
    response = client.post(action or revert_url, data)

    assert response.status_code == 302, response.content.decode()[:3000]
    live_page.refresh_from_db()
    draft = live_page.get_latest_revision_as_object()
    assert [step.title for step in draft.steps.all()] == [step["title"] for step in first.content["steps"]]


# --- finding 4: concurrent edits are refused, not lost ------------------------------------------


def test_a_save_based_on_an_older_revision_is_refused_and_says_who_changed_what(client, users, live_page):
    client.force_login(users["editor"])
    _action, stale = read_form(client.get(edit_url(live_page)))

    other = client.__class__()
    other.force_login(users["editor2"])
    _action, fresh = read_form(other.get(edit_url(live_page)))
    fresh["result"] = ["Kết quả do người thứ hai sửa"]
    assert other.post(edit_url(live_page), fresh).status_code == 302
    live_page.refresh_from_db()
    theirs = live_page.get_latest_revision()

    stale["applicants"] = ["Đối tượng do người thứ nhất sửa"]
    refused = client.post(edit_url(live_page), stale)
    html = refused.content.decode()
    assert refused.status_code == 200
    assert "editor2" in html and "kết quả thực hiện" in html.lower()
    assert "Đối tượng do người thứ nhất sửa" in html  # what the first editor typed is still there
    live_page.refresh_from_db()
    assert live_page.get_latest_revision() == theirs

    # Saving again from the form shown (now based on the newest revision) is a deliberate overwrite.
    _action, again = read_form(refused)
    assert client.post(edit_url(live_page), again).status_code == 302
    live_page.refresh_from_db()
    assert live_page.get_latest_revision_as_object().applicants == "Đối tượng do người thứ nhất sửa"


# --- finding 2: the admin API respects the locks of pages in review ----------------------------


def at_approval_step(page, users):
    """Submitted by the editor, approved by the reviewer: waiting for the approvers."""
    page.save_revision(user=users["editor"])
    workflow_state = Workflow.objects.get(name="Duyệt thủ tục hành chính").start(page, users["editor"])
    task_state = workflow_state.current_task_state
    task_state.task.specific.on_action(task_state, users["reviewer"], "approve")
    workflow_state.refresh_from_db()
    return workflow_state


def test_reverting_through_the_admin_api_is_refused_while_in_review(client, users, live_page):
    first = live_page.live_revision
    live_page.result = "Kết quả đang chờ phê duyệt"
    live_page.change_type, live_page.change_note = "amended", "Sửa kết quả"
    live_page.announcing_decision = factories.decision("902/QĐ-UBND")
    at_approval_step(live_page, users)
    live_page.refresh_from_db()
    latest = live_page.get_latest_revision()

    client.force_login(users["editor"])
    url = f"/admin/api/main/pages/{live_page.pk}/action/revert_to_page_revision/"
    response = client.post(url, {"revision_id": first.pk}, content_type="application/json")
    assert response.status_code == 403
    live_page.refresh_from_db()
    assert live_page.get_latest_revision() == latest
    # The approver (whom the lock does not bind) is not affected by the guard.
    client.force_login(users["approver"])
    assert client.post(url, {"revision_id": first.pk}, content_type="application/json").status_code == 200


# --- finding 1: a file under review is frozen, and what is approved is pinned ------------------


@pytest.fixture
def form_in_review(users):
    """A form whose file the editor uploaded, submitted by the editor and approved by the reviewer."""
    document = get_document_model()(title="Mẫu số 07", uploaded_by_user=users["editor"])
    document.file.save("mau-07.docx", ContentFile(make_form_docx("Mẫu số 07", "Tờ khai")), save=False)
    document.save()
    form = Form(code="Mẫu số 07", title="Tờ khai", document=document, live=False)
    form.save()
    form.save_revision(user=users["editor"])
    workflow_state = Workflow.objects.get(name="Duyệt thủ tục hành chính").start(form, users["editor"])
    task_state = workflow_state.current_task_state
    task_state.task.specific.on_action(task_state, users["reviewer"], "approve")
    return form


def test_the_file_of_a_form_in_review_cannot_be_replaced(client, users, form_in_review):
    document = form_in_review.document
    with document.file.open("rb") as stored:
        before = stored.read()
    client.force_login(users["editor"])
    response = client.post(
        reverse("wagtaildocs:edit", args=(document.pk,)),
        {
            "title": document.title,
            "collection": document.collection_id,
            "file": SimpleUploadedFile("doi.docx", make_form_docx("Mẫu số 07", "Tệp đã tráo")),
        },
    )
    assert response.status_code == 200
    assert "đang trong quy trình duyệt" in response.content.decode()
    document.refresh_from_db()
    with document.file.open("rb") as stored:
        assert stored.read() == before


def test_approving_a_form_whose_file_changed_since_submission_sends_it_back(users, form_in_review):
    document = form_in_review.document
    # A change that bypassed the admin (storage written directly): the pinned digest catches it.
    with document.file.open("wb") as stored:
        stored.write(make_form_docx("Mẫu số 07", "Tệp đã tráo"))
    workflow_state = form_in_review.current_workflow_state
    task_state = workflow_state.current_task_state
    task_state.task.specific.on_action(task_state, users["approver"], "approve")

    form_in_review.refresh_from_db()
    assert not form_in_review.live
    task_state.refresh_from_db()
    assert task_state.status == task_state.STATUS_REJECTED
    assert "đã bị thay đổi sau khi gửi duyệt" in task_state.comment


def test_the_final_approval_publishes_the_revision_it_approved(users, live_page):
    """Finding 9: the approval checked the task's revision but the finish action published the
    latest one. Wagtail's re-approval on edit usually sends a newer revision back to review, but
    whenever the workflow finishes with a newer revision present (a re-approval by the reviewer
    last, a revision written past the views), what goes live must be what was approved."""
    from cms.finish_workflow import publish_approved_revision

    live_page.result = "Kết quả đã được xem xét"
    live_page.change_type, live_page.change_note = "amended", "Sửa kết quả"
    live_page.announcing_decision = factories.decision("903/QĐ-UBND")
    workflow_state = at_approval_step(live_page, users)
    approved = workflow_state.current_task_state.revision
    live_page.result = "Kết quả chưa ai duyệt"
    unreviewed = live_page.save_revision(user=users["editor"])

    publish_approved_revision(workflow_state, user=users["approver"])

    live_page.refresh_from_db()
    assert live_page.live_revision == approved != unreviewed
    assert live_page.result == "Kết quả đã được xem xét"


def autosave(client, page, data, overwrite=None):
    """Wagtail's autosave: the form posted in the background (with the id of this session's own
    autosaved revision, if any), the answer's field updates written back into the open form
    (``data``), as its script does."""
    posted = {**data, "overwrite_revision_id": [str(overwrite)]} if overwrite else data
    response = client.post(edit_url(page), posted, HTTP_ACCEPT="application/json")
    body = response.json()
    assert body["success"], body
    for name, value in body["field_updates"].items():
        data[name] = [value]
    return body


def test_one_editor_saving_after_autosaves_is_not_taken_for_a_conflict(client, users, live_page):
    client.force_login(users["editor"])
    _action, data = read_form(client.get(edit_url(live_page)))
    data["applicants"] = ["Đối tượng, bản tự lưu 1"]
    first = autosave(client, live_page, data)
    data["applicants"] = ["Đối tượng, bản tự lưu 2"]
    autosave(client, live_page, data, overwrite=first["revision_id"])

    data["applicants"] = ["Đối tượng, bản lưu nháp"]
    assert client.post(edit_url(live_page), data).status_code == 302
    live_page.refresh_from_db()
    assert live_page.get_latest_revision_as_object().applicants == "Đối tượng, bản lưu nháp"


def test_an_autosave_by_someone_else_over_the_loaded_revision_is_a_conflict(client, users, live_page):
    other = client.__class__()
    other.force_login(users["editor2"])
    _action, theirs = read_form(other.get(edit_url(live_page)))
    theirs["result"] = ["Kết quả, bản tự lưu của người thứ hai"]
    saved = autosave(other, live_page, theirs)

    client.force_login(users["editor"])
    _action, mine = read_form(client.get(edit_url(live_page)))  # opened on their autosaved revision
    theirs["result"] = ["Kết quả, sửa tiếp trên cùng bản tự lưu"]
    autosave(other, live_page, theirs, overwrite=saved["revision_id"])

    mine["applicants"] = ["Đối tượng do người thứ nhất sửa"]
    refused = client.post(edit_url(live_page), mine)
    assert refused.status_code == 200
    assert "editor2" in refused.content.decode()
