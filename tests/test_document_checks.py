"""Uploaded forms are checked for their content, with clear Vietnamese errors."""

import io
import zipfile

import pytest
from wagtail.documents import get_document_model

from cms.demo.form_files import make_form_docx
from tests.helpers import upload_document

pytestmark = [pytest.mark.django_db, pytest.mark.smoke]


def docx_with(extra_entry=None):
    buffer = io.BytesIO(make_form_docx("Mẫu số 01", "Đơn đề nghị"))
    if extra_entry:
        with zipfile.ZipFile(buffer, "a") as archive:
            archive.writestr(extra_entry, b"x")
    return buffer.getvalue()


@pytest.mark.parametrize(
    "name, content, error",
    [
        ("mau.pdf", b"%PDF-1.7\n...", None),
        ("mau.docx", docx_with(), None),
        ("mau.pdf", b"MZ\x90\x00 not a pdf", "Tệp không phải là PDF hợp lệ."),
        ("mau.docx", b"PK\x03\x04 broken", "Tệp bị hỏng hoặc không đúng định dạng."),
        ("mau.docx", docx_with("word/vbaProject.bin"), "Tệp có chứa macro, không được phép tải lên."),
        ("mau.xlsx", docx_with(), "Nội dung tệp không khớp với phần mở rộng .xlsx."),
        ("mau.doc", b"plain text", "Tệp không phải là tệp Word/Excel (.doc) hợp lệ."),
        ("mau.exe", b"MZ", "“exe”"),  # Django's own extension check (its message is not yet in Vietnamese)
    ],
)
def test_document_upload_is_checked(client, admin_user, name, content, error):
    client.force_login(admin_user)
    response = upload_document(client, name, content)
    if error is None:
        assert response.status_code == 302
        assert get_document_model().objects.filter(title="Mẫu thử").exists()
    else:
        assert response.status_code == 200
        assert error in response.content.decode()
        assert not get_document_model().objects.filter(title="Mẫu thử").exists()


def test_zip_bomb_is_refused():
    from django import forms

    from cms.document_checks import check_document_content

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "x")
        archive.writestr("big.bin", b"\0" * (201 * 1024 * 1024))
    with pytest.raises(forms.ValidationError, match="quá lớn"):
        check_document_content("bomb.docx", buffer.getvalue())
