"""Production: DEBUG off, secrets and hosts from the environment, secure cookies, HSTS.

Run behind nginx with gunicorn (see site/). ``SECRET_KEY`` and ``ALLOWED_HOSTS`` are required.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *
from .base import env_bool

DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set in production.")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# Preload is on by default (HTTPS everywhere on the department domain); SECURE_HSTS_PRELOAD=0 turns it off.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

if os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"

LOGGING["root"]["level"] = os.environ.get("LOG_LEVEL", "INFO")

# Production runs behind nginx (site/deploy/nginx.conf), which sets X-Real-IP: login throttling
# counts failures by the client's address, not nginx's. AXES_BEHIND_PROXY=0 when it is not.
AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_REAL_IP"] if env_bool("AXES_BEHIND_PROXY", True) else ["REMOTE_ADDR"]
