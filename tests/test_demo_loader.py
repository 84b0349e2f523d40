"""The demo loader: builds the whole site, a second run creates nothing twice and undoes nothing
an administrator changed, older loads are corrected."""

import io
import re
import zipfile

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
        for model in (
            Page,
            ProcedurePage,
            Sector,
            Agency,
            LegalDocument,
            AnnouncingDecision,
            Form,
            DossierComponent,
            get_document_model(),
        )
    }


class TestTheLoadedDemo:
    """The demo as ``load_demo`` builds it, loaded once for the class's tests
    (conftest.class_transaction): each test sees it as loaded, and its own changes (a second load
    included) are rolled back after it."""

    @pytest.fixture(scope="class")
    @classmethod
    def first_load(cls, class_transaction):
        """What the first ``load_demo`` into the test database printed, and the rows it left."""
        output = io.StringIO()
        call_command("load_demo", stdout=output)
        return output.getvalue(), counts()

    def test_load_demo_twice_creates_nothing_twice(self, first_load):
        output, first = first_load
        assert counts() == first
        assert "Tài khoản Quản trị (superuser): admin  mật khẩu:" in output
        assert "Tài khoản Biên tập viên: bientap  mật khẩu:" in output
        call_command("load_demo")
        assert counts() == first
        fixture = read_fixture()
        assert first["ProcedurePage"] == len(fixture["procedures"]) >= 40
        replaced = [change["new_form_file"]["form"] for change in fixture["history"] if "new_form_file" in change]
        with_pdf = {item["key"] for item in fixture["forms"] if item.get("print_pdf")}
        # Each form's DOCX, the PDF to print of some, and for a replaced file a new one of each
        # (old files stay for old versions).
        files = len(fixture["forms"]) + len(with_pdf) + sum(1 + (key in with_pdf) for key in replaced)
        assert first["Form"] == len(fixture["forms"])
        assert first["Document"] == files
        assert HomePage.objects.count() == ProcedureIndexPage.objects.count() == 1
        assert Site.objects.get(is_default_site=True).root_page.specific_class is HomePage
        assert ProcedurePage.objects.live().count() == first["ProcedurePage"]
        # A procedure with three published versions under three different decisions.
        burial = ProcedurePage.objects.get(code="1.001731")
        assert [v.decision.number for v in burial.versions.order_by("number")] == [
            "1023/QĐ-UBND",
            "2187/QĐ-UBND",
            "845/QĐ-UBND",
        ]

    def test_demo_versions_follow_the_change_record_rules(self, first_load):
        """Each version of a demo procedure has its own decision or date, in date order, so that
        "in force on" can find every one of them; a first version is "ban hành mới"."""
        from cms.models import ProcedureVersion

        by_page = {}
        for version in ProcedureVersion.objects.select_related("decision").order_by("page_id", "number"):
            by_page.setdefault(version.page_id, []).append(version)
        for versions in by_page.values():
            assert versions[0].change_type == "new"
            assert all(v.decision is not None and v.effective_date is not None for v in versions)
            records = [(v.decision_id, v.effective_date) for v in versions]
            assert len(set(records)) == len(records), records
            assert [v.effective_date for v in versions] == sorted(v.effective_date for v in versions)
            for version in versions:
                page = version.page
                assert page.versions.in_force_on(version.effective_date).number >= version.number
            assert versions[0].page.versions.in_force_on(versions[0].effective_date) is not None

    def test_demo_pages_have_ascii_slugs_and_real_form_files(self, first_load):
        for slug in ProcedurePage.objects.values_list("slug", flat=True):
            assert slug.isascii(), slug
        assert ProcedurePage.objects.filter(slug="dang-ky-cai-nghien-ma-tuy-tu-nguyen").exists()
        for form in Form.objects.select_related("document"):
            with form.document.file.open("rb") as handle:
                archive = zipfile.ZipFile(io.BytesIO(handle.read()))
            body = archive.read("word/document.xml").decode()
            assert form.code in body and form.title.upper() in body

    @pytest.mark.smoke
    def test_demo_site_serves_every_procedure(self, first_load, client):
        assert client.get("/").status_code == 200
        for page in ProcedurePage.objects.live():
            response = client.get(page.url)
            assert response.status_code == 200, page.url
            assert "Dữ liệu mẫu." in response.content.decode()

    def test_demo_users_keep_vietnamese_names_in_order(self, first_load, client):
        """Family name first: the whole name is ``first_name``, which Wagtail greets by."""
        from django.contrib.auth import get_user_model

        users = {user.username: user for user in get_user_model().objects.all()}
        assert users["bientap"].get_full_name() == users["bientap"].get_short_name() == "Nguyễn Văn Biên"
        assert users["truongphong"].get_full_name() == "Trần Thị Phòng"
        assert (users["admin"].first_name, users["admin"].last_name) == ("Quản trị hệ thống", "")
        client.force_login(users["admin"])
        dashboard = client.get("/admin/").content.decode()
        assert re.search(r"<h2[^>]*>Quản trị hệ thống</h2>", dashboard)  # the dashboard's user header

    @pytest.mark.smoke
    def test_load_demo_does_not_undo_administrators_changes(self, first_load):
        agency = Agency.objects.get(slug="ubnd-tinh")
        agency.name = "Ủy ban nhân dân tỉnh (tên mới)"
        agency.is_active = False
        agency.save()
        call_command("load_demo")
        agency.refresh_from_db()
        assert agency.name == "Ủy ban nhân dân tỉnh (tên mới)" and not agency.is_active


def test_load_demo_corrects_the_old_name_split_but_keeps_edited_names():
    """Databases loaded before the fix had "Biên" / "Nguyễn Văn"; an administrator's edit stays."""
    from django.contrib.auth import get_user_model

    User = get_user_model()
    User.objects.create_user("bientap", first_name="Biên", last_name="Nguyễn Văn")
    User.objects.create_user("truongphong", first_name="Phòng", last_name="Trần Thị Thu")
    User.objects.create_superuser("admin", first_name="thống", last_name="Quản trị hệ")
    call_command("load_demo")
    call_command("load_demo", "--reset-passwords")
    names = {user.username: (user.first_name, user.last_name) for user in User.objects.all()}
    assert names["bientap"] == ("Nguyễn Văn Biên", "")
    assert names["admin"] == ("Quản trị hệ thống", "")
    assert names["truongphong"] == ("Phòng", "Trần Thị Thu")  # edited since: left alone
    assert names["lanhdao"] == ("Lê Văn Đạo", "")


def test_demo_site_is_where_make_run_serves_it(client, site_tree):
    """Sitemap (and notification) links point at 127.0.0.1:8000, not at http://localhost/."""
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("127.0.0.1", 8000)
    locations = re.findall(r"<loc>([^<]+)</loc>", client.get("/sitemap.xml").content.decode())
    assert "http://127.0.0.1:8000/thu-tuc/" in locations
    assert all(location.startswith("http://127.0.0.1:8000/") for location in locations)


def test_demo_site_address_follows_the_settings_and_corrects_only_the_old_default(settings):
    from cms.demo.loader import DemoLoader

    settings.SITE_HOSTNAME, settings.SITE_PORT = "thutuc.test", 8080
    Site.objects.filter(is_default_site=True).update(hostname="localhost", port=80)  # as loaded before
    DemoLoader(read_fixture()).load_site_tree()
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("thutuc.test", 8080)
    # An address an administrator set is theirs: a later load keeps it.
    site.hostname, site.port = "dichvucong.example.gov.vn", 443
    site.save()
    DemoLoader(read_fixture()).load_site_tree()
    site.refresh_from_db()
    assert (site.hostname, site.port) == ("dichvucong.example.gov.vn", 443)


@pytest.mark.parametrize(
    "environment, expected",
    [
        ({}, "http://127.0.0.1:8000"),
        ({"SITE_HOSTNAME": "thutuc.test", "SITE_PORT": "8080"}, "http://thutuc.test:8080"),
        (
            {"SITE_PORT": "80", "WAGTAILADMIN_BASE_URL": "https://thutuc.example.gov.vn"},
            "https://thutuc.example.gov.vn",
        ),
    ],
)
def test_admin_base_url_of_development_follows_the_demo_site(environment, expected):
    """E-mailed admin links go where `make run` serves (config/settings/dev.py)."""
    import os
    import subprocess
    import sys

    names = ("SITE_HOSTNAME", "SITE_PORT", "WAGTAILADMIN_BASE_URL")
    env = {key: value for key, value in os.environ.items() if key not in names} | environment
    script = "import config.settings.dev as s; print(s.WAGTAILADMIN_BASE_URL)"
    project = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, cwd=project, check=True, capture_output=True, text=True
    )
    assert result.stdout.strip() == expected
