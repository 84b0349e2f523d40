"""Local development: the embedded default of ``make run``."""

import os

from .base import *
from .base import SITE_HOSTNAME, SITE_PORT, env_bool

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-do-not-use-in-production"
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "*"] if DEBUG else ALLOWED_HOSTS

SERVE_MEDIA = env_bool("SERVE_MEDIA", True)

# Serve static files from the apps' folders without collectstatic (runserver and tests).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True


def _site_root_url(hostname, port):
    """The URL a Wagtail Site with this hostname and port answers at (as ``Site.root_url``)."""
    if port == 80:
        return f"http://{hostname}"
    if port == 443:
        return f"https://{hostname}"
    return f"http://{hostname}:{port}"


# Links in workflow e-mails go where the demo is served: the demo Site's host and port
# (SITE_HOSTNAME, SITE_PORT; 127.0.0.1:8000 as `make run` serves it) unless set explicitly.
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL") or _site_root_url(SITE_HOSTNAME, SITE_PORT)
