"""``generate_procedures``: realistic procedures at real size, through the import's initial load."""

import io

import pytest
from django.core.management import CommandError, call_command

from cms.models import ProcedurePage, ProcedureVersion
from search.query import search_procedures
from tests import factories


def generate(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("generate_procedures", *args, stdout=out, stderr=err)
    return out.getvalue()


def test_an_empty_installation_gets_the_demo_shapes_published(site_tree, django_capture_on_commit_callbacks):
    factories.role_users()
    with django_capture_on_commit_callbacks(execute=True):
        out = generate("--count", "50")
    assert "Đã tạo và xuất bản 50 thủ tục" in out, out
    pages = ProcedurePage.objects.live()
    assert pages.count() == 50
    assert len(set(pages.values_list("title", flat=True))) == 50
    assert sorted(pages.values_list("code", flat=True)) == [f"8.{n:06d}" for n in range(1, 51)]
    assert ProcedureVersion.objects.filter(page__in=pages, number=1).count() == 50
    # Real shapes: steps, channels, dossiers with their forms (files included), agencies.
    assert all(page.steps.exists() and page.submission_channels.exists() for page in pages)
    with_forms = pages.filter(dossier_components__form__live=True).distinct()
    assert with_forms.count() >= 10
    found = search_procedures("mai tang")
    assert len(list(found)) >= 1 and all(page.code.startswith("8.") for page in found)


def test_a_second_run_continues_the_codes(site_tree, django_capture_on_commit_callbacks):
    factories.role_users()
    with django_capture_on_commit_callbacks(execute=True):
        generate("--count", "5")
        generate("--count", "5")
    codes = sorted(ProcedurePage.objects.values_list("code", flat=True))
    assert codes == [f"8.{n:06d}" for n in range(1, 11)]


def test_it_needs_an_administrator_and_a_positive_count(site_tree):
    with pytest.raises(CommandError, match="quản trị"):
        generate("--count", "3")
    factories.role_users()
    with pytest.raises(CommandError, match="lớn hơn 0"):
        generate("--count", "0")
    assert not ProcedurePage.objects.exists()
