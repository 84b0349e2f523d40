"""What may go public, and what happens when a procedure is published: one module to read.

A procedure reaches the public in one of three ways, and each asks ``publication_problems``
before anything goes live:

1. **The workflow** "Duyệt thủ tục hành chính" (``cms.roles``): review, then approval, each a
   ``FourEyesApprovalTask`` (nobody approves their own submission). Before each approval the
   task asks ``approval_problems`` (through the ``approval_requested`` signal); a revision that
   cannot go live is returned to the editor with the reasons. When the last step approves,
   Wagtail calls ``publish_approved_revision`` (``WAGTAIL_FINISH_WORKFLOW_ACTION``).
2. **Direct publication** by an approver or administrator in the editor (the editor form checks
   ``change_record_errors`` by field, ``cms.admin.editor``) or in bulk (``bulk_publication_problems``).
3. **A schedule**: an approved revision with a go-live date is published by ``publish_scheduled``
   (``publish_due_revision``, one item at a time).

When a procedure really goes live (Wagtail's ``page_published``), ``record_published_version``
freezes a ``ProcedureVersion``: number, change record, snapshot, and the publisher of record
(``publisher_of_record``: the final approver; for a direct publication, the user, through
``record_direct_publisher``).

What has been published stays: ``has_published_versions``, ``is_named_by_published_version`` and
``document_is_published`` are the guards the admin hooks ask before deleting or replacing
anything, and before serving a file to the public.
"""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _
from wagtail.models import Page, PageLogEntry, WorkflowState, WorkflowTask

from .choices import ChangeType
from .models import (
    Agency,
    AnnouncingDecision,
    Form,
    ImplementationLevel,
    LegalDocument,
    ProcedurePage,
    ProcedureVersion,
    Sector,
)
from .models.files import digest_key, document_digest
from .snapshots import build_snapshot, published_decision

# --- the rules ----------------------------------------------------------------------------------


def change_record_errors(page, decision, effective_date, change_type, change_note, initial_load=False, review=False):
    """Why these values cannot describe the next published version of ``page``, by field name.

    Each published version is cited by its own announcing decision and effective date; the page
    fields carry over from revision to revision, so an editor who only changes a fee would
    otherwise publish it under the previous decision and date, and "in force on" would then date
    the new text back to the old decision.

    ``initial_load``: an import that loads a set into a new installation publishes each
    procedure's current version with the record it already has ("sửa đổi, bổ sung" by decision
    X), not as a new issue. ``review``: a step before the last may pass a procedure whose
    decision is itself in moderation (an imported decision and its procedures go together);
    the last step needs the decision live.
    """
    errors = {}
    if decision is None:
        errors["announcing_decision"] = _("Hãy chọn quyết định công bố của lần công bố này.")
    elif not decision.live and not (review and decision.workflow_in_progress):
        errors["announcing_decision"] = _("Quyết định %(number)s chưa được phê duyệt công khai.") % {
            "number": decision.number
        }
    if effective_date is None:
        errors["effective_date"] = _("Hãy nhập ngày có hiệu lực của lần công bố này.")
    current = page.versions.order_by("-number").first() if page.pk else None
    if current is None:
        if change_type != ChangeType.NEW and not initial_load:  # e.g. a copy carrying another's record
            errors["change_type"] = _("Lần công bố đầu tiên của một thủ tục là “Ban hành mới”.")
        return errors
    if decision is not None and effective_date is not None:
        if decision.pk == current.decision_id and effective_date == current.effective_date:
            errors["effective_date"] = _(
                "Phiên bản hiện hành (số %(number)s) đã được công bố theo quyết định này với ngày có hiệu "
                "lực %(day)s. Lần thay đổi này cần quyết định công bố hoặc ngày có hiệu lực của riêng nó."
            ) % {"number": current.number, "day": date_format(current.effective_date, "d/m/Y")}
        elif current.effective_date and effective_date < current.effective_date:
            errors["effective_date"] = _(
                "Ngày có hiệu lực không được sớm hơn ngày có hiệu lực của phiên bản hiện hành (%(day)s)."
            ) % {"day": date_format(current.effective_date, "d/m/Y")}
    if change_type == ChangeType.NEW:
        errors["change_type"] = _(
            "Thủ tục đã được công bố; hãy chọn loại thay đổi: sửa đổi, bổ sung; thay thế; hoặc bãi bỏ."
        )
    if not (change_note or "").strip():
        errors["change_note"] = _("Hãy tóm tắt nội dung thay đổi so với phiên bản hiện hành.")
    return errors


def publication_problems(content, initial_load=False, review=False):
    """Why ``content`` (an object built from a revision) cannot go live now; empty when it can.

    The one check every publication path asks. A procedure must validate and carry its own
    change record. Any other page is fully validated when Wagtail saves it live, so whatever
    fails ``full_clean`` would fail there with a server error. Snippets are saved live without
    validation: nothing stops them.
    """
    if not isinstance(content, Page):
        return []
    problems = []
    try:
        content.full_clean()
    except ValidationError as error:
        problems += error.messages
    if isinstance(content, ProcedurePage):
        errors = change_record_errors(
            content,
            content.announcing_decision,
            content.effective_date,
            content.change_type,
            content.change_note,
            initial_load=initial_load,
            review=review,
        )
        problems += [str(message) for message in errors.values()]
    return problems


def approval_problems(sender, revision, content, final=True, **kwargs):
    """Receiver of ``approval_requested``: an approval of unpublishable content is a return, and
    so is one whose file changed after it was submitted (what is approved is what was reviewed)."""
    return publication_problems(content, review=not final) + pinned_file_problems(revision, content)


def pinned_file_problems(revision, content):
    """The files a form or decision links must be the ones its revision was saved with."""
    problems = []
    for name in getattr(content, "PINNED_FILES", ()):
        pinned = (revision.content or {}).get(digest_key(name))
        if pinned is None or not getattr(content, f"{name}_id", None):
            continue
        document = getattr(content, name)
        if document_digest(document) != pinned:
            problems.append(
                _("Tệp “%(document)s” đã bị thay đổi sau khi gửi duyệt; hãy kiểm tra lại tệp và gửi duyệt lại.")
                % {"document": document.title}
            )
    return problems


def bulk_publication_problems(pages, include_descendants):
    """One message per page whose latest revision cannot go live, as bulk publish would publish it."""
    pages = list(pages)
    if include_descendants:
        for page in list(pages):
            pages += list(page.get_descendants().not_live())
    problems = []
    for page in pages:
        candidate = page.specific.get_latest_revision_as_object()
        for problem in publication_problems(candidate):
            problems.append(
                _("Không thể xuất bản “%(page)s”: %(problem)s")
                % {"page": candidate.get_admin_display_title(), "problem": problem}
            )
    return problems


# --- the ways to go live ------------------------------------------------------------------------


def publish_approved_revision(workflow_state, user=None):
    """Publish what every step of the workflow approved, on the workflow's authority.

    Wagtail publishes as the user whose approval finished the workflow and checks that user's
    publish permission. With WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT, a corrected
    resubmission resumes at the approval step and, once the approver has approved it, goes back
    to the review step: the reviewer's approval then finishes the workflow, Wagtail refuses to
    publish as the reviewer (who may not publish) and the item is stuck in moderation for good.
    Reaching this point means each step has approved this very revision (four eyes, both
    groups), so no further permission check is due. The revision published is the one the last
    step approved and checked (``approval_problems``), not whatever revision is latest.
    """
    workflow_state.current_task_state.revision.publish(user=user, skip_permission_checks=True)


def publish_due_revision(revision):
    """Publish one scheduled revision in its own transaction; return why it cannot go live instead.

    ``publish_scheduled`` runs this for each due revision, so one item that cannot go live (its
    code taken meanwhile, a stale change record) is skipped and left scheduled, never stopping
    the others.
    """
    problems = publication_problems(revision.as_object())
    if not problems:
        with transaction.atomic():
            revision.publish(log_action="wagtail.publish.scheduled")
    return problems


# --- the version record -------------------------------------------------------------------------


def record_published_version(sender, instance, revision=None, **kwargs):
    """Receiver of ``page_published``: freeze the version a procedure's publication made public."""
    if not isinstance(instance, ProcedurePage):
        return
    # The live content, children included, as saved. An initial load hands over the very page
    # whose rows it has just written from memory (``cms.interchange.initial_load``).
    page = instance if getattr(instance, "saved_as_held", False) else ProcedurePage.objects.get(pk=instance.pk)
    if not page.live or (revision is not None and page.live_revision_id != revision.pk):
        # Wagtail sends page_published for a first publication scheduled for later too; the
        # version is recorded when publish_scheduled really publishes it.
        return
    with transaction.atomic():
        # Lock the page row so that two publications never get the same version number.
        ProcedurePage.objects.select_for_update().filter(pk=page.pk).first()
        last = ProcedureVersion.objects.filter(page=page).aggregate(Max("number"))
        ProcedureVersion.objects.create(
            page=page,
            number=(last["number__max"] or 0) + 1,
            revision=revision,
            published_at=page.last_published_at or timezone.now(),
            published_by=publisher_of_record(page, revision),
            effective_date=page.effective_date,
            change_type=page.change_type,
            change_note=page.change_note,
            decision=published_decision(page),
            snapshot=build_snapshot(page),
        )


def publisher_of_record(page, revision):
    """Who approved this revision at the workflow's last step (the approvers), if anyone did.

    Usually the last approval; but a corrected resubmission may be approved by the approver
    first and re-approved by the reviewer last (re-approval on edit), and the publisher of record
    is still the approver. A direct publication has no approval: ``record_direct_publisher``.
    """
    if revision is None:
        return None
    approvals = list(
        PageLogEntry.objects.filter(page_id=page.pk, revision=revision, action="wagtail.workflow.approve")
        .select_related("user")
        .order_by("-timestamp", "-pk")
    )
    for entry in approvals:
        workflow = (entry.data or {}).get("workflow") or {}
        final_task_id = (
            WorkflowTask.objects.filter(workflow_id=workflow.get("id"), task__active=True)
            .order_by("-sort_order")
            .values_list("task_id", flat=True)
            .first()
        )
        if final_task_id is not None and (workflow.get("task") or {}).get("id") == final_task_id:
            return entry.user
    return approvals[0].user if approvals else None


def record_direct_publisher(page, user):
    """The publisher of record of a direct publication: the user who pressed "publish".

    Wagtail logs a direct publication only after ``page_published``, so the version is recorded
    without a publisher and the editor's ``after_publish_page`` hook names the user here.
    """
    ProcedureVersion.objects.filter(
        page_id=page.pk, revision_id=page.live_revision_id, published_by__isnull=True
    ).update(published_by=user)


# --- what has been published stays ------------------------------------------------------------


def has_published_versions(pages):
    """Whether any of ``pages`` or their descendants has a published version (one query)."""
    paths = Q()
    for page in pages:
        paths |= Q(page__path__startswith=page.path)
    return bool(pages) and ProcedureVersion.objects.filter(paths).exists()


def _reference_of(instance):
    """How a snapshot names ``instance`` (see ``cms.snapshots.snapshot_references``), or None."""
    kinds = {
        Sector: "sector",
        ImplementationLevel: "level",
        Agency: "agency",
        LegalDocument: "legal_document",
        Form: "form",
        AnnouncingDecision: "decision",
    }
    kind = kinds.get(type(instance))
    return (kind, instance.pk) if kind else None


def first_named_by_published_version(instances):
    """The first of ``instances`` (snippets) that a published version names, or None."""
    references = None
    for instance in instances:
        reference = _reference_of(instance)
        if reference is None:
            continue
        if references is None:
            references = ProcedureVersion.objects.references()
        if reference in references:
            return instance
    return None


def documents_in_review():
    """Ids of the documents that a form or decision in moderation links: in the revision the
    current step reviews, in its latest revision, and live.

    Such a file is frozen until the workflow ends: replacing it would change what the reviewers
    approve without a new revision.
    """
    content_types = [ContentType.objects.get_for_model(model) for model in (Form, AnnouncingDecision)]
    states = WorkflowState.objects.active().filter(base_content_type__in=content_types)
    frozen = set()
    for state in states.select_related("current_task_state__revision"):
        item = state.content_object
        revisions = [getattr(state.current_task_state, "revision", None), item.latest_revision]
        for name in item.PINNED_FILES:
            frozen.update(revision.content.get(name) for revision in revisions if revision and revision.content)
            frozen.add(getattr(item, f"{name}_id"))
    frozen.discard(None)
    return frozen


def document_is_frozen(document_id):
    """Published, or under review: its file may be neither replaced nor deleted."""
    return document_is_published(document_id) or int(document_id) in documents_in_review()


def document_is_published(document_id):
    """Whether a live form or a live decision links to the document, or a published version does.

    Such a file is public (the only files the public may download) and a legal reference: it is
    never replaced in place nor deleted (a new file is a new document). Only live rows count (a
    form's or decision's row holds its live content; drafts and revisions in moderation live in
    revisions).
    """
    document_id = int(document_id)
    return (
        Form.objects.filter(Q(document_id=document_id) | Q(print_document_id=document_id), live=True).exists()
        or AnnouncingDecision.objects.filter(document_id=document_id, live=True).exists()
        or ProcedureVersion.objects.name_document(document_id)
    )


def refuse_deleting_published_documents(sender, instance, **kwargs):
    """Receiver of the document model's ``pre_delete``: a published or reviewed file stays."""
    if document_is_frozen(instance.pk):
        raise PermissionDenied(_("Tài liệu đang được dùng cho biểu mẫu hoặc phiên bản thủ tục đã công bố."))
