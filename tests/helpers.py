"""What the tests do and read, shared by the test modules: the page editor's POST data, acting as a
role, the steps of the moderation workflow, publishing a new version in code, and the text and
lists of a public page.

Builders of content are in ``tests/factories.py``, fixtures in ``tests/conftest.py``; a test module
imports from these three, never from another test module.
"""

import datetime
import re

from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.models import WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from cms.models import ProcedurePage

# --- the page editor's form, as a browser sends it -----------------------------------------------

CHILD_FIELDS = {
    "steps": ["title", "description", "time_allowance"],
    "submission_channels": [
        "channel",
        "time_limit_days",
        "time_limit_text",
        "fee_amount",
        "charge_amount",
        "fee_description",
        "notes",
    ],
    "dossier_components": ["case_label", "name", "originals", "copies", "form"],
    "agency_roles": ["role", "agency"],
    "related_procedures": ["procedure"],
    "legal_bases": ["legal_document", "provision"],
}
PAGE_FIELDS = [
    "title",
    "slug",
    "code",
    "sector",
    "procedure_type",
    "online_service",
    "dossier_sets",
    "dossier_note",
    "applicants",
    "receiving_address",
    "result",
    "requirements",
    "announcing_decision",
    "effective_date",
    "change_type",
    "change_note",
    "replaced_by",
    "seo_title",
    "search_description",
]


def _value(value):
    if value is None:
        return ""
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, datetime.datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def next_version_record(page):
    """What an editor fills in for the next published version of ``page``: a change type, a note
    and an effective date of its own (one day after the current version's), same decision.
    Empty for a page never published (its first version is "ban hành mới")."""
    current = page.versions.order_by("-number").first()
    if current is None:
        return {}
    return {
        "change_type": "amended",
        "change_note": "Sửa đổi, bổ sung theo đề nghị của phòng chuyên môn",
        "effective_date": (current.effective_date or datetime.date(2020, 1, 1)) + datetime.timedelta(days=1),
    }


def edit_form_data(page, channel_changes=None, next_version=True, **changes):
    """The editor's form for the latest revision of ``page``, with ``changes`` applied.

    ``channel_changes`` is a dict applied to every submission channel (e.g. a new fee). With
    ``next_version`` the change record of the next version is filled in (see next_version_record),
    as publishing, submitting or approving requires; ``changes`` override it.
    """
    changes = {**(next_version_record(page) if next_version else {}), **changes}
    page = page.get_latest_revision_as_object()
    data = {name: _value(getattr(page, name.removesuffix("_id"))) for name in PAGE_FIELDS}
    for relation, fields in CHILD_FIELDS.items():
        rows = []
        for order, child in enumerate(getattr(page, relation).all(), start=1):
            row = {field: _value(getattr(child, field)) for field in fields}
            if relation == "submission_channels" and channel_changes:
                row.update(channel_changes)
            row.update({"id": child.pk or "", "ORDER": order})
            rows.append(row)
        data[relation] = inline_formset(rows, initial=sum(1 for row in rows if row["id"]))
    data["comments"] = inline_formset([])
    data.update({key: _value(value) for key, value in changes.items()})
    form_data = nested_form_data(data)
    form_data["levels"] = [level.pk for level in page.levels.all()]
    return form_data


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=(page.pk,))


def submit(client, page, **changes):
    """The editor's "submit for moderation" of ``page`` with ``changes`` (see edit_form_data)."""
    data = edit_form_data(page, **changes)
    data["action-submit"] = "Submit"
    return client.post(edit_url(page), data)


def publish(client, page, **changes):
    """The editor's "publish" of ``page`` with ``changes`` (see edit_form_data)."""
    data = edit_form_data(page, **changes)
    data["action-publish"] = "Publish"
    return client.post(edit_url(page), data)


def messages_of(response):
    """The admin's flash messages (successes, errors) that ``response`` queued, as text."""
    return [str(message) for message in get_messages(response.wsgi_request)]


def upload_document(client, filename, content, title="Mẫu thử"):
    """Add a document through the admin's upload form (into the root collection), as the client's user."""
    return client.post(
        reverse("wagtaildocs:add"),
        {"title": title, "file": SimpleUploadedFile(filename, content), "collection": 1},
    )


# --- acting as a role, and the moderation workflow -----------------------------------------------


def as_user(client, users, role):
    """The test client logged in as ``users[role]`` (from the ``users`` fixture), or anonymous."""
    client.logout()
    if role != "anonymous":
        client.force_login(users[role])
    return client


def current_task_state(page):
    """The task ``page`` waits on in its workflow, or None when it is not in moderation."""
    state = WorkflowState.objects.active().for_instance(page).first()
    return state.current_task_state if state else None


def workflow_action(client, page, action, comment=""):
    """ "approve" or "reject" the current task of ``page`` (with ``comment``), as the client's user."""
    task_state = current_task_state(page)
    url = reverse("wagtailadmin_pages:workflow_action", args=(page.pk, action, task_state.pk))
    return client.post(url, {"comment": comment} if comment else {})


def submitted_by(client, users, page, role="editor2", **changes):
    """``page`` submitted by ``role`` through the editor: the task state it then waits on (the review)."""
    as_user(client, users, role)
    response = submit(client, page, **changes)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert current_task_state(page) is not None
    return current_task_state(page)


def at_approval_step(client, users, page):
    """``page`` submitted by "editor2" and approved by the reviewer: its task state at the approvers' step."""
    submitted_by(client, users, page)
    as_user(client, users, "reviewer")
    assert workflow_action(client, page, "approve").status_code == 302
    return current_task_state(page)


# --- publishing a new version in code --------------------------------------------------------------


def republish(page, decision=None, effective_date=None, change_type="amended", change_note="", **changes):
    """Publish the latest revision of ``page`` again with ``changes``, as a new version with this change record
    (the decision and effective date carry over unless given)."""
    page = page.get_latest_revision_as_object()
    for name, value in changes.items():
        setattr(page, name, value)
    if decision is not None:
        page.announcing_decision = decision
    if effective_date is not None:
        page.effective_date = effective_date
    page.change_type, page.change_note = change_type, change_note
    page.save_revision().publish()
    return ProcedurePage.objects.get(pk=page.pk)


# --- reading public pages ----------------------------------------------------------------------------


def text_of(response):
    """The page's visible text with whitespace collapsed, for readable assertions."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def listed_titles(response):
    """The titles of the procedures listed on an index, sector or search page, in order."""
    html = response.content.decode()
    if 'class="search-result-list"' in html:  # results with the query's words marked
        return [re.sub(r"</?mark>", "", title) for title in re.findall(r'<h3><a href="[^"]+">(.+?)</a></h3>', html)]
    return re.findall(r'<td><a href="[^"]+">([^<]+)</a></td>', html)
