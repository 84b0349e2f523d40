"""Legal documents (căn cứ pháp lý) and the decisions that announce procedures."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, PublishingPanel
from wagtail.models import DraftStateMixin, LockableMixin, RevisionMixin, WorkflowMixin
from wagtail.search import index

from search.vietnamese import ascii_slug, words

from .files import PinnedFileMixin
from .slugs import unique_slug


class LegalDocument(index.Indexed, models.Model):
    """A law, decree, circular or decision cited as legal basis or as the issuer of a form."""

    class Kind(models.TextChoices):
        LAW = "luat", _("Luật")
        CODE = "bo_luat", _("Bộ luật")
        ORDINANCE = "phap_lenh", _("Pháp lệnh")
        RESOLUTION = "nghi_quyet", _("Nghị quyết")
        DECREE = "nghi_dinh", _("Nghị định")
        DECISION = "quyet_dinh", _("Quyết định")
        CIRCULAR = "thong_tu", _("Thông tư")
        JOINT_CIRCULAR = "thong_tu_lien_tich", _("Thông tư liên tịch")
        OTHER = "khac", _("Văn bản khác")

    kind = models.CharField(_("loại văn bản"), max_length=30, choices=Kind.choices)
    number = models.CharField(_("số, ký hiệu"), max_length=100, help_text=_("Ví dụ: 131/2021/NĐ-CP"))
    title = models.CharField(_("trích yếu"), max_length=500, blank=True)
    issue_date = models.DateField(_("ngày ban hành"), null=True, blank=True)
    issuer = models.CharField(_("cơ quan ban hành"), max_length=255, blank=True)

    panels = [
        FieldRowPanel([FieldPanel("kind"), FieldPanel("number")]),
        FieldPanel("title"),
        FieldRowPanel([FieldPanel("issue_date"), FieldPanel("issuer")]),
    ]
    search_fields = [index.SearchField("number"), index.SearchField("title"), index.AutocompleteField("number")]

    class Meta:
        verbose_name = _("văn bản pháp luật")
        verbose_name_plural = _("văn bản pháp luật")
        ordering = ["-issue_date", "number"]
        constraints = [models.UniqueConstraint(fields=["kind", "number"], name="unique_legal_document")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.number}"


class AnnouncingDecision(
    PinnedFileMixin, WorkflowMixin, DraftStateMixin, LockableMixin, RevisionMixin, index.Indexed, models.Model
):
    """Quyết định công bố: the decision under which procedure versions are published."""

    number = models.CharField(_("số quyết định"), max_length=100, help_text=_("Ví dụ: 1078/QĐ-UBND"))
    title = models.CharField(_("trích yếu"), max_length=500)
    issuer = models.CharField(_("người/cơ quan ký"), max_length=255, blank=True)
    signed_date = models.DateField(_("ngày ký"))
    effective_date = models.DateField(_("ngày có hiệu lực"))
    slug = models.SlugField(_("đường dẫn"), max_length=120, unique=True, blank=True)
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("văn bản quyết định"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    summary = models.TextField(_("tóm tắt"), blank=True)

    panels = [
        FieldRowPanel([FieldPanel("number"), FieldPanel("slug")]),
        FieldPanel("title"),
        FieldPanel("issuer"),
        FieldRowPanel([FieldPanel("signed_date"), FieldPanel("effective_date")]),
        FieldPanel("document"),
        FieldPanel("summary"),
        PublishingPanel(),
    ]
    search_fields = [
        index.SearchField("number"),
        index.SearchField("title"),
        index.SearchField("folded_text"),
        index.AutocompleteField("number"),
        index.FilterField("live"),
    ]

    class Meta:
        verbose_name = _("quyết định công bố")
        verbose_name_plural = _("quyết định công bố")
        ordering = ["-effective_date", "-signed_date"]

    def __str__(self):
        return self.number

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(AnnouncingDecision, ascii_slug(self.number.replace("/", "-")), self.pk)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("decision_detail", args=[self.slug])

    def folded_text(self):
        return " ".join(words(f"{self.number} {self.title}"))  # "845/QĐ-UBND" as 845, qd, ubnd
