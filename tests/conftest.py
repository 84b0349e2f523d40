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


@pytest.fixture
def users(site_tree):
    """One user per role of the moderation chain (see factories.role_users); the groups and the
    workflow are there already (django_db_setup)."""
    return factories.role_users()


@pytest.fixture
def live_page(index_page, users):
    """A live procedure with one published version, every field filled in."""
    return factories.live_procedure(index_page)


@pytest.fixture
def services_required():
    """Fail, never skip, when `make test` promised real services and they are not configured."""
    missing = [name for name in ("DATABASE_URL", "ELASTICSEARCH_URL") if not os.environ.get(name)]
    if missing:
        pytest.fail(f"These tests need real services; set {', '.join(missing)} (make test does).")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Once per run, in the test database every test starts from: the department's groups,
    permissions and two-step workflow (cms.roles), and with Elasticsearch its indexes.

    The roles are there for every test as in any real installation (``load_demo`` and
    ``setup_roles`` make them), so no test builds them again; tests of ``setup_roles`` itself call
    it again, which is idempotent. Wagtail creates index mappings only in ``update_index``;
    documents saved into a missing index would get Elasticsearch's dynamic mapping (no folding, no
    ``_all_text``), so search would miss.
    """
    from django.conf import settings
    from django.core.management import call_command

    from cms import roles

    with django_db_blocker.unblock():
        roles.setup_roles_and_workflow()
        if any("elasticsearch" in backend["BACKEND"] for backend in settings.WAGTAILSEARCH_BACKENDS.values()):
            call_command("update_index", verbosity=0)


@pytest.fixture(scope="class")
def class_transaction(django_db_setup, django_db_blocker):
    """One transaction around all the tests of a class, as Django's ``TestCase.setUpTestData`` has.

    What the class's own class-scoped fixtures build inside it is built once for the class; each
    test still runs in its own savepoint (the ``db`` fixture), so it sees that data as built and
    its changes are undone; after the class's last test everything is rolled back. For classes
    whose tests all use ``db`` (not ``transactional_db``) and read the shared rows afresh from the
    database (a function-scoped fixture returning ``Model.objects.get(pk=...)``) when they change
    them.
    """
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def demo_set(django_db_setup, django_db_blocker):
    """The demo set (``load_demo``), loaded once for the module's tests and rolled back after the
    last one; each test still runs in its own savepoint (``db``)."""
    import io

    from django.core.management import call_command
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: a page cached by an earlier test (whose changes were
    rolled back, so no new generation began) must not answer this one."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def no_phantom_search_documents(request):
    """Elasticsearch keeps what earlier tests indexed after their database changes were rolled
    back or flushed: documents of pages (forms, decisions) that no longer exist. Search pages inside the backend, so
    such documents would fill a page that the database then empties; they are deleted first."""
    from django.conf import settings

    backend = settings.WAGTAILSEARCH_BACKENDS.get("default", {})
    if "elasticsearch" not in backend.get("BACKEND", "") or not {"db", "transactional_db"} & set(request.fixturenames):
        return
    from elasticsearch import Elasticsearch
    from wagtail.models import Page

    from cms.models import AnnouncingDecision, Form

    request.getfixturevalue("transactional_db" if "transactional_db" in request.fixturenames else "db")
    client = Elasticsearch(backend["URLS"][0])
    # Pages, and the forms and decisions public search lists in their own groups.
    for model, name in [(Page, "wagtailcore_page"), (Form, "cms_form"), (AnnouncingDecision, "cms_announcingdecision")]:
        index = backend["INDEX_PREFIX"] + name
        if not client.indices.exists(index=index):
            continue
        # Refreshed first: a document indexed by the previous test is not searchable before a
        # refresh, and an idle shard skips the periodic one.
        client.indices.refresh(index=index)
        found = client.search(index=index, query={"match_all": {}}, source=False, size=10000)
        indexed = {hit["_id"] for hit in found["hits"]["hits"]}
        phantoms = indexed - {str(pk) for pk in model.objects.values_list("pk", flat=True)}
        if phantoms:  # the test distribution has no delete-by-query (no reindex module): a bulk of deletes
            client.bulk(operations=[{"delete": {"_index": index, "_id": pk}} for pk in sorted(phantoms)], refresh=True)
