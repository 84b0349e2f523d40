"""The rows of a procedure page: steps, submission channels, dossier, agencies, legal basis,
related procedures. Each is ordered (``sort_order``) and edited inline on the page."""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.models import Orderable

from .. import choices
from .procedure import ProcedurePage
from .taxonomy import Agency


class ProcedureStep(Orderable):
    """One step of the procedure (trình tự thực hiện)."""

    page = ParentalKey(ProcedurePage, related_name="steps", on_delete=models.CASCADE)
    title = models.CharField(_("tên bước"), max_length=255)
    description = models.TextField(_("nội dung"), blank=True)
    time_allowance = models.CharField(
        _("thời gian"), max_length=255, blank=True, help_text=_("Ví dụ: 05 ngày làm việc")
    )

    panels = [FieldPanel("title"), FieldPanel("description"), FieldPanel("time_allowance")]

    class Meta(Orderable.Meta):
        verbose_name = _("bước thực hiện")


class SubmissionChannel(Orderable):
    """A way to submit the dossier, with its time limit and fees (cách thức thực hiện)."""

    Channel = choices.Channel

    page = ParentalKey(ProcedurePage, related_name="submission_channels", on_delete=models.CASCADE)
    channel = models.CharField(_("hình thức nộp"), max_length=20, choices=Channel.choices)
    time_limit_days = models.PositiveIntegerField(
        _("thời hạn giải quyết (ngày làm việc)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1, _("Thời hạn giải quyết phải lớn hơn 0 ngày."))],
    )
    time_limit_text = models.CharField(
        _("thời hạn giải quyết (diễn giải)"),
        max_length=500,
        blank=True,
        help_text=_("Dùng khi văn bản quy định thời hạn không tính bằng ngày làm việc, hoặc để diễn giải thêm."),
    )
    fee_amount = models.BigIntegerField(
        _("phí (đồng)"), null=True, blank=True, validators=[MinValueValidator(0, _("Phí không được là số âm."))]
    )
    charge_amount = models.BigIntegerField(
        _("lệ phí (đồng)"), null=True, blank=True, validators=[MinValueValidator(0, _("Lệ phí không được là số âm."))]
    )
    fee_description = models.CharField(_("mô tả phí, lệ phí"), max_length=500, blank=True)
    notes = models.TextField(_("ghi chú"), blank=True)

    panels = [
        FieldPanel("channel"),
        FieldRowPanel([FieldPanel("time_limit_days"), FieldPanel("time_limit_text")]),
        FieldRowPanel([FieldPanel("fee_amount"), FieldPanel("charge_amount")]),
        FieldPanel("fee_description"),
        FieldPanel("notes"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("cách thức thực hiện")

    def clean(self):
        super().clean()
        if self.time_limit_days is None and not self.time_limit_text.strip():
            raise ValidationError({"time_limit_days": _("Nhập thời hạn giải quyết (số ngày làm việc hoặc diễn giải).")})

    @property
    def is_free(self):
        return not self.fee_amount and not self.charge_amount


class DossierComponent(Orderable):
    """A document of the dossier (thành phần hồ sơ), optionally with a form to download."""

    page = ParentalKey(ProcedurePage, related_name="dossier_components", on_delete=models.CASCADE)
    case_label = models.CharField(
        _("trường hợp"),
        max_length=255,
        blank=True,
        help_text=_("Để trống nếu hồ sơ không chia theo trường hợp. Ví dụ: Trường hợp 1: xác định lần đầu"),
    )
    name = models.TextField(_("tên giấy tờ"))
    originals = models.PositiveSmallIntegerField(_("bản chính"), default=0)
    copies = models.PositiveSmallIntegerField(_("bản sao"), default=0)
    form = models.ForeignKey(
        "cms.Form",
        verbose_name=_("mẫu đơn, tờ khai"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dossier_components",
    )

    panels = [
        FieldPanel("case_label"),
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("originals"), FieldPanel("copies")]),
        FieldPanel("form"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("thành phần hồ sơ")

    def clean(self):
        super().clean()
        if not self.originals and not self.copies:
            raise ValidationError({"originals": _("Nhập số bản chính hoặc số bản sao (ít nhất 1).")})


class ProcedureAgency(Orderable):
    """An agency in one of the four roles the national standard names."""

    Role = choices.AgencyRole

    page = ParentalKey(ProcedurePage, related_name="agency_roles", on_delete=models.CASCADE)
    agency = models.ForeignKey(
        Agency, verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="procedure_roles"
    )
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices, default=Role.IMPLEMENTING)

    panels = [FieldRowPanel([FieldPanel("role"), FieldPanel("agency")])]

    class Meta(Orderable.Meta):
        verbose_name = _("cơ quan thực hiện")


class LegalBasis(Orderable):
    """A legal document the procedure rests on (căn cứ pháp lý)."""

    page = ParentalKey(ProcedurePage, related_name="legal_bases", on_delete=models.CASCADE)
    legal_document = models.ForeignKey(
        "cms.LegalDocument", verbose_name=_("văn bản"), on_delete=models.PROTECT, related_name="procedure_bases"
    )
    provision = models.CharField(_("điều, khoản"), max_length=255, blank=True)

    panels = [FieldRowPanel([FieldPanel("legal_document"), FieldPanel("provision")])]

    class Meta(Orderable.Meta):
        verbose_name = _("căn cứ pháp lý")


class RelatedProcedure(Orderable):
    """Another procedure that a citizen often needs together with this one."""

    page = ParentalKey(ProcedurePage, related_name="related_procedures", on_delete=models.CASCADE)
    procedure = models.ForeignKey(ProcedurePage, verbose_name=_("thủ tục"), on_delete=models.CASCADE, related_name="+")

    panels = [FieldPanel("procedure")]

    class Meta(Orderable.Meta):
        verbose_name = _("thủ tục liên quan")
