"""Wagtail's Elasticsearch 8 backend, made to survive its server and to read its own writes.

**A server that is down or hangs must not take the site with it.** Everything that searches goes
through this backend (the public search, the admin's page search, the page and snippet choosers),
so the fallback is here, for all of them:

- the client waits at most ``CONNECT_TIMEOUT`` seconds (default 1) for a connection and
  ``TIMEOUT`` seconds (default 2) for an answer, and tries each node once; the bulk requests of
  ``update_index`` and of ``add_bulk`` get ``BULK_TIMEOUT`` (default 60) instead;
- a failure (no connection, a timeout, a 5xx or 429 answer) opens the server's circuit breaker
  (``search/backends/breaker.py``, one warning in the log): for ``RETRY_AFTER`` seconds (default 30)
  nothing asks the server;
- meanwhile, and for the request that failed, searches, counts, facets and autocompletes are
  answered by the ``FALLBACK`` backend (default ``"database"``, kept up to date too) with the same
  query, queryset, fields, operator and ordering; index updates are skipped (``update_index``
  brings the index up to date). A 4xx answer is a bug in the request, not an outage: it is raised;
- index updates made inside a database transaction are sent once it commits
  (``INDEX_AFTER_COMMIT``, default on), so no transaction, and no row it locks, waits on the
  search server, and a rolled-back change never reaches it.

``search_degraded()`` tells a view that its results came from the fallback.

**Reading its own writes.** Elasticsearch makes an indexed document searchable only after the next
refresh of its shard (every second, or later on a shard that has been idle), so a search right
after a save can miss it. Production accepts that second. Tests cannot: with
``REFRESH_BEFORE_SEARCH`` every search and count first refreshes the index it reads, so it sees
every write made before it. Refreshing before reads rather than after writes keeps the suite fast:
tests save far more than they search.
"""

import copy
from urllib.parse import urlsplit

import urllib3
from django.db import transaction
from elastic_transport import ApiError, TransportError
from modelsearch.backends import get_search_backend, import_backend
from modelsearch.backends.elasticsearchbase import (
    ElasticsearchAtomicIndexRebuilder,
    ElasticsearchAutocompleteQueryCompilerImpl,
    ElasticsearchIndexRebuilder,
)
from modelsearch.conf import get_app_config
from wagtail.search.backends.elasticsearch8 import (
    Elasticsearch8Index,
    Elasticsearch8SearchBackend,
    Elasticsearch8SearchResults,
)

from . import breaker

CONSEQUENCE = "searches use the database backend and index updates are skipped (run update_index once it is back)"


def is_outage(error):
    """Whether ``error`` says the server is unavailable, rather than that the request was wrong."""
    if isinstance(error, TransportError):  # no connection, a timeout, TLS, an unreadable answer
        return True
    return isinstance(error, ApiError) and (error.meta.status >= 500 or error.meta.status == 429)


def answered(server_breaker, error):
    """A 4xx answer (a wrong request) still shows that the server is up."""
    if isinstance(error, ApiError):
        server_breaker.succeeded()


def describe(error):
    """``error`` in one line: the client's message says what happened ("Failed to establish a new
    connection: [Errno 111] Connection refused"), its ``str`` often only "Connection error"."""
    detail = error.message if isinstance(error, TransportError) else str(error)
    return f"{type(error).__name__}: {detail}"


def server_name(params):
    """The servers of a backend's settings, without credentials: its breaker's key and log name."""
    hosts = params.get("HOSTS") or params.get("URLS") or ["http://localhost:9200"]
    if isinstance(hosts, str):
        hosts = [hosts]
    shown = []
    for host in hosts:
        if isinstance(host, dict):
            shown.append(f"{host.get('host')}:{host.get('port')}")
        else:
            parts = urlsplit(host)
            shown.append(parts._replace(netloc=parts.netloc.rpartition("@")[2]).geturl())
    return ", ".join(shown)


def search_degraded(backend_name="default"):
    """True while the breaker of that backend's server is open: searches get the fallback backend's
    results (ranked differently, possibly missing recent changes) and index updates are skipped."""
    params = get_app_config().get_search_backend_config().get(backend_name)
    backend_class = import_backend(params["BACKEND"]) if params else None
    if not (isinstance(backend_class, type) and issubclass(backend_class, SearchBackend)):
        return False  # (the database backend's SearchBackend is a function)
    return breaker.is_open(server_name(params))


def reset_breakers():
    """Close every breaker (tests)."""
    breaker.reset()


class Index(Elasticsearch8Index):
    def exists(self):
        # The inherited method passes the name positionally, which the version 8 client refuses.
        return bool(self.es.indices.exists(index=self.name))

    def aliased_indices(self):
        # The old indices an atomic rebuild deletes: with the rebuild's client (its timeouts).
        indices = super().aliased_indices()
        for index in indices:
            index.es = self.es
        return indices


class IndexRebuilder(ElasticsearchIndexRebuilder):
    """``update_index`` sends large bulk requests: they get ``BULK_TIMEOUT``, not a search's."""

    def __init__(self, index):
        super().__init__(index)
        self.index.es = index.backend.bulk_es


class AtomicIndexRebuilder(ElasticsearchAtomicIndexRebuilder):
    """Builds a new index and then swaps the alias (the site keeps searching the old one meanwhile);
    with ``BULK_TIMEOUT``."""

    def __init__(self, index):
        super().__init__(index)
        self.index.es = self.alias.es = index.backend.bulk_es


class SearchResults(Elasticsearch8SearchResults):
    def _refresh_before_reading(self):
        if self.backend.refresh_before_search:
            self.backend.get_index_for_model(self.query_compiler.queryset.model).refresh()

    def _backend_do_search(self, body, **kwargs):
        self._refresh_before_reading()
        return super()._backend_do_search(body, **kwargs)

    def _do_search(self):
        return self._ask(self._search_server, lambda fallback: fallback.results())

    def _do_count(self):
        return self._ask(self._count_server, lambda fallback: fallback.count())

    def facet(self, field_name):
        return self._ask(lambda: self._facet_server(field_name), lambda fallback: fallback.facet(field_name))

    def _search_server(self):
        return list(super()._do_search())  # read entirely here, so that a failure midway falls back

    def _count_server(self):
        self._refresh_before_reading()
        return super()._do_count()

    def _facet_server(self, field_name):
        return super().facet(field_name)

    def _ask(self, ask_server, ask_fallback):
        """``ask_server()``; or, when the server fails or its breaker is open, ``ask_fallback`` of
        the fallback backend's results for the same search."""
        backend = self.backend
        if backend.fallback is None:
            return ask_server()
        if backend.breaker.allows(backend.retry_after):
            try:
                answer = ask_server()
            except Exception as error:
                if not is_outage(error):
                    answered(backend.breaker, error)
                    raise
                backend.breaker.failed(describe(error), backend.retry_after, CONSEQUENCE)
            else:
                backend.breaker.succeeded()
                return answer
        return ask_fallback(self._fallback_results())

    def _fallback_results(self):
        """The same search on the fallback backend, sliced and scored as this one."""
        compiler = self.query_compiler
        fallback = get_search_backend(self.backend.fallback)
        if isinstance(compiler, ElasticsearchAutocompleteQueryCompilerImpl):
            search = fallback.autocomplete
        else:
            search = fallback.search
        # compiler.query is already a query object carrying the operator.
        results = search(
            compiler.query, compiler.queryset, fields=compiler.fields, order_by_relevance=compiler.order_by_relevance
        )
        if self._score_field:
            results = results.annotate_score(self._score_field)
        return results[self.start : self.stop]


class SearchBackend(Elasticsearch8SearchBackend):
    index_class = Index
    results_class = SearchResults
    basic_rebuilder_class = IndexRebuilder
    atomic_rebuilder_class = AtomicIndexRebuilder

    def __init__(self, params):
        params = dict(params)
        self.refresh_before_search = params.pop("REFRESH_BEFORE_SEARCH", False)
        self.retry_after = params.pop("RETRY_AFTER", 30)
        self.index_after_commit = params.pop("INDEX_AFTER_COMMIT", True)
        connect_timeout = params.pop("CONNECT_TIMEOUT", 1)
        bulk_timeout = params.pop("BULK_TIMEOUT", 60)
        fallback = params.pop("FALLBACK", "database")
        self.fallback = fallback if fallback in get_app_config().get_search_backend_config() else None
        self.breaker = breaker.breaker_for(server_name(params))
        params.setdefault("TIMEOUT", 2)
        retry_elsewhere = "max_retries" not in params.get("OPTIONS", {})
        super().__init__(params)
        # urllib3 (the client's default transport) takes a Timeout with separate connect and read
        # limits where the client's signature says a number of seconds.
        self.es = self.es.options(
            request_timeout=urllib3.Timeout(connect=connect_timeout, read=self.timeout),
            # Each node once (the client's default is three more tries, each logging a traceback):
            # the breaker, not the request, waits for a server to come back.
            **({"max_retries": len(self.hosts) - 1} if retry_elsewhere else {}),
        )
        self.bulk_es = self.es.options(request_timeout=urllib3.Timeout(connect=connect_timeout, read=bulk_timeout))

    def add(self, obj):
        self._write(lambda: self.get_index_for_object(obj).add_item(obj))

    def add_bulk(self, model, obj_list):
        def write():
            index = self.get_index_for_model(model)
            index.es = self.bulk_es
            index.add_items(model, obj_list)

        self._write(write)

    def delete(self, obj):
        obj = copy.copy(obj)  # Django clears a deleted object's pk before its transaction commits
        self._write(lambda: self.get_index_for_object(obj).delete_item(obj))

    def _write(self, write):
        """Run the index update ``write`` now or, inside a transaction, once it commits."""
        if self.index_after_commit and transaction.get_connection().in_atomic_block:
            # robust: a failure after the commit is logged; it must not fail the request.
            transaction.on_commit(lambda: self._write_now(write), robust=True)
        else:
            self._write_now(write)

    def _write_now(self, write):
        if not self.breaker.allows(self.retry_after):
            return  # skipped, as the warning that opened the breaker said
        try:
            write()
        except Exception as error:
            if not is_outage(error):
                answered(self.breaker, error)
                raise  # logged by modelsearch (catch_indexing_errors) or by on_commit(robust=True)
            self.breaker.failed(describe(error), self.retry_after, CONSEQUENCE)
        else:
            self.breaker.succeeded()
