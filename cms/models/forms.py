"""Forms (mẫu đơn, tờ khai) that citizens download, as moderated, revisioned snippets."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, PublishingPanel
from wagtail.models import DraftStateMixin, LockableMixin, RevisionMixin, WorkflowMixin
from wagtail.search import index

from search.vietnamese import COLLATION_KEY_LENGTH, vietnamese_collation_key, words

from .files import PinnedFileMixin


class Form(PinnedFileMixin, WorkflowMixin, DraftStateMixin, LockableMixin, RevisionMixin, index.Indexed, models.Model):
    """A form: its code ("Mẫu số 01"), title, the legal document that issued it and its file.

    The file is a Wagtail document. A new file is a new document: published procedure versions
    keep pointing at the document they were published with.
    """

    code = models.CharField(_("số hiệu mẫu"), max_length=100, help_text=_("Ví dụ: Mẫu số 04"))
    title = models.CharField(_("tên mẫu"), max_length=500)
    legal_document = models.ForeignKey(
        "cms.LegalDocument",
        verbose_name=_("ban hành kèm theo"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="forms",
    )
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("tệp biểu mẫu"),
        help_text=_("Tệp để điền (DOCX, DOC, ODT) hoặc tệp duy nhất của mẫu."),
        on_delete=models.PROTECT,
        related_name="+",
    )
    print_document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("tệp để in (PDF)"),
        help_text=_("Không bắt buộc: bản PDF của cùng mẫu, để in ra điền tay."),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)
    # The title's Vietnamese order, so that the database sorts the forms library
    # (``vietnamese_collation_key``, as sectors and procedures have).
    sort_key = models.CharField(max_length=COLLATION_KEY_LENGTH, editable=False, db_index=True, default="")

    panels = [
        FieldPanel("code"),
        FieldPanel("title"),
        FieldPanel("legal_document"),
        FieldPanel("document"),
        FieldPanel("print_document"),
        FieldPanel("note"),
        PublishingPanel(),
    ]
    search_fields = [
        index.SearchField("code"),
        index.SearchField("title"),
        index.SearchField("folded_text"),
        index.AutocompleteField("title"),
        index.FilterField("live"),
    ]

    class Meta:
        verbose_name = _("biểu mẫu")
        verbose_name_plural = _("biểu mẫu")
        ordering = ["code"]

    def __str__(self):
        issued_by = f" ({self.legal_document})" if self.legal_document_id else ""
        return f"{self.code}: {self.title}{issued_by}"

    def save(self, *args, **kwargs):
        # A draft of a live form is a revision only (the row keeps the published title), and
        # ``save_revision`` saves other fields alone: the key follows the title the row holds.
        self.sort_key = vietnamese_collation_key(self.title)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "title" in update_fields:
            kwargs["update_fields"] = {*update_fields, "sort_key"}
        super().save(*args, **kwargs)

    def folded_text(self):
        """Code, title and the legal document that issued it ("mẫu 04 nghị định 219"), as words:
        "12-MLS" is 12, mls on every backend."""
        issued_by = str(self.legal_document) if self.legal_document_id else ""
        return " ".join(words(f"{self.code} {self.title} {issued_by}"))

    PINNED_FILES = ("document", "print_document")

    def documents(self):
        """The form's files, the one to fill in first."""
        return [document for document in (self.document, self.print_document) if document is not None]

    @property
    def file_extension(self):
        return self.document.file_extension.upper() if self.document_id else ""


class FormDownload(models.Model):
    """How many times a form's file of one format was downloaded on one day: a count, nothing
    about who downloaded it."""

    form = models.ForeignKey(Form, on_delete=models.CASCADE, related_name="downloads")
    file_format = models.CharField(_("định dạng"), max_length=10)
    date = models.DateField(_("ngày"))
    count = models.PositiveIntegerField(_("số lượt tải"), default=0)

    class Meta:
        verbose_name = _("lượt tải biểu mẫu")
        verbose_name_plural = _("lượt tải biểu mẫu")
        constraints = [models.UniqueConstraint(fields=["form", "file_format", "date"], name="form_download_day")]

    def __str__(self):
        return f"{self.form.code} ({self.file_format}) {self.date:%d/%m/%Y}: {self.count}"
