"""Freeze a version record each time a procedure is really published (not when scheduled)."""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from wagtail.models import PageLogEntry
from wagtail.signals import page_published

from .versioning import build_snapshot


def record_published_version(sender, instance, revision=None, **kwargs):
    from .models import ProcedurePage, ProcedureVersion

    if not isinstance(instance, ProcedurePage):
        return
    page = ProcedurePage.objects.get(pk=instance.pk)  # the live content, children included
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
            decision=page.announcing_decision,
            snapshot=build_snapshot(page),
        )


def _publishing_log_entry(page, revision):
    """Who published: the publish log entry of this revision or, when the last workflow step
    published it (logged after this signal), that step's approval."""
    entries = PageLogEntry.objects.filter(page_id=page.pk).order_by("-timestamp", "-pk")
    if revision is not None:
        entry = entries.filter(action="wagtail.publish", revision=revision).first()
        if entry is not None:
            return entry
    return entries.filter(action="wagtail.workflow.approve").first()


def connect():
    page_published.connect(record_published_version, dispatch_uid="cms.record_published_version")
