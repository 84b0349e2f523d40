"""The department and province are settings, not code: agencies change (2025 reorganisation)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting


@register_setting(icon="site")
class DepartmentSettings(BaseSiteSetting):
    department_name = models.CharField(_("tên cơ quan"), max_length=255, default="Sở Lao động – Thương binh và Xã hội")
    province_name = models.CharField(_("tỉnh, thành phố"), max_length=255, blank=True)
    governing_body = models.CharField(
        _("cơ quan chủ quản"), max_length=255, blank=True, help_text=_("Ví dụ: Ủy ban nhân dân tỉnh …")
    )
    address = models.CharField(_("địa chỉ"), max_length=500, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=100, blank=True)
    hotline = models.CharField(_("đường dây nóng"), max_length=100, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    website = models.URLField(_("cổng thông tin"), blank=True)
    show_sample_data_banner = models.BooleanField(
        _("hiện thông báo dữ liệu mẫu"),
        default=False,
        help_text=_("Bật khi trang đang hiển thị dữ liệu mẫu, không phải bộ thủ tục chính thức."),
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("department_name"), FieldPanel("governing_body"), FieldPanel("province_name")],
            heading=_("Cơ quan"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("address"),
                FieldPanel("phone"),
                FieldPanel("hotline"),
                FieldPanel("email"),
                FieldPanel("website"),
            ],
            heading=_("Liên hệ"),
        ),
        FieldPanel("show_sample_data_banner"),
    ]

    class Meta:
        verbose_name = _("thông tin cơ quan")
