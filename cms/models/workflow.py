"""The moderation step: a group approval in which nobody approves or rejects their own submission.

Whether an approved revision may go live is a publication rule (``cms.publishing``), which the
models cannot import: the task asks through the ``approval_requested`` signal instead, and
``cms.publishing`` answers it.
"""

from django.core.exceptions import PermissionDenied
from django.dispatch import Signal
from django.utils.translation import gettext_lazy as _
from wagtail.models import AbstractGroupApprovalTask, WorkflowTask

# Sent with ``revision`` (the revision being approved) and ``content`` (the object built from it)
# before an approval; each receiver returns the reasons why it cannot go live (empty when it can).
approval_requested = Signal()


def approval_problems(task, task_state):
    """What stops ``task_state``'s revision from being approved; ``final``: at the last step."""
    later_steps = WorkflowTask.objects.filter(
        workflow_id=task_state.workflow_state.workflow_id, task__active=True, sort_order__gt=_step_order(task_state)
    )
    revision = task_state.revision
    responses = approval_requested.send(
        type(task), revision=revision, content=revision.as_object(), final=not later_steps.exists()
    )
    return [problem for _receiver, problems in responses for problem in problems]


def _step_order(task_state):
    step = WorkflowTask.objects.filter(workflow_id=task_state.workflow_state.workflow_id, task_id=task_state.task_id)
    return step.values_list("sort_order", flat=True).first() or 0


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
            problems = approval_problems(self, task_state)
            if problems:
                # Approving would fail while publishing (a server error, the item stuck in
                # moderation) or publish a version without its own decision and date: return
                # it to the editor instead, with the reasons as the reviewer's comment.
                comment = _("Không thể phê duyệt (hệ thống tự động trả lại): %(problems)s") % {
                    "problems": " ".join(problems)
                }
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
