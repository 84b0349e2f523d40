"""Content-Security-Policy: the public site's strict policy, the admin's own (settings)."""

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.urls import reverse
from django.utils.functional import cached_property


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with ``ADMIN_CONTENT_SECURITY_POLICY`` under the Wagtail admin.

    The admin's scripts and styles are still partly inline; the public pages have none, so they
    keep the strict policy.
    """

    @cached_property
    def admin_prefix(self):
        return reverse("wagtailadmin_home")

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and parts.config is None and request.path_info.startswith(self.admin_prefix):
            parts.config = settings.ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"]
        return parts
