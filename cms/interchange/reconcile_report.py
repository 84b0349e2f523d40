"""The reconciliation report as an XLSX workbook, for the staff who take it up with the other
system's owner: a summary, then one sheet per kind of finding, in Vietnamese.

Texts come from the other system's file: a cell beginning with "=" must stay text, never become
a formula the spreadsheet would run when the report is opened.
"""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

SHEET_SUMMARY = "Tóm tắt"
SHEET_MISSING = "Thiếu ở hệ thống kia"
SHEET_NOT_IN_FORCE = "Không còn hiệu lực"
SHEET_DIFFERENCES = "Khác nhau"
SHEET_NAMES = (SHEET_SUMMARY, SHEET_MISSING, SHEET_NOT_IN_FORCE, SHEET_DIFFERENCES)
DATE_FORMAT = "dd/mm/yyyy"


def summary_rows(result):
    """(label, value) pairs of the summary, shared by the workbook, the page and the terminal."""
    return [
        (_("Tệp đối chiếu"), result.filename or _("(không tên)")),
        (_("Định dạng"), result.file_format),
        (_("Ngày đối chiếu"), result.made_on),
        (_("Số thủ tục trong bộ thủ tục hiện hành"), result.official_count),
        (_("Số thủ tục đọc được trong tệp"), result.rows_read),
        (_("Số thủ tục có ở cả hai nơi"), result.matched),
        (_("Thiếu ở hệ thống kia"), len(result.missing_there)),
        (_("Có ở hệ thống kia, không có trong bộ thủ tục hiện hành"), len(result.not_in_force_there)),
        (_("Nội dung khác nhau"), len(result.differences)),
        (_("Nội dung không so sánh được"), len(result.not_compared)),
        (_("Thủ tục lặp lại trong tệp (trùng mã hoặc trùng tên)"), len(result.duplicates)),
    ]


def report_xlsx(result):
    """The report as the bytes of an XLSX file (sheets named in ``SHEET_NAMES``)."""
    workbook = Workbook()
    summary = workbook.active
    summary.title = SHEET_SUMMARY
    _table(summary, [_("Nội dung"), _("Kết quả")], summary_rows(result), widths=[58, 40])
    if result.duplicates:
        start = summary.max_row + 2
        summary.cell(row=start, column=1, value=_("Thủ tục lặp lại trong tệp (trùng mã hoặc trùng tên)")).font = Font(
            bold=True
        )
        for offset, duplicate in enumerate(result.duplicates, start=1):
            lines = ", ".join(str(line) for line in duplicate.lines)
            _put(summary, start + offset, 1, duplicate.code)
            _put(
                summary,
                start + offset,
                2,
                _("dòng %(lines)s: %(names)s") % {"lines": lines, "names": " | ".join(duplicate.names)},
            )

    _table(
        workbook.create_sheet(SHEET_MISSING),
        [_("STT"), _("Mã thủ tục"), _("Tên thủ tục"), _("Lĩnh vực"), _("Cấp thực hiện")],
        [(n, item.code, item.name, item.sector, item.levels) for n, item in enumerate(result.missing_there, 1)],
        widths=[6, 12, 70, 28, 28],
    )
    _table(
        workbook.create_sheet(SHEET_NOT_IN_FORCE),
        [_("STT"), _("Dòng trong tệp"), _("Mã thủ tục"), _("Tên thủ tục (theo tệp)"), _("Lý do"), _("Chi tiết")],
        [
            (n, item.line, item.code, item.name, item.reason_label, item.detail)
            for n, item in enumerate(result.not_in_force_there, 1)
        ],
        widths=[6, 10, 12, 70, 32, 60],
    )
    issues = [(item, "") for item in result.differences] + [
        (item, _("Không so sánh được: %(why)s") % {"why": item.note}) for item in result.not_compared
    ]
    _table(
        workbook.create_sheet(SHEET_DIFFERENCES),
        [
            _("STT"),
            _("Dòng trong tệp"),
            _("Mã thủ tục"),
            _("Tên thủ tục"),
            _("Nội dung"),
            _("Bộ thủ tục hiện hành"),
            _("Hệ thống kia"),
            _("Ghi chú"),
        ],
        [
            (n, item.line, item.code, item.name, item.label, item.official, item.theirs, note)
            for n, (item, note) in enumerate(issues, 1)
        ],
        widths=[6, 10, 12, 50, 20, 50, 50, 40],
    )
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _table(sheet, header, rows, widths):
    """A bold, frozen header row, then ``rows``; long texts wrap within the given widths."""
    for column, title in enumerate(header, 1):
        cell = _put(sheet, 1, column, title)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(vertical="center", wrap_text=True)
        sheet.column_dimensions[get_column_letter(column)].width = widths[column - 1]
    for row_number, row in enumerate(rows, 2):
        for column, value in enumerate(row, 1):
            cell = _put(sheet, row_number, column, value)
            cell.alignment = Alignment(vertical="top", wrap_text=isinstance(value, str))
    sheet.freeze_panes = "A2"


def _put(sheet, row, column, value):
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)  # control characters a CSV may carry
    cell = sheet.cell(row=row, column=column, value=value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # their text, never a formula
    elif hasattr(value, "isoformat"):
        cell.number_format = DATE_FORMAT
    return cell
