"""Two application instances (gunicorn) on the same PostgreSQL, Elasticsearch and Redis: what is
published through one is read at once from the other, whose cached copy is gone."""

import datetime
import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from cms import roles
from cms.models import ProcedurePage
from tests import factories

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "mat-khau-thu-nghiem-2026"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url():
    settings = connection.settings_dict
    return (
        f"postgres://{settings['USER']}:{settings['PASSWORD']}@{settings['HOST'] or '127.0.0.1'}:"
        f"{settings['PORT'] or 5432}/{settings['NAME']}"
    )


class Browser:
    """A visitor with cookies (urllib), for one instance."""

    def __init__(self, base):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def get(self, path):
        try:
            with self.opener.open(self.base + path, timeout=30) as response:
                return response.status, response.headers, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read().decode()

    def post(self, path, data):
        request = urllib.request.Request(
            self.base + path, data=urllib.parse.urlencode(data).encode(), headers={"Referer": self.base + path}
        )
        with self.opener.open(request, timeout=60) as response:
            return response.status, response.read().decode()

    def csrf(self, path):
        _status, _headers, body = self.get(path)
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)


@pytest.fixture
def instances(transactional_db, django_db_serialized_rollback, tmp_path):
    """Two gunicorn instances of the project on the test database, sharing Redis and Elasticsearch."""
    redis_url = os.environ.get("TEST_REDIS_URL")
    if connection.vendor != "postgresql" or not redis_url:
        pytest.fail("Two instances need PostgreSQL and TEST_REDIS_URL (make test provides both).")
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": database_url(),
        "REDIS_URL": redis_url,
        "CACHE_KEY_PREFIX": f"instances-{uuid.uuid4().hex[:8]}",
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    environment.pop("TEST_REDIS_URL", None)
    processes, bases = [], []
    for name in ("a", "b"):
        port = free_port()
        log = open(tmp_path / f"gunicorn-{name}.log", "wb")  # noqa: SIM115 - closed with the process
        command = [sys.executable, "-m", "gunicorn", "config.wsgi", "-b", f"127.0.0.1:{port}", "-w", "1"]
        processes.append(subprocess.Popen(command, cwd=ROOT, env=environment, stdout=log, stderr=log))
        bases.append(f"http://127.0.0.1:{port}")
    try:
        for base, process in zip(bases, processes, strict=True):
            wait_until_serving(base, process, tmp_path)
        yield bases
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=30)


def wait_until_serving(base, process, tmp_path):
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail("gunicorn stopped:\n" + "\n".join(p.read_text() for p in tmp_path.glob("gunicorn-*.log")))
        try:
            with urllib.request.urlopen(base + "/", timeout=5):
                return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            time.sleep(0.3)
    pytest.fail(f"{base} did not answer within 60 s")


@pytest.fixture
def published():
    roles.setup_roles_and_workflow()  # a transactional test's flush emptied the groups
    _home, index = factories.site_tree()
    users = factories.role_users()
    admin = users["admin"]
    # The instances run the project's own hashers, not the tests' fast one.
    admin.password = PBKDF2PasswordHasher().encode(PASSWORD, PBKDF2PasswordHasher().salt())
    admin.save()
    page = factories.live_procedure(index)
    draft = page.get_latest_revision_as_object()
    draft.title, draft.change_type, draft.change_note = "Trợ cấp mai táng (phiên bản mới)", "amended", "Đổi tên"
    draft.effective_date = datetime.date(2026, 1, 1)
    draft.save_revision(user=admin)
    return page, admin


def test_a_publication_through_one_instance_is_read_at_once_from_the_other(instances, published):
    a, b = (Browser(base) for base in instances)
    page, admin = published
    for _ in range(2):
        status, headers, body = b.get(page.url)
    assert status == 200 and headers["X-Page-Cache"] == "hit" and "phiên bản mới" not in body
    b.get("/thu-tuc/")
    assert b.get("/thu-tuc/")[1]["X-Page-Cache"] == "hit"

    a.post(
        "/admin/login/",
        {"csrfmiddlewaretoken": a.csrf("/admin/login/"), "username": admin.username, "password": PASSWORD},
    )
    action = f"/admin/bulk/wagtailcore/page/publish/?id={page.pk}&next=/admin/"
    status, _body = a.post(action, {"csrfmiddlewaretoken": a.csrf(action)})
    assert status == 200
    assert ProcedurePage.objects.get(pk=page.pk).title == "Trợ cấp mai táng (phiên bản mới)"

    status, headers, body = b.get(page.url)
    assert status == 200 and headers["X-Page-Cache"] == "miss" and "Trợ cấp mai táng (phiên bản mới)" in body
    status, headers, body = b.get("/thu-tuc/")
    assert headers["X-Page-Cache"] == "miss" and "Trợ cấp mai táng (phiên bản mới)" in body
