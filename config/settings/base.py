"""Settings shared by every environment.

Everything that differs between a laptop, CI and production comes from environment variables
(see README.md, "Configuration"). With nothing set, the site runs on SQLite in the project folder
with Wagtail's database search backend: the embedded default used by ``make run``.
"""

import datetime
import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name, default=False):
    """Read a boolean environment variable ("1", "true", "yes", "on" are true)."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    """Read a comma-separated environment variable as a list of non-empty items."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "cms",
    "search",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.frontend_cache",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.search_promotions",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "axes",
    "rest_framework",
    "drf_spectacular",
    "corsheaders",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # 304 for a page whose ETag the browser has; then the public page cache (cms/page_cache.py),
    # outside everything else so a cached page keeps the headers the inner middleware added.
    "django.middleware.http.ConditionalGetMiddleware",
    "cms.page_cache.PublicPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "config.middleware.ContentSecurityPolicyMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes requires: it answers locked-out logins.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

# Database: SQLite in the project folder unless DATABASE_URL says otherwise.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "config.passwords.VietnameseCommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login throttling (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one user name, or
# from one address, logins are refused for AXES_COOLOFF_MINUTES; administrators unlock earlier
# (admin → Cài đặt → Tài khoản bị khóa).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_LOCKOUT_TEMPLATE = "cms/admin/locked_out.html"
# A successful login does not clear failures: django-axes would clear those of every user name
# tried from that address, letting anyone with an account keep guessing another's password.
# Failures expire after the cool-off instead.
AXES_RESET_ON_SUCCESS = False
# Behind nginx the client's address is X-Real-IP, which nginx sets (never appends to, unlike
# X-Forwarded-For, whose first entries the client can forge): AXES_BEHIND_PROXY=1.
AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_REAL_IP"] if env_bool("AXES_BEHIND_PROXY", False) else ["REMOTE_ADDR"]

# Content-Security-Policy on every HTML response: strict on the public site (no inline script
# or style, nothing from elsewhere); the Wagtail admin still needs inline scripts and styles, so
# it gets its own policy (config.middleware). Documents keep Wagtail's "default-src 'none'".
_SELF = "'self'"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [_SELF],
        "script-src": [_SELF],
        "style-src": [_SELF],
        "img-src": [_SELF, "data:"],
        "font-src": [_SELF],
        "connect-src": [_SELF],
        "object-src": ["'none'"],
        "base-uri": [_SELF],
        "form-action": [_SELF],
        "frame-ancestors": ["'none'"],
    }
}
ADMIN_CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        **CONTENT_SECURITY_POLICY["DIRECTIVES"],
        "script-src": [_SELF, "'unsafe-inline'"],
        "style-src": [_SELF, "'unsafe-inline'"],
        "img-src": [_SELF, "data:", "blob:"],
        "frame-src": [_SELF],
        "frame-ancestors": [_SELF],  # page previews open in an iframe of the admin
    }
}
# Nothing on the site uses these browser features.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
}

# Vietnamese first: the public site and the admin speak Vietnamese; dates are dd/mm/yyyy.
LANGUAGE_CODE = "vi"
# Vietnamese only: a browser that prefers English still gets Vietnamese, the admin included.
LANGUAGES = [("vi", "Tiếng Việt")]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["config.formats"]
LOCALE_PATHS = [BASE_DIR / "locale"]
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = [("vi", "Tiếng Việt")]
# Staff avatars are not fetched from an outside service (it would receive a hash of their e-mail).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_CONTENT_LANGUAGES = [("vi", "Tiếng Việt")]
WAGTAIL_DATE_FORMAT = "%d/%m/%Y"
WAGTAIL_DATETIME_FORMAT = "%d/%m/%Y %H:%M"

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "static_collected"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Whether Django serves media itself (`make run`, tests), from an allow-list (config/media.py).
SERVE_MEDIA = False

# Wagtail
WAGTAIL_SITE_NAME = "Bộ thủ tục hành chính"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
# The Site that load_demo creates (cms/demo/loader.py): where `make run` serves the demo, so that
# sitemap and notification links work. A Site an administrator has set up is never changed.
SITE_HOSTNAME = os.environ.get("SITE_HOSTNAME", "127.0.0.1")
SITE_PORT = int(os.environ.get("SITE_PORT", "8000"))
WAGTAIL_ALLOW_UNICODE_SLUGS = False  # readable ASCII URLs: "Đăng ký" -> "dang-ky"
WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT = True
WAGTAIL_FINISH_WORKFLOW_ACTION = "cms.finish_workflow.publish_approved_revision"
WAGTAIL_ENABLE_UPDATE_CHECK = False
# The dashboard's "what's new" banner links to Wagtail's English guide on another site; the Help
# menu points to the project's own Vietnamese guide instead (cms/admin/menus.py).
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
WAGTAILADMIN_COMMENTS_ENABLED = True

# Documents: the forms citizens download. Served only through Wagtail's view so that
# permissions and the security headers of WAGTAILDOCS_BLOCK_EMBEDDED_CONTENT apply.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "doc", "odt", "xlsx", "xls", "ods"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILDOCS_BLOCK_EMBEDDED_CONTENT = True
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Caches: Redis (REDIS_URL), shared by every application instance, in production; on the embedded
# default a file cache, shared by the web server and commands run from cron (publish_scheduled).
# Public pages are cached until anything they show changes (cms/page_cache.py).
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "thutuc"),
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.environ.get("FILE_CACHE_DIR", str(BASE_DIR / "var" / "cache")),
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    }
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", str(6 * 60 * 60)))
# nginx's proxy cache (site/deploy/nginx-page-cache.conf), purged on publication
# (cms/frontend_purge.py): FRONTEND_CACHE_URL=http://127.0.0.1/__purge__
FRONTEND_CACHE_URL = os.environ.get("FRONTEND_CACHE_URL", "")
if FRONTEND_CACHE_URL:
    WAGTAILFRONTENDCACHE = {"nginx": {"BACKEND": "cms.frontend_purge.NginxBackend", "LOCATION": FRONTEND_CACHE_URL}}

# Search: Wagtail's database backend unless ELASTICSEARCH_URL is set. Text is folded in Python
# (search/vietnamese.py) before indexing and before querying, so every backend sees the same ASCII
# tokens; PostgreSQL therefore uses the "simple" configuration, never "english", whose stop list
# deletes folded Vietnamese syllables ("the", "can", "so", "to"...).
DATABASE_SEARCH_BACKEND = {
    "BACKEND": "wagtail.search.backends.database",
    "SEARCH_CONFIG": "simple",
    "AUTOCOMPLETE_SEARCH_CONFIG": "simple",
}
ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")
if ELASTICSEARCH_URL:
    WAGTAILSEARCH_BACKENDS = {
        "default": {
            "BACKEND": "search.backends.elasticsearch8",
            "URLS": [ELASTICSEARCH_URL],
            "INDEX_PREFIX": os.environ.get("ELASTICSEARCH_INDEX_PREFIX", "procedures_"),
            # A search server that is down or hangs must not hold up the site (search/backends/
            # elasticsearch8.py): seconds to wait for a connection and for each answer, then the
            # "database" backend answers and index updates are skipped for RETRY_AFTER seconds.
            "TIMEOUT": float(os.environ.get("ELASTICSEARCH_TIMEOUT", "2")),
            "CONNECT_TIMEOUT": float(os.environ.get("ELASTICSEARCH_CONNECT_TIMEOUT", "1")),
            "RETRY_AFTER": float(os.environ.get("ELASTICSEARCH_RETRY_AFTER", "30")),
            "ATOMIC_REBUILD": True,
            "OPTIONS": {},
            "INDEX_SETTINGS": {},
        },
        # Kept up to date too, so that every search can fall back to it.
        "database": DATABASE_SEARCH_BACKEND,
    }
else:
    WAGTAILSEARCH_BACKENDS = {"default": DATABASE_SEARCH_BACKEND}

# E-mail: console by default; SMTP from EMAIL_* variables in production.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "thutuc@localhost")
WAGTAILADMIN_NOTIFICATION_FROM_EMAIL = DEFAULT_FROM_EMAIL

SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    # The Elasticsearch client warns at every failed request that it marks the node dead; the
    # search backend's circuit breaker logs one line per outage instead (search/backends/).
    "loggers": {"elastic_transport.node_pool": {"level": "ERROR"}},
}

# The read API (/api/, cms/api/): its OpenAPI description, and CORS for GET only, from anywhere
# unless API_CORS_ORIGINS lists the origins allowed (comma-separated https://... values).
REST_FRAMEWORK = {"DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema"}
SPECTACULAR_SETTINGS = {
    "TITLE": "API bộ thủ tục hành chính",
    "DESCRIPTION": "Dữ liệu đã công bố: bộ thủ tục hiện hành, lịch sử phiên bản, biểu mẫu, quyết định công bố.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # 3.1 says "nullable" as JSON Schema does (a type that may be null), which validators agree on.
    "OAS_VERSION": "3.1.0",
    # Its system check describes every DRF view of the project, Wagtail's admin API included (which
    # it cannot); the served description covers cms.api.urls only and tests/test_api.py checks it.
    "ENABLE_DJANGO_DEPLOY_CHECK": False,
}
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_METHODS = ("GET", "HEAD", "OPTIONS")
CORS_ALLOWED_ORIGINS = env_list("API_CORS_ORIGINS")
CORS_ALLOW_ALL_ORIGINS = not CORS_ALLOWED_ORIGINS

# Uploaded documents are checked for what they contain, not only for their extension.
WAGTAILDOCS_DOCUMENT_FORM_BASE = "cms.admin.documents.CheckedDocumentForm"
# Optional virus scan of uploads by clamd (cms/virus_scan.py): a Unix socket, or host and port.
CLAMD_SOCKET = os.environ.get("CLAMD_SOCKET", "")
CLAMD_HOST = os.environ.get("CLAMD_HOST", "")
CLAMD_PORT = int(os.environ.get("CLAMD_PORT", "3310"))
