"""Reading another system's list of procedures for reconciliation: XLSX, CSV or JSON.

Other systems (the one-stop-shop software, a ministry's portal, the annex of a decision typed
into a spreadsheet) hold their own copy of the set, usually only Part I of an annex: code, name,
time limit, fee, level, agency (../shared/data/decision-annex.md). Their column headers vary
("Mã số TTHC", "Mã thủ tục", "code"), so headers are recognised by their folded Vietnamese
words, and the format is recognised by content, not by the file's name (a download often loses
its extension). Everything wrong with a file becomes one ``ReconciliationError`` with a
Vietnamese message for the person who uploaded it, never a traceback.
"""

import csv
import io
import json
import re
import zipfile
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from cms.choices import Channel
from search.vietnamese import code_from_query, fold

CODE, NAME, TIME_LIMIT, FEE, LEVELS, AGENCY, CHANNELS, ORDINAL = (
    "code",
    "name",
    "time_limit",
    "fee",
    "levels",
    "agency",
    "channels",
    "ordinal",
)
# Header words, folded and without punctuation or bracketed notes ("Phí, lệ phí (nếu có)" reads
# "phi le phi"). Within a field the first alias found wins (JSON "code" before "full_code").
HEADER_ALIASES = {
    CODE: [
        *("ma so tthc", "ma tthc", "ma thu tuc", "ma thu tuc hanh chinh", "ma so thu tuc", "ma so", "ma"),
        *("code", "procedure code", "full code"),
    ],
    NAME: ["ten thu tuc hanh chinh", "ten thu tuc", "ten tthc", "ten", "name", "title", "procedure name"],
    TIME_LIMIT: ["thoi han giai quyet", "thoi gian giai quyet", "thoi han", "time limit", "processing time"],
    FEE: ["phi le phi", "phi va le phi", "le phi", "phi", "fee", "fees", "fee charge"],
    LEVELS: ["cap thuc hien", "cap giai quyet", "cap", "level", "levels"],
    AGENCY: ["co quan thuc hien", "co quan giai quyet", "co quan", "agency", "agencies", "implementing agency"],
    CHANNELS: ["channels"],
    ORDINAL: ["stt", "so tt", "tt", "so thu tu"],
}
_ALIAS_FIELD = {alias: name for name, aliases in HEADER_ALIASES.items() for alias in aliases}
HEADER_SEARCH_ROWS = 30  # an annex's title and decision lines come before the table
MAX_ROWS = 20_000
MAX_ZIP_ENTRIES = 500
MAX_UNCOMPRESSED = 200 * 1024 * 1024
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_BRACKETED = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_NOT_WORD = re.compile(r"[^0-9a-z]+")
# "A. Thủ tục hành chính cấp tỉnh", "I. Lĩnh vực Bảo trợ xã hội": group headings inside the table.
_HEADING = re.compile(r"^((?:[a-z]|[ivxlc]+)[.)] *)?(linh vuc|thu tuc hanh chinh cap|tthc cap|danh muc|phan )")


class ReconciliationError(Exception):
    """A list that cannot be reconciled; the message says why, in Vietnamese."""


@dataclass
class TheirRow:
    """One procedure as the other list has it. ``values`` holds only what the list gives (a
    column that is missing or a cell that is empty is not compared)."""

    line: int
    code: str
    name: str
    values: dict = field(default_factory=dict)


@dataclass
class TheirList:
    file_format: str
    rows: list
    headings_skipped: int = 0


def _too_many():
    return ReconciliationError(
        _("Tệp có quá nhiều dòng (hơn %(count)s thủ tục).") % {"count": f"{MAX_ROWS:,}".replace(",", ".")}
    )


def normalise_header(text):
    return _NOT_WORD.sub(" ", fold(_BRACKETED.sub(" ", str(text or "")))).strip()


def header_field(text):
    return _ALIAS_FIELD.get(normalise_header(text))


def read_list(data):
    """``data`` (bytes) as a ``TheirList``; raises ``ReconciliationError``."""
    if not data or not data.strip():
        raise ReconciliationError(_("Tệp rỗng: không có thủ tục nào để đối chiếu."))
    if data.startswith(b"PK\x03\x04"):
        return _read_xlsx(data)
    if data.startswith(OLE_MAGIC):
        raise ReconciliationError(
            _("Tệp Excel 97–2003 (.xls) chưa được hỗ trợ: hãy mở tệp và lưu lại dưới dạng .xlsx, rồi tải lên lại.")
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ReconciliationError(
            _("Không đọc được tệp: tệp không phải bảng tính XLSX, JSON hay CSV mã UTF-8.")
        ) from None
    if "\x00" in text:
        raise ReconciliationError(_("Không đọc được tệp: tệp không phải bảng tính XLSX, JSON hay CSV mã UTF-8."))
    if text.lstrip()[:1] in ("[", "{"):
        return _read_json(text)
    return _read_csv(text)


# --- tables (XLSX, CSV) ---------------------------------------------------------------------------
def _cell_text(value, is_code=False):
    """A cell as text. A code typed into Excel becomes the number 1.0108: its six decimals are
    given back (1.010800), or it would never match."""
    if value is None:
        return ""
    if isinstance(value, float):
        if is_code and 1 <= value < 10:
            return f"{value:.6f}"
        if value.is_integer():
            return str(int(value))
    return str(value).strip()


def _locate_header(rows):
    """(index of the header row, {field: column}) for the first row naming both code and name;
    (None, the most columns any row named) when there is none."""
    best = {}
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        columns = {}
        for column, cell in enumerate(row):
            name = header_field(cell) if isinstance(cell, str) else None
            if name and name not in columns:
                columns[name] = column
        if CODE in columns and NAME in columns:
            return index, columns
        if len(columns) > len(best):
            best = columns
    return None, best


def _missing_columns_message(found):
    missing = []
    if CODE not in found:
        missing.append(_("cột mã thủ tục (ví dụ “Mã số TTHC”, “Mã thủ tục” hoặc “code”)"))
    if NAME not in found:
        missing.append(_("cột tên thủ tục (ví dụ “Tên thủ tục hành chính”, “Tên thủ tục” hoặc “name”)"))
    return _("Không tìm thấy %(columns)s ở dòng tiêu đề của tệp. Tệp cần ít nhất mã và tên thủ tục.") % {
        "columns": _(" và ").join(missing)
    }


def _rows_from_table(rows, header_index, columns, file_format):
    result, headings = [], 0
    for index in range(header_index + 1, len(rows)):
        row = rows[index]

        def cell(name, row=row):
            column = columns.get(name)
            return row[column] if column is not None and column < len(row) else None

        raw_code = _cell_text(cell(CODE), is_code=True)
        name = _cell_text(cell(NAME))
        values = {
            key: text for key in (TIME_LIMIT, FEE, LEVELS, AGENCY) if key in columns and (text := _cell_text(cell(key)))
        }
        if not raw_code and not name:
            continue
        if not raw_code and not values and _is_heading(_cell_text(cell(ORDINAL)), name):
            headings += 1
            continue
        result.append(TheirRow(line=index + 1, code=code_from_query(raw_code) or raw_code, name=name, values=values))
    return _checked(TheirList(file_format=file_format, rows=result, headings_skipped=headings))


def _checked(their_list):
    if not their_list.rows:
        raise ReconciliationError(_("Tệp không có thủ tục nào dưới dòng tiêu đề."))
    return their_list


def _is_heading(ordinal, name):
    """A group heading of an annex ("I. Lĩnh vực Người có công"), not a procedure without a code."""
    ordinal = fold(ordinal).strip(" .")
    return bool(ordinal and not ordinal.isdigit()) or bool(_HEADING.match(fold(name)))


def _read_csv(text):
    lines = text.splitlines()
    if len(lines) > MAX_ROWS + HEADER_SEARCH_ROWS:
        raise _too_many()
    best = {}
    for delimiter in (";", ",", "\t"):
        try:
            rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
        except csv.Error as error:
            raise ReconciliationError(_("Tệp CSV bị hỏng: %(error)s") % {"error": error}) from None
        header_index, columns = _locate_header(rows)
        if header_index is not None:
            return _rows_from_table(rows, header_index, columns, "CSV")
        best = columns if len(columns) > len(best) else best
    raise ReconciliationError(_missing_columns_message(best))


def _read_xlsx(data):
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = archive.namelist()
        entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ReconciliationError(_("Tệp XLSX bị hỏng hoặc không đọc được.")) from None
    if "[Content_Types].xml" not in names or not any(name.startswith("xl/") for name in names):
        raise ReconciliationError(_("Tệp nén này không phải bảng tính XLSX."))
    if len(entries) > MAX_ZIP_ENTRIES or sum(entry.file_size for entry in entries) > MAX_UNCOMPRESSED:
        raise ReconciliationError(_("Tệp XLSX quá lớn sau khi giải nén."))
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of errors on a damaged file; the user needs one
        raise ReconciliationError(_("Tệp XLSX bị hỏng hoặc không đọc được.")) from None
    try:
        sheets = [workbook.active] + [sheet for sheet in workbook.worksheets if sheet is not workbook.active]
        best = {}
        for sheet in sheets:
            rows = []
            for row in sheet.iter_rows(values_only=True):
                rows.append(list(row))
                if len(rows) > MAX_ROWS + HEADER_SEARCH_ROWS:
                    raise _too_many()
            header_index, columns = _locate_header(rows)
            if header_index is not None:
                return _rows_from_table(rows, header_index, columns, "XLSX")
            best = columns if len(columns) > len(best) else best
        raise ReconciliationError(_missing_columns_message(best))
    finally:
        workbook.close()


# --- JSON ---------------------------------------------------------------------------------------
def _read_json(text):
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        where = {"line": error.lineno, "column": error.colno}
        raise ReconciliationError(_("Tệp JSON không hợp lệ (dòng %(line)s, cột %(column)s).") % where) from None
    except RecursionError:  # "[[[[…": nested deeper than any list of procedures
        raise ReconciliationError(_("Tệp JSON không hợp lệ.")) from None
    if isinstance(data, dict):
        items = next((data[key] for key in ("procedures", "results", "items") if isinstance(data.get(key), list)), None)
        if items is None:
            raise ReconciliationError(
                _("Tệp JSON cần là một danh sách thủ tục, hoặc một đối tượng có khóa “procedures” chứa danh sách đó.")
            )
    else:
        items = data
    if not items:
        raise ReconciliationError(_("Tệp không có thủ tục nào."))
    if len(items) > MAX_ROWS:
        raise _too_many()
    found, rows = set(), []
    for position, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            raise ReconciliationError(
                _("Mục thứ %(number)s của tệp JSON không phải một thủ tục.") % {"number": position}
            )
        keys = _json_keys(item)
        found |= keys.keys()
        raw_code = _cell_text(item.get(keys.get(CODE)), is_code=True) if CODE in keys else ""
        name = _cell_text(item.get(keys[NAME])) if NAME in keys else ""
        if not raw_code and not name:
            continue
        values = {}
        for key in (TIME_LIMIT, FEE, LEVELS, AGENCY, CHANNELS):
            if key in keys and (value := _json_value(key, item[keys[key]])):
                values[key] = value
        rows.append(TheirRow(line=position, code=code_from_query(raw_code) or raw_code, name=name, values=values))
    if CODE not in found or NAME not in found:
        raise ReconciliationError(_missing_columns_message(found))
    return _checked(TheirList(file_format="JSON", rows=rows))


def _json_keys(item):
    """{field: key of ``item``}, the first alias of each field that the object has."""
    by_field = {}
    normalised = {normalise_header(key): key for key in item}
    for name, aliases in HEADER_ALIASES.items():
        for alias in aliases:
            if alias in normalised:
                by_field[name] = normalised[alias]
                break
    return by_field


def _json_value(key, value):
    """Text as text; the project's own structured values (lists of levels, agencies, channels)
    as lists, so that they are compared as structures rather than re-parsed from text."""
    if key == CHANNELS:
        return (
            [_json_channel(channel) for channel in value if isinstance(channel, dict)]
            if isinstance(value, list)
            else []
        )
    if isinstance(value, list):
        names = [item.get("name", "") if isinstance(item, dict) else item for item in value]
        return [_cell_text(name) for name in names if _cell_text(name)]
    return _cell_text(value) if isinstance(value, (str, int, float)) else ""


def _json_int(value):
    if isinstance(value, bool):
        return None
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _json_channel(channel):
    return {
        # The export writes "in_person", the API and snapshots "Trực tiếp": shown as the latter.
        "channel": str(dict(Channel.choices).get(channel.get("channel"), _cell_text(channel.get("channel")))),
        "time_limit_days": _json_int(channel.get("time_limit_days")),
        "time_limit_text": _cell_text(channel.get("time_limit_text")),
        "fee_amount": _json_int(channel.get("fee_amount")),
        "charge_amount": _json_int(channel.get("charge_amount")),
        "fee_description": _cell_text(channel.get("fee_description")),
    }
