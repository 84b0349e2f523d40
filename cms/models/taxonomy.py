"""Sectors, implementing levels and agencies: shared snippets that change over time.

They are retired and succeeded, never deleted while a procedure refers to them (the 2025
reorganisation moved duties between agencies and abolished the district level).
"""

from django.db import models
from django.db.models import Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.search import index

from search.vietnamese import COLLATION_KEY_LENGTH, ascii_slug, fold, list_key, vietnamese_collation_key

from .slugs import unique_slug


class RetirableQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Retirable(models.Model):
    """Something that can be retired (and succeeded by another) instead of deleted."""

    is_active = models.BooleanField(_("đang sử dụng"), default=True)
    retired_on = models.DateField(_("ngày thôi sử dụng"), null=True, blank=True)

    objects = RetirableQuerySet.as_manager()

    retirement_panels = [
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("is_active"), FieldPanel("retired_on")]), FieldPanel("successor")],
            heading=_("Thay đổi tổ chức"),
        )
    ]

    class Meta:
        abstract = True


class SluggedName(models.Model):
    """A name with an ASCII slug made from it (``đ`` becomes ``d``, not dropped)."""

    name = models.CharField(_("tên"), max_length=255)
    slug = models.SlugField(_("đường dẫn"), max_length=100, unique=True, blank=True)
    # The name's Vietnamese order, so that the database sorts lists (``vietnamese_collation_key``).
    sort_key = models.CharField(max_length=COLLATION_KEY_LENGTH, editable=False, db_index=True, default="")

    class Meta:
        abstract = True

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(type(self), ascii_slug(self.name), self.pk)
        self.sort_key = vietnamese_collation_key(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "sort_key"}
        super().save(*args, **kwargs)


class Sector(index.Indexed, SluggedName, Retirable):
    """Lĩnh vực (e.g. Người có công, Bảo trợ xã hội)."""

    code = models.CharField(_("mã lĩnh vực"), max_length=50, blank=True)
    description = models.TextField(_("mô tả"), blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("lĩnh vực kế thừa"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("code"),
        FieldPanel("description"),
        *Retirable.retirement_panels,
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        verbose_name = _("lĩnh vực")
        verbose_name_plural = _("lĩnh vực")
        ordering = ["sort_key"]

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        # Its procedures' list keys begin with its own (``ProcedurePage.list_key``).
        self.procedurepage_set.update(list_key=Concat(Value(list_key(self.sort_key, "")), Substr("sort_key", 1, 1400)))


class ImplementationLevel(SluggedName, Retirable):
    """Cấp thực hiện: cấp tỉnh, cấp huyện (abolished in 2025), cấp xã."""

    sort_order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("cấp kế thừa"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
    )

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("sort_order"), *Retirable.retirement_panels]

    class Meta:
        verbose_name = _("cấp thực hiện")
        verbose_name_plural = _("cấp thực hiện")
        ordering = ["sort_order", "name"]


class Agency(index.Indexed, SluggedName, Retirable):
    """Cơ quan: implementing, competent, authorised or coordinating agency of a procedure."""

    short_name = models.CharField(_("tên viết tắt"), max_length=100, blank=True)
    level = models.ForeignKey(
        ImplementationLevel, verbose_name=_("cấp"), null=True, blank=True, on_delete=models.PROTECT
    )
    address = models.CharField(_("địa chỉ"), max_length=500, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=100, blank=True)
    opening_hours = models.CharField(
        _("thời gian tiếp nhận hồ sơ"),
        max_length=300,
        blank=True,
        help_text=_("Ví dụ: Sáng 7h30–11h30, chiều 13h30–17h00, từ thứ Hai đến thứ Sáu (trừ ngày lễ)"),
    )
    successor = models.ForeignKey(
        "self",
        verbose_name=_("cơ quan kế thừa"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("short_name"),
        FieldPanel("slug"),
        FieldPanel("level"),
        FieldPanel("address"),
        FieldPanel("phone"),
        FieldPanel("opening_hours"),
        *Retirable.retirement_panels,
    ]
    search_fields = [index.SearchField("name"), index.SearchField("folded_name"), index.AutocompleteField("name")]

    class Meta:
        verbose_name = _("cơ quan")
        verbose_name_plural = _("cơ quan")
        ordering = ["sort_key"]

    def folded_name(self):
        return fold(f"{self.name} {self.short_name}")
