"""The admin's reconciliation page ("Đối chiếu danh mục"): upload another system's list, see the
report, download it as XLSX.

The upload is read in memory and never kept; the last report is kept in the user's session (as
plain data, not the file), so "Tải báo cáo XLSX" needs no second upload and leaves nothing on
disk. Reconciliation shows the whole official set side by side with another system's, so it is
for those who answer for the set (reviewers, approvers, administrators), not for every editor.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.menu import MenuItem

from .. import roles
from ..formatting import dmy
from ..interchange.reconcile import ReconciliationError, ReconciliationResult, reconcile_file, report_xlsx
from ..interchange.reconcile_report import summary_rows

MAX_UPLOAD_SIZE = 10 * 1024 * 1024
SESSION_KEY = "cms_reconcile_report"
RECONCILING_GROUPS = (roles.ADMINISTRATORS, roles.APPROVERS, roles.REVIEWERS)
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def can_reconcile(user):
    if not (user.is_active and user.has_perm("wagtailadmin.access_admin")):
        return False
    return user.is_superuser or user.groups.filter(name__in=RECONCILING_GROUPS).exists()


class ReconcileForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Danh mục của hệ thống khác"),
        help_text=gettext_lazy("Tệp XLSX, CSV (UTF-8) hoặc JSON, tối đa 10 MB, có ít nhất cột mã và tên thủ tục."),
        error_messages={
            "required": gettext_lazy("Hãy chọn tệp danh mục cần đối chiếu."),
            "empty": gettext_lazy("Tệp rỗng: không có thủ tục nào để đối chiếu."),
            "invalid": gettext_lazy("Không nhận được tệp; hãy chọn lại tệp."),
            "missing": gettext_lazy("Không nhận được tệp; hãy chọn lại tệp."),
        },
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_SIZE:
            raise forms.ValidationError(_("Tệp lớn hơn 10 MB; hãy chỉ giữ danh mục thủ tục trong tệp."))
        return upload


def reconcile_view(request):
    """GET: the upload form. POST a file: the report. POST ``download``: the last report as XLSX."""
    if not can_reconcile(request.user):
        raise PermissionDenied
    if request.method == "POST" and "download" in request.POST:
        return _download(request)
    result = None
    form = ReconcileForm(request.POST, request.FILES) if request.method == "POST" else ReconcileForm()
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = reconcile_file(upload.read(), filename=upload.name[:200])
        except ReconciliationError as error:
            form.add_error("file", str(error))
        else:
            request.session[SESSION_KEY] = result.to_dict()
    return render(
        request,
        "cms/admin/reconcile.html",
        {
            "form": form,
            "result": result,
            "summary": _shown(summary_rows(result)) if result else [],
            "max_size_mb": MAX_UPLOAD_SIZE // (1024 * 1024),
        },
    )


def _shown(rows):
    return [(label, dmy(value.isoformat()) if hasattr(value, "isoformat") else value) for label, value in rows]


def _download(request):
    data = request.session.get(SESSION_KEY)
    try:
        result = ReconciliationResult.from_dict(data) if data else None
    except (KeyError, TypeError, ValueError):  # a report kept by an older version of this page
        result = None
    if result is None:
        messages.error(request, _("Không còn báo cáo để tải; hãy tải tệp danh mục lên để đối chiếu lại."))
        return redirect("reconcile_procedures")
    response = HttpResponse(report_xlsx(result), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="doi-chieu-{result.made_on.isoformat()}.xlsx"'
    return response


def reconcile_urls():
    return [path("doi-chieu/", reconcile_view, name="reconcile_procedures")]


class ReconcileMenuItem(MenuItem):
    def is_shown(self, request):
        return can_reconcile(request.user)


def reconcile_menu_item():
    label = gettext_lazy("Đối chiếu danh mục")
    return ReconcileMenuItem(label, reverse("reconcile_procedures"), name="reconcile", icon_name="doc-full", order=710)
