"""Each published version has its own change record, and nothing that cannot go live is approved
into a server error or left stuck: the editor's form, the final approval and publish_scheduled."""

import datetime

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.utils import timezone
from wagtail.models import TaskState, WorkflowState

from cms import roles
from cms.models import ProcedurePage
from tests import factories
from tests.helpers import (
    as_user,
    at_approval_step,
    current_task_state,
    edit_form_data,
    edit_url,
    publish,
    submit,
    workflow_action,
)

pytestmark = pytest.mark.django_db


def form_errors(response):
    assert response.status_code == 200, response.status_code
    return response.context["form"].errors


def stale_record(page):
    """The change record exactly as the current version has it (what an editor who only edits a
    fee would leave in the form)."""
    current = page.versions.order_by("-number").first()
    return {
        "effective_date": current.effective_date,
        "announcing_decision": current.decision,
        "change_type": "amended",
        "change_note": "Sửa phí",
    }


# --- the editor's form ---------------------------------------------------------------------------


def test_submitting_a_change_under_the_current_versions_decision_and_date_is_refused(client, users, live_page):
    as_user(client, users, "editor")
    response = submit(client, live_page, title="Đổi phí", **stale_record(live_page))
    errors = form_errors(response)
    assert "Lần thay đổi này cần quyết định công bố hoặc ngày có hiệu lực của riêng nó" in str(errors["effective_date"])
    assert "10/05/2022" in str(errors["effective_date"])  # the current version's date, dd/mm/yyyy
    assert current_task_state(live_page) is None


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"announcing_decision": None}, "announcing_decision", "Hãy chọn quyết định công bố"),
        ({"effective_date": None}, "effective_date", "Hãy nhập ngày có hiệu lực"),
        ({"effective_date": datetime.date(2021, 1, 1)}, "effective_date", "không được sớm hơn ngày có hiệu lực"),
        ({"change_type": "new"}, "change_type", "hãy chọn loại thay đổi"),
        ({"change_note": " "}, "change_note", "Hãy tóm tắt nội dung thay đổi"),
    ],
)
def test_each_part_of_the_change_record_is_required(client, users, live_page, changes, field, message):
    as_user(client, users, "approver")
    errors = form_errors(publish(client, live_page, title="Công bố trực tiếp", **changes))
    assert message in str(errors[field])
    live_page.refresh_from_db()
    assert live_page.title != "Công bố trực tiếp" and live_page.versions.count() == 1


def test_a_draft_decision_cannot_announce_a_version(client, users, live_page):
    draft_decision = factories.decision("77/QĐ-UBND", effective_date=datetime.date(2023, 1, 1))
    draft_decision.live = False
    draft_decision.save()
    as_user(client, users, "approver")
    errors = form_errors(publish(client, live_page, announcing_decision=draft_decision))
    assert "77/QĐ-UBND chưa được phê duyệt công khai" in str(errors["announcing_decision"])


def test_saving_a_draft_needs_no_change_record(client, users, live_page):
    as_user(client, users, "editor")
    data = edit_form_data(live_page, title="Bản nháp đang soạn", **stale_record(live_page))
    assert client.post(edit_url(live_page), data).status_code == 302
    assert ProcedurePage.objects.get(pk=live_page.pk).get_latest_revision_as_object().title == "Bản nháp đang soạn"


def test_a_new_decision_with_the_same_date_is_a_valid_record(client, users, live_page):
    new_decision = factories.decision("88/QĐ-UBND", effective_date=datetime.date(2022, 5, 10))
    as_user(client, users, "approver")
    response = publish(client, live_page, announcing_decision=new_decision, effective_date=datetime.date(2022, 5, 10))
    assert response.status_code == 302
    latest = live_page.versions.order_by("-number").first()
    assert (latest.number, latest.decision.number, latest.change_type) == (2, "88/QĐ-UBND", "amended")


# --- the final approval ---------------------------------------------------------------------------


def test_approving_a_revision_whose_code_was_taken_meanwhile_returns_it_to_the_editor(
    client, users, index_page, live_page
):
    draft = factories.procedure(index_page, title="Thủ tục mới", publish=False)
    as_user(client, users, "editor2")
    assert submit(client, draft, code="1.009999").status_code == 302
    as_user(client, users, "reviewer")
    workflow_action(client, draft, "approve")
    # Meanwhile another procedure goes live with the same code.
    other = ProcedurePage.objects.get(pk=live_page.pk)
    other.code = "1.009999"
    other.effective_date, other.change_type, other.change_note = datetime.date(2023, 1, 1), "amended", "Đổi mã"
    other.save_revision().publish()

    task_state = current_task_state(draft)
    as_user(client, users, "approver")
    response = workflow_action(client, draft, "approve", comment="Đồng ý, ký duyệt")
    assert response.status_code == 302  # not a server error
    task_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_REJECTED
    assert "Không thể phê duyệt (hệ thống tự động trả lại)" in task_state.comment and "1.009999" in task_state.comment
    assert "Ý kiến của người duyệt: Đồng ý, ký duyệt" in task_state.comment  # the approver's words are kept
    state = WorkflowState.objects.for_instance(draft).order_by("-pk").first()
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES  # back with the editor, not stuck
    draft.refresh_from_db()
    assert not draft.live


def test_approving_a_stale_change_record_returns_it_to_the_editor(client, users, live_page):
    """A submission that reached approval without its own record (e.g. started in code) is not
    published under the previous decision and date."""
    revision = ProcedurePage.objects.get(pk=live_page.pk)
    revision.title = "Đổi phí"
    revision.change_type, revision.change_note = "amended", "Sửa phí"
    revision = revision.save_revision(user=users["editor2"])
    from wagtail.models import Workflow

    Workflow.objects.get(active=True).start(live_page.specific, users["editor2"])
    as_user(client, users, "reviewer")
    workflow_action(client, live_page, "approve")
    task_state = current_task_state(live_page)
    assert task_state.task.name and task_state.status == TaskState.STATUS_REJECTED
    assert "ngày có hiệu lực của riêng nó" in task_state.comment
    assert live_page.versions.count() == 1


def test_a_complete_change_passes_both_approvals_and_is_recorded(client, users, live_page):
    at_approval_step(client, users, live_page)
    as_user(client, users, "approver")
    workflow_action(client, live_page, "approve")
    latest = live_page.versions.order_by("-number").first()
    assert latest.number == 2 and latest.effective_date == datetime.date(2022, 5, 11)
    assert latest.change_note == "Sửa đổi, bổ sung theo đề nghị của phòng chuyên môn"


# --- publish_scheduled ------------------------------------------------------------------------------


def _schedule(page, go_live, **fields):
    content = ProcedurePage.objects.get(pk=page.pk)
    for name, value in fields.items():
        setattr(content, name, value)
    content.go_live_at = go_live
    revision = content.save_revision()
    revision.publish()  # with a future go-live date this only schedules it
    return revision


def test_one_scheduled_revision_that_cannot_go_live_does_not_stop_the_others(index_page, capsys):
    clashing = factories.procedure(index_page, title="Thủ tục B", code="1.000001")
    other = factories.procedure(index_page, title="Thủ tục C", code="1.000002")
    taken = factories.procedure(index_page, title="Thủ tục A")
    go_live = timezone.now() + datetime.timedelta(days=3)
    record = {"effective_date": datetime.date(2024, 1, 1), "change_type": "amended", "change_note": "Sửa đổi"}
    bad = _schedule(clashing, go_live, code="1.000003", **record)
    _schedule(other, go_live + datetime.timedelta(minutes=1), title="Thủ tục C (sửa đổi)", **record)
    # After B's change was approved and scheduled, A goes live with the same code.
    content = ProcedurePage.objects.get(pk=taken.pk)
    content.code = "1.000003"
    content.save_revision().publish()

    with (
        time_machine.travel(go_live + datetime.timedelta(minutes=5)),
        pytest.raises(CommandError, match="1 nội dung theo lịch chưa được xử lý"),
    ):
        call_command("publish_scheduled")
    assert "Mã thủ tục 1.000003 đã được dùng" in capsys.readouterr().err
    assert ProcedurePage.objects.get(pk=other.pk).title == "Thủ tục C (sửa đổi)"
    assert ProcedurePage.objects.get(pk=other.pk).versions.count() == 2
    clashing.refresh_from_db()
    assert clashing.code == "1.000001" and clashing.versions.count() == 1
    bad.refresh_from_db()
    assert bad.approved_go_live_at is not None  # still scheduled: tried again once the clash is resolved


def test_a_corrected_resubmission_after_a_rejection_at_approval_is_published(client, users, live_page):
    """Resubmitted after the approver's rejection, the change resumes at the approval step; with
    re-approval on edit the reviewer then re-approves last. Wagtail would publish as the reviewer,
    who may not publish, and leave the item stuck; the workflow's approval publishes it."""
    at_approval_step(client, users, live_page)
    as_user(client, users, "approver")
    workflow_action(client, live_page, "reject", comment="Thiếu căn cứ")
    state = WorkflowState.objects.for_instance(live_page).order_by("-pk").first()
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES

    as_user(client, users, "editor2")  # the editor fixes the change and resubmits it
    assert submit(client, live_page, title="Đổi phí (đã sửa)").status_code == 302
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    steps = []
    while current_task_state(live_page) is not None and len(steps) < 3:
        # Approval first (where it was rejected), then review again (re-approval on edit).
        actor = "approver" if current_task_state(live_page).task.name == roles.APPROVAL_TASK else "reviewer"
        as_user(client, users, actor)
        assert workflow_action(client, live_page, "approve").status_code == 302
        steps.append(actor)
    assert steps == ["approver", "reviewer"]

    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED
    live_page.refresh_from_db()
    assert live_page.title == "Đổi phí (đã sửa)" and live_page.live
    latest = live_page.versions.order_by("-number").first()
    assert latest.number == 2
    assert latest.published_by == users["approver"]  # the approvers' step, not the last clicker


def test_a_first_publication_is_ban_hanh_moi(client, users, index_page):
    """A copy of a procedure carries the source's "sửa đổi, bổ sung" record; its first version is new."""
    draft = factories.procedure(
        index_page,
        title="Thủ tục sao chép",
        publish=False,
        change_type="amended",
        change_note="Ghi chú của thủ tục gốc",
    )
    as_user(client, users, "editor2")
    errors = form_errors(submit(client, draft, code="1.666666"))
    assert "Lần công bố đầu tiên của một thủ tục là “Ban hành mới”" in str(errors["change_type"])
    assert submit(client, draft, code="1.666666", change_type="new", change_note="").status_code == 302
