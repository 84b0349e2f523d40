"""Frozen snapshots of published procedure versions, and their field-by-field comparison.

A published version is a legal reference. Rendering an old Wagtail revision would show today's
sector and agency names and today's form files, so when a procedure is published its content is
frozen here with every name resolved and the exact document of every form. Public history,
version URLs, "in force on" and comparisons all read these snapshots; Wagtail revisions stay what
they are for (editing, moderation, the admin's own comparison).
"""

import datetime
import difflib

from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from cms.templatetags.procedure_tags import vnd

SNAPSHOT_FORMAT = 1


def _date(value):
    return value.isoformat() if value else None


def snapshot_references(snapshot):
    """What one published snapshot names, as ``(kind, key)`` pairs: what must outlive it."""
    references = {("sector", snapshot.get("sector"))}
    references |= {("level", name) for name in snapshot.get("levels", [])}
    references |= {("agency", agency["name"]) for agency in snapshot.get("agencies", [])}
    references |= {("legal_document", basis["document"]) for basis in snapshot.get("legal_bases", [])}
    for component in snapshot.get("dossier", []):
        if component.get("form"):
            references.add(("form", component["form"]["form_id"]))
            references.add(("document", component["form"]["document_id"]))
    return references


def published_references():
    """Everything any published version names (including its decision), in one pass."""
    from cms.models import ProcedureVersion

    references = set()
    for snapshot, decision_id in ProcedureVersion.objects.values_list("snapshot", "decision_id").iterator():
        references |= snapshot_references(snapshot)
        if decision_id:
            references.add(("decision", decision_id))
    return references


def document_is_published(document_id):
    """Whether a live form or a live decision links to the document, or a published version does.

    Such a file is public (the only files the public may download) and a legal reference: it is
    never replaced in place nor deleted (a new file is a new document). Runs on every public
    download, so it does not read every snapshot: the database returns only the snapshots whose
    text names this document id, and each is then confirmed with ``snapshot_references``. Only
    live rows count (a form's or decision's row holds its live content; drafts and revisions in
    moderation live in revisions).
    """
    from django.db.models import TextField
    from django.db.models.functions import Cast

    from cms.models import AnnouncingDecision, Form, ProcedureVersion

    document_id = int(document_id)
    if Form.objects.filter(document_id=document_id, live=True).exists():
        return True
    if AnnouncingDecision.objects.filter(document_id=document_id, live=True).exists():
        return True
    # JSON text is `"document_id": 23,` on SQLite and PostgreSQL alike; the digits must end there.
    candidates = (
        ProcedureVersion.objects.annotate(text=Cast("snapshot", TextField()))
        .filter(text__regex=rf'"document_id" *: *{document_id}[^0-9]')
        .order_by()
        .values_list("snapshot", flat=True)
    )
    return any(("document", document_id) in snapshot_references(snapshot) for snapshot in candidates)


def published_decision(page):
    """The page's announcing decision if it is live: a draft decision is never named publicly,
    neither in a snapshot nor in the version record."""
    decision = page.announcing_decision
    return decision if decision is not None and decision.live else None


def build_snapshot(page):
    """Everything the public page shows of ``page``, with names resolved, as plain JSON data.

    Only published things are named: a draft decision or an unpublished related procedure is
    left out, so nothing unapproved reaches the public through a procedure.
    """
    decision = published_decision(page)
    return {
        "format": SNAPSHOT_FORMAT,
        "title": page.title,
        "code": page.code,
        "sector": page.sector.name if page.sector_id else "",
        "levels": [level.name for level in page.levels.all()],
        "procedure_type": str(page.get_procedure_type_display()),
        "online_service": str(page.get_online_service_display()),
        "steps": [
            {"title": step.title, "description": step.description, "time_allowance": step.time_allowance}
            for step in page.steps.all()
        ],
        "channels": [
            {
                "channel": str(channel.get_channel_display()),
                "time_limit_days": channel.time_limit_days,
                "time_limit_text": channel.time_limit_text,
                "fee_amount": channel.fee_amount,
                "charge_amount": channel.charge_amount,
                "fee_description": channel.fee_description,
                "notes": channel.notes,
            }
            for channel in page.submission_channels.all()
        ],
        "dossier": [_dossier_component(component) for component in page.dossier_components.all()],
        "dossier_sets": page.dossier_sets,
        "dossier_note": page.dossier_note,
        "applicants": page.applicants,
        "agencies": [
            {"role": str(role.get_role_display()), "name": role.agency.name} for role in page.agency_roles.all()
        ],
        "receiving_address": page.receiving_address,
        "result": page.result,
        "requirements": page.requirements,
        "related": [
            {"title": item.procedure.title, "page_id": item.procedure_id}
            for item in page.related_procedures.all()
            if item.procedure.live
        ],
        "legal_bases": [
            {
                "document": str(basis.legal_document),
                "title": basis.legal_document.title,
                "issue_date": _date(basis.legal_document.issue_date),
                "issuer": basis.legal_document.issuer,
                "provision": basis.provision,
            }
            for basis in page.legal_bases.all()
        ],
        "decision": (
            {"number": decision.number, "title": decision.title, "slug": decision.slug,
             "signed_date": _date(decision.signed_date)}
            if decision else None
        ),
        "effective_date": _date(page.effective_date),
        "change_type": page.change_type,
        "change_type_label": str(page.get_change_type_display()),
        "change_note": page.change_note,
    }


def _dossier_component(component):
    form = component.form
    form_data = None
    if form is not None and form.live:
        document = form.document
        form_data = {
            "form_id": form.pk,
            "code": form.code,
            "title": form.title,
            "legal_document": str(form.legal_document) if form.legal_document_id else "",
            "document_id": document.pk,
            "filename": document.filename,
            "extension": document.file_extension.upper(),
        }
    return {
        "case_label": component.case_label,
        "name": component.name,
        "originals": component.originals,
        "copies": component.copies,
        "form": form_data,
    }


# --- comparison ---------------------------------------------------------------------------------

def _channel_text(channel):
    parts = [channel["channel"]]
    if channel["time_limit_days"]:
        parts.append(f"{channel['time_limit_days']} ngày làm việc")
    if channel["time_limit_text"]:
        parts.append(channel["time_limit_text"])
    for key, label in (("fee_amount", "Phí"), ("charge_amount", "Lệ phí")):
        if channel[key] is not None:
            parts.append(f"{label}: {vnd(channel[key])}")
    if channel["fee_description"]:
        parts.append(channel["fee_description"])
    if channel["notes"]:
        parts.append(channel["notes"])
    return " · ".join(parts)


def _dossier_text(component):
    text = f"{component['case_label'] + ': ' if component['case_label'] else ''}{component['name']}"
    text += f" (bản chính: {component['originals']}, bản sao: {component['copies']})"
    if component["form"]:
        text += f" – {component['form']['code']}: {component['form']['title']} [{component['form']['filename']}]"
    return text


def _legal_text(basis):
    text = basis["document"] + (f" ({basis['provision']})" if basis["provision"] else "")
    return text + (f" – {basis['title']}" if basis["title"] else "")


def _dmy(iso_date):
    """"2025-07-01" -> "01/07/2025" (dates read dd/mm/yyyy everywhere)."""
    return "/".join(reversed(iso_date.split("-"))) if iso_date else ""


def _decision_text(decision):
    return f"{decision['number']} – {decision['title']}" if decision else ""


# (key, label, function turning the snapshot value into a list of lines)
COMPARED_FIELDS = [
    ("title", _("Tên thủ tục"), lambda v: [v]),
    ("code", _("Mã thủ tục"), lambda v: [v]),
    ("sector", _("Lĩnh vực"), lambda v: [v]),
    ("levels", _("Cấp thực hiện"), lambda v: [", ".join(v)]),
    ("procedure_type", _("Loại thủ tục"), lambda v: [v]),
    ("online_service", _("Mức độ dịch vụ công"), lambda v: [v]),
    ("steps", _("Trình tự thực hiện"),
     lambda v: [f"{s['title']}{' (' + s['time_allowance'] + ')' if s['time_allowance'] else ''}: {s['description']}" for s in v]),
    ("channels", _("Cách thức thực hiện, thời hạn, phí và lệ phí"), lambda v: [_channel_text(c) for c in v]),
    ("dossier", _("Thành phần hồ sơ"), lambda v: [_dossier_text(c) for c in v]),
    ("dossier_sets", _("Số lượng hồ sơ"), lambda v: [f"{v} bộ"]),
    ("applicants", _("Đối tượng thực hiện"), lambda v: v.splitlines() or [""]),
    ("agencies", _("Cơ quan thực hiện"), lambda v: [f"{a['role']}: {a['name']}" for a in v]),
    ("receiving_address", _("Địa chỉ tiếp nhận hồ sơ"), lambda v: v.splitlines() or [""]),
    ("result", _("Kết quả thực hiện"), lambda v: v.splitlines() or [""]),
    ("requirements", _("Yêu cầu, điều kiện thực hiện"), lambda v: v.splitlines() or [""]),
    ("related", _("Thủ tục liên quan"), lambda v: [r["title"] for r in v]),
    ("legal_bases", _("Căn cứ pháp lý"), lambda v: [_legal_text(b) for b in v]),
    ("decision", _("Quyết định công bố"), lambda v: [_decision_text(v)]),
    ("effective_date", _("Ngày có hiệu lực"), lambda v: [_dmy(v)]),
]


def _highlight(old, new):
    """Word-level diff of two lines as HTML with <del> and <ins>."""
    old_words, new_words = old.split(" "), new.split(" ")
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    old_html, new_html = [], []
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        old_part = escape(" ".join(old_words[a1:a2]))
        new_part = escape(" ".join(new_words[b1:b2]))
        if op == "equal":
            old_html.append(old_part)
            new_html.append(new_part)
        else:
            if old_part:
                old_html.append(f"<del>{old_part}</del>")
            if new_part:
                new_html.append(f"<ins>{new_part}</ins>")
    return mark_safe(" ".join(old_html)), mark_safe(" ".join(new_html))


def compare_snapshots(old, new):
    """Field-by-field differences, readable by a citizen.

    Returns a list of ``{"label", "changed", "rows"}``; each row is ``(status, old_html, new_html)``
    with status "same", "changed", "removed" or "added".
    """
    sections = []
    for key, label, lines_of in COMPARED_FIELDS:
        old_lines = [line for line in lines_of(old.get(key)) if line is not None] if old.get(key) is not None else []
        new_lines = [line for line in lines_of(new.get(key)) if line is not None] if new.get(key) is not None else []
        rows = []
        matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
        for op, a1, a2, b1, b2 in matcher.get_opcodes():
            if op == "equal":
                rows += [("same", escape(line), escape(line)) for line in old_lines[a1:a2]]
            elif op == "replace":
                pairs = list(zip(old_lines[a1:a2], new_lines[b1:b2]))
                rows += [("changed", *_highlight(o, n)) for o, n in pairs]
                rows += [("removed", mark_safe(f"<del>{escape(o)}</del>"), "") for o in old_lines[a1 + len(pairs):a2]]
                rows += [("added", "", mark_safe(f"<ins>{escape(n)}</ins>")) for n in new_lines[b1 + len(pairs):b2]]
            elif op == "delete":
                rows += [("removed", mark_safe(f"<del>{escape(o)}</del>"), "") for o in old_lines[a1:a2]]
            elif op == "insert":
                rows += [("added", "", mark_safe(f"<ins>{escape(n)}</ins>")) for n in new_lines[b1:b2]]
        rows = [row for row in rows if row[1] or row[2]]
        sections.append({"key": key, "label": label, "changed": any(r[0] != "same" for r in rows), "rows": rows})
    return sections


# --- rendering ------------------------------------------------------------------------------------

class SnapshotView:
    """A snapshot as the procedure template reads it: attribute access plus grouped helpers.

    The same template renders the current page (a snapshot built on the fly) and any published
    version (its stored snapshot), so a version URL shows exactly what was published.
    """

    def __init__(self, snapshot):
        self.data = snapshot

    def __getattr__(self, name):
        try:
            return self.data[name]
        except KeyError:
            raise AttributeError(name) from None

    @property
    def effective_date_value(self):
        return _parse_date(self.data.get("effective_date"))

    @property
    def decision_signed_date(self):
        return _parse_date((self.data.get("decision") or {}).get("signed_date"))

    @property
    def agencies_by_role(self):
        """[(role label, [names])] in the national standard's order of roles."""
        from cms.models import ProcedureAgency

        grouped = {}
        for agency in self.data["agencies"]:
            grouped.setdefault(agency["role"], []).append(agency["name"])
        order = {str(label): index for index, (_value, label) in enumerate(ProcedureAgency.Role.choices)}
        return sorted(grouped.items(), key=lambda item: order.get(item[0], len(order)))

    @property
    def dossier_groups(self):
        groups = []
        for component in self.data["dossier"]:
            form = component.get("form")
            if form:
                form = dict(form, url=reverse("wagtaildocs_serve", args=(form["document_id"], form["filename"])))
            component = dict(component, form=form)
            if groups and groups[-1][0] == component["case_label"]:
                groups[-1][1].append(component)
            else:
                groups.append((component["case_label"], [component]))
        return groups

    @property
    def related_view(self):
        """Related procedures, linked when they are still live and public."""
        from cms.models import ProcedurePage

        pages = ProcedurePage.objects.live().public().in_bulk([item["page_id"] for item in self.data["related"]])
        return [dict(item, url=pages[item["page_id"]].url if item["page_id"] in pages else None)
                for item in self.data["related"]]

    @property
    def legal_bases_view(self):
        return [dict(basis, issue_date_value=_parse_date(basis["issue_date"])) for basis in self.data["legal_bases"]]


def _parse_date(iso_date):
    return datetime.date.fromisoformat(iso_date) if iso_date else None
