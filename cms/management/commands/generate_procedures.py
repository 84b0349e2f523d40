"""``manage.py generate_procedures --count N``: N realistic procedures for real-size benchmarks."""

import sys
import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from cms.demo.generator import GenerationRefused, generate


class Command(BaseCommand):
    help = (
        "Tạo N thủ tục giả lập từ các thủ tục mẫu (mã 8.xxxxxx, tên khác nhau) và xuất bản qua đường nạp ban đầu, "
        "để đo hiệu năng ở quy mô thật. Chỉ dùng trên hệ thống thử nghiệm."
    )

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, required=True)
        parser.add_argument(
            "--user", help="Tên đăng nhập của quản trị viên xuất bản (mặc định: quản trị viên đầu tiên)."
        )

    def handle(self, *args, count, user, **options):
        if count < 1:
            raise CommandError("--count phải lớn hơn 0.")
        publisher = self.publisher(user)
        start = time.perf_counter()
        try:
            batch = generate(count, publisher, progress=self.progress)
        except GenerationRefused as refusal:
            raise CommandError(f"Không tạo được: {refusal}") from None
        elapsed = time.perf_counter() - start
        self.stderr.write("")
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã tạo và xuất bản {batch.summary.get('new', 0)} thủ tục (lô số {batch.pk}) trong {elapsed:.1f} giây."
            )
        )

    def publisher(self, username):
        User = get_user_model()
        users = User.objects.filter(is_active=True, is_superuser=True)
        found = users.filter(username=username).first() if username else users.order_by("pk").first()
        if found is None:
            raise CommandError("Cần một tài khoản quản trị (superuser) đang hoạt động; chỉ định bằng --user.")
        return found

    def progress(self, done, total):
        if sys.stderr.isatty() or done == total or done % 1000 == 0:
            self.stderr.write(f"\r{done}/{total}", ending="")
