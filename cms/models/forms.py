"""Forms (mẫu đơn, tờ khai) that citizens download, as moderated, revisioned snippets."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, PublishingPanel
from wagtail.models import DraftStateMixin, LockableMixin, RevisionMixin, WorkflowMixin
from wagtail.search import index

from search.vietnamese import words

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
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)

    panels = [
        FieldPanel("code"),
        FieldPanel("title"),
        FieldPanel("legal_document"),
        FieldPanel("document"),
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

    def folded_text(self):
        """Code, title and the legal document that issued it ("mẫu 04 nghị định 219"), as words:
        "12-MLS" is 12, mls on every backend."""
        issued_by = str(self.legal_document) if self.legal_document_id else ""
        return " ".join(words(f"{self.code} {self.title} {issued_by}"))

    @property
    def file_extension(self):
        return self.document.file_extension.upper() if self.document_id else ""
