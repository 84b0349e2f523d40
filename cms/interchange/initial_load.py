"""Publishing many new procedures at once: the initial load of an installation, and the generator.

Each procedure ends as the editor's "create, then publish" leaves it: a page in the tree, one
revision (logged as created), live, the ``page_published`` signal sent (so its version is
recorded by ``cms.publishing.record_published_version``), the publication logged. What the
editor pays per save is paid once per load here: Wagtail's path saves a page three times
(create, revision, publish), each save rewriting its child rows and updating its search entry
and reference index. Here a page is written once, and the search index and the reference index
are updated in bulk at the end.

Each page is checked by ``publication_problems`` in its place in the tree before it is written;
the whole load runs in the caller's transaction, and the search index is updated once that
transaction has committed (a rolled-back load leaves nothing in Elasticsearch, and no database
transaction waits on it).
"""

import logging
from contextlib import contextmanager

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models.signals import post_save
from django.utils import timezone
from modelsearch.signal_handlers import post_save_signal_handler
from wagtail.log_actions import get_active_log_context
from wagtail.models import COMMENTS_RELATION_NAME, Page, PageLogEntry, ReferenceIndex, Revision
from wagtail.search.backends import get_search_backends
from wagtail.search.index import get_indexed_models
from wagtail.signal_handlers import disable_reference_index_auto_update, reference_index_auto_update_disabled
from wagtail.signals import page_published

from ..models import AnnouncingDecision, Form, ProcedurePage
from ..publishing import publication_problems, record_direct_publisher

logger = logging.getLogger(__name__)


@contextmanager
def deferred_search_index(model):
    """Saves of ``model`` do not update the search index (the caller indexes in bulk)."""
    post_save.disconnect(post_save_signal_handler, sender=model)
    try:
        yield
    finally:
        post_save.connect(post_save_signal_handler, sender=model)


@contextmanager
def deferred_reference_index():
    """Saves do not update the reference index; nests (Wagtail's own context manager does not)."""
    if getattr(reference_index_auto_update_disabled, "value", False):
        yield
        return
    with disable_reference_index_auto_update():
        yield


class InitialLoad:
    """Publishes new pages under ``parent`` as ``user``; use as a context manager."""

    def __init__(self, parent, user=None):
        self.parent, self.user = parent, user
        self.pages = []
        self._read = {}  # objects the snapshots name, read once per load
        self._logs = []

    def __enter__(self):
        self._deferred = deferred_search_index(ProcedurePage)
        self._deferred.__enter__()
        self._references = deferred_reference_index()
        self._references.__enter__()
        last = self.parent.get_last_child()
        self._next_path = last._inc_path() if last else Page._get_path(self.parent.path, self.parent.depth + 1, 1)
        return self

    def __exit__(self, kind, error, trace):
        try:
            if kind is None:
                self._finish()
        finally:
            self._references.__exit__(kind, error, trace)
            self._deferred.__exit__(kind, error, trace)

    def publish(self, page):
        """Write ``page`` (new, unsaved, its child rows in memory) live with its revision; or
        write nothing and return why it cannot go live."""
        page.depth, page.path, page.numchild = self.parent.depth + 1, self._next_path, 0
        page._cached_parent_obj = self.parent
        page.locale_id = self.parent.locale_id
        # What the rules and the snapshot ask of other objects (is the form, the decision live?)
        # is read from the database, once per load: an object in memory may be a stale copy.
        self._refresh_references(page)
        problems = publication_problems(page, initial_load=True)
        if problems:
            return problems
        now = timezone.now()
        self._next_path = page._inc_path()
        page.owner = page.owner or self.user
        page.draft_title = page.title
        page.live, page.has_unpublished_changes = True, False
        page.first_published_at = page.last_published_at = now
        page.number_children()
        page.refresh_facet_sets()
        page.facet_sets_filled = True  # its rows leave the cluster below, to be written in bulk
        rows = {name: list(getattr(page, name).all()) for name in page.ORDERED_CHILDREN}
        levels = list(page.levels.all())
        for name in [*rows, "levels"]:  # written below in one query per relation, not one per row
            page._cluster_related_objects.pop(name, None)
        page.save(clean=False, log_action=None)  # just checked; logged below
        for name, children in rows.items():
            for child in children:
                child.page = page
            getattr(ProcedurePage, name).rel.related_model.objects.bulk_create(children)
        Through = ProcedurePage.levels.through
        Through.objects.bulk_create([Through(procedurepage=page, implementationlevel=level) for level in levels])
        # Kept in memory for the revision, the snapshot and the search index, which read them.
        for name, children in [*rows.items(), ("levels", levels), (COMMENTS_RELATION_NAME, [])]:
            setattr(page, name, children)
        # Wagtail's ``save_revision`` would save the page once more to point at its revision.
        revision = Revision.objects.create(
            content_object=page,
            base_content_type=page.get_base_content_type(),
            user=self.user,
            content=page.serializable_data(),
            object_str=str(page),
        )
        page.latest_revision = page.live_revision = revision
        page.latest_revision_created_at = revision.created_at
        Page.objects.filter(pk=page.pk).update(
            latest_revision=revision, live_revision=revision, latest_revision_created_at=revision.created_at
        )
        page.saved_as_held = True  # its rows are what it holds: its version is frozen from it
        page_published.send(sender=ProcedurePage, instance=page, revision=revision)
        if self.user is not None:
            record_direct_publisher(page, self.user)  # the administrator who loads the set
        # As the editor logs them ("created", then "published"), written in bulk at the end.
        self._log(page, "wagtail.create", None)
        self._log(page, "wagtail.publish", revision)
        self.pages.append(page)
        return []

    def _log(self, page, action, revision):
        context = get_active_log_context()
        self._logs.append(
            PageLogEntry(
                content_type=ContentType.objects.get_for_model(page, for_concrete_model=False),
                label=page.get_admin_display_title(),
                action=action,
                timestamp=timezone.now(),
                data={},
                user=self.user or context.user,
                uuid=context.uuid,
                page=page,
                revision=revision,
                content_changed=True,
            )
        )

    def _refresh_references(self, page):
        if page.announcing_decision_id:
            page.announcing_decision = self._current(AnnouncingDecision, page.announcing_decision_id)
        for component in page.dossier_components.all():
            if component.form_id:
                component.form = self._current(Form, component.form_id)

    def _current(self, model, pk):
        key = (model, pk)
        if key not in self._read:
            self._read[key] = model.objects.select_related(*self.READ_WITH.get(model, ())).get(pk=pk)
        return self._read[key]

    READ_WITH = {Form: ("document", "legal_document")}

    def _finish(self):
        if not self.pages:
            return
        PageLogEntry.objects.bulk_create(self._logs)
        # Not get_children(): treebeard answers "none" for a parent whose count still says 0.
        self.parent.numchild = Page.objects.filter(
            path__startswith=self.parent.path, depth=self.parent.depth + 1
        ).count()
        Page.objects.filter(pk=self.parent.pk).update(numchild=self.parent.numchild)
        for page in self.pages:
            ReferenceIndex.create_or_update_for_object(page)
        pages = self.pages
        transaction.on_commit(lambda: index_in_bulk(ProcedurePage, pages))


def ensure_search_indexes():
    """Create the search indexes a new installation lacks, with their mappings.

    Wagtail puts Elasticsearch mappings only in ``update_index``; the first document saved
    into a missing index would make one with guessed mappings, where no search finds anything.
    Called before the load's transaction: it talks to the search server.
    """
    for backend in get_search_backends(with_auto_update=True):
        for model in get_indexed_models():
            index = backend.get_index_for_model(model)
            if hasattr(index, "exists") and not index.exists():
                index.put()
                for other in get_indexed_models():
                    if backend.get_index_for_model(other).name == index.name:
                        index.add_model(other)


def index_in_bulk(model, objects):
    """Add ``objects`` to every auto-updated search backend; a backend that fails is logged (as
    Wagtail's own signal handler does) and is brought up to date by ``update_index``."""
    for backend in get_search_backends(with_auto_update=True):
        try:
            backend.add_bulk(model, objects)
        except Exception:
            logger.exception("Search index not updated for %d %s; run update_index.", len(objects), model.__name__)
