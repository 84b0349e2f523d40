"""Issue 7, findings 5 to 9: login throttling, passwords, CSP and other headers, the admin's
language and help, uploads checked by content, published things that stay, guards by id.

Each test goes through HTTP as a browser (or a hostile client) would, and fails on the code
before the issue.
"""

import io
import zipfile
import zlib

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from wagtail.documents import get_document_model

from cms.demo.form_files import make_form_docx
from cms.models import ProcedureAgency, Sector
from tests import factories
from tests.helpers import messages_of
from tests.ole_builder import ole_file

pytestmark = pytest.mark.django_db

LOGIN_URL = "/admin/login/"


# --- finding 5: login throttling and passwords ------------------------------------------------


@pytest.fixture
def staff(db):
    user = get_user_model().objects.create_user("canbo", "canbo@example.gov.vn", "Dung-Mat-Khau-2026")
    user.is_superuser = True
    user.save()
    return user


def attempt_login(client, password, username="canbo", address="10.0.0.7"):
    return client.post(LOGIN_URL, {"username": username, "password": password}, REMOTE_ADDR=address)


@override_settings(AXES_FAILURE_LIMIT=5)
def test_wrong_passwords_lock_the_account_with_a_vietnamese_message(client, staff):
    for _attempt in range(4):
        assert attempt_login(client, "sai").status_code == 200
    locked = attempt_login(client, "sai")
    assert locked.status_code == 429
    assert "Tạm khóa đăng nhập" in locked.content.decode()
    # Locked means locked: the right password is refused too, from this address and from another.
    assert attempt_login(client, "Dung-Mat-Khau-2026").status_code == 429
    assert attempt_login(client, "Dung-Mat-Khau-2026", address="10.0.0.8").status_code == 429
    assert "_auth_user_id" not in client.session


@override_settings(AXES_FAILURE_LIMIT=5)
def test_one_address_trying_many_user_names_is_locked_too(client, staff):
    for number in range(5):
        attempt_login(client, "sai", username=f"khong-co-{number}", address="10.0.0.9")
    assert attempt_login(client, "Dung-Mat-Khau-2026", address="10.0.0.9").status_code == 429
    # Another address is not affected.
    assert attempt_login(client, "Dung-Mat-Khau-2026", address="10.0.0.10").status_code == 302


@override_settings(AXES_FAILURE_LIMIT=5)
def test_logging_in_to_ones_own_account_does_not_clear_guesses_at_another(client, staff):
    """django-axes would clear every failure from the address on a successful login; then anyone
    with an account could keep guessing the administrator's password, four at a time."""
    get_user_model().objects.create_user("quantri", "qt@example.gov.vn", "Mat-Khau-Quan-Tri-2026")
    for _guess in range(4):
        attempt_login(client, "doan-mo", username="quantri")
    assert attempt_login(client, "Dung-Mat-Khau-2026").status_code == 302  # canbo, their own account
    client.logout()
    assert attempt_login(client, "doan-mo", username="quantri").status_code == 429


@override_settings(AXES_FAILURE_LIMIT=3)
def test_an_administrator_unlocks_a_locked_account(client, staff):
    for _attempt in range(3):
        attempt_login(client, "sai")
    assert attempt_login(client, "Dung-Mat-Khau-2026").status_code == 429

    admin = get_user_model().objects.create_superuser("quantri", "qt@example.gov.vn", "x")
    client.force_login(admin)
    listing = client.get(reverse("locked_accounts"))
    assert listing.status_code == 200
    assert "canbo" in listing.content.decode() and "đang bị khóa" in listing.content.decode()
    for attempt in AccessAttempt.objects.all():
        response = client.post(reverse("locked_accounts"), {"attempt": attempt.pk})
        assert response.status_code == 302
    assert AccessAttempt.objects.count() == 0
    client.logout()
    assert attempt_login(client, "Dung-Mat-Khau-2026").status_code == 302


def test_only_those_who_may_unlock_see_locked_accounts(client, users):
    client.force_login(users["approver"])
    refused = client.get(reverse("locked_accounts"))
    assert refused.status_code == 302 and refused["Location"] == "/admin/"  # Wagtail's "no permission"
    assert reverse("locked_accounts") not in client.get("/admin/").content.decode()
    client.force_login(users["admin"])
    assert client.get(reverse("locked_accounts")).status_code == 200


@pytest.mark.parametrize(
    "password, expected",
    [
        ("matkhau123", "quá phổ biến"),
        ("MatKhau@2024", "quá phổ biến"),
        ("Mật khẩu 123!", "quá phổ biến"),
        ("anhyeuem1990", "quá phổ biến"),
        ("ngan", "Mật khẩu quá ngắn: cần ít nhất 10 ký tự."),
        ("Dung-Mat-Khau-2026", None),
    ],
)
def test_vietnamese_password_rules(password, expected):
    user = get_user_model()(username="canbo", email="canbo@example.gov.vn")
    if expected is None:
        validate_password(password, user)
        return
    with pytest.raises(ValidationError) as refusal:
        validate_password(password, user)
    messages = " ".join(refusal.value.messages)
    assert expected in messages
    assert "This password" not in messages  # every message in Vietnamese


# --- finding 6: headers, the admin's language and help ----------------------------------------


def test_public_pages_carry_a_strict_content_security_policy(client, live_page):
    for url in ["/", live_page.url, "/tim-kiem/?q=mai+tang", "/quyet-dinh/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        policy = dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))
        assert policy["default-src"] == policy["script-src"] == policy["style-src"] == "'self'", url
        assert policy["frame-ancestors"] == "'none'", url
        assert "camera=()" in response["Permissions-Policy"], url
        assert " onclick=" not in response.content.decode(), url


def test_the_admin_has_its_own_policy_and_is_vietnamese_only(client, users):
    client.force_login(users["editor"])
    response = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    html = response.content.decode()
    policy = dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))
    assert policy["script-src"] == "'self' 'unsafe-inline'"
    assert 'lang="vi"' in html and "Dashboard" not in html
    assert "gravatar" not in html.lower()
    assert "guide.wagtail.org" not in html
    assert reverse("editor_guide") in html
    guide = client.get(reverse("editor_guide"))
    assert guide.status_code == 200
    assert "Gửi duyệt" in guide.content.decode()


def test_documents_keep_their_own_locked_down_policy(client, live_page):
    component = live_page.dossier_components.exclude(form=None).first()
    document = component.form.document
    response = client.get(reverse("wagtaildocs_serve", args=(document.pk, document.filename)))
    assert response.status_code == 200
    assert response["Content-Security-Policy"].startswith("default-src 'none'")


# --- finding 7: uploads checked by content ----------------------------------------------------


def _zip(entries):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _docx_with(name, content_type):
    """A real DOCX plus a part ``name`` declared with ``content_type``."""
    source = zipfile.ZipFile(io.BytesIO(make_form_docx("Mẫu số 01", "Đơn")))
    entries = {item: source.read(item) for item in source.namelist()}
    entries["[Content_Types].xml"] = entries["[Content_Types].xml"].replace(
        b"</Types>", f'<Override PartName="/{name}" ContentType="{content_type}"/></Types>'.encode()
    )
    entries[name] = b"\0code"
    return _zip(entries)


ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
MACRO_REFUSED = "Tệp có chứa macro, không được phép tải lên."
PDF_REFUSED = "Tệp PDF có chứa mã lệnh (JavaScript hoặc hành động tự chạy), không được phép tải lên."
MACRO_PDF_STREAM = zlib.compress(b"<< /Type /Action /S /JavaScript /JS (app.alert(1)) >>")


@pytest.mark.parametrize(
    "name, content, error",
    [
        ("mau.doc", ole_file({"WordDocument": b"word", "1Table": b"t"}), None),
        ("mau.xls", ole_file({"Workbook": b"cells"}), None),
        ("mau.odt", _zip({"mimetype": ODT_MIMETYPE, "content.xml": b"<x/>"}), None),
        ("mau.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF", None),
        # An OLE header followed by HTML and macro markers: not a compound file at all.
        (
            "mau.doc",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"<html>Sub AutoOpen() Attribute VB_Name</html>" * 40,
            "Tệp .doc bị hỏng hoặc không đúng định dạng.",
        ),
        ("mau.doc", ole_file({"WordDocument": b"word", "Macros/VBA/dir": b"attr"}), MACRO_REFUSED),
        ("mau.xls", ole_file({"Workbook": b"cells", "_VBA_PROJECT_CUR/VBA/dir": b"attr"}), MACRO_REFUSED),
        ("mau.xls", ole_file({"WordDocument": b"word"}), "Nội dung tệp không khớp với phần mở rộng .xls."),
        ("mau.odt", _zip({"mimetype": ODT_MIMETYPE, "Basic/Standard/Module1.xml": b"Sub Main"}), MACRO_REFUSED),
        ("mau.odt", _zip({"mimetype": ODT_MIMETYPE, "Scripts/python/run.py": b"import os"}), MACRO_REFUSED),
        ("mau.docx", _docx_with("word/hidden.bin", "application/vnd.ms-office.vbaProject"), MACRO_REFUSED),
        ("mau.docx", _docx_with("word/activeX/activeX1.xml", "application/vnd.ms-office.activeX+xml"), MACRO_REFUSED),
        (
            "mau.pdf",
            b"%PDF-1.7\n1 0 obj << /OpenAction 2 0 R >> endobj\n2 0 obj << /S /JavaScript /JS (x) >>",
            PDF_REFUSED,
        ),
        ("mau.pdf", b"%PDF-1.4\n1 0 obj << /S /Launch /F (cmd.exe) >> endobj", PDF_REFUSED),
        ("mau.pdf", b"%PDF-1.4\n1 0 obj << /S /J#61vaScript >> endobj", PDF_REFUSED),  # #61 is "a"
        (
            "mau.pdf",
            b"%PDF-1.5\n1 0 obj << /Type /ObjStm /Filter /FlateDecode >>\nstream\n"
            + MACRO_PDF_STREAM
            + b"\nendstream\nendobj",
            PDF_REFUSED,
        ),
    ],
)
def test_every_accepted_format_is_checked_by_content(client, users, name, content, error):
    client.force_login(users["admin"])
    response = client.post(
        reverse("wagtaildocs:add"), {"title": "Mẫu thử", "file": SimpleUploadedFile(name, content), "collection": 1}
    )
    stored = get_document_model().objects.filter(title="Mẫu thử").exists()
    if error is None:
        assert response.status_code == 302 and stored
        return
    html = response.content.decode()
    assert response.status_code == 200 and not stored
    assert error in html
    # One clear message: not a second one about an empty extension ("“”").
    assert "“”" not in html and "phần mở rộng “" not in html


# --- finding 9: what published versions name is kept, by id -----------------------------------


@pytest.fixture
def sector_named_by_an_old_version(index_page):
    """A sector that only an earlier published version names (the page moved to another)."""
    old = factories.sector("Lĩnh vực cũ")
    page = factories.procedure(index_page, title="Thủ tục đổi lĩnh vực", sector=old)
    page.sector = factories.sector("Lĩnh vực mới")
    page.change_type, page.change_note = "amended", "Chuyển lĩnh vực"
    page.announcing_decision = factories.decision("900/QĐ-UBND")
    page.effective_date = page.announcing_decision.effective_date
    page.save_revision().publish()
    return old


def test_a_renamed_sector_named_by_a_published_version_cannot_be_deleted(client, users, sector_named_by_an_old_version):
    sector = sector_named_by_an_old_version
    sector.name = "Lĩnh vực cũ (đã đổi tên)"
    sector.save()
    client.force_login(users["admin"])
    response = client.post(reverse("wagtailsnippets_cms_sector:delete", args=(sector.pk,)))
    assert response.status_code == 302
    assert Sector.objects.filter(pk=sector.pk).exists()
    assert any("một phiên bản thủ tục đã công bố có sử dụng" in message for message in messages_of(response))


def test_an_unused_namesake_of_a_published_sector_can_be_deleted(client, users, sector_named_by_an_old_version):
    namesake = Sector.objects.create(name=sector_named_by_an_old_version.name)
    client.force_login(users["admin"])
    client.post(reverse("wagtailsnippets_cms_sector:delete", args=(namesake.pk,)))
    assert not Sector.objects.filter(pk=namesake.pk).exists()


def test_a_refusal_never_redirects_to_another_site(client, users, sector_named_by_an_old_version):
    client.force_login(users["admin"])
    response = client.post(
        reverse("wagtailsnippets_cms_sector:delete", args=(sector_named_by_an_old_version.pk,)),
        HTTP_REFERER="https://tan-cong.example/dang-nhap",
    )
    assert response.status_code == 302
    assert "tan-cong.example" not in response["Location"]


def test_deleting_a_published_form_file_is_refused_with_a_message_on_its_page(client, users, live_page):
    document = live_page.dossier_components.exclude(form=None).first().form.document
    client.force_login(users["admin"])
    response = client.post(reverse("wagtaildocs:delete", args=(document.pk,)))
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtaildocs:edit", args=(document.pk,))
    assert any("Không thể xóa tài liệu này" in message for message in messages_of(response))
    assert get_document_model().objects.filter(pk=document.pk).exists()


def test_snapshots_of_the_first_format_get_their_ids(live_page):
    """Migration 0003 fills in the ids of format 1 snapshots from the revision they published."""
    from importlib import import_module

    from django.apps import apps

    version = live_page.versions.get()
    agency = live_page.agency_roles.first().agency
    old_style = dict(version.snapshot, format=1)
    for key in ("sector_id", "level_ids"):
        old_style.pop(key)
    old_style["agencies"] = [{k: v for k, v in a.items() if k != "agency_id"} for a in old_style["agencies"]]
    old_style["legal_bases"] = [
        {k: v for k, v in b.items() if k != "legal_document_id"} for b in old_style["legal_bases"]
    ]
    type(version).objects.filter(pk=version.pk).update(snapshot=old_style)

    import_module("cms.migrations.0003_snapshot_ids").fill_ids(apps, None)

    version.refresh_from_db()
    assert version.snapshot["format"] == 2
    assert version.snapshot["sector_id"] == live_page.sector_id
    assert version.snapshot["level_ids"] == [level.pk for level in live_page.levels.all()]
    assert version.snapshot["agencies"][0]["agency_id"] == agency.pk
    assert [b["legal_document_id"] for b in version.snapshot["legal_bases"]] == [
        basis.legal_document_id for basis in live_page.legal_bases.all()
    ]
    assert ProcedureAgency.objects.filter(page=live_page).exists()


# --- the optional virus scan -------------------------------------------------------------------


@pytest.fixture
def fake_clamd():
    """A clamd stand-in on loopback: answers FOUND when the stream contains the EICAR marker."""
    import socket
    import struct
    import threading

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(4)
    server.settimeout(10)

    def serve():
        while True:
            try:
                connection, _address = server.accept()
            except OSError:
                return
            with connection:
                command = connection.recv(10)
                assert command == b"zINSTREAM\0"
                received = b""
                while True:
                    size = struct.unpack(">I", connection.recv(4, socket.MSG_WAITALL))[0]
                    if size == 0:
                        break
                    received += connection.recv(size, socket.MSG_WAITALL)
                verdict = b"stream: Eicar-Test-Signature FOUND\0" if b"EICAR" in received else b"stream: OK\0"
                connection.sendall(verdict)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    server.close()


def test_an_infected_upload_is_refused_when_scanning_is_on(client, users, settings, fake_clamd):
    settings.CLAMD_HOST, settings.CLAMD_PORT = "127.0.0.1", fake_clamd
    client.force_login(users["admin"])
    infected = b"%PDF-1.4\n% EICAR-STANDARD-ANTIVIRUS-TEST-FILE\n"
    response = client.post(
        reverse("wagtaildocs:add"), {"title": "Nhiễm", "file": SimpleUploadedFile("a.pdf", infected), "collection": 1}
    )
    assert response.status_code == 200
    assert "Eicar-Test-Signature FOUND" in response.content.decode()
    clean = client.post(
        reverse("wagtaildocs:add"),
        {"title": "Sạch", "file": SimpleUploadedFile("b.pdf", b"%PDF-1.4\nsach\n"), "collection": 1},
    )
    assert clean.status_code == 302


def test_an_unreachable_scanner_refuses_the_upload(client, users, settings):
    settings.CLAMD_HOST, settings.CLAMD_PORT = "127.0.0.1", 9  # nothing listens on the discard port
    client.force_login(users["admin"])
    response = client.post(
        reverse("wagtaildocs:add"), {"title": "X", "file": SimpleUploadedFile("b.pdf", b"%PDF-1.4\n"), "collection": 1}
    )
    assert response.status_code == 200
    assert "Không kiểm tra được virus" in response.content.decode()
