"""The demo loader: builds the whole site, and a second run creates nothing twice."""

import zipfile
import io

import pytest
from django.core.management import call_command
from wagtail.documents import get_document_model
from wagtail.models import Page, Site

from cms.demo.loader import read_fixture
from cms.models import (
    Agency,
    AnnouncingDecision,
    DossierComponent,
    Form,
    HomePage,
    LegalDocument,
    ProcedureIndexPage,
    ProcedurePage,
    Sector,
)

pytestmark = pytest.mark.django_db


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (Page, ProcedurePage, Sector, Agency, LegalDocument, AnnouncingDecision, Form,
                      DossierComponent, get_document_model())
    }


def test_load_demo_twice_creates_nothing_twice(capsys):
    call_command("load_demo")
    first = counts()
    output = capsys.readouterr().out
    assert "Tài khoản Quản trị (superuser): admin  mật khẩu:" in output
    assert "Tài khoản Biên tập viên: bientap  mật khẩu:" in output
    call_command("load_demo")
    assert counts() == first
    fixture = read_fixture()
    assert first["ProcedurePage"] == len(fixture["procedures"]) >= 40
    replaced_files = sum(1 for change in fixture["history"] if "new_form_file" in change)
    assert first["Form"] == len(fixture["forms"])
    assert first["Document"] == len(fixture["forms"]) + replaced_files  # old files stay for old versions
    assert HomePage.objects.count() == ProcedureIndexPage.objects.count() == 1
    assert Site.objects.get(is_default_site=True).root_page.specific_class is HomePage
    assert ProcedurePage.objects.live().count() == first["ProcedurePage"]
    # A procedure with three published versions under three different decisions.
    burial = ProcedurePage.objects.get(code="1.001731")
    assert [v.decision.number for v in burial.versions.order_by("number")] == [
        "1023/QĐ-UBND", "2187/QĐ-UBND", "845/QĐ-UBND"]


def test_demo_pages_have_ascii_slugs_and_real_form_files():
    call_command("load_demo")
    for slug in ProcedurePage.objects.values_list("slug", flat=True):
        assert slug.isascii(), slug
    assert ProcedurePage.objects.filter(slug="dang-ky-cai-nghien-ma-tuy-tu-nguyen").exists()
    for form in Form.objects.select_related("document"):
        with form.document.file.open("rb") as handle:
            archive = zipfile.ZipFile(io.BytesIO(handle.read()))
        body = archive.read("word/document.xml").decode()
        assert form.code in body and form.title.upper() in body


@pytest.mark.smoke
def test_demo_site_serves_every_procedure(client):
    call_command("load_demo")
    assert client.get("/").status_code == 200
    for page in ProcedurePage.objects.live():
        response = client.get(page.url)
        assert response.status_code == 200, page.url
        assert "Dữ liệu mẫu." in response.content.decode()
