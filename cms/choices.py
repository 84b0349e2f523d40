"""The national standard's vocabularies, as Django choices.

A pure module: the models store these values, and snapshots and comparisons (which import no
model) order and label by them.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


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


class Channel(models.TextChoices):
    IN_PERSON = "in_person", _("Trực tiếp")
    ONLINE = "online", _("Trực tuyến")
    POSTAL = "postal", _("Dịch vụ bưu chính công ích")


class AgencyRole(models.TextChoices):
    """The four roles in the national standard's order, which is the order the public reads."""

    IMPLEMENTING = "implementing", _("Cơ quan thực hiện")
    COMPETENT = "competent", _("Cơ quan có thẩm quyền")
    AUTHORISED = "authorised", _("Cơ quan được ủy quyền")
    COORDINATING = "coordinating", _("Cơ quan phối hợp")
