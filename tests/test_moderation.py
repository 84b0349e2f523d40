"""Roles, the two-step workflow and scheduled publication, at HTTP level.

A specialist (Biên tập viên) drafts and submits, the head of division (Trưởng phòng) reviews,
the leadership (Lãnh đạo Sở) approves, which publishes. Every refusal is checked on the
server's state after a crafted request, not on what the interface shows.
"""

import datetime
import re

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
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
    publish,
    submit,
    submitted_by,
    workflow_action,
)

pytestmark = pytest.mark.django_db

# --- the permission matrix ----------------------------------------------------------------------


def attempt_view_draft(client, users, page, role):
    response = as_user(client, users, role).get(reverse("wagtailadmin_pages:view_draft", args=(page.pk,)))
    return response.status_code == 200 and page.title in response.content.decode()


def attempt_preview(client, users, page, role):
    as_user(client, users, role)
    url = reverse("wagtailadmin_pages:preview_on_edit", args=(page.pk,))
    response = client.post(url, edit_form_data(page, title="Tiêu đề xem trước"))
    if response.status_code != 200 or not response.json().get("is_valid"):
        return False
    rendered = client.get(url)
    return rendered.status_code == 200 and "Tiêu đề xem trước" in rendered.content.decode()


def attempt_submit(client, users, page, role):
    as_user(client, users, role)
    submit(client, page, title="Đề nghị sửa đổi")
    return current_task_state(page) is not None


def _attempt_task_action(client, users, page, role, action):
    # The approvers act on the second step, the others on the first.
    reach_the_step = at_approval_step if role == "approver" else submitted_by
    task_state = reach_the_step(client, users, page)
    as_user(client, users, role)
    workflow_action(client, page, action, comment="Ý kiến")
    task_state.refresh_from_db()
    expected = TaskState.STATUS_APPROVED if action == "approve" else TaskState.STATUS_REJECTED
    return task_state.status == expected


def attempt_approve(client, users, page, role):
    return _attempt_task_action(client, users, page, role, "approve")


def attempt_reject(client, users, page, role):
    return _attempt_task_action(client, users, page, role, "reject")


def attempt_publish(client, users, page, role):
    publish(as_user(client, users, role), page, title="Bản công bố trực tiếp")
    page.refresh_from_db()
    return page.title == "Bản công bố trực tiếp" and page.live


def attempt_unpublish(client, users, page, role):
    as_user(client, users, role).post(reverse("wagtailadmin_pages:unpublish", args=(page.pk,)))
    page.refresh_from_db()
    return not page.live


def attempt_delete(client, users, page, role):
    as_user(client, users, role).post(reverse("wagtailadmin_pages:delete", args=(page.pk,)))
    return not ProcedurePage.objects.filter(pk=page.pk).exists()


def attempt_schedule(client, users, page, role):
    go_live = timezone.localtime() + datetime.timedelta(days=30)
    publish(
        as_user(client, users, role), page, title="Bản hẹn giờ", go_live_at=go_live.replace(second=0, microsecond=0)
    )
    return page.revisions.filter(approved_go_live_at__isnull=False).exists()


ACTIONS = {
    "view_draft": attempt_view_draft,
    "preview": attempt_preview,
    "submit": attempt_submit,
    "approve": attempt_approve,
    "reject": attempt_reject,
    "publish": attempt_publish,
    "unpublish": attempt_unpublish,
    "delete": attempt_delete,
    "schedule": attempt_schedule,
}

# A published procedure is a legal record: nobody deletes it (it is abolished instead).
EXPECTED = {
    "anonymous": set(),
    "editor": {"view_draft", "preview", "submit"},
    "reviewer": {"view_draft", "preview", "submit", "approve", "reject"},
    "approver": {"view_draft", "preview", "submit", "approve", "reject", "publish", "unpublish", "schedule"},
    "admin": {"view_draft", "preview", "submit", "approve", "reject", "publish", "unpublish", "schedule"},
}


class TestPermissionMatrix:
    """Every role tries every action on the same live procedure and users (those of conftest's
    ``live_page`` and ``users``), built once for all the cases (conftest.class_transaction): each
    case reads them afresh and its own requests are rolled back after it."""

    @pytest.fixture(scope="class")
    @classmethod
    def built(cls, class_transaction):
        """The ids of the users by role and of the live procedure."""
        index = factories.site_tree()[1]
        users = factories.role_users()
        return {key: user.pk for key, user in users.items()}, factories.live_procedure(index).pk

    @pytest.fixture
    def users(self, db, built):
        user_pks, _page_pk = built
        return {key: get_user_model().objects.get(pk=pk) for key, pk in user_pks.items()}

    @pytest.fixture
    def live_page(self, db, built):
        _user_pks, page_pk = built
        return ProcedurePage.objects.get(pk=page_pk)

    @pytest.mark.parametrize("action", list(ACTIONS))
    @pytest.mark.parametrize("role", list(EXPECTED))
    def test_permission_matrix(self, client, users, live_page, role, action):
        allowed = ACTIONS[action](client, users, live_page, role)
        assert allowed == (action in EXPECTED[role]), f"{role} {'could' if allowed else 'could not'} {action}"


def test_nobody_approves_their_own_submission(client, users, live_page):
    submitted_by(client, users, live_page, role="reviewer")
    for action in ("approve", "reject"):
        response = workflow_action(client, live_page, action)
        # Wagtail's admin answers PermissionDenied with a redirect to the dashboard.
        assert response.status_code == 302 and response.url == reverse("wagtailadmin_home")
        assert current_task_state(live_page).status == TaskState.STATUS_IN_PROGRESS
    # Another reviewer may.
    other = get_user_model().objects.create_user("reviewer2", "reviewer2@example.gov.vn", "x")
    other.groups.add(Group.objects.get(name=roles.REVIEWERS))
    client.force_login(other)
    task_state = current_task_state(live_page)
    assert workflow_action(client, live_page, "approve").status_code == 302
    task_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_APPROVED


def test_unpublished_draft_can_be_deleted_but_a_published_procedure_cannot(client, users, index_page):
    draft = factories.procedure(index_page, title="Bản nháp chưa công bố", publish=False)
    draft.owner = users["editor"]
    draft.save()
    as_user(client, users, "editor").post(reverse("wagtailadmin_pages:delete", args=(draft.pk,)))
    assert not ProcedurePage.objects.filter(pk=draft.pk).exists()
    published = factories.procedure(index_page, title="Đã công bố")
    response = as_user(client, users, "admin").post(reverse("wagtailadmin_pages:delete", args=(published.pk,)))
    assert response.status_code == 302
    assert ProcedurePage.objects.filter(pk=published.pk).exists()


# --- the workflow -------------------------------------------------------------------------------


def test_happy_path_editor_reviewer_approver(client, users, live_page):
    mail.outbox.clear()
    versions_before = live_page.versions.count()
    submitted_by(
        client,
        users,
        live_page,
        role="editor",
        channel_changes={"fee_amount": 250000},
        change_type="amended",
        change_note="Tăng phí",
    )
    assert any("reviewer@example.gov.vn" in message.to for message in mail.outbox), [m.to for m in mail.outbox]
    live_page.refresh_from_db()
    assert live_page.submission_channels.first().fee_amount == 0  # nothing public yet

    as_user(client, users, "reviewer")
    assert workflow_action(client, live_page, "approve").status_code == 302
    assert any("approver@example.gov.vn" in message.to for message in mail.outbox)
    live_page.refresh_from_db()
    assert live_page.versions.count() == versions_before  # still not public

    as_user(client, users, "approver")
    assert workflow_action(client, live_page, "approve").status_code == 302
    live_page.refresh_from_db()
    assert [c.fee_amount for c in live_page.submission_channels.all()] == [250000, 250000]
    latest = live_page.versions.order_by("-number").first()
    assert latest.number == versions_before + 1
    assert latest.published_by == users["approver"]
    assert latest.change_note == "Tăng phí"
    assert latest.snapshot["channels"][0]["fee_amount"] == 250000


def test_rejection_returns_to_the_editor_with_the_comment(client, users, live_page):
    submitted_by(client, users, live_page, role="editor", title="Tên sửa sai")
    mail.outbox.clear()
    as_user(client, users, "reviewer")
    response = workflow_action(client, live_page, "reject", comment="Tên thủ tục phải giữ như quyết định công bố")
    assert response.status_code == 302
    state = WorkflowState.objects.for_instance(live_page).order_by("-created_at").first()
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    task_state = state.task_states.order_by("-started_at").first()
    assert task_state.status == TaskState.STATUS_REJECTED
    assert task_state.get_comment() == "Tên thủ tục phải giữ như quyết định công bố"
    assert any("editor@example.gov.vn" in message.to for message in mail.outbox)
    live_page.refresh_from_db()
    assert live_page.title == "Hỗ trợ chi phí mai táng"


def test_scheduled_publication_takes_effect_at_its_go_live_date(client, users, live_page):
    go_live = timezone.make_aware(datetime.datetime(2030, 7, 1, 0, 0))
    submitted_by(
        client,
        users,
        live_page,
        role="editor",
        go_live_at=go_live,
        channel_changes={"fee_amount": 99000},
        effective_date=datetime.date(2030, 7, 1),
    )
    as_user(client, users, "reviewer")
    workflow_action(client, live_page, "approve")
    as_user(client, users, "approver")
    workflow_action(client, live_page, "approve")
    live_page.refresh_from_db()
    assert live_page.submission_channels.first().fee_amount == 0
    assert live_page.revisions.filter(approved_go_live_at=go_live).exists()
    versions_before = live_page.versions.count()

    with time_machine.travel(go_live - datetime.timedelta(minutes=1), tick=False):
        call_command("publish_scheduled")
    live_page.refresh_from_db()
    assert live_page.submission_channels.first().fee_amount == 0

    with time_machine.travel(go_live + datetime.timedelta(minutes=1), tick=False):
        call_command("publish_scheduled")
    live_page.refresh_from_db()
    assert live_page.submission_channels.first().fee_amount == 99000
    assert live_page.versions.count() == versions_before + 1
    assert live_page.versions.order_by("-number").first().effective_date == datetime.date(2030, 7, 1)


def test_forms_and_decisions_go_through_the_same_workflow(users):
    from cms.models import AnnouncingDecision, Form

    for model in (Form, AnnouncingDecision):
        workflow = model().get_workflow()
        assert workflow is not None and workflow.name == roles.WORKFLOW_NAME
        assert [task.name for task in workflow.tasks] == [roles.REVIEW_TASK, roles.APPROVAL_TASK]


def test_reviewer_reaches_the_field_by_field_diff_in_one_click(client, users, live_page):
    submitted_by(client, users, live_page, role="editor", channel_changes={"fee_amount": 250000})
    as_user(client, users, "reviewer")
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    match = re.search(r'<a class="button button-small compare-with-live" href="([^"]+)"', dashboard)
    assert match, "no comparison link on the reviewer's dashboard"
    comparison = client.get(match.group(1).replace("&amp;", "&"))
    assert comparison.status_code == 200
    html = comparison.content.decode()
    assert "250000" in html and "Cách thức thực hiện" in html
    # Editors have nothing to review.
    as_user(client, users, "editor")
    assert "compare-with-live" not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_wagtail_default_groups_and_workflow_are_retired():
    """Wagtail's English "Editors"/"Moderators" groups and "Moderators approval" workflow would let
    a member of "Moderators" publish without the two-step approval; setup_roles removes them
    when unused (and keeps a default group an administrator has put people in)."""
    from wagtail.models import Task, Workflow

    from cms.roles import WAGTAIL_DEFAULT_WORKFLOW, setup_roles_and_workflow

    member = get_user_model().objects.create_user("kept", password="x")
    Group.objects.get_or_create(name="Editors")[0].user_set.add(member)
    Group.objects.get_or_create(name="Moderators")
    # The test database already went through setup_roles (conftest.django_db_setup): put Wagtail's
    # default workflow back as its migrations leave it, active, for setup_roles to retire again.
    default = Workflow.objects.get(name=WAGTAIL_DEFAULT_WORKFLOW)
    default.active = True
    default.save()
    Task.objects.filter(workflow_tasks__workflow=default).update(active=True)
    active = set(Workflow.objects.filter(active=True).values_list("name", flat=True))
    assert active == {"Duyệt thủ tục hành chính", WAGTAIL_DEFAULT_WORKFLOW}
    setup_roles_and_workflow()
    assert not Group.objects.filter(name="Moderators").exists()
    assert Group.objects.filter(name="Editors").exists()
    assert list(Workflow.objects.filter(active=True).values_list("name", flat=True)) == ["Duyệt thủ tục hành chính"]
