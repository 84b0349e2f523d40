"""Reading an import file into a set document (the shape of ``records``), recognised by content.

Three formats: the XLSX template (``template``), the project's own JSON export, and the
gathered-records format of public portals (``gathered``). Every value read keeps where it came
from (``_at``: sheet, row and column, or the path in the JSON), so that each problem found later
names its place in the file.
"""

import datetime
import io
import json
import re
import zipfile
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from openpyxl import load_workbook

from search.vietnamese import fold

from .. import choices
from . import template
from .gathered import read_gathered
from .records import FORMAT
from .resolve import name_key

MAX_ROWS = 100_000


class UnreadableFile(Exception):
    """The file is not one of the formats, or cannot be opened: nothing else can be said."""


@dataclass
class ReadResult:
    kind: str  # "xlsx", "json" or "gathered"
    document: dict
    problems: list = field(default_factory=list)  # (where, message)


def read_import_file(content):
    """``content`` (bytes) as a set document, or ``UnreadableFile`` with the reason in Vietnamese."""
    if not content:
        raise UnreadableFile(_("Tệp trống."))
    if content[:2] == b"PK":
        return read_xlsx(content)
    try:
        data = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        raise UnreadableFile(
            _("Không nhận ra định dạng tệp: cần tệp Excel (.xlsx) theo mẫu, hoặc tệp JSON xuất từ hệ thống.")
        ) from None
    if isinstance(data, dict) and data.get("format") == FORMAT:
        return read_export(data)
    if isinstance(data, list) and data and all(isinstance(item, dict) and "name" in item for item in data):
        return ReadResult("gathered", *read_gathered(data))
    raise UnreadableFile(_("Tệp JSON không phải bản xuất của hệ thống cũng không phải danh sách thủ tục thu thập."))


# --- JSON export -------------------------------------------------------------------------------


def read_export(data):
    """The project's own export: already the document; every record gets its path as place."""
    document = {
        key: data.get(key) or [] for key in ("sectors", "levels", "agencies", "legal_documents", "decisions", "forms")
    }
    document["procedures"] = []
    for index, item in enumerate(data.get("procedures") or []):
        if not isinstance(item, dict):
            continue
        label = _("Thủ tục thứ %(number)d (%(code)s)") % {"number": index + 1, "code": item.get("code") or "–"}
        record = dict(item, _at={"": label})
        for relation in ("steps", "channels", "dossier", "agencies", "legal_bases"):
            record[relation] = [
                dict(child, _at={"": f"{label}, {relation}[{position + 1}]"})
                for position, child in enumerate(item.get(relation) or [])
                if isinstance(child, dict)
            ]
        document["procedures"].append(record)
    return ReadResult("json", document)


# --- XLSX template -----------------------------------------------------------------------------


def read_xlsx(content):
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise UnreadableFile(_("Không mở được tệp Excel; hãy lưu lại dưới dạng .xlsx theo mẫu.")) from None
    sheets = {name_key(name): workbook[name] for name in workbook.sheetnames}
    if name_key(template.PROCEDURES.title) not in sheets:
        raise UnreadableFile(
            _("Tệp Excel không có trang “%(sheet)s” của mẫu nhập.") % {"sheet": template.PROCEDURES.title}
        )
    reader = SheetReader()
    rows = {sheet.key: reader.rows(sheet, sheets.get(name_key(sheet.title))) for sheet in template.SHEETS}
    workbook.close()
    document = assemble(rows, reader.problems)
    return ReadResult("xlsx", document, reader.problems)


class SheetReader:
    def __init__(self):
        self.problems = []

    def place(self, sheet, row, column=None):
        if column is None:
            return _("Trang “%(sheet)s”, dòng %(row)d") % {"sheet": sheet.title, "row": row}
        return _("Trang “%(sheet)s”, dòng %(row)d, cột “%(column)s”") % {
            "sheet": sheet.title,
            "row": row,
            "column": column.header,
        }

    def rows(self, sheet, worksheet):
        if worksheet is None:
            return []
        lines = worksheet.iter_rows(values_only=True)
        headers = next(lines, None) or ()
        positions = {}
        for position, header in enumerate(headers):
            for column in sheet.columns:
                if name_key(header) == name_key(column.header):
                    positions[column.field] = position
        missing = [column.header for column in sheet.columns if column.required and column.field not in positions]
        if missing:
            for header in missing:
                self.problems.append(
                    (
                        _("Trang “%(sheet)s”, dòng 1") % {"sheet": sheet.title},
                        _("Thiếu cột “%(column)s”.") % {"column": header},
                    )
                )
            return []
        records = []
        for number, values in enumerate(lines, start=2):
            if number > MAX_ROWS:
                self.problems.append((self.place(sheet, number), _("Quá nhiều dòng.")))
                break
            if all(value in (None, "") for value in values):
                continue
            record = {"_at": {"": self.place(sheet, number)}}
            for column in sheet.columns:
                position = positions.get(column.field)
                raw = values[position] if position is not None and position < len(values) else None
                where = self.place(sheet, number, column)
                record["_at"][column.field] = where
                record[column.field] = self.convert(column, raw, where)
            records.append(record)
        return records

    def convert(self, column, raw, where):
        if isinstance(raw, str):
            raw = raw.strip()
        if raw in (None, ""):
            if column.required:
                self.problems.append((where, _("Không được để trống.")))
            return [] if column.kind == "list" else (None if column.kind in ("int", "money", "date") else "")
        converter = getattr(self, f"convert_{column.kind}", None)
        try:
            return converter(column, raw) if converter else _text(raw)
        except ValueError as error:
            self.problems.append((where, str(error)))
            return None

    @staticmethod
    def convert_list(column, raw):
        return [part.strip() for part in re.split(r"[;\n]", _text(raw)) if part.strip()]

    @staticmethod
    def convert_int(column, raw):
        number = _number(raw)
        if number is None or number != int(number):
            raise ValueError(_("“%(value)s” không phải số nguyên.") % {"value": raw})
        if number < 0:
            raise ValueError(_("Không được là số âm."))
        return int(number)

    @staticmethod
    def convert_money(column, raw):
        if isinstance(raw, str) and fold(raw).strip(" .") in ("khong", "mien", "mien phi", "0"):
            return 0
        number = _number(
            raw.replace(".", "").replace("đồng", "").replace("VNĐ", "").strip() if isinstance(raw, str) else raw
        )
        if number is None or number != int(number):
            raise ValueError(_("“%(value)s” không phải số tiền (đồng).") % {"value": raw})
        if number < 0:
            raise ValueError(_("Số tiền không được là số âm."))
        return int(number)

    @staticmethod
    def convert_date(column, raw):
        if isinstance(raw, datetime.datetime):
            return raw.date().isoformat()
        if isinstance(raw, datetime.date):
            return raw.isoformat()
        for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
            try:
                return datetime.datetime.strptime(_text(raw), pattern).date().isoformat()
            except ValueError:
                continue
        raise ValueError(_("“%(value)s” không phải ngày (dd/mm/yyyy).") % {"value": raw})

    @staticmethod
    def convert_choice(column, raw):
        choice_class = template.CHOICE_FIELDS[column.field]
        wanted = name_key(raw)
        for item in choice_class:
            if wanted in (name_key(item.label), name_key(item.value)):
                return item.value
        for item in choice_class:  # "Cơ quan phối hợp" written "Phối hợp"
            if name_key(item.label).endswith(wanted):
                return item.value
        allowed = "; ".join(str(item.label) for item in choice_class)
        raise ValueError(_("“%(value)s” không thuộc các giá trị: %(allowed)s.") % {"value": raw, "allowed": allowed})


def _text(raw):
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    return str(raw).strip()


def _number(raw):
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int | float):
        return raw
    try:
        return float(str(raw).replace(",", ".").strip())
    except ValueError:
        return None


def assemble(rows, problems):
    """The sheets' rows as procedures with their children, in the rows' order."""
    procedures, by_code = [], {}
    for row in rows["procedures"]:
        code = row["code"]
        key = code or name_key(row["name"])
        if key in by_code:
            problems.append(
                (
                    row["_at"]["code"],
                    _("Mã %(code)s đã có ở %(first)s.") % {"code": code, "first": by_code[key]["_at"][""]},
                )
            )
            continue
        record = dict(row)
        record.update({"steps": [], "channels": [], "dossier": [], "agencies": [], "legal_bases": []})
        record["procedure_type"] = record["procedure_type"] or choices.ProcedureType.NOT_DETAILED
        record["online_service"] = record["online_service"] or choices.OnlineService.NONE
        record["dossier_sets"] = 1 if record["dossier_sets"] is None else record["dossier_sets"]
        record["replaced_by"] = record["replaced_by"] or None
        record["decision"] = record["decision"] or None
        record["effective_date"] = record["effective_date"] or None
        by_code[key] = record
        procedures.append(record)
    for sheet in template.CHILD_SHEETS:
        for row in rows[sheet.key]:
            owner = by_code.get(row["code"]) or by_code.get(name_key(row["code"]))
            if owner is None:
                if row["code"]:
                    problems.append(
                        (
                            row["_at"]["code"],
                            _("Mã %(code)s không có ở trang “%(sheet)s”.")
                            % {"code": row["code"], "sheet": template.PROCEDURES.title},
                        )
                    )
                continue
            child = {key: value for key, value in row.items() if key != "code"}
            if sheet.key == "dossier":
                form_code = child.pop("form_code")
                legal = child.pop("form_legal_document")
                child["form"] = {"code": form_code, "legal_document": legal} if form_code else None
                child["originals"] = child["originals"] or 0
                child["copies"] = child["copies"] or 0
            if sheet.key == "agencies":
                child["role"] = child["role"] or choices.AgencyRole.IMPLEMENTING
            owner[sheet.key].append(child)
    return {
        "sectors": [],
        "levels": [],
        "agencies": [],
        "legal_documents": rows["legal_documents"],
        "decisions": rows["decisions"],
        "forms": [],  # forms come from the system: the sheet is what an export lists
        "procedures": procedures,
    }
