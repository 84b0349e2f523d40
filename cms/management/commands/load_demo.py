"""``manage.py load_demo``: build the demo site and print the admin's credentials."""

import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from cms.demo.loader import DemoLoader, read_fixture


class Command(BaseCommand):
    help = "Tạo trang mẫu: cây trang, lĩnh vực, cơ quan, quyết định, biểu mẫu và thủ tục (chạy lại không tạo trùng)."

    def add_arguments(self, parser):
        parser.add_argument("--admin-username", default="admin")
        parser.add_argument(
            "--reset-passwords", action="store_true",
            help="Đặt mật khẩu mới (ngẫu nhiên) cho tài khoản quản trị mẫu và in ra.",
        )

    def handle(self, *args, **options):
        created = DemoLoader(read_fixture()).load()
        summary = ", ".join(f"{kind}: {count}" for kind, count in sorted(created.items()))
        self.stdout.write(self.style.SUCCESS(f"Dữ liệu mẫu đã sẵn sàng (mới tạo lần này – {summary})."))
        self.ensure_admin(options["admin_username"], options["reset_passwords"])

    def ensure_admin(self, username, reset):
        User = get_user_model()
        user = User.objects.filter(username=username).first()
        if user is not None and not reset:
            self.stdout.write(f"Tài khoản quản trị: {username} (đã có; dùng --reset-passwords để đặt mật khẩu mới)")
            return
        password = secrets.token_urlsafe(12)
        if user is None:
            User.objects.create_superuser(username=username, email=f"{username}@example.gov.vn", password=password)
        else:
            user.set_password(password)
            user.save(update_fields=["password"])
        self.stdout.write(self.style.WARNING(f"Tài khoản quản trị: {username}  mật khẩu: {password}"))
