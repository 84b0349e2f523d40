"""The set document written as JSON, CSV or XLSX (the import template's layout).

JSON is the lossless one and is deterministic: the same set gives the same bytes (fixed key
order, sorted lists, no timestamp). CSV is Part I of a decision's annex, a row per procedure,
for spreadsheets and other systems' lists. XLSX is the template, filled in.
"""

import csv
import datetime
import io
import json
import re
import zipfile

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from .. import choices
from ..formatting import dmy, vnd
from . import template

CONTENT_TYPES = {
    "json": "application/json; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def to_json(document):
    return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


CSV_HEADERS = (
    "Mã thủ tục",
    "Tên thủ tục",
    "Lĩnh vực",
    "Cấp thực hiện",
    "Thời hạn giải quyết",
    "Phí, lệ phí",
    "Cơ quan thực hiện",
    "Quyết định công bố",
    "Ngày có hiệu lực",
    "Loại thay đổi",
    "Đường dẫn",
)


def to_csv(document):
    """UTF-8 with a byte-order mark: Excel, which staff open it with, reads Vietnamese then."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_HEADERS)
    for item in document["procedures"]:
        writer.writerow(
            [
                item["code"],
                item["name"],
                item["sector"],
                "; ".join(item["levels"]),
                time_limit_summary(item["channels"]),
                fee_summary(item["channels"]),
                "; ".join(agency["name"] for agency in item["agencies"] if agency["role"] == "implementing"),
                item["decision"] or "",
                dmy(item["effective_date"]),
                _label(choices.ChangeType, item["change_type"]),
                item.get("url", ""),
            ]
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def time_limit_summary(channels):
    texts = []
    for channel in channels:
        text = channel["time_limit_text"] or (
            f"{channel['time_limit_days']} ngày làm việc" if channel["time_limit_days"] else ""
        )
        if text and text not in texts:
            texts.append(text)
    return "; ".join(texts)


def fee_summary(channels):
    parts = []
    for channel in channels:
        amounts = [
            f"{label}: {vnd(amount)}"
            for label, amount in (("Phí", channel["fee_amount"]), ("Lệ phí", channel["charge_amount"]))
            if amount is not None
        ]
        text = channel["fee_description"] or "; ".join(amounts)
        if text and text not in parts:
            parts.append(text)
    return " | ".join(parts)


def _label(choice_class, value):
    labels = {item.value: str(item.label) for item in choice_class}
    return labels.get(value, value or "")


def sheet_rows(document):
    """The template's rows for ``document``, sheet by sheet: {sheet key: [row dicts]}."""
    rows = {sheet.key: [] for sheet in template.SHEETS}
    for item in document["procedures"]:
        rows["procedures"].append(item)
        key = item["code"] or item["name"]  # children of a procedure without a code name it
        for step in item["steps"]:
            rows["steps"].append({**step, "code": key})
        for channel in item["channels"]:
            rows["channels"].append({**channel, "code": key})
        for component in item["dossier"]:
            form = component["form"] or {}
            rows["dossier"].append(
                {
                    **component,
                    "code": key,
                    "form_code": form.get("code", ""),
                    "form_legal_document": form.get("legal_document", ""),
                }
            )
        for agency in item["agencies"]:
            rows["agencies"].append({**agency, "code": key})
        for basis in item["legal_bases"]:
            rows["legal_bases"].append({**basis, "code": key})
    rows["legal_documents"] = document.get("legal_documents", [])
    rows["decisions"] = document.get("decisions", [])
    rows["forms"] = document.get("forms", [])
    return rows


def _cell_value(column, value):
    if value is None:
        return None
    if column.kind == "list":
        return "; ".join(value)
    if column.kind == "date":
        return datetime.date.fromisoformat(value) if value else None
    if column.kind == "choice" and column.field in template.CHOICE_FIELDS:
        return _label(template.CHOICE_FIELDS[column.field], value)
    return value


def to_xlsx(document=None):
    """The template filled with ``document`` (empty without one): the file staff fill in."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    rows = sheet_rows(document) if document else {}
    for sheet in template.SHEETS:
        worksheet = workbook.create_sheet(sheet.title)
        worksheet.append([column.header for column in sheet.columns])
        for cell, column in zip(worksheet[1], sheet.columns, strict=True):
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if column.help:
                cell.comment = Comment(column.help, "Mẫu nhập")
        for row in rows.get(sheet.key, []):
            worksheet.append([_cell_value(column, row.get(column.field)) for column in sheet.columns])
        for index, column in enumerate(sheet.columns, start=1):
            worksheet.column_dimensions[get_column_letter(index)].width = min(60, max(14, len(column.header) + 4))
            if column.kind == "date":
                for (cell,) in worksheet.iter_rows(min_row=2, min_col=index, max_col=index):
                    cell.number_format = "DD/MM/YYYY"
        worksheet.freeze_panes = "A2"
    _add_instructions(workbook)
    workbook.properties.creator = "Bộ thủ tục hành chính"
    # A fixed date: the same set gives the same workbook content.
    workbook.properties.created = workbook.properties.modified = datetime.datetime(2000, 1, 1)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _without_zip_times(buffer.getvalue())


def _without_zip_times(content):
    """The workbook's zip with every member dated 1980-01-01 and the workbook's "modified" fixed:
    both record when the file was written, so two exports a second apart would differ."""
    source, target = zipfile.ZipFile(io.BytesIO(content)), io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as packed:
        for member in source.infolist():
            info = zipfile.ZipInfo(member.filename, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            data = source.read(member.filename)
            if member.filename == "docProps/core.xml":  # openpyxl stamps "modified" when it saves
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2000-01-01T00:00:00Z", data)
            packed.writestr(info, data)
    return target.getvalue()


def _add_instructions(workbook):
    worksheet = workbook.create_sheet("Hướng dẫn", 0)
    worksheet.append(["Trang", "Cột", "Bắt buộc", "Ghi chú"])
    for cell in worksheet[1]:
        cell.font = Font(bold=True)
    for sheet in template.SHEETS:
        worksheet.append([sheet.title, "", "", sheet.help])
        for column in sheet.columns:
            worksheet.append(["", column.header, "có" if column.required else "", column.help])
    for letter, width in zip("ABCD", (18, 36, 10, 70), strict=True):
        worksheet.column_dimensions[letter].width = width
