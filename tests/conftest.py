import os

import pytest

from tests import factories


def pytest_report_header(config):
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    backend = settings.WAGTAILSEARCH_BACKENDS["default"]["BACKEND"]
    lines = [f"database: {engine}; search: {backend}"]
    if settings.ELASTICSEARCH_URL:
        lines.append(f"elasticsearch server version: {_elasticsearch_version(settings.ELASTICSEARCH_URL)}")
    return lines


def _elasticsearch_version(url):
    """The version of the server the suite talks to (GET / is not served by the test distribution)."""
    import json
    import urllib.request

    try:
        with urllib.request.urlopen(f"{url.rstrip('/')}/_nodes/_local?filter_path=nodes.*.version", timeout=5) as r:
            nodes = json.load(r)["nodes"]
        return ", ".join(sorted({node["version"] for node in nodes.values()}))
    except OSError as error:
        return f"unreachable ({error})"


@pytest.fixture
def site_tree(db):
    return factories.site_tree()


@pytest.fixture
def index_page(site_tree):
    return site_tree[1]


# One user per role of the moderation chain (cms/roles.py), plus the superuser.
ROLE_GROUPS = {"editor": "EDITORS", "reviewer": "REVIEWERS", "approver": "APPROVERS"}


@pytest.fixture
def users(site_tree):
    """admin (superuser), editor, reviewer, approver, and a second editor "editor2", so that a
    submission need not come from the person who has to act on it (nobody approves their own)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from cms import roles

    roles.setup_roles_and_workflow()
    User = get_user_model()
    created = {"admin": User.objects.create_superuser("admin", "admin@example.gov.vn", "x")}
    for key, constant in {**ROLE_GROUPS, "editor2": "EDITORS"}.items():
        created[key] = User.objects.create_user(key, f"{key}@example.gov.vn", "x")
        created[key].groups.add(Group.objects.get(name=getattr(roles, constant)))
    return created


@pytest.fixture
def live_page(index_page, users):
    """A live procedure with one published version, every field filled in."""
    return factories.procedure(index_page, title="Hỗ trợ chi phí mai táng", code="1.001731")


@pytest.fixture
def services_required():
    """Fail, never skip, when `make test` promised real services and they are not configured."""
    missing = [name for name in ("DATABASE_URL", "ELASTICSEARCH_URL") if not os.environ.get(name)]
    if missing:
        pytest.fail(f"These tests need real services; set {', '.join(missing)} (make test does).")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """With Elasticsearch, create its indexes with Wagtail's mappings once per run.

    Wagtail creates index mappings only in ``update_index``; documents saved into a missing index
    would get Elasticsearch's dynamic mapping (no folding, no ``_all_text``), so search would miss.
    """
    from django.conf import settings
    from django.core.management import call_command

    if any("elasticsearch" in backend["BACKEND"] for backend in settings.WAGTAILSEARCH_BACKENDS.values()):
        with django_db_blocker.unblock():
            call_command("update_index", verbosity=0)
