"""The admin's import screens: upload, the dry-run report, confirm; the batches and their approval.

An upload is checked in full and shown as the dry run prints it; nothing is written until the
administrator confirms, and the confirmation checks the same file again (kept in the session,
never on disk) so a change made meanwhile is seen.
"""

import base64
import hashlib

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import choices
from ..formatting import parse_typed_date
from ..interchange import writers
from ..interchange.batches import approvable, approve_batch, batch_objects, status_of
from ..interchange.importer import ACTION_LABELS, IMPORT_PERMISSION, Options, plan_import, run_import
from ..interchange.readers import UnreadableFile
from ..models import ImportBatch

MAX_UPLOAD = 20 * 1024 * 1024
SESSION_KEY = "cms_import_upload"


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Tệp nhập (XLSX theo mẫu, JSON xuất từ hệ thống, danh sách thu thập)"))
    publish = forms.BooleanField(
        label=gettext_lazy("Xuất bản ngay (chỉ dùng khi nạp ban đầu cho hệ thống mới)"), required=False
    )
    decision = forms.CharField(label=gettext_lazy("Số quyết định công bố (cho các dòng không ghi)"), required=False)
    effective_date = forms.CharField(label=gettext_lazy("Ngày có hiệu lực (dd/mm/yyyy)"), required=False)
    change_type = forms.ChoiceField(
        label=gettext_lazy("Loại thay đổi mặc định"),
        choices=[("", "—"), *choices.ChangeType.choices],
        required=False,
    )
    change_note = forms.CharField(label=gettext_lazy("Nội dung thay đổi mặc định"), required=False, max_length=500)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("Tệp lớn hơn 20 MB."))
        return upload

    def clean_effective_date(self):
        value = self.cleaned_data["effective_date"].strip()
        if value and parse_typed_date(value) is None:
            raise forms.ValidationError(_("Ngày không đúng dạng dd/mm/yyyy."))
        return parse_typed_date(value).isoformat() if value else ""


def _require_importer(request):
    if not request.user.has_perm(IMPORT_PERMISSION):
        raise PermissionDenied


def import_procedures(request):
    """GET: the form; POST "check": the dry-run report; POST "confirm": the import itself."""
    _require_importer(request)
    if request.method == "POST" and request.POST.get("action") == "confirm":
        return _confirm(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    context = {"form": form, "labels": ACTION_LABELS}
    if request.method == "POST" and form.is_valid():
        content = form.cleaned_data["file"].read()
        stored = {key: value for key, value in form.cleaned_data.items() if key != "file"}
        stored.update(name=form.cleaned_data["file"].name, sha256=hashlib.sha256(content).hexdigest())
        context["plan"] = _plan(request, content, stored, dry_run=True, context=context)
        if context["plan"] is not None and not context["plan"].problems:
            request.session[SESSION_KEY] = {**stored, "content": base64.b64encode(content).decode("ascii")}
            context["upload"] = stored
    return render(request, "cms/admin/import_procedures.html", context)


def _plan(request, content, stored, dry_run, context):
    options = Options(
        publish=stored["publish"],
        dry_run=dry_run,
        user=request.user,
        decision=stored["decision"].strip(),
        effective_date=stored["effective_date"],
        change_type=stored["change_type"],
        change_note=stored["change_note"].strip(),
        source_name=stored["name"],
    )
    try:
        return plan_import(content, options)
    except UnreadableFile as error:
        context["unreadable"] = str(error)
        return None


def _confirm(request):
    stored = request.session.get(SESSION_KEY)
    if not stored or stored.get("sha256") != request.POST.get("sha256"):
        messages.error(request, _("Không tìm thấy tệp đã kiểm tra; hãy tải tệp lên lại."))
        return redirect("import_procedures")
    content = base64.b64decode(stored["content"])
    context = {"form": ImportForm(), "labels": ACTION_LABELS}
    plan = _plan(request, content, stored, dry_run=False, context=context)
    batch = run_import(plan) if plan is not None and not plan.problems else None
    if batch is None:
        context["plan"] = plan
        return render(request, "cms/admin/import_procedures.html", context)
    del request.session[SESSION_KEY]
    done = _("Đã nhập tệp %(name)s (lô số %(number)d).") % {"name": stored["name"], "number": batch.pk}
    messages.success(request, done)
    return redirect("import_batch", batch.pk)


def import_template(request):
    """The empty XLSX template, for anyone who prepares a decision's procedures."""
    response = HttpResponse(writers.to_xlsx(), content_type=writers.CONTENT_TYPES["xlsx"])
    response["Content-Disposition"] = 'attachment; filename="mau-nhap-thu-tuc-hanh-chinh.xlsx"'
    return response


def import_batches(request):
    batches = ImportBatch.objects.select_related("created_by")[:200]
    return render(request, "cms/admin/import_batches.html", {"batches": batches})


def import_batch(request, batch_id):
    """One batch: each item's state; POST approves, as this user, every item waiting for them."""
    batch = get_object_or_404(ImportBatch, pk=batch_id)
    if request.method == "POST":
        approved, returned, skipped = approve_batch(batch, request.user, comment=request.POST.get("comment", "")[:1000])
        messages.success(
            request,
            _("Đã duyệt %(approved)d mục; trả lại %(returned)d mục; bỏ qua %(skipped)d mục không chờ bạn duyệt.")
            % {"approved": approved, "returned": returned, "skipped": skipped},
        )
        return redirect("import_batch", batch.pk)
    rows = [
        {"item": item, "object": obj, "status": status_of(obj), "mine": approvable(obj, request.user) is not None}
        for item, obj in batch_objects(batch)
    ]
    return render(
        request,
        "cms/admin/import_batch.html",
        {"batch": batch, "rows": rows, "waiting_for_me": sum(row["mine"] for row in rows), "labels": ACTION_LABELS},
    )
