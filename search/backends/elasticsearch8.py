"""Wagtail's Elasticsearch 8 backend, with writes that can be made visible at once.

Elasticsearch makes an indexed document searchable only after the next refresh of its shard
(every second, or later on a shard that has been idle). A search right after a save can miss
it. Production accepts that second; tests cannot, so with ``REFRESH_AFTER_WRITE`` every write
is followed by a refresh of the index it went to, and a search after a save sees it.
"""

from wagtail.search.backends.elasticsearch8 import Elasticsearch8Index, Elasticsearch8SearchBackend


class RefreshingIndex(Elasticsearch8Index):
    def add_item(self, item):
        super().add_item(item)
        self._refresh_after_write()

    def add_items(self, model, items):
        super().add_items(model, items)
        self._refresh_after_write()

    def delete_item(self, item):
        super().delete_item(item)
        self._refresh_after_write()

    def _refresh_after_write(self):
        if self.backend.refresh_after_write:
            self.refresh()


class SearchBackend(Elasticsearch8SearchBackend):
    index_class = RefreshingIndex

    def __init__(self, params):
        params = dict(params)
        self.refresh_after_write = params.pop("REFRESH_AFTER_WRITE", False)
        super().__init__(params)
