"""Freeze a version record each time a procedure is really published (not when scheduled)."""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from wagtail.models import PageLogEntry
from wagtail.signals import page_published

from .versioning import build_snapshot, published_decision


def record_published_version(sender, instance, revision=None, **kwargs):
    from .models import ProcedurePage, ProcedureVersion

    if not isinstance(instance, ProcedurePage):
        return
    page = ProcedurePage.objects.get(pk=instance.pk)  # the live content, children included
    if not page.live or (revision is not None and page.live_revision_id != revision.pk):
        # Wagtail sends page_published for a first publication scheduled for later too; the
        # version is recorded when publish_scheduled really publishes it.
        return
    log_entry = _publishing_log_entry(page, revision)
    with transaction.atomic():
        # Lock the page row so that two publications never get the same version number.
        ProcedurePage.objects.select_for_update().filter(pk=page.pk).first()
        last = ProcedureVersion.objects.filter(page=page).aggregate(Max("number"))
        ProcedureVersion.objects.create(
            page=page,
            number=(last["number__max"] or 0) + 1,
            revision=revision,
            published_at=page.last_published_at or timezone.now(),
            published_by=log_entry.user if log_entry else None,
            effective_date=page.effective_date,
            change_type=page.change_type,
            change_note=page.change_note,
            decision=published_decision(page),
            snapshot=build_snapshot(page),
        )


def _publishing_log_entry(page, revision):
    """The approval of this revision by the workflow's last step (the approvers), if any.

    Usually the last approval; but a corrected resubmission may be approved by the approver
    first and re-approved by the reviewer last (re-approval on edit), and the publisher of record
    is still the approver. Wagtail writes its own "wagtail.publish" entry only after sending
    page_published, so a direct publication has no entry yet: the ``after_publish_page`` hook
    (cms/wagtail_hooks.py) records its user from the request instead.
    """
    from wagtail.models import WorkflowTask

    if revision is None:
        return None
    approvals = list(
        PageLogEntry.objects.filter(page_id=page.pk, revision=revision, action="wagtail.workflow.approve")
        .order_by("-timestamp", "-pk")
    )
    for entry in approvals:
        workflow = (entry.data or {}).get("workflow") or {}
        final_task_id = (
            WorkflowTask.objects.filter(workflow_id=workflow.get("id"), task__active=True)
            .order_by("-sort_order").values_list("task_id", flat=True).first()
        )
        if final_task_id is not None and (workflow.get("task") or {}).get("id") == final_task_id:
            return entry
    return approvals[0] if approvals else None


def refuse_deleting_published_documents(sender, instance, **kwargs):
    """A form file that a live form or a published version links to is never deleted."""
    from django.core.exceptions import PermissionDenied

    from .versioning import document_is_published

    if document_is_published(instance.pk):
        raise PermissionDenied("Tài liệu đang được dùng cho biểu mẫu hoặc phiên bản thủ tục đã công bố.")


def connect():
    from django.db.models.signals import pre_delete
    from wagtail.documents import get_document_model

    page_published.connect(record_published_version, dispatch_uid="cms.record_published_version")
    pre_delete.connect(refuse_deleting_published_documents, sender=get_document_model(),
                       dispatch_uid="cms.refuse_deleting_published_documents")
