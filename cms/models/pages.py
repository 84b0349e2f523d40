"""Pages: the home page, the procedure index and the procedure page.

A procedure page carries every field of the national standard for publishing an administrative
procedure, in the order the public page shows them (see templates/cms/procedure_page.html).
"""

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Count, Max, Q
from django.forms.formsets import DELETION_FIELD_NAME
from django.http import Http404
from django.utils import timezone
from django.shortcuts import get_object_or_404
from django.utils.dateformat import format as date_format
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    TabbedInterface,
    ObjectList,
)
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import Orderable, Page
from wagtail.search import index

from search.text import PROCEDURE_CODE, ascii_slug, fold, sorted_vietnamese

from ..versioning import SnapshotView, build_snapshot, compare_snapshots

from .taxonomy import Agency, ImplementationLevel, Sector

PAGE_SIZE = 20
SLUG = re.compile(r"[-a-zA-Z0-9_]{1,100}")


def procedures_in_force():
    """The current official set: live, public, neither abolished nor replaced."""
    abolished = Q(change_type=ProcedurePage.ChangeType.ABOLISHED) & (
        Q(effective_date__isnull=True) | Q(effective_date__lte=timezone.localdate())
    )
    return ProcedurePage.objects.live().public().exclude(abolished).filter(replaced_by__isnull=True)


def vietnamese_slug(slug, title):
    """An ASCII slug in which "đ" became "d".

    Wagtail's admin JavaScript turns "đ" into "dj" (a Serbian transliteration) when it fills the
    slug from the title, Django's slugify drops it ("ang-ky"), and editors may type accented
    letters; all three are mended here. A slug the editor chose deliberately is kept.
    """
    expected = ascii_slug(title) if title else ""
    if not slug:
        return expected
    if not slug.isascii():
        return ascii_slug(slug)
    if slug != expected and (slug.replace("dj", "d") == expected or slug == slugify(title)):
        return expected
    return slug


class VietnameseSlugMixin:
    """Pages whose automatic slugs keep "đ" as "d" (Wagtail's own drops it)."""

    def full_clean(self, *args, **kwargs):
        if self.title:
            self.slug = vietnamese_slug(self.slug, self.title)
        return super().full_clean(*args, **kwargs)


class HomePage(VietnameseSlugMixin, Page):
    """The home page: search box, sectors with counts, latest changes."""

    intro = models.TextField(_("lời giới thiệu"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["cms.ProcedureIndexPage"]
    max_count = 1

    class Meta:
        verbose_name = _("trang chủ")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        procedures = procedures_in_force()
        context["procedure_index"] = ProcedureIndexPage.objects.live().public().first()
        context["sectors"] = sectors_with_counts(procedures)
        context["procedure_count"] = procedures.count()
        context["latest_procedures"] = (
            procedures.select_related("sector", "announcing_decision")
            .order_by("-last_published_at")[:8]
        )
        return context


def sectors_with_counts(procedures):
    """Sectors that have live procedures, each annotated with ``procedure_count``, in Vietnamese order."""
    return sorted_vietnamese(
        Sector.objects.filter(procedurepage__in=procedures)
        .annotate(procedure_count=Count("procedurepage", filter=Q(procedurepage__in=procedures), distinct=True)),
        "name",
    )


class ProcedureIndexPage(VietnameseSlugMixin, RoutablePageMixin, Page):
    """The procedure set: a list with filters by sector, level and agency.

    Also serves the sector pages (``linh-vuc/<slug>/``); decisions have their own views.
    """

    intro = models.TextField(_("lời giới thiệu"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.ProcedurePage"]
    max_count = 1

    class Meta:
        verbose_name = _("danh mục thủ tục")

    def live_procedures(self):
        return procedures_in_force().child_of(self)

    @path("")
    def index_view(self, request):
        return self.render_list(request, sector=None)

    @path("bo-thu-tuc-hien-hanh/")
    def official_set_view(self, request):
        """For staff: every procedure in force with its version, last change and decision."""
        procedures = sorted_vietnamese(
            self.live_procedures().select_related("sector", "announcing_decision")
            .annotate(version_number=Max("versions__number")),
            "sector.name", "title",
        )
        return self.render(
            request,
            template="cms/official_set.html",
            context_overrides={"procedures": procedures, "today": timezone.localdate()},
        )

    @path("linh-vuc/<slug:slug>/")
    def sector_view(self, request, slug):
        sector = get_object_or_404(Sector, slug=slug)
        return self.render_list(request, sector=sector)

    def render_list(self, request, sector):
        procedures = self.live_procedures().select_related("sector", "announcing_decision")
        filters = ProcedureFilters.from_request(request, fixed_sector=sector)
        # Sorted in Python (Vietnamese order, identical on every database); a department's set is
        # a few hundred procedures, and the page's rows need their levels anyway.
        filtered = sorted_vietnamese(filters.apply(procedures).prefetch_related("levels"), "sector.name", "title")
        paginator = Paginator(filtered, PAGE_SIZE)
        try:
            page_obj = paginator.page(request.GET.get("trang", 1))
        except PageNotAnInteger:
            page_obj = paginator.page(1)
        except EmptyPage:
            page_obj = paginator.page(paginator.num_pages)
        return self.render(
            request,
            context_overrides={
                "sector": sector,
                "filters": filters,
                "page_obj": page_obj,
                "procedures": page_obj.object_list,
                "result_count": paginator.count,
                "sectors": sectors_with_counts(procedures),
                "levels": ImplementationLevel.objects.filter(procedurepage__in=procedures)
                .annotate(procedure_count=Count("procedurepage", distinct=True))
                .order_by("sort_order"),
                "agencies": sorted_vietnamese(
                    Agency.objects.filter(procedure_roles__page__in=procedures)
                    .annotate(procedure_count=Count("procedure_roles__page", distinct=True)),
                    "name",
                ),
                "querystring_without_page": filters.querystring(),
            },
        )


class ProcedureFilters:
    """The index's filters, read leniently from the query string: odd input means "no filter"."""

    def __init__(self, sector=None, level=None, agency=None, fixed_sector=None):
        self.sector = sector
        self.level = level
        self.agency = agency
        self.fixed_sector = fixed_sector

    @classmethod
    def from_request(cls, request, fixed_sector=None):
        def lookup(model, key):
            value = request.GET.get(key, "")
            if not SLUG.fullmatch(value):  # also keeps NUL bytes away from PostgreSQL
                return None
            return model.objects.filter(slug=value).first()

        return cls(
            sector=fixed_sector or lookup(Sector, "linh-vuc"),
            level=lookup(ImplementationLevel, "cap"),
            agency=lookup(Agency, "co-quan"),
            fixed_sector=fixed_sector,
        )

    def apply(self, procedures):
        if self.sector:
            procedures = procedures.filter(sector=self.sector)
        if self.level:
            procedures = procedures.filter(levels=self.level)
        if self.agency:
            procedures = procedures.filter(agency_roles__agency=self.agency)
        return procedures.distinct()

    @property
    def active(self):
        return any([self.sector and not self.fixed_sector, self.level, self.agency])

    def querystring(self):
        from urllib.parse import urlencode

        params = {}
        if self.sector and not self.fixed_sector:
            params["linh-vuc"] = self.sector.slug
        if self.level:
            params["cap"] = self.level.slug
        if self.agency:
            params["co-quan"] = self.agency.slug
        return urlencode(params)


class ProcedurePageForm(WagtailAdminPageForm):
    """Checks that need the inline lists (steps, channels), with messages in Vietnamese."""

    def clean(self):
        cleaned_data = super().clean()
        for name, message in [
            ("steps", _("Thủ tục phải có ít nhất một bước trong trình tự thực hiện.")),
            ("submission_channels", _("Thủ tục phải có ít nhất một cách thức thực hiện.")),
        ]:
            formset = self.formsets.get(name)
            if formset is None:
                continue
            formset.is_valid()  # cleans every form, so deletion marks can be read below
            remaining = [
                form for form in formset.forms
                if form.has_changed() or form.instance.pk
                if not (formset.can_delete and getattr(form, "cleaned_data", {}).get(DELETION_FIELD_NAME))
            ]
            if not remaining:
                self.add_error(None, message)
        if self.leads_to_publication():
            errors = self.instance.change_record_errors(
                cleaned_data.get("announcing_decision"), cleaned_data.get("effective_date"),
                cleaned_data.get("change_type"), cleaned_data.get("change_note"),
            )
            for field, message in errors.items():
                if field not in self.errors:
                    self.add_error(field, message)
        return cleaned_data

    # The editor's buttons that publish, or send towards publication, what is being saved.
    PUBLISHING_ACTIONS = ("action-publish", "action-submit", "action-restart-workflow", "action-workflow-action")

    def leads_to_publication(self):
        """Saving a draft never needs the change record; publishing, submitting or approving does."""
        if "action-workflow-action" in self.data and self.data.get("workflow-action-name") not in ("approve", None):
            return False  # e.g. "reject" from the editor: the editor gets the item back as it is
        return any(action in self.data for action in self.PUBLISHING_ACTIONS)


class ProcedurePage(VietnameseSlugMixin, RoutablePageMixin, Page):
    """An administrative procedure (thủ tục hành chính), as published by the department.

    Its public page also serves the version history: ``phien-ban/<n>/`` renders a published
    version exactly as it was published, ``so-sanh/`` compares two versions and ``hieu-luc/``
    finds the version in force on a given day.
    """

    class ProcedureType(models.TextChoices):
        DETAILED_BY_LAW = "detailed_by_law", _("TTHC được luật giao quy định chi tiết")
        NOT_DETAILED = "not_detailed", _("TTHC không được luật giao cho địa phương quy định hoặc quy định chi tiết")

    class OnlineService(models.TextChoices):
        FULL = "full", _("Dịch vụ công trực tuyến toàn trình")
        PARTIAL = "partial", _("Dịch vụ công trực tuyến một phần")
        NONE = "none", _("Cung cấp thông tin trực tuyến")

    class ChangeType(models.TextChoices):
        NEW = "new", _("Ban hành mới")
        AMENDED = "amended", _("Sửa đổi, bổ sung")
        REPLACED = "replaced", _("Thay thế")
        ABOLISHED = "abolished", _("Bãi bỏ")

    code = models.CharField(
        _("mã thủ tục"), max_length=20, blank=True, db_index=True,
        validators=[RegexValidator(PROCEDURE_CODE, _("Mã thủ tục có dạng 1.001776 (một chữ số, dấu chấm, sáu chữ số)."))],
        help_text=_("Mã trên Cơ sở dữ liệu quốc gia về TTHC, ví dụ 1.001776."),
    )
    sector = models.ForeignKey(Sector, verbose_name=_("lĩnh vực"), on_delete=models.PROTECT)
    levels = ParentalManyToManyField(ImplementationLevel, verbose_name=_("cấp thực hiện"), blank=False)
    procedure_type = models.CharField(
        _("loại thủ tục"), max_length=30, choices=ProcedureType.choices, default=ProcedureType.NOT_DETAILED
    )
    online_service = models.CharField(
        _("mức độ dịch vụ công trực tuyến"), max_length=20, choices=OnlineService.choices, default=OnlineService.NONE
    )
    dossier_sets = models.PositiveSmallIntegerField(
        _("số lượng bộ hồ sơ"), default=1, validators=[MinValueValidator(1, _("Số bộ hồ sơ ít nhất là 1."))]
    )
    dossier_note = models.TextField(_("ghi chú về hồ sơ"), blank=True)
    applicants = models.TextField(_("đối tượng thực hiện"))
    receiving_address = models.TextField(_("địa chỉ tiếp nhận hồ sơ"), blank=True)
    result = models.TextField(_("kết quả thực hiện"))
    requirements = models.TextField(_("yêu cầu, điều kiện thực hiện"), blank=True)
    announcing_decision = models.ForeignKey(
        "cms.AnnouncingDecision", verbose_name=_("quyết định công bố"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="procedures",
    )
    effective_date = models.DateField(_("ngày có hiệu lực"), null=True, blank=True)
    change_type = models.CharField(_("loại thay đổi"), max_length=20, choices=ChangeType.choices, default=ChangeType.NEW)
    change_note = models.CharField(_("nội dung thay đổi"), max_length=500, blank=True)
    replaced_by = models.ForeignKey(
        "self", verbose_name=_("được thay thế bởi thủ tục"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="replaces",
    )

    base_form_class = ProcedurePageForm
    parent_page_types = ["cms.ProcedureIndexPage"]
    subpage_types = []

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("code"), FieldPanel("sector")]),
                FieldPanel("levels", widget=forms.CheckboxSelectMultiple),
                FieldRowPanel([FieldPanel("procedure_type"), FieldPanel("online_service")]),
            ],
            heading=_("Thông tin chung"),
        ),
        InlinePanel("steps", heading=_("Trình tự thực hiện"), label=_("Bước"), min_num=1),
        InlinePanel("submission_channels", heading=_("Cách thức thực hiện"), label=_("Cách thức"), min_num=1),
        MultiFieldPanel(
            [
                InlinePanel("dossier_components", label=_("Thành phần hồ sơ")),
                FieldPanel("dossier_sets"),
                FieldPanel("dossier_note"),
            ],
            heading=_("Thành phần, số lượng hồ sơ"),
        ),
        FieldPanel("applicants"),
        InlinePanel("agency_roles", heading=_("Cơ quan thực hiện"), label=_("Cơ quan")),
        FieldPanel("receiving_address"),
        FieldPanel("result"),
        FieldPanel("requirements"),
        InlinePanel("related_procedures", heading=_("Thủ tục liên quan"), label=_("Thủ tục")),
        InlinePanel("legal_bases", heading=_("Căn cứ pháp lý"), label=_("Văn bản")),
    ]
    publication_panels = [
        FieldPanel("announcing_decision"),
        FieldPanel("effective_date"),
        FieldPanel("change_type"),
        FieldPanel("change_note"),
        FieldPanel("replaced_by"),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Nội dung")),
            ObjectList(publication_panels, heading=_("Công bố")),
            ObjectList(Page.promote_panels, heading=_("Quảng bá")),
            ObjectList(Page.settings_panels, heading=_("Cài đặt")),
        ]
    )

    search_fields = Page.search_fields + [
        index.SearchField("folded_text"),
        index.AutocompleteField("folded_title"),
        index.SearchField("code_tokens", boost=5),
        index.FilterField("sector"),
        index.FilterField("code"),
        index.FilterField("change_type"),
        index.FilterField("replaced_by"),
        index.FilterField("effective_date"),
        index.RelatedFields("sector", [index.SearchField("name")]),
    ]

    class Meta:
        verbose_name = _("thủ tục hành chính")
        verbose_name_plural = _("thủ tục hành chính")

    def __str__(self):
        return f"{self.code} {self.title}".strip()

    ORDERED_CHILDREN = ["steps", "submission_channels", "dossier_components", "agency_roles", "legal_bases",
                        "related_procedures"]

    def number_children(self):
        """Give every unnumbered child row its position as ``sort_order``.

        Rows made in code (the demo loader, imports) have no sort order; Wagtail's editor then saves
        only the rows that changed, and NULLs sort first on SQLite but last on PostgreSQL, so the
        order citizens see would depend on the database. Numbering by position keeps it stable.
        """
        for relation in self.ORDERED_CHILDREN:
            children = list(getattr(self, relation).all())
            if any(child.sort_order is None for child in children):
                for position, child in enumerate(children):
                    child.sort_order = position
                setattr(self, relation, children)

    def save(self, *args, **kwargs):
        self.number_children()
        return super().save(*args, **kwargs)

    def save_revision(self, *args, **kwargs):
        self.number_children()
        return super().save_revision(*args, **kwargs)

    # --- validation -------------------------------------------------------------------------
    def clean(self):
        super().clean()
        if self.code:
            duplicates = ProcedurePage.objects.live().filter(code=self.code)
            if self.pk:
                duplicates = duplicates.exclude(pk=self.pk)
            if duplicates.exists():
                raise ValidationError(
                    {"code": _("Mã thủ tục %(code)s đã được dùng cho thủ tục đang công khai “%(title)s”.")
                     % {"code": self.code, "title": duplicates.first().title}}
                )

    def change_record_errors(self, decision, effective_date, change_type, change_note):
        """Why these values cannot describe the next published version, by field name.

        Each published version is cited by its own announcing decision and effective date
        (issue 3); the page fields carry over from revision to revision, so an editor who only
        changes a fee would otherwise publish it under the previous decision and date, and "in
        force on" would then date the new text back to the old decision.
        """
        errors = {}
        if decision is None:
            errors["announcing_decision"] = _("Hãy chọn quyết định công bố của lần công bố này.")
        elif not decision.live:
            errors["announcing_decision"] = _("Quyết định %(number)s chưa được phê duyệt công khai.") % {
                "number": decision.number}
        if effective_date is None:
            errors["effective_date"] = _("Hãy nhập ngày có hiệu lực của lần công bố này.")
        current = self.versions.order_by("-number").first() if self.pk else None
        if current is None:
            if change_type != self.ChangeType.NEW:  # e.g. a copy carrying another procedure's record
                errors["change_type"] = _("Lần công bố đầu tiên của một thủ tục là “Ban hành mới”.")
            return errors
        if decision is not None and effective_date is not None:
            if decision.pk == current.decision_id and effective_date == current.effective_date:
                errors["effective_date"] = _(
                    "Phiên bản hiện hành (số %(number)s) đã được công bố theo quyết định này với ngày có hiệu "
                    "lực %(day)s. Lần thay đổi này cần quyết định công bố hoặc ngày có hiệu lực của riêng nó."
                ) % {"number": current.number, "day": date_format(current.effective_date, "d/m/Y")}
            elif current.effective_date and effective_date < current.effective_date:
                errors["effective_date"] = _(
                    "Ngày có hiệu lực không được sớm hơn ngày có hiệu lực của phiên bản hiện hành (%(day)s)."
                ) % {"day": date_format(current.effective_date, "d/m/Y")}
        if change_type == self.ChangeType.NEW:
            errors["change_type"] = _(
                "Thủ tục đã được công bố; hãy chọn loại thay đổi: sửa đổi, bổ sung; thay thế; hoặc bãi bỏ.")
        if not (change_note or "").strip():
            errors["change_note"] = _("Hãy tóm tắt nội dung thay đổi so với phiên bản hiện hành.")
        return errors

    def publication_problems(self):
        """Every reason this content cannot go live now, as messages (empty when it can).

        Checked where Wagtail would otherwise fail with a server error or publish silently,
        through ``cms.workflows.publication_problems``.
        """
        problems = []
        try:
            self.full_clean()
        except ValidationError as error:
            problems += error.messages
        problems += [str(message) for message in self.change_record_errors(
            self.announcing_decision, self.effective_date, self.change_type, self.change_note).values()]
        return problems

    # --- search -------------------------------------------------------------------------------
    def folded_title(self):
        return fold(self.title)

    def code_tokens(self):
        """Both spellings of the code, so "1.001731" and "1001731" are found on every backend."""
        return f"{self.code} {self.code.replace('.', '')}" if self.code else ""

    def folded_text(self):
        parts = [self.title, self.code, self.sector.name if self.sector_id else "", self.applicants, self.result,
                 self.requirements]
        parts += [step.title + " " + step.description for step in self.steps.all()]
        parts += [component.name for component in self.dossier_components.all()]
        parts += [role.agency.name for role in self.agency_roles.all() if role.agency_id]
        return fold(" ".join(filter(None, parts)))

    # --- public views ---------------------------------------------------------------------------
    @property
    def is_abolished(self):
        """Abolished, and the abolition has taken effect (an abolition can be announced ahead)."""
        return self.change_type == self.ChangeType.ABOLISHED and (
            self.effective_date is None or self.effective_date <= timezone.localdate()
        )

    @property
    def is_in_force(self):
        return not self.is_abolished and not self.replaced_by_id

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        versions = list(self.versions.select_related("decision").order_by("-number")) if self.pk else []
        is_preview = getattr(request, "is_preview", False)
        current = versions[0] if versions and not is_preview and versions[0].revision_id == self.live_revision_id \
            else None
        # The current page shows the current version exactly as approved and published (its form
        # files, names of agencies...), so "phiên bản số N" on it is the same text as phien-ban/N/;
        # a form approved later reaches the page with the procedure's next version.
        context.setdefault("procedure", SnapshotView(current.snapshot if current else build_snapshot(self)))
        context.setdefault("versions", versions)
        context.setdefault("shown_version", None if is_preview or not versions else versions[0])
        context.setdefault("latest_version", versions[0] if versions else None)
        context["is_preview"] = is_preview
        context["today"] = timezone.localdate()
        return context

    @path("")
    def current_view(self, request):
        return self.render(request)

    @path("phien-ban/<int:number>/")
    def version_view(self, request, number):
        version = self.versions.filter(number=number).select_related("decision").first()
        if version is None:
            raise Http404
        return self.render(request, context_overrides={
            "procedure": SnapshotView(version.snapshot), "shown_version": version,
        })

    @path("so-sanh/")
    def compare_view(self, request):
        versions = list(self.versions.order_by("number"))
        if len(versions) < 2:
            raise Http404
        by_number = {version.number: version for version in versions}
        old = by_number.get(_int_param(request, "tu")) or versions[-2]
        new = by_number.get(_int_param(request, "den")) or versions[-1]
        return self.render(
            request,
            template="cms/procedure_compare.html",
            context_overrides={
                "old": old, "new": new, "versions": versions[::-1],
                "sections": compare_snapshots(old.snapshot, new.snapshot),
            },
        )

    @path("hieu-luc/")
    def in_force_view(self, request):
        day = _date_param(request, "ngay")
        version = self.versions.in_force_on(day) if day else None
        if version is not None:
            return self.version_view(request, version.number)
        return self.render(
            request,
            template="cms/procedure_in_force.html",
            context_overrides={"day": day, "raw_day": request.GET.get("ngay", "")[:20],
                               "first_version": self.versions.order_by("effective_date").first()},
        )


def _int_param(request, name):
    value = request.GET.get(name, "")
    return int(value) if re.fullmatch(r"[0-9]{1,8}", value) else None


def _date_param(request, name):
    """A date typed as dd/mm/yyyy (or yyyy-mm-dd from a date input); None when not a date."""
    value = request.GET.get(name, "").strip()[:20]
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    return None


class ProcedureStep(Orderable):
    """One step of the procedure (trình tự thực hiện)."""

    page = ParentalKey(ProcedurePage, related_name="steps", on_delete=models.CASCADE)
    title = models.CharField(_("tên bước"), max_length=255)
    description = models.TextField(_("nội dung"), blank=True)
    time_allowance = models.CharField(_("thời gian"), max_length=255, blank=True, help_text=_("Ví dụ: 05 ngày làm việc"))

    panels = [FieldPanel("title"), FieldPanel("description"), FieldPanel("time_allowance")]

    class Meta(Orderable.Meta):
        verbose_name = _("bước thực hiện")


class SubmissionChannel(Orderable):
    """A way to submit the dossier, with its time limit and fees (cách thức thực hiện)."""

    class Channel(models.TextChoices):
        IN_PERSON = "in_person", _("Trực tiếp")
        ONLINE = "online", _("Trực tuyến")
        POSTAL = "postal", _("Dịch vụ bưu chính công ích")

    page = ParentalKey(ProcedurePage, related_name="submission_channels", on_delete=models.CASCADE)
    channel = models.CharField(_("hình thức nộp"), max_length=20, choices=Channel.choices)
    time_limit_days = models.PositiveIntegerField(
        _("thời hạn giải quyết (ngày làm việc)"), null=True, blank=True,
        validators=[MinValueValidator(1, _("Thời hạn giải quyết phải lớn hơn 0 ngày."))],
    )
    time_limit_text = models.CharField(
        _("thời hạn giải quyết (diễn giải)"), max_length=500, blank=True,
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
            raise ValidationError(
                {"time_limit_days": _("Nhập thời hạn giải quyết (số ngày làm việc hoặc diễn giải).")}
            )

    @property
    def is_free(self):
        return not self.fee_amount and not self.charge_amount


class DossierComponent(Orderable):
    """A document of the dossier (thành phần hồ sơ), optionally with a form to download."""

    page = ParentalKey(ProcedurePage, related_name="dossier_components", on_delete=models.CASCADE)
    case_label = models.CharField(
        _("trường hợp"), max_length=255, blank=True,
        help_text=_("Để trống nếu hồ sơ không chia theo trường hợp. Ví dụ: Trường hợp 1: xác định lần đầu"),
    )
    name = models.TextField(_("tên giấy tờ"))
    originals = models.PositiveSmallIntegerField(_("bản chính"), default=0)
    copies = models.PositiveSmallIntegerField(_("bản sao"), default=0)
    form = models.ForeignKey(
        "cms.Form", verbose_name=_("mẫu đơn, tờ khai"), null=True, blank=True, on_delete=models.PROTECT,
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

    class Role(models.TextChoices):
        IMPLEMENTING = "implementing", _("Cơ quan thực hiện")
        COMPETENT = "competent", _("Cơ quan có thẩm quyền")
        AUTHORISED = "authorised", _("Cơ quan được ủy quyền")
        COORDINATING = "coordinating", _("Cơ quan phối hợp")

    page = ParentalKey(ProcedurePage, related_name="agency_roles", on_delete=models.CASCADE)
    agency = models.ForeignKey(Agency, verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="procedure_roles")
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
    procedure = models.ForeignKey(
        ProcedurePage, verbose_name=_("thủ tục"), on_delete=models.CASCADE, related_name="+"
    )

    panels = [FieldPanel("procedure")]

    class Meta(Orderable.Meta):
        verbose_name = _("thủ tục liên quan")
