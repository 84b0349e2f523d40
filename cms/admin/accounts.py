"""Accounts locked by login throttling (django-axes), and unlocking them before the cool-off ends."""

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

UNLOCK_PERMISSION = "axes.delete_accessattempt"


def can_unlock(user):
    return user.is_superuser or user.has_perm(UNLOCK_PERMISSION)


def locked_accounts(request):
    """The user names and addresses with failed logins; POST ``attempt`` unlocks one of them."""
    if not can_unlock(request.user):
        raise PermissionDenied
    if request.method == "POST":
        attempt = AccessAttempt.objects.filter(pk=request.POST.get("attempt", "")[:12] or 0).first()
        if attempt is not None:
            attempt.delete()
            messages.success(
                request,
                _("Đã mở khóa đăng nhập cho “%(username)s” từ địa chỉ %(ip)s.")
                % {"username": attempt.username, "ip": attempt.ip_address},
            )
        return redirect("locked_accounts")
    attempts = AccessAttempt.objects.order_by("-attempt_time")
    return render(
        request,
        "cms/admin/locked_accounts.html",
        {"attempts": attempts, "failure_limit": settings.AXES_FAILURE_LIMIT},
    )
