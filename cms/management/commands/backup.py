"""``manage.py backup [--output FILE]``: the database and the uploaded files in one archive."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import Revision

from cms.backups import BackupError, create_backup
from cms.models import ProcedurePage, ProcedureVersion


class Command(BaseCommand):
    help = "Sao lưu cơ sở dữ liệu và tệp tải lên (biểu mẫu, quyết định) vào một tệp .tar.gz."

    def add_arguments(self, parser):
        parser.add_argument("--output", help="Tệp sao lưu (mặc định: backup-YYYYMMDD-HHMMSS.tar.gz)")

    def handle(self, *args, **options):
        output = Path(options["output"] or timezone.localtime().strftime("backup-%Y%m%d-%H%M%S.tar.gz"))
        counts = {
            "procedures": ProcedurePage.objects.count(),
            "versions": ProcedureVersion.objects.count(),
            "revisions": Revision.objects.count(),
            "documents": get_document_model().objects.count(),
        }
        try:
            create_backup(output, counts)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Đã sao lưu vào {output} ({output.stat().st_size:,} byte): {counts['procedures']} thủ tục, "
            f"{counts['versions']} phiên bản, {counts['revisions']} bản sửa đổi, {counts['documents']} tài liệu."
        )
