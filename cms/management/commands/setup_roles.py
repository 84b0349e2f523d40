"""``manage.py setup_roles``: the moderation groups, their permissions and the workflow."""

from django.core.management.base import BaseCommand

from cms.roles import setup_roles_and_workflow


class Command(BaseCommand):
    help = "Tạo/cập nhật các nhóm Biên tập viên, Trưởng phòng, Lãnh đạo Sở, Quản trị và quy trình duyệt hai bước."

    def handle(self, *args, **options):
        groups, workflow = setup_roles_and_workflow()
        self.stdout.write(self.style.SUCCESS(f"Đã thiết lập {len(groups)} nhóm và quy trình “{workflow.name}”."))
