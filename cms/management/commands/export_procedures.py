"""``manage.py export_procedures``: the current official set as JSON, CSV or XLSX."""

import sys

from django.core.management.base import BaseCommand

from cms.interchange import writers
from cms.interchange.records import official_set_document


class Command(BaseCommand):
    help = "Xuất bộ thủ tục hành chính đang có hiệu lực (JSON, CSV hoặc XLSX theo mẫu nhập)."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["json", "csv", "xlsx"], default="json")
        parser.add_argument("--output", "-o", help="Tệp ghi ra (mặc định: màn hình; XLSX cần --output).")
        parser.add_argument(
            "--with-files", action="store_true", help="JSON: kèm nội dung tệp biểu mẫu (để nạp vào hệ thống mới)."
        )
        parser.add_argument("--template", action="store_true", help="Chỉ xuất mẫu nhập XLSX trống.")

    def handle(self, *args, **options):
        if options["template"]:
            content = writers.to_xlsx()
        else:
            document = official_set_document(with_files=options["with_files"])
            content = {"json": writers.to_json, "csv": writers.to_csv, "xlsx": writers.to_xlsx}[options["format"]](
                document
            )
        if options["output"]:
            with open(options["output"], "wb") as handle:
                handle.write(content)
            self.stderr.write(f"Đã ghi {len(content):,} byte vào {options['output']}.".replace(",", "."))
        else:
            sys.stdout.buffer.write(content)
            sys.stdout.flush()
