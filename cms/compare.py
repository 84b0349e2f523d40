"""Field-by-field comparison of two published snapshots, readable by a citizen (a pure module).

Each field becomes a list of lines; lines are matched with difflib, and a changed line is
diffed word by word into ``<del>``/``<ins>``.
"""

import difflib

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .formatting import dmy, vnd
from .procedure_summary import channel_time_limit


def _channel_text(channel):
    parts = [channel["channel"]]
    if time_limit := channel_time_limit(channel):  # the days once, even when the text repeats them
        parts.append(time_limit)
    for key, label in (("fee_amount", _("Phí")), ("charge_amount", _("Lệ phí"))):
        if channel[key] is not None:
            parts.append(f"{label}: {vnd(channel[key])}")
    if channel["fee_description"]:
        parts.append(channel["fee_description"])
    if channel["notes"]:
        parts.append(channel["notes"])
    return " · ".join(parts)


def _dossier_text(component):
    text = f"{component['case_label'] + ': ' if component['case_label'] else ''}{component['name']}"
    text += " (" + _("bản chính: %(originals)s, bản sao: %(copies)s") % component + ")"
    if component["form"]:
        form = component["form"]
        text += f" – {form['code']}: {form['title']} [{form['filename']}]"
    return text


def _step_text(step):
    allowance = f" ({step['time_allowance']})" if step["time_allowance"] else ""
    return f"{step['title']}{allowance}: {step['description']}"


def _legal_text(basis):
    text = basis["document"] + (f" ({basis['provision']})" if basis["provision"] else "")
    return text + (f" – {basis['title']}" if basis["title"] else "")


def _decision_text(decision):
    return f"{decision['number']} – {decision['title']}" if decision else ""


def _lines(value):
    return value.splitlines() or [""]


# (key, label, function turning the snapshot value into a list of lines), in the page's order.
COMPARED_FIELDS = [
    ("title", gettext_lazy("Tên thủ tục"), lambda v: [v]),
    ("code", gettext_lazy("Mã thủ tục"), lambda v: [v]),
    ("sector", gettext_lazy("Lĩnh vực"), lambda v: [v]),
    ("levels", gettext_lazy("Cấp thực hiện"), lambda v: [", ".join(v)]),
    ("procedure_type", gettext_lazy("Loại thủ tục"), lambda v: [v]),
    ("online_service", gettext_lazy("Mức độ dịch vụ công"), lambda v: [v]),
    ("steps", gettext_lazy("Trình tự thực hiện"), lambda v: [_step_text(s) for s in v]),
    ("channels", gettext_lazy("Cách thức thực hiện, thời hạn, phí và lệ phí"), lambda v: [_channel_text(c) for c in v]),
    ("dossier", gettext_lazy("Thành phần hồ sơ"), lambda v: [_dossier_text(c) for c in v]),
    ("dossier_sets", gettext_lazy("Số lượng hồ sơ"), lambda v: [_("%(count)s bộ") % {"count": v}]),
    ("applicants", gettext_lazy("Đối tượng thực hiện"), _lines),
    ("agencies", gettext_lazy("Cơ quan thực hiện"), lambda v: [f"{a['role']}: {a['name']}" for a in v]),
    ("receiving_address", gettext_lazy("Địa chỉ tiếp nhận hồ sơ"), _lines),
    ("online_submission_url", gettext_lazy("Nộp hồ sơ trực tuyến"), lambda v: [v] if v else []),
    ("result", gettext_lazy("Kết quả thực hiện"), _lines),
    ("requirements", gettext_lazy("Yêu cầu, điều kiện thực hiện"), _lines),
    ("related", gettext_lazy("Thủ tục liên quan"), lambda v: [r["title"] for r in v]),
    ("legal_bases", gettext_lazy("Căn cứ pháp lý"), lambda v: [_legal_text(b) for b in v]),
    ("decision", gettext_lazy("Quyết định công bố"), lambda v: [_decision_text(v)]),
    ("effective_date", gettext_lazy("Ngày có hiệu lực"), lambda v: [dmy(v)]),
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


def _removed(line):
    return ("removed", mark_safe(f"<del>{escape(line)}</del>"), "")


def _added(line):
    return ("added", "", mark_safe(f"<ins>{escape(line)}</ins>"))


def _field_lines(snapshot, key, lines_of):
    value = snapshot.get(key)
    return [line for line in lines_of(value) if line is not None] if value is not None else []


def compare_snapshots(old, new):
    """Field-by-field differences between two snapshots.

    Returns a list of ``{"key", "label", "changed", "rows"}``; each row is
    ``(status, old_html, new_html)`` with status "same", "changed", "removed" or "added".
    """
    sections = []
    for key, label, lines_of in COMPARED_FIELDS:
        old_lines, new_lines = _field_lines(old, key, lines_of), _field_lines(new, key, lines_of)
        rows = []
        matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
        for op, a1, a2, b1, b2 in matcher.get_opcodes():
            if op == "equal":
                rows += [("same", escape(line), escape(line)) for line in old_lines[a1:a2]]
            elif op == "replace":
                pairs = list(zip(old_lines[a1:a2], new_lines[b1:b2], strict=False))
                rows += [("changed", *_highlight(o, n)) for o, n in pairs]
                rows += [_removed(o) for o in old_lines[a1 + len(pairs) : a2]]
                rows += [_added(n) for n in new_lines[b1 + len(pairs) : b2]]
            elif op == "delete":
                rows += [_removed(o) for o in old_lines[a1:a2]]
            elif op == "insert":
                rows += [_added(n) for n in new_lines[b1:b2]]
        rows = [row for row in rows if row[1] or row[2]]
        sections.append({"key": key, "label": label, "changed": any(r[0] != "same" for r in rows), "rows": rows})
    return sections
