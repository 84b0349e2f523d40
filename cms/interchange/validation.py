"""Checking one procedure record before anything is written: what it names, and what it lacks.

Each problem is ``(where, message)``: the place in the file (sheet, row and column; or the
record's path) and what is wrong, in Vietnamese. For records from the official formats a problem
stops the import; for gathered records the same findings are what the draft lacks.
"""

from django.utils.translation import gettext as _

from .. import choices
from ..models import ProcedurePage
from . import template

RECORD_CHOICES = ("procedure_type", "online_service", "change_type")
LIMITS = {"name": 255, "code": 20, "change_note": 500}
STEP_LIMITS = {"title": 255, "time_allowance": 255}
CHANNEL_LIMITS = {"time_limit_text": 500, "fee_description": 500}


def where(record, field=""):
    places = record.get("_at") or {}
    return places.get(field) or places.get("") or ""


def _is_int(value, minimum):
    return isinstance(value, int) and not isinstance(value, bool) and value >= minimum


def check_record(record, gathered=False):
    """What stops ``record`` from being published, as ``(where, message)``."""
    problems = []

    def lacks(field, message):
        problems.append((where(record, field), message))

    change_only = record.get("change_type") == choices.ChangeType.ABOLISHED or bool(record.get("replaced_by"))
    if not (record.get("name") or "").strip():
        lacks("name", _("Thiếu tên thủ tục."))
    for field, limit in LIMITS.items():
        if len(record.get(field) or "") > limit:
            lacks(field, _("Dài quá %(limit)d ký tự.") % {"limit": limit})
    for field in RECORD_CHOICES:
        value = record.get(field)
        if value not in template.CHOICE_FIELDS[field].values and (value or field != "change_type"):  # "": decided later
            lacks(field, _("Giá trị “%(value)s” không hợp lệ.") % {"value": value})
    if not gathered:
        if not record.get("decision"):
            lacks("decision", _("Thiếu quyết định công bố (trong tệp hoặc tham số --decision)."))
        if not record.get("effective_date"):
            lacks("effective_date", _("Thiếu ngày có hiệu lực (trong tệp hoặc tham số --effective-date)."))
    if change_only:
        return problems
    if not (record.get("sector") or "").strip():
        lacks("sector", _("Thiếu lĩnh vực."))
    if not record.get("levels"):
        lacks("levels", _("Thiếu cấp thực hiện."))
    for field, label in (("applicants", _("đối tượng thực hiện")), ("result", _("kết quả thực hiện"))):
        if not (record.get(field) or "").strip():
            lacks(field, _("Thiếu %(field)s.") % {"field": label})
    if not _is_int(record.get("dossier_sets"), 1):
        lacks("dossier_sets", _("Số bộ hồ sơ phải là số nguyên từ 1 trở lên."))
    problems += _check_steps(record) + _check_channels(record) + _check_dossier(record)
    for agency in record.get("agencies") or []:
        if agency.get("role") not in choices.AgencyRole.values:
            problems.append((where(agency, "role") or where(record), _("Vai trò cơ quan không hợp lệ.")))
    return problems


def _check_steps(record):
    steps = record.get("steps") or []
    if not steps:
        return [(where(record), _("Thiếu trình tự thực hiện (ít nhất một bước)."))]
    problems = []
    for step in steps:
        if not (step.get("title") or "").strip():
            problems.append((where(step, "title") or where(record), _("Bước thực hiện thiếu tên.")))
        for field, limit in STEP_LIMITS.items():
            if len(step.get(field) or "") > limit:
                problems.append((where(step, field) or where(record), _("Dài quá %(limit)d ký tự.") % {"limit": limit}))
    return problems


def _check_channels(record):
    channels = record.get("channels") or []
    if not channels:
        return [
            (
                where(record),
                _("Thiếu cách thức thực hiện (nộp trực tiếp, trực tuyến, bưu chính) với thời hạn giải quyết."),
            )
        ]
    problems = []
    for channel in channels:
        at = where(channel) or where(record)
        if channel.get("channel") not in choices.Channel.values:
            problems.append((where(channel, "channel") or at, _("Hình thức nộp không hợp lệ.")))
        days = channel.get("time_limit_days")
        if days is not None and not _is_int(days, 1):
            problems.append((where(channel, "time_limit_days") or at, _("Thời hạn giải quyết phải lớn hơn 0 ngày.")))
        if days is None and not (channel.get("time_limit_text") or "").strip():
            problems.append((where(channel, "time_limit_days") or at, _("Thiếu thời hạn giải quyết.")))
        for field, label in (("fee_amount", _("Phí")), ("charge_amount", _("Lệ phí"))):
            amount = channel.get(field)
            if amount is not None and not _is_int(amount, 0):
                problems.append((where(channel, field) or at, _("%(label)s không được là số âm.") % {"label": label}))
        for field, limit in CHANNEL_LIMITS.items():
            if len(channel.get(field) or "") > limit:
                problems.append((where(channel, field) or at, _("Dài quá %(limit)d ký tự.") % {"limit": limit}))
    return problems


def _check_dossier(record):
    problems = []
    for component in record.get("dossier") or []:
        at = where(component) or where(record)
        if not (component.get("name") or "").strip():
            problems.append((where(component, "name") or at, _("Thành phần hồ sơ thiếu tên giấy tờ.")))
        originals, copies = component.get("originals"), component.get("copies")
        if not _is_int(originals, 0) or not _is_int(copies, 0):
            problems.append(
                (where(component, "originals") or at, _("Số bản chính, bản sao phải là số nguyên không âm."))
            )
        elif not originals and not copies:
            problems.append((where(component, "originals") or at, _("Nhập số bản chính hoặc số bản sao (ít nhất 1).")))
    if not record.get("dossier") and not record.get("_gathered"):
        return problems
    if not record.get("dossier"):
        problems.append((where(record), _("Thiếu thành phần hồ sơ (tên giấy tờ, số bản chính, bản sao).")))
    return problems


def resolve_record(record, resolver, file_codes, lenient=False):
    """Find what ``record`` names: (resolved, problems, notes).

    Names resolved to existing objects are rewritten in the record to their canonical spelling,
    so comparing with the current version sees only real differences. ``lenient`` (gathered
    records): what cannot be found is a note of what the draft lacks, and is left out.
    """
    problems, notes = [], []
    resolved = {"sector": None, "levels": [], "agencies": [], "legal_bases": [], "forms": [], "decision": None}

    def refuse(place, message):
        (notes if lenient else problems).append((place, message))

    if record.get("sector"):
        try:
            resolved["sector"] = resolver.sector(record["sector"])
            record["sector"] = _name_of(resolved["sector"], record["sector"])
        except LookupError as error:
            problems.append((where(record, "sector"), str(error)))
    levels = []
    for name in record.get("levels") or []:
        try:
            resolved["levels"].append(resolver.level(name))
            levels.append(_name_of(resolved["levels"][-1], name))
        except LookupError as error:
            refuse(where(record, "levels"), str(error))
    record["levels"] = levels
    agencies = []
    for agency in record.get("agencies") or []:
        try:
            found = resolver.agency(agency["name"])
        except LookupError as error:
            refuse(where(agency, "name") or where(record), str(error))
            continue
        resolved["agencies"].append((agency.get("role"), found))
        agencies.append({**agency, "name": _name_of(found, agency["name"])})
    record["agencies"] = agencies
    bases = []
    for basis in record.get("legal_bases") or []:
        try:
            document, provision = resolver.legal_document(basis["document"])
        except LookupError as error:
            refuse(where(basis, "document") or where(record), str(error))
            continue
        provision = basis.get("provision") or provision
        resolved["legal_bases"].append((document, provision))
        bases.append({**basis, "provision": provision})
    record["legal_bases"] = bases
    for component in record.get("dossier") or []:
        form = component.get("form")
        found = None
        if form:
            try:
                found = resolver.form(form["code"], form.get("legal_document") or "")
            except LookupError as error:
                refuse(where(component, "form_code") or where(record), str(error))
                component["form"] = None
        resolved["forms"].append(found)
    if record.get("decision"):
        try:
            resolved["decision"] = resolver.decision(record["decision"])
        except LookupError as error:
            refuse(where(record, "decision"), str(error))
    named = record.get("related") or []
    known = file_codes | set(ProcedurePage.objects.filter(code__in=named).values_list("code", flat=True))
    known |= set(ProcedurePage.objects.filter(title__in=named, code="").values_list("title", flat=True))
    for code in record.get("related") or []:
        if code not in known:
            refuse(where(record, "related"), _("Thủ tục liên quan mã %(code)s không có.") % {"code": code})
    record["related"] = [code for code in record.get("related") or [] if code in known]
    successor = record.get("replaced_by")
    if successor and successor not in file_codes and not ProcedurePage.objects.filter(code=successor).exists():
        problems.append(
            (where(record, "replaced_by"), _("Không có thủ tục mã %(code)s để thay thế.") % {"code": successor})
        )
    return resolved, problems, notes


def _name_of(found, written):
    """The canonical name of an existing object; as written (spaces tidied) for one the file brings."""
    if isinstance(found, tuple):
        return " ".join(written.split())
    return found.name or written
