"""Groups, permissions and the moderation workflow, set up idempotently.

A specialist drafts (Biên tập viên), the head of the division reviews (Trưởng phòng), the
department's leadership approves, which publishes (Lãnh đạo Sở). Editors and reviewers have no
publish permission, so Wagtail refuses them publishing, unpublishing, scheduling and deleting
live pages on the server, whatever they POST.
"""

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Task,
    Workflow,
    WorkflowContentType,
    WorkflowPage,
    WorkflowTask,
)

EDITORS = "Biên tập viên"
REVIEWERS = "Trưởng phòng"
APPROVERS = "Lãnh đạo Sở"
ADMINISTRATORS = "Quản trị hệ thống"
WORKFLOW_NAME = "Duyệt thủ tục hành chính"
REVIEW_TASK = "Trưởng phòng xem xét"
APPROVAL_TASK = "Lãnh đạo Sở phê duyệt"

MODERATED_SNIPPETS = ["form", "announcingdecision"]
SHARED_SNIPPETS = ["legaldocument"]
REFERENCE_SNIPPETS = ["sector", "agency", "implementationlevel"]

ROLE_PERMISSIONS = {
    # group: (page permissions, model permissions "app.codename", collection permissions)
    # Editors and reviewers add documents and legal documents but do not change existing ones:
    # those have no drafts, so a change would be public at once, outside the workflow.
    EDITORS: (
        ["add_page", "change_page"],
        [f"cms.{action}_{model}" for model in MODERATED_SNIPPETS for action in ("add", "change")]
        + [f"cms.add_{model}" for model in SHARED_SNIPPETS],
        ["add_document", "choose_document"],
    ),
    REVIEWERS: (
        ["add_page", "change_page", "lock_page"],
        [f"cms.{action}_{model}" for model in MODERATED_SNIPPETS for action in ("add", "change")]
        + [f"cms.add_{model}" for model in SHARED_SNIPPETS],
        ["add_document", "choose_document"],
    ),
    APPROVERS: (
        ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
        [f"cms.{action}_{model}" for model in MODERATED_SNIPPETS + SHARED_SNIPPETS for action in ("add", "change")]
        + [f"cms.publish_{model}" for model in MODERATED_SNIPPETS]
        + [f"cms.{action}_{model}" for model in REFERENCE_SNIPPETS for action in ("add", "change")],
        ["add_document", "change_document", "choose_document"],
    ),
    ADMINISTRATORS: (
        ["add_page", "change_page", "publish_page", "bulk_delete_page", "lock_page", "unlock_page"],
        [
            f"cms.{action}_{model}"
            for model in MODERATED_SNIPPETS + SHARED_SNIPPETS + REFERENCE_SNIPPETS
            for action in ("add", "change", "delete")
        ]
        + [f"cms.publish_{model}" for model in MODERATED_SNIPPETS]
        + [
            "wagtailcore.change_workflow",
            "wagtailcore.add_workflow",
            "wagtailcore.change_task",
            "wagtailcore.add_task",
            "auth.add_user",
            "auth.change_user",
            "auth.add_group",
            "auth.change_group",
            "cms.change_departmentsettings",
            # Unlocking accounts locked by login throttling (admin → Cài đặt → Tài khoản bị khóa).
            "axes.delete_accessattempt",
            # Importing procedure sets (admin → Nhập thủ tục), including the initial load.
            "cms.add_importbatch",
        ],
        ["add_document", "change_document", "choose_document", "delete_document"],
    ),
}


def _permission(dotted):
    app_label, codename = dotted.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


@transaction.atomic
def setup_roles_and_workflow():
    """Create or update the four groups, their permissions and the two-step workflow."""
    from cms.models import FourEyesApprovalTask

    root_page = Page.get_first_root_node()
    root_collection = Collection.get_first_root_node()
    access_admin = _permission("wagtailadmin.access_admin")
    groups = {}
    for name, (page_permissions, model_permissions, collection_permissions) in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set([access_admin] + [_permission(p) for p in model_permissions])
        GroupPagePermission.objects.filter(group=group).exclude(permission__codename__in=page_permissions).delete()
        for codename in page_permissions:
            GroupPagePermission.objects.get_or_create(
                group=group, page=root_page, permission=_permission(f"wagtailcore.{codename}")
            )
        GroupCollectionPermission.objects.filter(group=group).delete()
        for codename in collection_permissions:
            GroupCollectionPermission.objects.create(
                group=group, collection=root_collection, permission=_permission(f"wagtaildocs.{codename}")
            )
        groups[name] = group

    review = _task(FourEyesApprovalTask, REVIEW_TASK, [groups[REVIEWERS]])
    approval = _task(FourEyesApprovalTask, APPROVAL_TASK, [groups[APPROVERS]])
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    workflow.active = True
    workflow.save()
    WorkflowTask.objects.filter(workflow=workflow).delete()
    WorkflowTask.objects.create(workflow=workflow, task=review, sort_order=0)
    WorkflowTask.objects.create(workflow=workflow, task=approval, sort_order=1)
    WorkflowPage.objects.update_or_create(page=root_page, defaults={"workflow": workflow})
    for model in MODERATED_SNIPPETS:
        content_type = ContentType.objects.get(app_label="cms", model=model)
        WorkflowContentType.objects.update_or_create(content_type=content_type, defaults={"workflow": workflow})
    retire_wagtail_defaults(workflow)
    return groups, workflow


# Wagtail's own migrations create these, in English. Their "Moderators" may publish every page,
# which would bypass the department's two-step approval for anyone put there by mistake.
WAGTAIL_DEFAULT_GROUPS = ("Editors", "Moderators")
WAGTAIL_DEFAULT_WORKFLOW = "Moderators approval"


def retire_wagtail_defaults(workflow):
    """Remove Wagtail's default groups and workflow where nothing uses them.

    A default group that has members is kept (an administrator chose it); the default workflow
    and its task are only deactivated, and only when no item is in moderation under them.
    """
    Group.objects.filter(name__in=WAGTAIL_DEFAULT_GROUPS, user__isnull=True).delete()
    for default in Workflow.objects.filter(name=WAGTAIL_DEFAULT_WORKFLOW, active=True).exclude(pk=workflow.pk):
        if not default.workflow_states.active().exists():
            default.active = False
            default.save(update_fields=["active"])
            Task.objects.filter(workflow_tasks__workflow=default, name=WAGTAIL_DEFAULT_WORKFLOW).update(active=False)


def _task(task_class, name, groups):
    task = task_class.objects.filter(name=name).first()
    if task is None:
        task = task_class.objects.create(name=name, active=True)
    task.groups.set(groups)
    return task
