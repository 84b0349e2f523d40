"""Published versions of procedures (immutable records) and the moderation task."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.models import AbstractGroupApprovalTask

from ..workflows import publication_problems


class ProcedureVersionQuerySet(models.QuerySet):
    def in_force_on(self, day):
        """The version in force on ``day``: the latest effective on or before it."""
        return (
            self.filter(effective_date__lte=day)
            .order_by("-effective_date", "-number")
            .first()
        )


class ProcedureVersion(models.Model):
    """One published version of a procedure, frozen at publication (see cms/versioning.py)."""

    page = models.ForeignKey(
        "cms.ProcedurePage", verbose_name=_("thủ tục"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField(_("phiên bản số"))
    revision = models.ForeignKey(
        "wagtailcore.Revision", verbose_name=_("bản sửa đổi"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    published_at = models.DateTimeField(_("thời điểm công khai"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người phê duyệt"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    effective_date = models.DateField(_("ngày có hiệu lực"), null=True, blank=True)
    change_type = models.CharField(_("loại thay đổi"), max_length=20)
    change_note = models.CharField(_("nội dung thay đổi"), max_length=500, blank=True)
    decision = models.ForeignKey(
        "cms.AnnouncingDecision", verbose_name=_("quyết định công bố"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="procedure_versions",
    )
    snapshot = models.JSONField(_("nội dung đã công bố"))

    objects = ProcedureVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("phiên bản thủ tục")
        verbose_name_plural = _("phiên bản thủ tục")
        ordering = ["page", "number"]
        constraints = [models.UniqueConstraint(fields=["page", "number"], name="unique_procedure_version")]

    def __str__(self):
        return f"{self.snapshot.get('title', '')} – phiên bản {self.number}"

    @property
    def change_type_label(self):
        return self.snapshot.get("change_type_label", self.change_type)

    def get_url(self):
        return f"{self.page.url}phien-ban/{self.number}/"


class FourEyesApprovalTask(AbstractGroupApprovalTask):
    """A group approval step in which nobody approves or rejects their own submission."""

    def _is_own_submission(self, obj, user):
        state = getattr(obj, "current_workflow_state", None)
        return state is not None and state.requested_by_id == user.pk

    def get_actions(self, obj, user):
        if self._is_own_submission(obj, user):
            return []
        return super().get_actions(obj, user)

    def on_action(self, task_state, user, action_name, **kwargs):
        if task_state.workflow_state.requested_by_id == user.pk:
            raise PermissionDenied(_("Không được tự duyệt nội dung do chính mình trình."))
        if action_name == "approve":
            problems = publication_problems(task_state.revision.as_object())
            if problems:
                # Approving would fail while publishing (a server error, the item stuck in
                # moderation) or publish a version without its own decision and date: return
                # it to the editor instead, with the reasons as the reviewer's comment.
                comment = _("Không thể phê duyệt (hệ thống tự động trả lại): %(problems)s") % {
                    "problems": " ".join(problems)}
                if kwargs.get("comment"):
                    comment += " " + _("Ý kiến của người duyệt: %(comment)s") % {"comment": kwargs["comment"]}
                return super().on_action(task_state, user, "reject", comment=comment)
        return super().on_action(task_state, user, action_name, **kwargs)

    @classmethod
    def get_description(cls):
        return _("Thành viên các nhóm được chọn duyệt bước này; người trình không được tự duyệt.")

    class Meta:
        verbose_name = _("bước duyệt (không tự duyệt)")
        verbose_name_plural = _("bước duyệt (không tự duyệt)")
