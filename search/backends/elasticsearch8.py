"""Wagtail's Elasticsearch 8 backend, able to read its own writes.

Elasticsearch makes an indexed document searchable only after the next refresh of its shard
(every second, or later on a shard that has been idle), so a search right after a save can miss
it. Production accepts that second. Tests cannot: with ``REFRESH_BEFORE_SEARCH`` every search
and count first refreshes the index it reads, so it sees every write made before it. Refreshing
before reads rather than after writes keeps the suite fast: tests save far more than they search.
"""

from wagtail.search.backends.elasticsearch8 import (
    Elasticsearch8Index,
    Elasticsearch8SearchBackend,
    Elasticsearch8SearchResults,
)


class Index(Elasticsearch8Index):
    def exists(self):
        # The inherited method passes the name positionally, which the version 8 client refuses.
        return bool(self.es.indices.exists(index=self.name))


class SearchResults(Elasticsearch8SearchResults):
    def _refresh_before_reading(self):
        if self.backend.refresh_before_search:
            self.backend.get_index_for_model(self.query_compiler.queryset.model).refresh()

    def _backend_do_search(self, body, **kwargs):
        self._refresh_before_reading()
        return super()._backend_do_search(body, **kwargs)

    def _do_count(self):
        self._refresh_before_reading()
        return super()._do_count()


class SearchBackend(Elasticsearch8SearchBackend):
    index_class = Index
    results_class = SearchResults

    def __init__(self, params):
        params = dict(params)
        self.refresh_before_search = params.pop("REFRESH_BEFORE_SEARCH", False)
        super().__init__(params)
