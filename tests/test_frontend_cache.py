"""nginx's cache in front of the application (site/deploy/nginx-page-cache.conf, started by
site/services/nginx.sh): it answers public pages itself, and the application purges what a
publication changes (wagtail.contrib.frontend_cache, cms/frontend_purge.py)."""

import datetime
import socket
import subprocess
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from wagtail.models import Site

from cms import roles
from cms.models import DepartmentSettings, ProcedurePage
from tests import factories
from tests.helpers import republish

ROOT = Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def nginx(live_server, tmp_path, settings):
    """nginx on a free port in front of the live server; the application purges it."""
    port = free_port()
    upstream = live_server.url.removeprefix("http://")
    directory = tmp_path / "nginx"
    subprocess.run(
        ["bash", str(ROOT / "site/services/nginx.sh"), "start", str(directory), str(port), upstream], check=True
    )
    settings.WAGTAILFRONTENDCACHE = {
        "nginx": {"BACKEND": "cms.frontend_purge.NginxBackend", "LOCATION": f"http://127.0.0.1:{port}/__purge__"}
    }
    yield f"http://127.0.0.1:{port}"
    subprocess.run(["bash", str(ROOT / "site/services/nginx.sh"), "stop", str(directory)], check=False)


@pytest.fixture
def published(transactional_db, django_db_serialized_rollback):
    """A live procedure, committed (the live server reads it from another thread); a
    transactional test's flush also emptied the groups and workflow: made again."""
    roles.setup_roles_and_workflow()
    _home, index = factories.site_tree()
    factories.role_users()
    return factories.live_procedure(index)


def fetch(base, path):
    """GET ``path`` through ``base`` as a visitor of the default Site (the host purges name)."""
    host = Site.objects.get(is_default_site=True).root_url.removeprefix("http://")
    request = urllib.request.Request(base + path, headers={"Host": host})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


def cache_status(base, path):
    return fetch(base, path)[1].get("X-Cache-Status")


def test_nginx_answers_public_pages_and_is_purged_on_publication(nginx, published):
    path = published.url
    assert cache_status(nginx, path) == "MISS"
    status, headers, _body = fetch(nginx, path)
    assert status == 200 and headers["X-Cache-Status"] == "HIT"
    assert "X-Accel-Expires" not in headers  # for nginx only
    for shared in ("/", "/thu-tuc/", "/quyet-dinh/"):
        fetch(nginx, shared)
        assert cache_status(nginx, shared) == "HIT", shared
    # A filtered list or a search is never kept by nginx: the application's cache answers it.
    fetch(nginx, "/thu-tuc/?cap=cap-tinh")
    assert cache_status(nginx, "/thu-tuc/?cap=cap-tinh") == "BYPASS"

    republish(
        published, effective_date=datetime.date(2026, 1, 1), change_note="Đổi tên", title="Trợ cấp mai táng (mới)"
    )

    status, headers, body = fetch(nginx, path)
    assert status == 200 and headers["X-Cache-Status"] == "MISS" and "Trợ cấp mai táng (mới)" in body
    for shared in ("/", "/thu-tuc/"):
        status, headers, body = fetch(nginx, shared)
        assert headers["X-Cache-Status"] == "MISS" and "Trợ cấp mai táng (mới)" in body, shared


def test_an_unpublished_page_is_gone_from_nginx_at_once(nginx, published):
    fetch(nginx, published.url)
    assert cache_status(nginx, published.url) == "HIT"
    ProcedurePage.objects.get(pk=published.pk).unpublish()
    assert fetch(nginx, published.url)[0] == 404


def test_a_change_every_page_shows_purges_every_page(nginx, published):
    fetch(nginx, published.url)
    assert cache_status(nginx, published.url) == "HIT"
    department = DepartmentSettings.objects.get()
    department.department_name = "Sở Nội vụ tỉnh Thử Nghiệm"
    department.save()
    status, headers, body = fetch(nginx, published.url)
    assert status == 200
    assert headers["X-Cache-Status"] == "MISS" and "Sở Nội vụ tỉnh Thử Nghiệm" in body
