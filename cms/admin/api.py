"""The admin's own API (used by the page explorer), respecting the locks the editor respects.

Wagtail's admin API runs page actions (revert to a revision, move, delete, publish...) after
checking permissions but not locks: an editor could revert a page that waits at a review step,
silently changing what the reviewers are approving. Here an action on a page locked for the user
(in moderation, scheduled, or locked by someone) is refused, as the editor itself refuses it.
"""

from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.response import Response
from wagtail.admin.api.views import PagesAdminAPIViewSet

# Actions that only read the page (they create another one).
ACTIONS_LEAVING_THE_PAGE_UNCHANGED = {"copy", "copy_for_translation", "create_alias"}


class LockRespectingPagesAdminAPIViewSet(PagesAdminAPIViewSet):
    def action_view(self, request, pk, action_name):
        if action_name not in ACTIONS_LEAVING_THE_PAGE_UNCHANGED:
            page = self.get_object().specific
            lock = page.get_lock()
            if lock is not None and lock.for_user(request.user):
                return Response(
                    {"message": _("Trang đang bị khóa (đang trong quy trình duyệt hoặc do người khác khóa).")},
                    status=status.HTTP_403_FORBIDDEN,
                )
        return super().action_view(request, pk, action_name)


def use_lock_respecting_pages_endpoint(router):
    router.register_endpoint("pages", LockRespectingPagesAdminAPIViewSet)
