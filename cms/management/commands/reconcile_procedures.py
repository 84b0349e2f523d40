"""``manage.py reconcile_procedures FILE [--report out.xlsx]``: another system's list against the
official set, printed in Vietnamese (cms.interchange.reconcile says what is compared and how).

Findings are the command's output, not a failure: it exits 0 whenever the file could be read, and
non-zero only when it could not (a broken or unrecognised file), so a scheduled run can tell "the
other system differs" from "the check did not happen".
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cms.formatting import dmy
from cms.interchange.reconcile import ReconciliationError, reconcile_file, report_xlsx
from cms.interchange.reconcile_report import summary_rows

MAX_FILE_SIZE = 50 * 1024 * 1024


class Command(BaseCommand):
    help = "Đối chiếu danh mục thủ tục của hệ thống khác (XLSX, CSV, JSON) với bộ thủ tục hiện hành."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Tệp danh mục của hệ thống khác (XLSX, CSV hoặc JSON).")
        parser.add_argument("--report", metavar="OUT.xlsx", help="Ghi thêm báo cáo đối chiếu ra tệp XLSX này.")

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            if path.stat().st_size > MAX_FILE_SIZE:
                raise CommandError(_("Tệp %(path)s quá lớn để đối chiếu.") % {"path": path})
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(
                _("Không mở được tệp %(path)s: %(error)s") % {"path": path, "error": error.strerror}
            ) from None
        try:
            result = reconcile_file(data, filename=path.name)
        except ReconciliationError as error:
            raise CommandError(
                _("Không đối chiếu được tệp %(path)s: %(error)s") % {"path": path, "error": error}
            ) from None
        self.print_report(result)
        if options["report"]:
            try:
                Path(options["report"]).write_bytes(report_xlsx(result))
            except OSError as error:
                raise CommandError(_("Không ghi được báo cáo: %(error)s") % {"error": error.strerror}) from None
            self.stdout.write(_("Đã ghi báo cáo XLSX: %(path)s") % {"path": options["report"]})

    def print_report(self, result):
        write = self.stdout.write
        for label, value in summary_rows(result):
            write(f"{label}: {dmy(value.isoformat()) if hasattr(value, 'isoformat') else value}")
        if result.missing_there:
            write("")
            write(_("Thiếu ở hệ thống kia (%(count)s):") % {"count": len(result.missing_there)})
            for item in result.missing_there:
                write(f"  - {_procedure(item.code, item.name)}")
        if result.not_in_force_there:
            write("")
            write(
                _("Có ở hệ thống kia, không có trong bộ thủ tục hiện hành (%(count)s):")
                % {"count": len(result.not_in_force_there)}
            )
            for item in result.not_in_force_there:
                why = item.detail or item.reason_label
                write(f"  - {_('dòng')} {item.line}: {_procedure(item.code, item.name)}: {why}")
        if result.differences:
            write("")
            write(_("Khác nhau (%(count)s):") % {"count": len(result.differences)})
            for item in result.differences:
                write(f"  - {_procedure(item.code, item.name)} [{_('dòng')} {item.line}] {item.label}:")
                write(f"      {_('Bộ thủ tục hiện hành')}: {item.official}")
                write(f"      {_('Hệ thống kia')}: {item.theirs}")
        if result.not_compared:
            write("")
            write(_("Không so sánh được (%(count)s):") % {"count": len(result.not_compared)})
            for item in result.not_compared:
                write(f"  - {_procedure(item.code, item.name)} {item.label}: {item.note} ({item.theirs})")
        if result.duplicates:
            write("")
            write(_("Thủ tục lặp lại trong tệp (%(count)s):") % {"count": len(result.duplicates)})
            for item in result.duplicates:
                lines = ", ".join(str(line) for line in item.lines)
                write(f"  - {item.code or item.names[0]}: {_('dòng')} {lines}")
        if not result.has_findings:
            write("")
            write(_("Không có khác biệt nào."))


def _procedure(code, name):
    return f"{code} {name}".strip()
