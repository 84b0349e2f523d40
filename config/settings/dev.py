"""Local development: the embedded default of ``make run``."""

from .base import *  # noqa: F401,F403
from .base import env_bool

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-do-not-use-in-production"  # noqa: F405
ALLOWED_HOSTS = ALLOWED_HOSTS + ["*"] if DEBUG else ALLOWED_HOSTS  # noqa: F405

# Serve static files from the apps' folders without collectstatic (runserver and tests).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
