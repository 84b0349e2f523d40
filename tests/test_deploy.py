"""Production settings pass Django's deployment checks; migrations match the models."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.smoke


def clean_environment():
    """The environment without what test tools set for themselves: the browser tests set
    DJANGO_ALLOW_ASYNC_UNSAFE, which a production deployment must never have."""
    return {k: v for k, v in os.environ.items() if k not in ("DJANGO_ALLOW_ASYNC_UNSAFE", "SECRET_KEY")}


def manage(*args, **env):
    environment = {**clean_environment(), **env}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=300
    )


def test_check_deploy_with_production_settings_reports_nothing():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY="a-long-random-production-secret-key-for-the-check-" + "x" * 20,
        ALLOWED_HOSTS="thutuc.example.gov.vn",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_settings_require_a_secret_key():
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**clean_environment(), "DJANGO_SETTINGS_MODULE": "config.settings.production"},
    )
    assert result.returncode != 0 and "SECRET_KEY must be set" in result.stderr


def test_no_missing_migrations():
    result = manage("makemigrations", "--check", "--dry-run", DJANGO_SETTINGS_MODULE="config.settings.test")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    "path, status",
    [
        ("/media/images/logo.png", 200),
        ("/media/documents/mau-so-99-nhap.docx", 404),
        ("/media//documents/mau-so-99-nhap.docx", 404),
        ("/media/x/../documents/mau-so-99-nhap.docx", 404),
        ("/media/images/../documents/mau-so-99-nhap.docx", 404),
        ("/media/images/../../manage.py", 404),
    ],
)
def test_make_run_serves_media_but_never_document_files_directly(db, client, settings, tmp_path, path, status):
    """`make run` serves image files, but never a form file directly: a draft form's file must not
    be reachable under /media/ (only Wagtail's checked view serves documents), however the path
    is spelled (issue 7, finding 8)."""
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "logo.png").write_bytes(b"\x89PNG\r\n")
    (tmp_path / "documents").mkdir()
    (tmp_path / "documents" / "mau-so-99-nhap.docx").write_bytes(b"PK draft form")
    assert client.get(path).status_code == status
