"""Tests: the same settings as development, quieter and faster."""

from .dev import *

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = BASE_DIR / "var" / "test-media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# A document indexed into Elasticsearch is searchable only after a refresh: tests that search
# right after saving refresh before each search instead of racing the server's refresh interval.
if ELASTICSEARCH_URL:
    WAGTAILSEARCH_BACKENDS["default"]["REFRESH_BEFORE_SEARCH"] = True
    # A test runs inside a transaction that never commits, so index updates waiting for the commit
    # would never be sent: the suite sends them at once (tests/test_search_faults.py turns the
    # production behaviour back on and checks it).
    WAGTAILSEARCH_BACKENDS["default"]["INDEX_AFTER_COMMIT"] = False

# The suite's own cache, emptied before each test (tests/conftest.py); the cache tests run the
# file cache of the embedded default and Redis explicitly.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests"}}
WAGTAILFRONTENDCACHE = {}

# Several suites may run at once on one PostgreSQL (a developer's and a helper's): each names its
# own test database, e.g. TEST_DATABASE_NAME=test_procedures_2.
if os.environ.get("TEST_DATABASE_NAME"):
    DATABASES["default"]["TEST"] = {"NAME": os.environ["TEST_DATABASE_NAME"]}
