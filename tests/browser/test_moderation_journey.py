"""The moderation workflow in headless Chromium, from the editor's draft to the citizen's comparison.

The specialist (Biên tập viên) raises the fee of procedure 1.001731 and submits it; the head of
division (Trưởng phòng) approves the first step from the dashboard, with a comment typed in
Wagtail's modal; the leadership (Lãnh đạo Sở) approves the last step from the editor's action
menu, which publishes; a citizen then sees version 4 and its field-by-field comparison.

Every actor has their own browser context (their own cookies). Controls are found by their ids,
names and data attributes rather than by their (partly translated) labels.
"""

import datetime
import re

import pytest
from playwright.sync_api import expect

from tests.helpers import current_task_state

pytestmark = pytest.mark.browser

PROCEDURE_CODE = "1.001731"
PROCEDURE_PATH = "/thu-tuc/ho-tro-chi-phi-mai-tang-cho-doi-tuong-bao-tro-xa-hoi/"
NEW_FEE = 120000
NEW_FEE_TEXT = "120.000"
CHANGE_NOTE = "Thu phí 120.000 đồng khi nộp trực tiếp theo Nghị quyết mới của HĐND tỉnh"
REVIEW_COMMENT = "Đã kiểm tra căn cứ thu phí, đồng ý trình Lãnh đạo Sở."
DEFAULT_TIMEOUT_MS = 15_000


@pytest.fixture
def demo_users(demo_site):
    """The demo accounts of ``load_demo`` (bientap, truongphong, lanhdao) with known passwords."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from cms import roles
    from cms.management.commands.load_demo import DEMO_USERS

    # A transactional test starts from the database as migrated (serialized rollback), without
    # the roles that conftest's django_db_setup adds for the other tests.
    roles.setup_roles_and_workflow()
    User = get_user_model()
    users = {}
    for username, full_name, group_name in DEMO_USERS:
        if group_name is None:
            continue
        user, _ = User.objects.get_or_create(
            username=username,
            defaults={"email": f"{username}@example.gov.vn", "first_name": full_name, "last_name": ""},
        )
        user.set_password(f"mat-khau-{username}")
        user.save()
        user.groups.add(Group.objects.get(name=group_name))
        users[username] = user
    return users


@pytest.fixture
def new_page(browser, site_url):
    """Pages in fresh browser contexts (one per actor), all closed before the live server stops.

    Closing them here rather than in the test body also covers a failing test: a page left open
    would go on talking to the server (the editor pings its editing session) after teardown.
    """
    contexts = []

    def make():
        context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def log_in(new_page, site_url, username):
    """A page in a fresh browser context, signed in to the admin through its login form."""
    page = new_page()
    page.goto(site_url + "/admin/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(f"mat-khau-{username}")
    page.locator("form.login-form [type=submit]").click()
    expect(page).to_have_url(site_url + "/admin/")
    return page


def expect_success_message(page):
    expect(page.locator(".messages li.success").first).to_be_visible()
    expect(page.locator(".messages li.error")).to_have_count(0)


def open_footer_actions(page):
    """Open the "more actions" dropdown of the editor's footer (Save draft ▲)."""
    page.locator("footer .w-dropdown--dropdown-button .w-dropdown__toggle").click()


def test_editor_reviewer_approver_then_citizen_sees_version_4(new_page, site_url, demo_users):
    from wagtail.models import TaskState

    from cms import roles
    from cms.models import ProcedurePage, SubmissionChannel

    procedure = ProcedurePage.objects.get(code=PROCEDURE_CODE)
    assert procedure.live
    assert list(procedure.versions.order_by("number").values_list("number", flat=True)) == [1, 2, 3]
    old_fee = procedure.submission_channels.first().fee_amount
    assert old_fee != NEW_FEE
    edit_url = f"{site_url}/admin/pages/{procedure.pk}/edit/"

    # 1. The specialist edits the fee and the publication tab, then submits for moderation.
    page = log_in(new_page, site_url, "bientap")
    page.goto(edit_url)
    edited_channel = page.locator("#id_submission_channels-0-channel").input_value()  # e.g. "in_person"
    page.locator("#id_submission_channels-0-fee_amount").fill(str(NEW_FEE))
    page.locator("#tab-label-cong_bo").click()  # tab "Công bố"
    change_type = page.locator("#id_change_type")
    expect(change_type).to_be_visible()
    change_type.select_option("amended")
    page.locator("#id_change_note").fill(CHANGE_NOTE)
    # A change is published with an effective date of its own (not the current version's).
    effective_date = page.locator("#id_effective_date")
    effective_date.fill(datetime.date.today().strftime("%d/%m/%Y"))
    effective_date.press("Escape")  # close the date picker
    open_footer_actions(page)
    submit = page.locator("footer button[name=action-submit]")
    expect(submit).to_be_visible()
    submit.click()
    # Wagtail goes back to the parent's listing with a success message.
    expect(page).not_to_have_url(edit_url)
    expect_success_message(page)

    task_state = current_task_state(procedure)
    assert task_state is not None, "the submission started no workflow"
    assert task_state.task.name == roles.REVIEW_TASK
    assert task_state.workflow_state.requested_by == demo_users["bientap"]
    procedure.refresh_from_db()
    assert procedure.submission_channels.first().fee_amount == old_fee  # nothing public yet
    draft = procedure.get_latest_revision_as_object()
    draft_channels = [(channel.channel, channel.fee_amount) for channel in draft.submission_channels.all()]
    assert draft_channels[0] == (edited_channel, NEW_FEE), (
        f"the fee of the first channel ({edited_channel}) was changed, but the submitted draft lists the "
        f"channels as {draft_channels}: saving the form reordered them"
    )

    # 2. The head of division approves the review step from the dashboard, with a comment.
    page = log_in(new_page, site_url, "truongphong")
    approve_with_comment = page.locator(
        f'button[data-workflow-action-url$="/workflow/action/{procedure.pk}/approve/{task_state.pk}/"][data-launch-modal]'
    )
    row = page.locator("tr", has=approve_with_comment)
    expect(row).to_have_count(1)
    row.locator(".w-dropdown__toggle").click()
    expect(approve_with_comment).to_be_visible()
    approve_with_comment.click()
    modal = page.locator(".modal.show, .modal.in").filter(has=page.locator("textarea[name=comment]"))
    expect(modal).to_be_visible()
    modal.locator("textarea[name=comment]").fill(REVIEW_COMMENT)
    modal.locator("form [type=submit]").click()
    # The modal posts the form, then reloads the dashboard (no flash message on this path), where
    # the reviewer has nothing left to act on.
    expect(approve_with_comment).to_have_count(0)
    expect(page).to_have_url(site_url + "/admin/")

    task_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_APPROVED
    assert task_state.finished_by == demo_users["truongphong"]
    assert task_state.get_comment() == REVIEW_COMMENT
    approval_state = current_task_state(procedure)
    assert approval_state is not None and approval_state.task.name == roles.APPROVAL_TASK
    assert procedure.versions.count() == 3  # still not public

    # 3. The leadership approves the last step from the editor's action menu, which publishes.
    page = log_in(new_page, site_url, "lanhdao")
    page.goto(edit_url)
    # The draft under review is what the editor shows.
    expect(page.locator("#id_submission_channels-0-fee_amount")).to_have_value(str(NEW_FEE))
    open_footer_actions(page)
    approve = page.locator("footer button[data-workflow-action-name=approve]:not([data-workflow-action-modal-url])")
    expect(approve).to_be_visible()
    approve.click()
    expect(page).not_to_have_url(edit_url)
    expect_success_message(page)

    # 4. A citizen, not signed in, sees the new fee, version 4 and what changed.
    page = new_page()
    page.goto(site_url + PROCEDURE_PATH)
    first_channel = page.locator("section[aria-labelledby=s-channels] tbody tr").first
    expect(first_channel.locator("th")).to_have_text(str(SubmissionChannel.Channel(edited_channel).label))
    expect(first_channel).to_contain_text(f"{NEW_FEE_TEXT} đồng")

    latest = page.locator(".version-history tbody tr").first
    expect(latest).to_contain_text("Phiên bản 4")
    expect(latest).to_contain_text("mới nhất")
    expect(latest).to_contain_text(CHANGE_NOTE)
    compare = latest.locator("a.compare-link")
    expect(compare).to_have_text("So sánh với phiên bản 3")
    compare.click()
    expect(page).to_have_url(re.compile(re.escape(PROCEDURE_PATH) + r"so-sanh/\?tu=3&den=4$"))
    channels = page.locator("section.comparison").filter(has=page.locator("h2", has_text="Cách thức thực hiện"))
    expect(channels).to_have_count(1)
    expect(channels.locator("ins").filter(has_text=NEW_FEE_TEXT).first).to_be_visible()

    # The server's record of the publication.
    procedure.refresh_from_db()
    assert procedure.submission_channels.first().fee_amount == NEW_FEE
    assert current_task_state(procedure) is None
    version = procedure.versions.order_by("-number").first()
    assert version.number == 4
    assert version.snapshot["channels"][0]["fee_amount"] == NEW_FEE
    assert version.change_type == ProcedurePage.ChangeType.AMENDED
    assert version.change_note == CHANGE_NOTE
    assert version.published_by == demo_users["lanhdao"]
