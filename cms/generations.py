"""The public site's cache generations (see ``cms.page_cache``), and what is remembered for one.

Apart from ``cms.page_cache`` because models use it (``remembered``) and it uses no model.
"""

import datetime
import hashlib
import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

GENERATION_KEY = "public-pages:generation"


def current_generation():
    """The current generation: ``"<unix time it began>-<random>"``; a new one if none is known
    (a cache that was emptied or evicted it invalidates everything, which is always correct)."""
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, _new_generation(), None)
        generation = cache.get(GENERATION_KEY)
    return generation


def _new_generation():
    return f"{int(time.time())}-{uuid.uuid4().hex[:12]}"


def start_generation():
    cache.set(GENERATION_KEY, _new_generation(), None)


def remembered(name, compute):
    """``compute()``, kept until the next generation or midnight: for what many pages show and
    only a publication changes (counts by sector, level and agency), which costs a pass over
    the whole set."""
    raw = f"{current_generation()}|{timezone.localdate().isoformat()}|{name}"
    key = "derived:" + hashlib.sha256(raw.encode()).hexdigest()
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, min(settings.PAGE_CACHE_SECONDS or 3600, seconds_to_midnight()))
    return value


def seconds_to_midnight(now=None):
    now = timezone.localtime(now)
    midnight = datetime.datetime.combine(now.date() + datetime.timedelta(days=1), datetime.time(), now.tzinfo)
    return max(1, int((midnight - now).total_seconds()))
