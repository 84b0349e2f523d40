"""The record of each import: who loaded which file, what it changed, and the batch it made.

An import that submits drafts to the workflow makes one batch, which reviewers can open and
approve together (``cms.interchange.batches``); the record stays after the batch is done.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class ImportBatch(models.Model):
    class Mode(models.TextChoices):
        WORKFLOW = "workflow", _("Gửi duyệt")
        PUBLISH = "publish", _("Xuất bản ngay (nạp ban đầu)")
        DRAFTS = "drafts", _("Bản nháp")

    created_at = models.DateTimeField(_("thời điểm nhập"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nhập"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    source_name = models.CharField(_("tệp"), max_length=255, blank=True)
    source_format = models.CharField(_("định dạng"), max_length=20)
    mode = models.CharField(_("cách nhập"), max_length=20, choices=Mode.choices)
    summary = models.JSONField(_("tóm tắt"), default=dict)
    # One entry per procedure, decision or form: {"kind", "action", "code", "name", "object_id",
    # "fields", "missing"}; ``object_id`` is a page id for procedures, the snippet's id otherwise.
    items = models.JSONField(_("các mục"), default=list)

    class Meta:
        verbose_name = _("lần nhập thủ tục")
        verbose_name_plural = _("các lần nhập thủ tục")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.source_name} ({self.created_at:%d/%m/%Y %H:%M})"

    def get_admin_url(self):
        return reverse("import_batch", args=(self.pk,))
