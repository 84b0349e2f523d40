"""The procedure page: every field of the national standard, the current set, the version routes.

A procedure page carries every field of the national standard for publishing an administrative
procedure, in the order the public page shows them (templates/cms/procedure_page.html). Its
child rows (steps, channels, dossier...) are in ``procedure_parts``. What may be published, and
what happens when it is, is in ``cms.publishing``.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from search.vietnamese import (
    COLLATION_KEY_LENGTH,
    LIST_KEY_LENGTH,
    PROCEDURE_CODE,
    fold,
    list_key,
    vietnamese_collation_key,
)

from .. import choices
from ..compare import compare_snapshots
from ..formatting import parse_small_int, parse_typed_date
from ..snapshots import SnapshotView, build_snapshot
from . import procedure_search
from .slugs import VietnameseSlugMixin
from .taxonomy import ImplementationLevel, Sector


class ProcedureQuerySet(PageQuerySet):
    def in_force(self):
        """The current official set: live, public, neither abolished (once in effect) nor replaced.

        The single definition used by the lists, the official set, the home page and search.
        """
        abolished = Q(change_type=choices.ChangeType.ABOLISHED) & (
            Q(effective_date__isnull=True) | Q(effective_date__lte=timezone.localdate())
        )
        return self.live().public().exclude(abolished).filter(replaced_by__isnull=True)


ProcedureManager = PageManager.from_queryset(ProcedureQuerySet)


class ProcedurePage(VietnameseSlugMixin, RoutablePageMixin, Page):
    """An administrative procedure (thủ tục hành chính), as published by the department.

    Its public page also serves the version history: ``version`` renders a published version
    exactly as it was published, ``compare`` compares two versions and ``in_force`` finds the
    version in force on a given day.
    """

    ProcedureType = choices.ProcedureType
    OnlineService = choices.OnlineService
    ChangeType = choices.ChangeType

    # The title's Vietnamese order, so that the database sorts and paginates lists.
    sort_key = models.CharField(max_length=COLLATION_KEY_LENGTH, editable=False, db_index=True, default="")
    # Sector, then title: the order of every list, one index the database reads in order.
    list_key = models.CharField(max_length=LIST_KEY_LENGTH, editable=False, db_index=True, default="")
    # The levels, agencies and channels of the page as one value each ("|2|5|"), so that every
    # search backend filters and counts them as plain columns (search.facets).
    level_set = models.CharField(max_length=200, editable=False, default="")
    agency_set = models.CharField(max_length=500, editable=False, default="")
    channel_set = models.CharField(max_length=100, editable=False, default="")
    code = models.CharField(
        _("mã thủ tục"),
        max_length=20,
        blank=True,
        db_index=True,
        validators=[
            RegexValidator(PROCEDURE_CODE, _("Mã thủ tục có dạng 1.001776 (một chữ số, dấu chấm, sáu chữ số)."))
        ],
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
    online_submission_url = models.URLField(
        _("đường dẫn nộp hồ sơ trực tuyến"),
        max_length=500,
        blank=True,
        help_text=_("Trang của thủ tục trên Cổng Dịch vụ công, nơi công dân nộp hồ sơ trực tuyến."),
    )
    result = models.TextField(_("kết quả thực hiện"))
    requirements = models.TextField(_("yêu cầu, điều kiện thực hiện"), blank=True)
    announcing_decision = models.ForeignKey(
        "cms.AnnouncingDecision",
        verbose_name=_("quyết định công bố"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="procedures",
    )
    effective_date = models.DateField(_("ngày có hiệu lực"), null=True, blank=True)
    change_type = models.CharField(
        _("loại thay đổi"), max_length=20, choices=ChangeType.choices, default=ChangeType.NEW
    )
    change_note = models.CharField(_("nội dung thay đổi"), max_length=500, blank=True)
    replaced_by = models.ForeignKey(
        "self",
        verbose_name=_("được thay thế bởi thủ tục"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replaces",
    )

    objects = ProcedureManager()

    parent_page_types = ["cms.ProcedureIndexPage"]
    subpage_types = []

    content_panels = [
        *Page.content_panels,
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
        FieldPanel("online_submission_url"),
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

    search_fields = [
        *Page.search_fields,
        index.SearchField("folded_text"),
        index.AutocompleteField("folded_title"),
        index.SearchField("code_tokens", boost=5),
        index.FilterField("sector"),
        index.FilterField("code"),
        index.FilterField("change_type"),
        index.FilterField("replaced_by"),
        index.FilterField("effective_date"),
        index.FilterField("level_set"),
        index.FilterField("agency_set"),
        index.FilterField("channel_set"),
        index.RelatedFields("sector", [index.SearchField("name")]),
    ]

    class Meta:
        verbose_name = _("thủ tục hành chính")
        verbose_name_plural = _("thủ tục hành chính")

    def __str__(self):
        return f"{self.code} {self.title}".strip()

    ORDERED_CHILDREN = [
        "steps",
        "submission_channels",
        "dossier_components",
        "agency_roles",
        "legal_bases",
        "related_procedures",
    ]

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

    def with_content_json(self, content):
        """The page as a revision saved it, with rows that no longer exist made new rows.

        A revision keeps the ids of its child rows; once a later version has replaced them, those
        ids are gone, and the editor (reverting to an old version) would refuse the form on hidden
        ids the user cannot see. Unknown ids are dropped, so the rows are saved again as new ones.
        """
        page = super().with_content_json(content)
        for relation in self.ORDERED_CHILDREN:
            children = list(getattr(page, relation).all())
            ids = {child.pk for child in children if child.pk is not None}
            if not ids:
                continue
            rows = getattr(self, relation).model.objects.filter(pk__in=ids, page_id=self.pk)
            existing = set(rows.values_list("pk", flat=True))
            if existing != ids:
                for child in children:
                    if child.pk not in existing:
                        child.pk = child.id = None
                setattr(page, relation, children)
        return page

    # --- search (cms.models.procedure_search) -----------------------------------------------------
    def refresh_facet_sets(self):
        for name, value in procedure_search.facet_sets(self).items():
            setattr(self, name, value)

    def folded_title(self):
        return fold(self.title)

    def code_tokens(self):
        return procedure_search.code_tokens(self)

    def folded_text(self):
        return procedure_search.folded_text(self)

    def save(self, *args, **kwargs):
        self.number_children()
        self.sort_key = vietnamese_collation_key(self.title)
        self.list_key = list_key(self.sector.sort_key if self.sector_id else "", self.sort_key)
        update_fields = kwargs.get("update_fields")
        if update_fields is None:
            if not getattr(self, "facet_sets_filled", False):
                self.refresh_facet_sets()
        elif {"title", "sector"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "sort_key", "list_key"}
        return super().save(*args, **kwargs)

    def save_revision(self, *args, **kwargs):
        self.number_children()
        return super().save_revision(*args, **kwargs)

    def clean(self):
        super().clean()
        if self.code:
            duplicates = ProcedurePage.objects.live().filter(code=self.code)
            if self.pk:
                duplicates = duplicates.exclude(pk=self.pk)
            if duplicates.exists():
                raise ValidationError(
                    {
                        "code": _("Mã thủ tục %(code)s đã được dùng cho thủ tục đang công khai “%(title)s”.")
                        % {"code": self.code, "title": duplicates.first().title}
                    }
                )

    # --- state ----------------------------------------------------------------------------------
    @property
    def is_abolished(self):
        """Abolished, and the abolition has taken effect (an abolition can be announced ahead)."""
        return self.change_type == self.ChangeType.ABOLISHED and (
            self.effective_date is None or self.effective_date <= timezone.localdate()
        )

    @property
    def is_in_force(self):
        return not self.is_abolished and not self.replaced_by_id

    # --- public views ---------------------------------------------------------------------------
    def get_cached_paths(self):
        """What nginx may keep of this page (``cms.frontend_purge``): the page, the comparison and
        each version's page (each says which version is current)."""
        numbers = self.versions.values_list("number", flat=True) if self.pk else []
        return ["/", "/so-sanh/", *(f"/phien-ban/{number}/" for number in numbers)]

    def snapshot_view(self, snapshot):
        """``snapshot`` ready for the template, with links to related procedures still public."""
        related_ids = [item["page_id"] for item in snapshot.get("related", [])]
        pages = ProcedurePage.objects.live().public().in_bulk(related_ids) if related_ids else {}
        return SnapshotView(snapshot, live_urls={pk: page.url for pk, page in pages.items()})

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        versions = list(self.versions.select_related("decision").order_by("-number")) if self.pk else []
        is_preview = getattr(request, "is_preview", False)
        latest = versions[0] if versions else None
        current = latest if latest and not is_preview and latest.revision_id == self.live_revision_id else None
        # The current page shows the current version exactly as approved and published (its form
        # files, names of agencies...), so "phiên bản số N" on it is the same text as its version
        # URL; a form approved later reaches the page with the procedure's next version.
        context.setdefault("procedure", self.snapshot_view(current.snapshot if current else build_snapshot(self)))
        context.setdefault("versions", versions)
        context.setdefault("shown_version", None if is_preview else latest)
        context.setdefault("latest_version", latest)
        context["is_preview"] = is_preview
        context["today"] = timezone.localdate()
        return context

    @path("", name="current")
    def current_view(self, request):
        return self.render(request)

    @path("phien-ban/<int:number>/", name="version")
    def version_view(self, request, number):
        version = self.versions.filter(number=number).select_related("decision").first()
        if version is None:
            raise Http404
        return self.render(
            request,
            context_overrides={"procedure": self.snapshot_view(version.snapshot), "shown_version": version},
        )

    @path("so-sanh/", name="compare")
    def compare_view(self, request):
        versions = list(self.versions.order_by("number"))
        if len(versions) < 2:
            raise Http404
        by_number = {version.number: version for version in versions}
        old = by_number.get(parse_small_int(request.GET.get("tu"))) or versions[-2]
        new = by_number.get(parse_small_int(request.GET.get("den"))) or versions[-1]
        return self.render(
            request,
            template="cms/procedure_compare.html",
            context_overrides={
                "old": old,
                "new": new,
                "versions": versions[::-1],
                "sections": compare_snapshots(old.snapshot, new.snapshot),
            },
        )

    @path("hieu-luc/", name="in_force")
    def in_force_view(self, request):
        day = parse_typed_date(request.GET.get("ngay"))
        version = self.versions.in_force_on(day) if day else None
        if version is not None:
            return self.version_view(request, version.number)
        return self.render(
            request,
            template="cms/procedure_in_force.html",
            context_overrides={
                "day": day,
                "raw_day": request.GET.get("ngay", "")[:20],
                "first_version": self.versions.order_by("effective_date").first(),
            },
        )
