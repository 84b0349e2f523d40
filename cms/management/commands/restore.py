"""``manage.py restore FILE``: an installation made again from a backup, its search index rebuilt."""

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from cms.backups import BackupError, read_manifest, restore_backup
from cms.models import ProcedurePage


class Command(BaseCommand):
    help = (
        "Phục hồi cơ sở dữ liệu và tệp tải lên từ một bản sao lưu vào một cài đặt trống (sau migrate), "
        "rồi dựng lại chỉ mục tìm kiếm."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="Tệp sao lưu do manage.py backup tạo")
        parser.add_argument(
            "--replace-existing",
            action="store_true",
            help="Cho phép thay thế một cài đặt đã có dữ liệu (mọi dữ liệu hiện có sẽ mất).",
        )

    def handle(self, *args, **options):
        try:
            manifest = read_manifest(options["archive"])
        except BackupError as error:
            raise CommandError(str(error)) from None
        if not options["replace_existing"] and self._has_content():
            raise CommandError(
                "Cài đặt này đã có dữ liệu (tài khoản hoặc thủ tục). Phục hồi vào một cài đặt trống, hoặc dùng "
                "--replace-existing nếu chắc chắn muốn thay thế toàn bộ."
            )
        try:
            restore_backup(options["archive"])
        except BackupError as error:
            raise CommandError(str(error)) from None
        call_command("update_index", verbosity=0)
        counts = manifest.get("counts", {})
        self.stdout.write(
            f"Đã phục hồi bản sao lưu ngày {manifest['created_at'][:10]}: {counts.get('procedures', '?')} thủ tục, "
            f"{counts.get('versions', '?')} phiên bản, {counts.get('documents', '?')} tài liệu; đã dựng lại chỉ mục."
        )

    @staticmethod
    def _has_content():
        return get_user_model().objects.exists() or ProcedurePage.objects.exists()
