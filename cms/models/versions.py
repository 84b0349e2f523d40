"""Published versions of procedures: immutable records, frozen at publication.

What goes into a record, and when one is made, is in ``cms.publishing``; the snapshot's shape is
in ``cms.snapshots``.
"""

from django.conf import settings
from django.db import models
from django.db.models import OuterRef, Subquery, TextField
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _

from ..snapshots import snapshot_references


class ProcedureVersionQuerySet(models.QuerySet):
    def current_of(self, pages):
        """The current published version of each of ``pages`` (its highest number), ordered by
        code then title: the official set as the API, the exports and reconciliation read it."""
        latest = ProcedureVersion.objects.filter(page=OuterRef("page")).order_by("-number").values("number")[:1]
        return (
            self.filter(page__in=pages, number=Subquery(latest))
            .select_related("page", "decision")
            .order_by("snapshot__code", "page__title", "page_id")
        )

    def in_force_on(self, day):
        """The version in force on ``day``: the latest effective on or before it."""
        return self.filter(effective_date__lte=day).order_by("-effective_date", "-number").first()

    def references(self):
        """Everything these versions name (their decisions included), as ``(kind, key)`` pairs."""
        references = set()
        for snapshot, decision_id in self.values_list("snapshot", "decision_id").iterator():
            references |= snapshot_references(snapshot)
            if decision_id:
                references.add(("decision", decision_id))
        return references

    def mentioning(self, key, pk):
        """These versions whose snapshot text has ``"<key>": <pk>``: candidates the caller confirms
        with ``snapshot_references``.

        Downloads and the admin ask this, so the database picks the snapshots rather than Python
        reading every one. JSON text is ``"document_id": 23,`` on SQLite and PostgreSQL alike;
        the digits must end there.
        """
        return self.annotate(text=Cast("snapshot", TextField())).filter(text__regex=rf'"{key}" *: *{int(pk)}[^0-9]')

    def name_document(self, document_id):
        """Whether any of these versions links to the document (a form file it was published with)."""
        candidates = self.mentioning("document_id", document_id).order_by().values_list("snapshot", flat=True)
        return any(("document", int(document_id)) in snapshot_references(snapshot) for snapshot in candidates)

    def naming_form(self, form_id):
        """These versions whose snapshot names the form (any of its files), as a list."""
        candidates = self.mentioning("form_id", form_id)
        return [version for version in candidates if ("form", int(form_id)) in snapshot_references(version.snapshot)]


class ProcedureVersion(models.Model):
    """One published version of a procedure, frozen at publication."""

    page = models.ForeignKey(
        "cms.ProcedurePage", verbose_name=_("thủ tục"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField(_("phiên bản số"))
    revision = models.ForeignKey(
        "wagtailcore.Revision",
        verbose_name=_("bản sửa đổi"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_at = models.DateTimeField(_("thời điểm công khai"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người phê duyệt"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    effective_date = models.DateField(_("ngày có hiệu lực"), null=True, blank=True)
    change_type = models.CharField(_("loại thay đổi"), max_length=20)
    change_note = models.CharField(_("nội dung thay đổi"), max_length=500, blank=True)
    decision = models.ForeignKey(
        "cms.AnnouncingDecision",
        verbose_name=_("quyết định công bố"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="procedure_versions",
    )
    snapshot = models.JSONField(_("nội dung đã công bố"))

    objects = ProcedureVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("phiên bản thủ tục")
        verbose_name_plural = _("phiên bản thủ tục")
        ordering = ["page", "number"]
        constraints = [models.UniqueConstraint(fields=["page", "number"], name="unique_procedure_version")]

    def __str__(self):
        return f"{self.snapshot.get('title', '')} – phiên bản {self.number}"

    @property
    def change_type_label(self):
        return self.snapshot.get("change_type_label", self.change_type)

    def get_url(self):
        return self.page.url + self.page.reverse_subpage("version", args=(self.number,))
