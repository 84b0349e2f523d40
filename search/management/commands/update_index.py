"""``update_index`` with counts: "default: cms.ProcedurePage 2000/20000" after each chunk.

Wagtail's command (modelsearch's ``rebuild_modelsearch_index``) prints a dot per chunk, which says
nothing about how far a rebuild of 20,000 procedures has got; this one prints the count indexed so
far and the total, one line per chunk, and keeps every option of the original.

Each chunk is read in its own query (no transaction is held open while Elasticsearch indexes the
previous one). With ``ATOMIC_REBUILD`` the site keeps searching the old index until the new one is
complete; then the alias moves to it.
"""

from modelsearch.management.commands.rebuild_modelsearch_index import DEFAULT_CHUNK_SIZE
from modelsearch.management.commands.rebuild_modelsearch_index import Command as RebuildCommand


class Command(RebuildCommand):
    def update_backend(self, backend_name, *args, **kwargs):
        self._backend_name = backend_name
        return super().update_backend(backend_name, *args, **kwargs)

    def queryset_chunks(self, qs, chunk_size=DEFAULT_CHUNK_SIZE):
        """The chunks of ``qs``, counting them first for the progress lines. Not in a transaction
        (the original's ``atomic`` around a generator never held one anyway)."""
        self._label = f"{qs.model._meta.app_label}.{qs.model.__name__}"
        self._total = qs.count()
        self.write(f"{self._total} to index")  # ends the line the original began with the model
        return self._chunks(qs, chunk_size)

    @staticmethod
    def _chunks(qs, chunk_size):
        start = 0
        while items := list(qs[start : start + chunk_size]):
            yield items
            start += chunk_size

    def print_iter_progress(self, iterable):
        """Yield each chunk; once the caller has indexed it, print the count so far."""
        done = 0
        for chunk in iterable:
            yield chunk
            done += len(chunk)
            self.write(f"{self._backend_name}: {self._label} {done}/{self._total}")
            self.stdout.flush()
