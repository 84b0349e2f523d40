"""Publication through the approval workflow and schedules: what may go live, and how."""

from django.core.exceptions import ValidationError


def publication_problems(content):
    """Why ``content`` (an object built from a revision) cannot go live now; empty when it can.

    The one check every publication path asks before publishing: the final approval
    (``FourEyesApprovalTask``), bulk publish (``cms/wagtail_hooks.py``) and ``publish_scheduled``.
    A procedure knows its own rules (``ProcedurePage.publication_problems``: its own decision
    and date, plus validation). Any other page is fully validated when Wagtail saves it live, so
    whatever fails ``full_clean`` would fail there with a server error. Snippets are saved live
    without validation: nothing stops them.
    """
    # Imported here: Wagtail imports this module (WAGTAIL_FINISH_WORKFLOW_ACTION) while it is
    # still defining wagtail.models.
    from wagtail.models import Page

    own_rules = getattr(content, "publication_problems", None)
    if own_rules is not None:
        return own_rules()
    if isinstance(content, Page):
        try:
            content.full_clean()
        except ValidationError as error:
            return error.messages
    return []


def publish_approved_revision(workflow_state, user=None):
    """Publish what every step of the workflow approved, on the workflow's authority.

    Wagtail publishes as the user whose approval finished the workflow and checks that user's
    publish permission. With WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT, a corrected
    resubmission resumes at the approval step and, once the approver has approved it, goes back
    to the review step: the reviewer's approval then finishes the workflow, Wagtail refuses to
    publish as the reviewer (who may not publish) and the item is stuck in moderation for good.
    Reaching this point means each step has approved this very revision (four eyes, both
    groups), so no further permission check is due.
    """
    revision = workflow_state.content_object.get_latest_revision()
    revision.publish(user=user, skip_permission_checks=True)
