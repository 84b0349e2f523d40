"""The reviewer's dashboard panel: each procedure awaiting them, one click from its diff."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.components import Component
from wagtail.models import TaskState

from ..models import ProcedurePage


class ReviewComparisonPanel(Component):
    """On the dashboard: each procedure awaiting this user's review, one click from its diff."""

    name = "review_comparison"
    order = 90
    template_name = "cms/admin/review_comparison_panel.html"

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context):
        items = []
        states = TaskState.objects.reviewable_by(self.request.user).select_related("revision", "workflow_state")
        for state in states:
            page = state.workflow_state.content_object
            page = getattr(page, "specific", page)  # forms and decisions are moderated too
            if not isinstance(page, ProcedurePage):
                continue
            compare_url = None
            if page.live and state.revision_id:
                compare_url = reverse("wagtailadmin_pages:revisions_compare", args=(page.pk, "live", state.revision_id))
            items.append(
                {
                    "page": page,
                    "state": state,
                    "compare_url": compare_url,
                    "edit_url": reverse("wagtailadmin_pages:edit", args=(page.pk,)),
                }
            )
        return {"items": items, "heading": _("Thủ tục chờ bạn xét duyệt: so sánh với bản đang công khai")}
