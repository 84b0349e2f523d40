"""A procedure record written onto a page, and what differs between a record and a procedure.

Children are replaced whole (the record is the procedure's full content, as in a decision's
Part II). An abolition or replacement changes only the change record: the content stays what
was announced before.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.models import Page

from search.vietnamese import PROCEDURE_CODE, vietnamese_slug

from .. import choices
from ..models import (
    DossierComponent,
    LegalBasis,
    ProcedureAgency,
    ProcedurePage,
    ProcedureStep,
    RelatedProcedure,
    SubmissionChannel,
)
from ..models.slugs import unique_slug
from .records import PROCEDURE_KEYS, SetDocumentBuilder

FIELD_LABELS = {
    "code": gettext_lazy("mã thủ tục"),
    "name": gettext_lazy("tên thủ tục"),
    "sector": gettext_lazy("lĩnh vực"),
    "levels": gettext_lazy("cấp thực hiện"),
    "procedure_type": gettext_lazy("loại thủ tục"),
    "online_service": gettext_lazy("mức độ dịch vụ công trực tuyến"),
    "steps": gettext_lazy("trình tự thực hiện"),
    "channels": gettext_lazy("cách thức thực hiện (thời hạn, phí, lệ phí)"),
    "dossier": gettext_lazy("thành phần hồ sơ"),
    "dossier_sets": gettext_lazy("số bộ hồ sơ"),
    "dossier_note": gettext_lazy("ghi chú về hồ sơ"),
    "applicants": gettext_lazy("đối tượng thực hiện"),
    "agencies": gettext_lazy("cơ quan thực hiện"),
    "receiving_address": gettext_lazy("địa chỉ tiếp nhận"),
    "online_submission_url": gettext_lazy("đường dẫn nộp hồ sơ trực tuyến"),
    "result": gettext_lazy("kết quả thực hiện"),
    "requirements": gettext_lazy("yêu cầu, điều kiện"),
    "related": gettext_lazy("thủ tục liên quan"),
    "legal_bases": gettext_lazy("căn cứ pháp lý"),
}
CHILD_KEYS = {
    "steps": ("title", "description", "time_allowance"),
    "channels": (
        "channel",
        "time_limit_days",
        "time_limit_text",
        "fee_amount",
        "charge_amount",
        "fee_description",
        "notes",
    ),
    "dossier": ("case_label", "name", "originals", "copies", "form"),
    "agencies": ("role", "name"),
    "legal_bases": ("document", "provision"),
}


def comparable(record, key):
    value = record.get(key)
    if key in CHILD_KEYS:
        return [
            {field: (child.get(field) if child.get(field) != "" else "") for field in CHILD_KEYS[key]}
            for child in value or []
        ]
    if isinstance(value, str):
        return value.strip()
    return value


def content_differences(version, record):
    """Labels of the fields in which ``record`` differs from ``version`` (a live page's current
    version; None when the page has none)."""
    if version is None:
        return [_("toàn bộ nội dung (chưa có phiên bản công bố)")]
    current = SetDocumentBuilder([version], with_files=False).procedure(version)
    return [
        str(FIELD_LABELS[key])
        for key in PROCEDURE_KEYS
        if key in record and comparable(record, key) != comparable(current, key)
    ]


def new_page(index, record):
    """An unsaved page with a free slug: two names may share their first words, and slugs are
    cut to a readable length."""
    slug = unique_slug(Page, vietnamese_slug("", record["name"]))  # the page table alone: its slug index
    return ProcedurePage(title=record["name"], slug=slug, live=False)


def apply_record(page, record, resolved, resolver, pages):
    """Write ``record`` onto ``page`` (unsaved changes); ``pages``: pages of this import by code."""
    get = resolver.get
    page.announcing_decision = get(resolved["decision"]) if resolved.get("decision") else None
    page.effective_date = record.get("effective_date")
    page.change_type = record.get("change_type") or choices.ChangeType.NEW
    page.change_note = record.get("change_note") or ""
    if record.get("replaced_by"):
        page.replaced_by = (
            pages.get(record["replaced_by"])
            or ProcedurePage.objects.filter(code=record["replaced_by"]).order_by("-live", "pk").first()
        )
    if page.change_type == choices.ChangeType.ABOLISHED or record.get("replaced_by"):
        return page
    page.title = page.draft_title = record["name"]
    page.code = record.get("code") or ""
    page.sector = get(resolved["sector"])
    page.procedure_type = record["procedure_type"]
    page.online_service = record["online_service"]
    page.dossier_sets = record.get("dossier_sets") or 1
    for field in ("dossier_note", "applicants", "receiving_address", "online_submission_url", "result", "requirements"):
        setattr(page, field, record.get(field) or "")
    page.levels = [get(level) for level in resolved["levels"]]
    page.steps = [ProcedureStep(**_fields(step, ProcedureStep)) for step in record.get("steps") or []]
    page.submission_channels = [
        SubmissionChannel(**_fields(channel, SubmissionChannel)) for channel in record.get("channels") or []
    ]
    page.dossier_components = [
        DossierComponent(**_fields(component, DossierComponent), form=get(form) if form else None)
        for component, form in zip(record.get("dossier") or [], resolved["forms"], strict=False)
    ]
    page.agency_roles = [ProcedureAgency(role=role, agency=get(agency)) for role, agency in resolved["agencies"]]
    page.legal_bases = [
        LegalBasis(legal_document=get(document), provision=provision or "")
        for document, provision in resolved["legal_bases"]
    ]
    page.related_procedures = [
        RelatedProcedure(procedure=target)
        for named in record.get("related") or []
        if (target := pages.get(named) or _procedure_named(named))
    ]
    return page


def _procedure_named(named):
    """A related procedure by its code, or by its exact name when it has none (as exports write)."""
    by = {"code": named} if PROCEDURE_CODE.fullmatch(named) else {"title": named, "code": ""}
    return ProcedurePage.objects.filter(**by).order_by("-live", "pk").first()


def _fields(values, model):
    names = {field.name for field in model._meta.get_fields()} - {"id", "page", "sort_order", "form"}
    return {
        key: ("" if value is None and _is_text(model, key) else value) for key, value in values.items() if key in names
    }


def _is_text(model, name):
    return model._meta.get_field(name).get_internal_type() in ("CharField", "TextField")
