"""Browser tests: Debian's headless Chromium driven by Playwright against pytest-django's live_server.

Never downloads a browser (no ``playwright install``): Chromium comes from the system,
``/usr/bin/chromium`` unless ``CHROMIUM_PATH`` says otherwise. axe-core comes from npm:
``npm ci --prefix tests/browser`` (run by ``make test``).
"""

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an asyncio event loop in this thread; without this Django refuses
# ORM calls made from the test body ("You cannot call this from an async context").
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

BROWSER_DIR = Path(__file__).resolve().parent
AXE_PATH = BROWSER_DIR / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
DEFAULT_TIMEOUT_MS = 15_000


@pytest.fixture(scope="session")
def chromium_path():
    path = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        pytest.fail(
            f"Chromium not found or not executable at {path!r}. Install Debian's chromium "
            "(apt-get install chromium) or set CHROMIUM_PATH; never run `playwright install`.",
            pytrace=False,
        )
    return path


@pytest.fixture(scope="session")
def playwright_instance():
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # Django keeps database connections in thread-local storage, but in context-local storage
    # while an asyncio loop is running in the thread, and Playwright's loop counts as running
    # from here on. Without handing over the existing connection objects, every test after the
    # first browser test would get fresh ones, without the state pytest-django's database
    # setup left on the originals (the serialized contents used to restore the database).
    existing = {alias: connections[alias] for alias in connections}
    with sync_playwright() as playwright:
        for alias, connection in existing.items():
            connections[alias] = connection
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_instance, chromium_path):
    browser = playwright_instance.chromium.launch(executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def context(browser):
    context = browser.new_context(locale="vi-VN", accept_downloads=True, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    yield context
    context.close()


@pytest.fixture
def page(context):
    return context.new_page()


@pytest.fixture
def demo_site(transactional_db, django_db_serialized_rollback, settings, tmp_path):
    """The whole demo site (pages, snippets, form documents) in the live server's database.

    ``live_server`` serves from another thread, so the data must be committed: hence
    ``transactional_db`` rather than ``db``. A transactional test ends by flushing every table,
    which would also delete what Wagtail's migrations created (the root page, the root
    collection, the default site) and that the loader builds on: serialized rollback puts
    those back before each test. The generated form files go to a per-test MEDIA_ROOT under
    pytest's tmp_path (the live server thread shares these settings), so runs do not pile up
    files in var/test-media.
    """
    from cms.demo.loader import DemoLoader, read_fixture

    settings.MEDIA_ROOT = tmp_path / "media"
    DemoLoader(read_fixture()).load()
    # No refresh needed: under the test settings every Elasticsearch search refreshes first.


@pytest.fixture
def site_url(demo_site, live_server):
    """Base URL of the live server, demo content loaded."""
    return live_server.url.rstrip("/")


@pytest.fixture(scope="session")
def axe_source():
    """Path of axe-core's script, installed by ``npm ci --prefix tests/browser``.

    Deliberately no skip when it is missing: the test that uses it fails, naming the command.
    """
    return AXE_PATH


PROCEDURE_PATH = "/thu-tuc/ho-tro-chi-phi-mai-tang-cho-doi-tuong-bao-tro-xa-hoi/"


@pytest.fixture
def public_paths(demo_site):
    """One page of every public kind, by name: what the accessibility and phone checks visit."""
    from cms.models import AnnouncingDecision

    decision = AnnouncingDecision.objects.filter(live=True).order_by("number").first()
    assert decision is not None, "the demo has no published decision"
    return {
        "home": "/",
        "procedure index": "/thu-tuc/",
        "procedure 1.001731": PROCEDURE_PATH,
        "sector page": "/thu-tuc/linh-vuc/bao-tro-xa-hoi/",
        "search results": "/tim-kiem/?q=tro+cap",
        "decision list": "/quyet-dinh/",
        "decision page": decision.get_absolute_url(),
        "old version (1)": PROCEDURE_PATH + "phien-ban/1/",
        "version comparison": PROCEDURE_PATH + "so-sanh/?tu=1&den=3",
        "in force on a day": PROCEDURE_PATH + "hieu-luc/?ngay=01/01/2024",
        "in force, invalid day": PROCEDURE_PATH + "hieu-luc/?ngay=abc",
        "current official set": "/thu-tuc/bo-thu-tuc-hien-hanh/",
        "official set, commune level": "/thu-tuc/bo-thu-tuc-hien-hanh/?cap=cap-xa",
        "forms library": "/bieu-mau/",
        "abolished procedure": "/thu-tuc/cap-lai-giay-chung-nhan-du-dieu-kien-hoat-dong-kiem-dinh-chat-luong-giao-duc/",
    }
