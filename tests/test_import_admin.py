"""The import in the admin (upload, dry-run report, confirm), the batch page and its approval, and the
official set's downloads."""

import datetime
import io
import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from cms.interchange import template, writers
from cms.interchange.records import official_set_document
from cms.models import ImportBatch, ProcedurePage
from tests import factories
from tests.helpers import as_user, current_task_state

pytestmark = pytest.mark.django_db


def amended_xlsx(new_name, effective_date=datetime.date(2026, 12, 15)):
    """The current set as the template, with the first procedure renamed under a later date."""
    workbook = load_workbook(io.BytesIO(writers.to_xlsx(official_set_document())))
    sheet = workbook[template.PROCEDURES.title]
    headers = [cell.value for cell in sheet[1]]
    sheet.cell(row=2, column=headers.index("Tên thủ tục") + 1).value = new_name
    sheet.cell(row=2, column=headers.index("Ngày có hiệu lực") + 1).value = effective_date
    sheet.cell(row=2, column=headers.index("Loại thay đổi") + 1).value = None
    sheet.cell(row=2, column=headers.index("Nội dung thay đổi") + 1).value = None
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(client, content, name="quyet-dinh.xlsx", **fields):
    data = {"action": "check", "file": SimpleUploadedFile(name, content), **fields}
    return client.post(reverse("import_procedures"), data)


def test_only_administrators_import(client, users, live_page):
    for role in ("editor", "reviewer", "approver"):
        as_user(client, users, role)
        refused = client.get(reverse("import_procedures"))  # Wagtail's answer to PermissionDenied
        assert refused.status_code == 302 and refused["Location"] == reverse("wagtailadmin_home")
    as_user(client, users, "admin")
    assert client.get(reverse("import_procedures")).status_code == 200


def test_upload_shows_the_dry_run_and_writes_nothing_until_confirmed(client, users, live_page):
    as_user(client, users, "admin")
    revisions = live_page.revisions.count()
    response = upload(client, amended_xlsx("Hỗ trợ chi phí mai táng (tên mới)"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "sửa đổi" in text and "tên thủ tục" in text
    assert "Xác nhận nhập và gửi duyệt" in text
    assert live_page.revisions.count() == revisions and not ImportBatch.objects.exists()

    sha256 = response.context["upload"]["sha256"]
    response = client.post(reverse("import_procedures"), {"action": "confirm", "sha256": sha256})
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("import_batch", args=(batch.pk,))
    assert batch.mode == ImportBatch.Mode.WORKFLOW and batch.summary == {"changed": 1}
    page = ProcedurePage.objects.get(pk=live_page.pk)
    assert page.title == "Hỗ trợ chi phí mai táng"  # nothing public changed
    assert page.workflow_in_progress and current_task_state(page) is not None


def test_a_broken_upload_lists_its_problems_and_offers_no_confirmation(client, users, live_page):
    as_user(client, users, "admin")
    response = upload(client, amended_xlsx(""))
    text = response.content.decode()
    assert "Trang “Thủ tục”, dòng 2, cột “Tên thủ tục”" in text
    assert "Xác nhận nhập" not in text
    assert client.post(reverse("import_procedures"), {"action": "confirm", "sha256": "x"}).status_code == 302
    assert not ImportBatch.objects.exists()


@pytest.mark.parametrize("content", [b"", b"not a spreadsheet", b"PK\x03\x04broken", b"{}"])
def test_odd_uploads_get_a_clear_message(client, users, live_page, content):
    as_user(client, users, "admin")
    response = upload(client, content, name="tep.bin")
    assert response.status_code == 200
    assert response.context.get("unreadable") or response.context["form"].errors
    assert not ImportBatch.objects.exists()


def test_a_batch_is_approved_step_by_step_and_goes_live(client, users, live_page):
    as_user(client, users, "admin")
    response = upload(client, amended_xlsx("Hỗ trợ chi phí mai táng (tên mới)"))
    client.post(reverse("import_procedures"), {"action": "confirm", "sha256": response.context["upload"]["sha256"]})
    batch = ImportBatch.objects.get()
    url = reverse("import_batch", args=(batch.pk,))

    as_user(client, users, "approver")  # not the approvers' step yet
    assert client.get(url).context["waiting_for_me"] == 0
    as_user(client, users, "reviewer")
    assert client.get(url).context["waiting_for_me"] == 1
    assert client.post(url, {"comment": "Đã xem"}).status_code == 302
    as_user(client, users, "approver")
    assert client.get(url).context["waiting_for_me"] == 1
    client.post(url)

    page = ProcedurePage.objects.get(pk=live_page.pk)
    assert page.title == "Hỗ trợ chi phí mai táng (tên mới)" and not page.workflow_in_progress
    version = page.versions.order_by("-number").first()
    assert version.number == 2 and version.change_type == "amended"
    assert version.effective_date == datetime.date(2026, 12, 15)
    assert "tên thủ tục" in version.change_note
    assert version.published_by == users["approver"]


def test_the_importer_cannot_approve_their_own_batch(client, users, live_page):
    as_user(client, users, "admin")
    response = upload(client, amended_xlsx("Tên khác"))
    client.post(reverse("import_procedures"), {"action": "confirm", "sha256": response.context["upload"]["sha256"]})
    batch = ImportBatch.objects.get()
    client.post(reverse("import_batch", args=(batch.pk,)))
    assert current_task_state(ProcedurePage.objects.get(pk=live_page.pk)).task.name == "Trưởng phòng xem xét"


def test_the_empty_template_downloads_from_the_admin(client, users):
    as_user(client, users, "editor")
    response = client.get(reverse("import_template"))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    for sheet in template.SHEETS:
        assert [cell.value for cell in workbook[sheet.title][1]] == [column.header for column in sheet.columns]


def test_the_official_set_downloads_in_three_formats(client, live_page, index_page):
    factories.procedure(index_page, title="Bản nháp chưa công khai", code="1.000002", publish=False)
    page = client.get(index_page.url + index_page.reverse_subpage("official_set"))
    for extension in ("xlsx", "csv", "json"):
        url = reverse("official_set_export", args=(extension,))
        assert url in page.content.decode()
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Disposition"].endswith(f'.{extension}"')
    data = json.loads(client.get(reverse("official_set_export", args=("json",))).content)
    assert [item["code"] for item in data["procedures"]] == ["1.001731"]
    assert client.get(reverse("official_set_export", args=("exe",))).status_code == 404


@pytest.mark.smoke
def test_the_committed_template_and_the_readme_match_the_layout():
    """The template kept in the repository and the README's column table are the layout's."""
    root = Path(__file__).resolve().parent.parent
    workbook = load_workbook(root / "cms" / "interchange" / "mau-nhap-thu-tuc-hanh-chinh.xlsx")
    readme = (root / "README.md").read_text(encoding="utf-8")
    for sheet in template.SHEETS:
        assert [cell.value for cell in workbook[sheet.title][1]] == [column.header for column in sheet.columns]
        for column in sheet.columns:
            assert f"| {sheet.title} | {column.header} | `{column.field}` |" in readme
