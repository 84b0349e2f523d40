"""``manage.py load_demo``: build the demo site, set up moderation and print the demo accounts."""

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand

from cms import roles
from cms.demo.loader import DemoLoader, read_fixture

DEMO_USERS = [
    # (username, full name, group or None for the superuser). The whole Vietnamese name goes in
    # ``first_name`` (see ``correct_split_name``).
    ("admin", "Quản trị hệ thống", None),
    ("bientap", "Nguyễn Văn Biên", roles.EDITORS),
    ("truongphong", "Trần Thị Phòng", roles.REVIEWERS),
    ("lanhdao", "Lê Văn Đạo", roles.APPROVERS),
]


class Command(BaseCommand):
    help = (
        "Tạo trang mẫu: cây trang, lĩnh vực, cơ quan, quyết định, biểu mẫu, thủ tục và tài khoản mẫu "
        "(chạy lại không tạo trùng)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset-passwords",
            action="store_true",
            help="Đặt mật khẩu mới (ngẫu nhiên) cho các tài khoản mẫu và in ra.",
        )

    def handle(self, *args, **options):
        roles.setup_roles_and_workflow()
        created = DemoLoader(read_fixture()).load()
        summary = ", ".join(f"{kind}: {count}" for kind, count in sorted(created.items()))
        self.stdout.write(self.style.SUCCESS(f"Dữ liệu mẫu đã sẵn sàng (mới tạo lần này – {summary})."))
        for username, full_name, group in DEMO_USERS:
            self.ensure_user(username, full_name, group, options["reset_passwords"])

    def ensure_user(self, username, full_name, group_name, reset):
        User = get_user_model()
        user = User.objects.filter(username=username).first()
        label = group_name or "Quản trị (superuser)"
        if user is not None:
            correct_split_name(user, full_name)
        if user is not None and not reset:
            self.stdout.write(f"Tài khoản {label}: {username} (đã có; dùng --reset-passwords để đặt mật khẩu mới)")
            return
        password = secrets.token_urlsafe(12)
        if user is None:
            email = f"{username}@example.gov.vn"
            if group_name is None:
                user = User.objects.create_superuser(username=username, email=email, password=password)
            else:
                user = User.objects.create_user(username=username, email=email, password=password)
            user.first_name, user.last_name = full_name, ""
            user.save()
        else:
            user.set_password(password)
            user.save(update_fields=["password"])
        if group_name:
            user.groups.add(Group.objects.get(name=group_name))
        self.stdout.write(self.style.WARNING(f"Tài khoản {label}: {username}  mật khẩu: {password}"))


def correct_split_name(user, full_name):
    """Put a demo user's whole name back into ``first_name`` if an older load_demo split it.

    Vietnamese names read family name first ("Nguyễn Văn Biên"), but Django's ``get_full_name``
    joins "first last" and Wagtail greets by ``first_name``: the old split gave "Biên Nguyễn Văn"
    in workflow e-mails and "Xin chào thống" for the admin. Only a name still exactly as the old
    split left it is corrected, so a name an administrator has edited since stays as it is.
    """
    old_last_name, old_first_name = full_name.rsplit(" ", 1)
    if (user.first_name, user.last_name) == (old_first_name, old_last_name):
        user.first_name, user.last_name = full_name, ""
        user.save(update_fields=["first_name", "last_name"])
