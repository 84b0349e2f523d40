"""The initial load (``cms.interchange.initial_load``): many new procedures published in one go
must end exactly as Wagtail's own create-then-publish leaves one, only cheaper."""

import datetime

import pytest
from wagtail.models import Page, PageLogEntry, ReferenceIndex

from cms.interchange.initial_load import InitialLoad
from cms.models import ProcedurePage
from cms.snapshots import build_snapshot
from tests import factories
from tests.helpers import listed_titles, republish


def state(page):
    """What Wagtail's publication leaves on a page, apart from its content."""
    page = ProcedurePage.objects.get(pk=page.pk)
    return {
        "live": page.live,
        "has_unpublished_changes": page.has_unpublished_changes,
        "revisions": page.revisions.count(),
        "live_revision_is_latest": page.live_revision_id == page.latest_revision_id is not None,
        "first_published": page.first_published_at is not None,
        "last_published": page.last_published_at is not None,
        "latest_revision_created": page.latest_revision_created_at is not None,
        "draft_title_is_title": page.draft_title == page.title,
        "url_path": page.url_path == page.get_parent().url_path + page.slug + "/",
        "depth": page.depth,
        "locale": page.locale_id,
        "expired": page.expired,
        "versions": list(page.versions.values_list("number", flat=True)),
        "children": {name: getattr(page, name).count() for name in [*ProcedurePage.ORDERED_CHILDREN, "levels"]},
    }


@pytest.fixture
def loaded(index_page, users, django_capture_on_commit_callbacks):
    """Two procedures published by an initial load, next to one published by Wagtail's path."""
    wagtail_made = factories.procedure(index_page, title="Trợ cấp mai táng theo Wagtail", code="1.000001")
    pages = [
        factories.procedure(index_page, title="Trợ cấp mai táng nạp đầu", code="1.000002", add=False),
        factories.procedure(index_page, title="Hỗ trợ học nghề nạp đầu", code="1.000003", add=False),
    ]
    with django_capture_on_commit_callbacks(execute=True), InitialLoad(index_page, users["admin"]) as load:
        for page in pages:
            assert load.publish(page) == []
    return wagtail_made, [ProcedurePage.objects.get(pk=page.pk) for page in pages]


def test_a_loaded_procedure_is_what_wagtails_publication_makes(loaded, index_page):
    wagtail_made, pages = loaded
    for page in pages:
        assert state(page) == state(wagtail_made)
    assert not any(Page.find_problems())  # paths, depths and child counts of the tree
    index_page.refresh_from_db()
    assert index_page.numchild == index_page.get_children().count() == 3
    assert [page.title for page in index_page.get_children()] == [
        "Trợ cấp mai táng theo Wagtail",
        "Trợ cấp mai táng nạp đầu",
        "Hỗ trợ học nghề nạp đầu",
    ]


def test_a_load_into_an_empty_index_leaves_a_sound_tree(index_page, users):
    assert index_page.numchild == 0
    pages = [factories.procedure(index_page, title=f"Thủ tục nạp {n}", code=f"1.00010{n}", add=False) for n in range(3)]
    with InitialLoad(index_page, users["admin"]) as load:
        for page in pages:
            assert load.publish(page) == []
    assert not any(Page.find_problems())
    index_page.refresh_from_db()
    assert index_page.numchild == 3
    assert [page.title for page in index_page.get_children()] == ["Thủ tục nạp 0", "Thủ tục nạp 1", "Thủ tục nạp 2"]


def test_its_revision_and_version_hold_what_its_rows_hold(loaded, users):
    _wagtail_made, pages = loaded
    for page in pages:
        revision = page.live_revision
        assert revision.user == users["admin"]
        from_revision = revision.as_object()
        for name in ProcedurePage.ORDERED_CHILDREN:
            assert [child.pk for child in getattr(from_revision, name).all()] == [
                child.pk for child in getattr(page, name).all()
            ]
        assert [step.sort_order for step in page.steps.all()] == [0, 1]
        version = page.versions.get()
        assert version.revision == revision and version.published_by == users["admin"]
        assert version.snapshot == build_snapshot(page)
        assert list(PageLogEntry.objects.filter(page=page).order_by("pk").values_list("action", flat=True)) == [
            "wagtail.create",
            "wagtail.publish",
        ]


def test_it_is_found_by_search_and_known_to_the_reference_index(loaded, client):
    _wagtail_made, pages = loaded
    assert set(listed_titles(client.get("/tim-kiem/?q=nap+dau"))) == {page.title for page in pages}
    for page in pages:
        assert client.get(page.url).status_code == 200
        form = page.dossier_components.exclude(form=None).get().form
        assert ReferenceIndex.get_references_to(form).filter(object_id=str(page.pk)).exists()


def test_the_editor_takes_over_a_loaded_procedure(loaded, client):
    _wagtail_made, pages = loaded
    page = republish(
        pages[0],
        effective_date=datetime.date(2026, 1, 1),
        change_note="Sửa thời hạn",
        title="Trợ cấp mai táng nạp đầu (sửa đổi)",
    )
    assert list(page.versions.values_list("number", flat=True)) == [1, 2]
    assert page.versions.get(number=2).snapshot["title"] == "Trợ cấp mai táng nạp đầu (sửa đổi)"
    assert page.steps.count() == 2


def test_a_procedure_the_rules_refuse_is_not_written(index_page, users):
    duplicate = factories.procedure(index_page, title="Mã đã dùng", code="1.000009")
    page = factories.procedure(index_page, title="Trùng mã", code=duplicate.code, add=False)
    with InitialLoad(index_page, users["admin"]) as load:
        problems = load.publish(page)
    assert problems and "1.000009" in problems[0]
    assert page.pk is None and not ProcedurePage.objects.filter(title="Trùng mã").exists()
    assert not any(Page.find_problems())
