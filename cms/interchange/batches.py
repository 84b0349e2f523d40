"""An import's batch in moderation: what each item is waiting for, and approving them together.

Approving a batch is each item's own workflow action, in order (decisions and forms first: a
procedure's last approval needs its decision live), with the same rules as one by one: nobody
approves their own submission, and an item that cannot go live is returned to the editor with
the reasons (``FourEyesApprovalTask``). Items the user may not act on are left as they are.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from ..models import AnnouncingDecision, Form, ProcedurePage

MODELS = {"decision": AnnouncingDecision, "form": Form, "procedure": ProcedurePage}
ORDER = {"decision": 0, "form": 1, "procedure": 2}


def batch_objects(batch):
    """[(item, object or None)] in approval order; objects fetched in one query per kind."""
    ids = {}
    for item in batch.items:
        if item.get("object_id") and item["kind"] in MODELS:
            ids.setdefault(item["kind"], set()).add(item["object_id"])
    found = {kind: MODELS[kind].objects.in_bulk(pks) for kind, pks in ids.items()}
    pairs = [(item, found.get(item["kind"], {}).get(item.get("object_id"))) for item in batch.items]
    return sorted(pairs, key=lambda pair: ORDER.get(pair[0]["kind"], 3))


def status_of(obj):
    """What the item is waiting for, in Vietnamese."""
    if obj is None:
        return _("đã bị xóa")
    obj = obj.specific if isinstance(obj, ProcedurePage) else obj
    state = obj.current_workflow_state
    if state is not None and state.current_task_state is not None:
        return _("đang chờ: %(task)s") % {"task": state.current_task_state.task.name}
    if state is not None and state.status == state.STATUS_NEEDS_CHANGES:
        return _("bị trả lại để sửa")
    if obj.live and not obj.has_unpublished_changes:
        return _("đã công khai")
    return _("bản nháp")


def approvable(obj, user):
    """The task state ``user`` may approve on ``obj`` now, or None."""
    if obj is None:
        return None
    obj = obj.specific if isinstance(obj, ProcedurePage) else obj
    state = obj.current_workflow_state
    task_state = state.current_task_state if state is not None else None
    if task_state is None:
        return None
    task = task_state.task.specific
    if not any(name == "approve" for name, *_rest in task.get_actions(obj, user)):
        return None
    return task_state


def approve_batch(batch, user, comment=""):
    """Approve, as ``user``, every item of ``batch`` at the step ``user`` acts on.

    Returns ``(approved, returned, skipped)`` counts: an item the rules refuse is returned to its
    editor (with the reasons) rather than approved.
    """
    approved = returned = skipped = 0
    for _item, obj in batch_objects(batch):
        task_state = approvable(obj, user)
        if task_state is None:
            skipped += 1
            continue
        with transaction.atomic():
            task_state.task.specific.on_action(task_state, user, "approve", comment=comment)
        task_state.refresh_from_db()
        if task_state.status == task_state.STATUS_APPROVED:
            approved += 1
        else:
            returned += 1
    return approved, returned, skipped
