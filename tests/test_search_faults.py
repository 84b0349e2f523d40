"""Search when Elasticsearch fails (search/backends/elasticsearch8.py, search/backends/breaker.py).

The default backend is pointed at a closed port (connection refused) or at a listener that accepts
and never answers (a hung server); the database backend, kept up to date as in production, must
answer the public search, the admin's search and choosers, counts, facets, slices and autocomplete;
one warning per opening of the breaker; no request while it is open; index updates neither fail a
save nor hold a transaction open. Then ``update_index`` rebuilds the real index while it is searched.
"""

import copy
import logging
import re
import socket
import threading
import time
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from elasticsearch import NotFoundError
from wagtail.search.backends import get_search_backend

from cms.models import Form, ProcedurePage
from search.backends import breaker
from search.backends.elasticsearch8 import Index, reset_breakers, search_degraded
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.services]

TIMEOUT = 1.0  # the client's read timeout in these tests, seconds


class FakeServer:
    """A loopback TCP listener that counts the connections it accepts and either holds them
    without a byte of answer (``mode = "hang"``) or passes them to the real Elasticsearch
    (``mode = "proxy"``)."""

    def __init__(self, upstream_url):
        self.upstream = re.match(r"https?://([^:/]+):(\d+)", upstream_url).groups()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.05)
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self.mode = "hang"
        self.accepted = 0
        self._sockets = []
        self._stop = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while not self._stop.is_set():
            try:
                conn, _address = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.accepted += 1
            self._sockets.append(conn)
            if self.mode == "proxy":
                upstream = socket.create_connection((self.upstream[0], int(self.upstream[1])))
                self._sockets.append(upstream)
                for source, target in ((conn, upstream), (upstream, conn)):
                    threading.Thread(target=self._pipe, args=(source, target), daemon=True).start()

    @staticmethod
    def _pipe(source, target):
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass

    def close(self):
        self._stop.set()
        self.listener.close()
        for sock in self._sockets:
            sock.close()


@pytest.fixture
def es_settings(services_required):
    assert settings.WAGTAILSEARCH_BACKENDS["default"]["BACKEND"] == "search.backends.elasticsearch8"
    assert "database" in settings.WAGTAILSEARCH_BACKENDS


@pytest.fixture(autouse=True)
def fresh_breakers():
    reset_breakers()
    yield
    reset_breakers()


@pytest.fixture
def hung_server():
    server = FakeServer(settings.WAGTAILSEARCH_BACKENDS["default"]["URLS"][0])
    yield server
    server.close()


@pytest.fixture
def closed_port_url():
    with socket.create_server(("127.0.0.1", 0)) as sock:
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def default_backend_at(url, **params):
    """Settings whose default backend talks to ``url``. Backends are built afresh from the settings
    by every ``get_search_backend`` call (modelsearch caches none), so nothing built before leaks in;
    the breakers are per server URL and reset around each test."""
    backends = copy.deepcopy(settings.WAGTAILSEARCH_BACKENDS)
    backends["default"].update({"URLS": [url], "TIMEOUT": TIMEOUT, "CONNECT_TIMEOUT": TIMEOUT, **params})
    return override_settings(WAGTAILSEARCH_BACKENDS=backends)


@pytest.fixture
def procedures(es_settings, index_page):
    """Two procedures about "trợ cấp" (indexed into the real server and the database backend)."""
    return [
        factories.procedure(index_page, title="Trợ cấp xã hội hằng tháng cho người cao tuổi"),
        factories.procedure(index_page, title="Trợ cấp mai táng phí cho đối tượng bảo trợ xã hội"),
    ]


def warnings_of(caplog):
    return [record for record in caplog.records if record.levelno >= logging.WARNING]


def assert_one_warning_without_traceback(caplog):
    warnings = warnings_of(caplog)
    assert len(warnings) == 1, [record.getMessage() for record in warnings]
    assert warnings[0].name == "search.backends" and warnings[0].exc_info is None
    assert "unavailable" in warnings[0].getMessage()


def timed_get(client, url):
    started = time.monotonic()
    response = client.get(url)
    return response, time.monotonic() - started


def test_public_search_answers_from_the_database_when_the_server_refuses(client, procedures, closed_port_url, caplog):
    with default_backend_at(closed_port_url):
        assert not search_degraded()
        response, elapsed = timed_get(client, "/tim-kiem/?q=tro+cap")
        assert response.status_code == 200
        assert elapsed < TIMEOUT + 1
        for page in procedures:
            assert page.url in response.content.decode()  # (titles are highlighted word by word)
        assert search_degraded()
        assert not search_degraded("database")
    assert_one_warning_without_traceback(caplog)


def test_a_hung_server_costs_one_timeout_then_is_left_alone(client, procedures, hung_server, caplog):
    timeout = 2.0
    with default_backend_at(hung_server.url, TIMEOUT=timeout, RETRY_AFTER=60):
        first, first_elapsed = timed_get(client, "/tim-kiem/?q=tro+cap")
        assert first.status_code == 200 and procedures[0].url in first.content.decode()
        assert timeout <= first_elapsed < timeout + 1  # one timeout, and only one
        assert hung_server.accepted == 1
        # Another query (the same one would come from the page cache): the server is not asked.
        second, second_elapsed = timed_get(client, "/tim-kiem/?q=tro+cap+xa+hoi")
        assert second.status_code == 200 and procedures[1].url in second.content.decode()
        assert second_elapsed < timeout
        time.sleep(0.2)  # a connection attempt would have been accepted by now
        assert hung_server.accepted == 1
        assert search_degraded()
    assert_one_warning_without_traceback(caplog)


def test_admin_search_and_choosers_answer_when_the_server_is_down(client, procedures, users, closed_port_url, caplog):
    form = factories.form(code="Mẫu số 17", title="Tờ khai trợ cấp xã hội hằng tháng")
    assert Form.objects.filter(pk=form.pk).exists()
    client.force_login(users["admin"])
    with default_backend_at(closed_port_url):
        for url in (
            reverse("wagtailadmin_pages:search") + "?q=tro+cap",
            reverse("wagtailadmin_pages:search_results") + "?q=tro+cap",
            reverse("wagtailadmin_choose_page_search") + "?q=tro+cap",
        ):
            response = client.get(url)
            assert response.status_code == 200, url
            assert procedures[0].title in response.content.decode(), url
        response = client.get(reverse("wagtailsnippetchoosers_cms_form:choose_results") + "?q=to+khai+tro+cap")
        assert response.status_code == 200
        assert form.title in response.content.decode()
    assert_one_warning_without_traceback(caplog)


def test_counts_facets_slices_and_autocomplete_come_from_the_database(procedures, closed_port_url):
    queryset = ProcedurePage.objects.live()
    database = get_search_backend("database")
    expected = database.search("tro cap", queryset, operator="and")
    with default_backend_at(closed_port_url):
        backend = get_search_backend("default")
        # The first question fails (and opens the breaker), the others meet the open breaker.
        assert backend.search("tro cap", queryset, operator="and").count() == expected.count() == 2
        results = backend.search("tro cap", queryset, operator="and")
        assert [page.pk for page in results[:1]] == [page.pk for page in expected[:1]]
        assert [page.pk for page in results[1:]] == [page.pk for page in expected[1:]]
        assert results.facet("sector_id") == expected.facet("sector_id")
        in_title = backend.search("cho", queryset, fields=["title"])  # (an ASCII word of both titles)
        assert {page.pk for page in in_title} == {page.pk for page in procedures}
        autocompleted = backend.autocomplete("tro ca", queryset)
        assert {page.pk for page in autocompleted} == {page.pk for page in procedures}
        scored = backend.search("tro cap", queryset, operator="and").annotate_score("score")
        assert all(hasattr(page, "score") for page in scored)


def test_the_breaker_closes_after_the_retry_period(procedures, hung_server, caplog):
    caplog.set_level(logging.INFO, logger="search.backends")
    queryset = ProcedurePage.objects.live()
    with default_backend_at(hung_server.url, TIMEOUT=0.5, RETRY_AFTER=0.5):
        assert get_search_backend().search("tro cap", queryset).count() == 2  # from the database
        assert search_degraded() and hung_server.accepted == 1
        assert get_search_backend().search("tro cap", queryset).count() == 2  # breaker open: not asked
        time.sleep(0.2)
        assert hung_server.accepted == 1
        hung_server.mode = "proxy"  # the server is back
        time.sleep(0.5)
        assert get_search_backend().search("tro cap", queryset).count() == 2  # from Elasticsearch
        assert hung_server.accepted == 2
        assert not search_degraded()
    assert_one_warning_without_traceback(caplog)
    assert any("answers again" in record.getMessage() for record in caplog.records)


def test_a_wrong_request_is_raised_not_taken_for_an_outage(procedures):
    """A 4xx answer (here: no such index) is a bug to see, not a reason to fall back."""
    url = settings.WAGTAILSEARCH_BACKENDS["default"]["URLS"][0]
    with default_backend_at(url, INDEX_PREFIX="helper_faults_no_such_index_"):
        with pytest.raises(NotFoundError):
            get_search_backend().search("tro cap", ProcedurePage.objects.live()).count()
        assert not search_degraded()


def test_concurrent_failures_open_the_breaker_once_and_one_caller_retries(caplog):
    server = breaker.breaker_for("http://example.invalid:9200")
    barrier = threading.Barrier(8)

    def fail():
        barrier.wait()
        server.failed("ConnectionError: refused", 0.3, "falling back")

    threads = [threading.Thread(target=fail) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(warnings_of(caplog)) == 1
    assert server.is_open and not server.allows(0.3)
    time.sleep(0.35)
    let_through = []
    barrier = threading.Barrier(8)

    def ask():
        barrier.wait()
        let_through.append(server.allows(0.3))

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert let_through.count(True) == 1  # the others keep falling back while it tries
    server.failed("ConnectionTimeout: timed out", 0.3, "falling back")  # its failure opens it anew
    assert len(warnings_of(caplog)) == 2
    server.succeeded()
    assert not server.is_open and server.allows(0.3)


def test_index_updates_while_the_server_is_down_do_not_fail_saving(es_settings, index_page, hung_server, caplog):
    with default_backend_at(hung_server.url, RETRY_AFTER=60):
        started = time.monotonic()
        page = factories.procedure(index_page, title="Trợ cấp khi máy chủ tìm kiếm ngừng")
        second = factories.procedure(index_page, title="Trợ cấp lần hai khi máy chủ ngừng")
        # Only the first update waited (one timeout); the others met the open breaker.
        assert time.monotonic() - started < TIMEOUT + 5
        assert hung_server.accepted == 1
        found = get_search_backend("database").search("may chu", ProcedurePage.objects.live())
        assert {p.pk for p in found} == {page.pk, second.pk}
    assert_one_warning_without_traceback(caplog)


def test_saving_inside_a_transaction_does_not_wait_for_the_server(
    es_settings, index_page, hung_server, caplog, django_capture_on_commit_callbacks
):
    with default_backend_at(hung_server.url, TIMEOUT=3, INDEX_AFTER_COMMIT=True):
        with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
            started = time.monotonic()
            page = factories.procedure(index_page, title="Trợ cấp lưu trong giao dịch")
            assert time.monotonic() - started < 2.5  # less than the 3 s timeout
            time.sleep(0.2)
            assert hung_server.accepted == 0  # nothing asked of the server inside the transaction
            # The database backend's index is part of the transaction and is written at once.
            found = get_search_backend("database").search("luu trong giao dich", ProcedurePage.objects.all())
            assert [p.pk for p in found] == [page.pk]
        # After the commit: the first update waits for the hung server, then the breaker opens.
        assert callbacks
        assert hung_server.accepted == 1
    assert_one_warning_without_traceback(caplog)


def test_index_updates_reach_the_server_after_the_commit(es_settings, index_page, django_capture_on_commit_callbacks):
    backends = copy.deepcopy(settings.WAGTAILSEARCH_BACKENDS)
    backends["default"]["INDEX_AFTER_COMMIT"] = True
    index = settings.WAGTAILSEARCH_BACKENDS["default"]["INDEX_PREFIX"] + "wagtailcore_page"
    with override_settings(WAGTAILSEARCH_BACKENDS=backends):
        es = get_search_backend().es
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            page = factories.procedure(index_page, title="Trợ cấp gửi sau khi giao dịch xong")
            assert not es.exists(index=index, id=str(page.pk))
        assert es.exists(index=index, id=str(page.pk))


def test_update_index_rebuilds_while_the_site_searches(es_settings, index_page, monkeypatch):
    page = factories.procedure(index_page, title="Trợ cấp tìm được trong lúc dựng lại chỉ mục")
    backend = get_search_backend()
    alias = settings.WAGTAILSEARCH_BACKENDS["default"]["INDEX_PREFIX"] + "wagtailcore_page"
    before = set(backend.es.indices.get_alias(name=alias))

    def found():
        return [p.pk for p in get_search_backend().search("dung lai chi muc", ProcedurePage.objects.live())]

    seen_during = []
    add_items = Index.add_items

    def add_items_then_search(self, model, items):
        add_items(self, model, items)
        seen_during.append(found())  # the alias still names the old, complete index

    monkeypatch.setattr(Index, "add_items", add_items_then_search)
    out = StringIO()
    call_command("update_index", backend_name="default", chunk_size=2, stdout=out)

    assert seen_during and all(pks == [page.pk] for pks in seen_during)
    after = set(backend.es.indices.get_alias(name=alias))
    assert len(after) == 1 and not after & before  # the alias moved to a fresh index
    assert not any(backend.es.indices.exists(index=name) for name in before)  # the old one is gone
    assert found() == [page.pk]
    total = ProcedurePage.objects.count()
    progress = re.findall(r"^default: ([\w.]+) (\d+)/(\d+)$", out.getvalue(), re.MULTILINE)
    assert ("cms.ProcedurePage", str(total), str(total)) in progress
    assert any(int(done) < int(of) for _model, done, of in progress)  # counted chunk by chunk
