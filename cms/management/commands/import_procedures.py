"""``manage.py import_procedures FILE``: a decision's procedures into the workflow, all or nothing."""

import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from cms import choices
from cms.formatting import parse_typed_date
from cms.interchange.importer import ACTION_LABELS, IMPORT_PERMISSION, Options, plan_import, run_import
from cms.interchange.readers import UnreadableFile
from cms.models import AnnouncingDecision


class Command(BaseCommand):
    help = (
        "Nhập thủ tục hành chính từ tệp XLSX theo mẫu, tệp JSON xuất từ hệ thống hoặc danh sách thu thập. "
        "Mặc định: tạo bản sửa đổi và gửi duyệt cả lô; kiểm tra toàn bộ trước, có lỗi thì không ghi gì."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="Chỉ kiểm tra và in những gì sẽ thay đổi.")
        parser.add_argument(
            "--publish", action="store_true", help="Xuất bản ngay (nạp ban đầu cho hệ thống mới; vẫn kiểm tra đủ)."
        )
        parser.add_argument("--user", help="Tên đăng nhập của người nhập (người gửi duyệt).")
        parser.add_argument("--decision", default="", help="Số quyết định công bố cho các dòng không ghi.")
        parser.add_argument(
            "--effective-date", default="", help="Ngày có hiệu lực (dd/mm/yyyy) cho các dòng không ghi."
        )
        parser.add_argument(
            "--change-type", default="", choices=["", *choices.ChangeType.values], help="Loại thay đổi mặc định."
        )
        parser.add_argument("--change-note", default="", help="Nội dung thay đổi mặc định.")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp {path}.")
        user = self.user(options["user"], options["publish"])
        run = Options(
            publish=options["publish"],
            dry_run=options["dry_run"],
            user=user,
            decision=options["decision"].strip(),
            effective_date=self.iso_date(options["effective_date"]),
            change_type=options["change_type"],
            change_note=options["change_note"].strip(),
            source_name=path.name,
        )
        try:
            plan = plan_import(path.read_bytes(), run)
        except UnreadableFile as error:
            raise CommandError(str(error)) from None
        self.print_plan(plan)
        if plan.problems:
            self.print_problems(plan.problems)
            raise CommandError(f"Có {len(plan.problems)} lỗi; không có thay đổi nào được ghi.")
        if options["dry_run"]:
            self.stdout.write(self.style.WARNING("Chạy thử (--dry-run): không có thay đổi nào được ghi."))
            return
        batch = run_import(plan, progress=self.progress)
        if batch is None:
            self.print_problems(plan.problems)
            raise CommandError("Không thể xuất bản; không có thay đổi nào được ghi.")
        self.stderr.write("")
        self.stdout.write(
            self.style.SUCCESS(f"Đã nhập (lô số {batch.pk}, {batch.get_mode_display()}): {self.summary(plan)}.")
        )
        if AnnouncingDecision.objects.filter(number=run.decision, live=False).exists():
            self.stdout.write(self.style.WARNING(f"Quyết định {run.decision} chưa được phê duyệt công khai."))

    def user(self, username, publish):
        User = get_user_model()
        if username:
            user = User.objects.filter(username=username, is_active=True).first()
            if user is None:
                raise CommandError(f"Không có tài khoản {username}.")
        else:
            user = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
        if publish and (user is None or not user.has_perm(IMPORT_PERMISSION)):
            raise CommandError("--publish chỉ dành cho quản trị hệ thống (--user là tài khoản quản trị).")
        return user

    @staticmethod
    def iso_date(value):
        if not value:
            return ""
        day = parse_typed_date(value)
        if day is None:
            raise CommandError(f"Ngày “{value}” không đúng dạng dd/mm/yyyy.")
        return day.isoformat()

    def print_plan(self, plan):
        for change in plan.changes:
            line = f"  [{ACTION_LABELS[change.action]}] {change.code or '(chưa có mã)'} {change.name}"
            if change.fields:
                line += f" — thay đổi: {', '.join(change.fields)}"
            self.stdout.write(line)
            for _where, message in change.missing:
                self.stdout.write(f"      thiếu/chưa xác định: {message}")
        self.stdout.write(f"Tổng cộng: {self.summary(plan) or 'không có thủ tục nào'}.")

    def print_problems(self, problems):
        self.stderr.write(self.style.ERROR("Lỗi trong tệp:"))
        for where, message in problems:
            self.stderr.write(f"  - {where}: {message}" if where else f"  - {message}")

    @staticmethod
    def summary(plan):
        return ", ".join(f"{ACTION_LABELS[action]}: {count}" for action, count in plan.summary.items())

    def progress(self, done, total):
        if not sys.stderr.isatty() or total < 20:
            return
        width = 30
        filled = width * done // total
        sys.stderr.write(f"\r  [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        sys.stderr.flush()
