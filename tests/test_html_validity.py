"""Every kind of public page is valid HTML, as the Nu HTML Checker (vnu, the W3C validator's
engine) reads it.

The pages are rendered from the demo content by Django's test client and checked in one run of
``vnu.jar`` (one Java start for all of them). The checker comes from the npm registry
(``vnu-jar``, pinned with its checksum in tests/browser/package-lock.json) and needs a Java
runtime; ``site/services/browser-deps.sh`` installs both (``make test`` runs it). When either is
missing the test fails and says how to install it: it never skips.
"""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse

from cms.demo.loader import DemoLoader, read_fixture
from cms.models import AnnouncingDecision

pytestmark = [pytest.mark.django_db, pytest.mark.validator]

VNU_JAR = Path(__file__).resolve().parent / "browser" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
PROCEDURE_PATH = "/thu-tuc/ho-tro-chi-phi-mai-tang-cho-doi-tuong-bao-tro-xa-hoi/"
INSTALL_HINT = "Run `bash site/services/browser-deps.sh` (make test does)."


def java_binary():
    """``java`` from JAVA_HOME, else from PATH; the test fails without one."""
    candidates = []
    if os.environ.get("JAVA_HOME"):
        candidates.append(str(Path(os.environ["JAVA_HOME"]) / "bin" / "java"))
    candidates.append(shutil.which("java") or "")
    for candidate in candidates:
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    pytest.fail(f"No Java runtime for the Nu HTML Checker (java not on PATH nor in JAVA_HOME). {INSTALL_HINT}")


def validate(documents, directory):
    """vnu's messages for each named HTML document, in one run: ``{name: [message, ...]}``."""
    if not VNU_JAR.is_file():
        pytest.fail(f"The Nu HTML Checker is not installed: {VNU_JAR} is missing. {INSTALL_HINT}", pytrace=False)
    names = {}
    for number, (name, html) in enumerate(documents.items()):
        path = (directory / f"page-{number:02d}.html").resolve()
        path.write_bytes(html)
        names[str(path)] = name
    completed = subprocess.run(
        [java_binary(), "-jar", str(VNU_JAR), "--format", "json", "--stdout", "--exit-zero-always", *names],
        capture_output=True,
        timeout=240,
        check=False,
    )
    try:
        messages = json.loads(completed.stdout)["messages"]
    except (ValueError, KeyError):
        pytest.fail(f"The Nu HTML Checker gave no report:\n{completed.stdout[-2000:]}\n{completed.stderr[-2000:]}")
    found = {name: [] for name in documents}
    for message in messages:
        path = message.get("url", "").removeprefix("file:")  # vnu names a file file:/tmp/...
        found.setdefault(names.get(path, path or "(no file)"), []).append(message)
    return found


@pytest.fixture
def demo(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    DemoLoader(read_fixture()).load()


def public_pages(client):
    """One page of every public kind, by name, as the Django test client renders it."""
    decision = AnnouncingDecision.objects.filter(live=True).order_by("number").first()
    assert decision is not None, "the demo has no published decision"
    paths = {
        "home": ("/", 200),
        "procedure index": ("/thu-tuc/", 200),
        "procedure index, filtered": ("/thu-tuc/?cap=cap-xa&linh-vuc=bao-tro-xa-hoi", 200),
        "sector page": ("/thu-tuc/linh-vuc/bao-tro-xa-hoi/", 200),
        "procedure page": (PROCEDURE_PATH, 200),
        "version page": (PROCEDURE_PATH + "phien-ban/1/", 200),
        "version comparison": (PROCEDURE_PATH + "so-sanh/?tu=1&den=3", 200),
        "in force on a day": (PROCEDURE_PATH + "hieu-luc/?ngay=01/01/2024", 200),
        "official set": ("/thu-tuc/bo-thu-tuc-hien-hanh/", 200),
        "official set, filtered": ("/thu-tuc/bo-thu-tuc-hien-hanh/?cap=cap-xa", 200),
        "decision list": (reverse("decision_list"), 200),
        "decision page": (decision.get_absolute_url(), 200),
        "search results": (reverse("search") + "?q=tro+cap", 200),
        "search, nothing found": (reverse("search") + "?q=khongcogica", 200),
        "forms library": (reverse("forms_library"), 200),
        "forms library, filtered": (reverse("forms_library") + "?linh-vuc=bao-tro-xa-hoi", 200),
        "not found (404)": ("/khong-co-trang-nay/", 404),
    }
    pages = {}
    for name, (path, status) in paths.items():
        response = client.get(path)
        assert response.status_code == status, f"{name}: {path} answered {response.status_code}"
        assert response["Content-Type"].startswith("text/html"), name
        pages[f"{name} ({path})"] = response.content
    return pages


def test_every_public_page_is_valid_html(client, demo, tmp_path):
    documents = public_pages(client)
    report = validate(documents, tmp_path)
    errors = {
        name: [message for message in messages if message.get("type") in ("error", "non-document-error")]
        for name, messages in report.items()
    }
    errors = {name: messages for name, messages in errors.items() if messages}
    assert set(report) >= set(documents), "vnu did not report on every page"
    lines = []
    for name, messages in errors.items():
        lines.append(f"{name}:")
        lines += [f"  line {m.get('lastLine')}: {m.get('message')}  [{m.get('extract', '').strip()}]" for m in messages]
    assert not errors, "The Nu HTML Checker found errors:\n" + "\n".join(lines)


def test_the_checker_finds_what_it_should(tmp_path):
    """The harness itself: an empty form action (the error this test was written for) is found."""
    report = validate(
        {
            "broken": b'<!DOCTYPE html><html lang="vi"><head><title>x</title></head><body>'
            b'<form action=""></form></body></html>',
            "valid": b'<!DOCTYPE html><html lang="vi"><head><title>x</title></head><body><p>x</p></body></html>',
        },
        tmp_path,
    )
    assert [m["type"] for m in report["broken"] if m["type"] == "error"] == ["error"]
    assert "action" in report["broken"][0]["message"]
    assert not [m for m in report["valid"] if m["type"] == "error"]
