"""Wagtail's ``publish_scheduled``, made safe for an unattended timer.

Wagtail's own command publishes due revisions one after another and stops at the first that
fails (say, a procedure code taken meanwhile by another live procedure): every later scheduled
change then misses its effective date, on every run. Here each expiry and each publication is its
own transaction; one that cannot be done is skipped, reported on stderr and left scheduled (it is
tried again on the next run, e.g. once the clash is resolved), and the command exits non-zero so
the systemd unit shows the failure. ``cms`` is listed before ``wagtail`` in INSTALLED_APPS, so
this command replaces Wagtail's.
"""

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone
from wagtail.management.commands.publish_scheduled import Command as WagtailPublishScheduled
from wagtail.models import DraftStateMixin, Page, Revision

from cms.publishing import publish_due_revision


class Command(WagtailPublishScheduled):
    help = "Publish scheduled revisions and unpublish expired content; one failure does not stop the rest."

    def handle(self, *args, **options):
        if options["dryrun"]:
            return super().handle(*args, **options)
        failures = [*self.unpublish_expired(), *self.publish_due_revisions()]
        for label, reason in failures:
            self.stderr.write(f"Không thực hiện được: {label}: {reason}")
        if failures:
            raise CommandError(f"{len(failures)} nội dung theo lịch chưa được xử lý (xem ở trên).")

    def unpublish_expired(self):
        models = [Page] + [
            model for model in apps.get_models() if issubclass(model, DraftStateMixin) and not issubclass(model, Page)
        ]
        for model in models:
            for obj in list(model.objects.filter(live=True, expire_at__lt=timezone.now()).order_by("expire_at")):
                try:
                    with transaction.atomic():
                        obj.unpublish(set_expired=True, log_action="wagtail.unpublish.scheduled")
                except Exception as error:  # one item must never stop the others
                    yield f"hết hạn {model._meta.verbose_name} “{obj}”", _reason(error)

    def publish_due_revisions(self):
        due = Revision.objects.filter(approved_go_live_at__lt=timezone.now()).order_by("approved_go_live_at")
        for revision in list(due):
            label = f"xuất bản “{revision.object_str}” (bản sửa đổi {revision.pk})"
            try:
                problems = publish_due_revision(revision)
            except Exception as error:  # one item must never stop the others
                yield label, _reason(error)
                continue
            if problems:
                yield label, " ".join(problems)


def _reason(error):
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return f"{type(error).__name__}: {error}"
