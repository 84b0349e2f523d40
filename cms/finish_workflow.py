"""The workflow's finish action, as ``WAGTAIL_FINISH_WORKFLOW_ACTION`` names it.

Wagtail imports this module while it is still defining ``wagtail.models``, so it may import no
model at load time; the rule itself is ``cms.publishing.publish_approved_revision``.
"""


def publish_approved_revision(workflow_state, user=None):
    from cms import publishing  # not at load time: see the module's docstring

    publishing.publish_approved_revision(workflow_state, user=user)
