"""A circuit breaker per search server, shared by the threads of one process.

When Elasticsearch hangs, every request that asks it waits for the client's timeout; with a few
workers the whole site stops. After one failure the breaker *opens*: for ``retry_after`` seconds
nobody asks that server, and callers use their fallback at once. Then one caller is let through
(the others keep falling back while it tries); its success closes the breaker, its failure opens it
again for another period. Opening logs one warning, without a traceback, so a server that is down
costs one log line per period instead of a traceback per request.

The state lives in this module (per process, guarded by a lock): backends are built afresh for
every ``get_search_backend`` call, so it cannot live on them.
"""

import logging
import threading
import time

logger = logging.getLogger("search.backends")


class CircuitBreaker:
    def __init__(self, name):
        self.name = name  # the server, as the log line shows it
        self._lock = threading.Lock()
        self._open = False
        self._retry_at = 0.0  # time.monotonic() after which one caller may try again
        self._trying = False  # a caller was let through to try; its failure opens the breaker anew

    @property
    def is_open(self):
        """True from a failure until a request succeeds again (including while one tries)."""
        return self._open

    def allows(self, retry_after):
        """Whether the caller may ask the server now: always when closed; when open, only the
        first caller after the retry period (whose request then decides)."""
        with self._lock:
            if not self._open:
                return True
            now = time.monotonic()
            if now < self._retry_at:
                return False
            # Others keep falling back while this one tries (for one more period at most, should
            # it never report back).
            self._trying, self._retry_at = True, now + retry_after
            return True

    def failed(self, error, retry_after, consequence):
        """Record a failure (``error``, a short description) of the server; log once per opening."""
        with self._lock:
            if self._open and not self._trying:
                return  # already open and announced: a request that was under way when it opened
            self._open, self._trying = True, False
            self._retry_at = time.monotonic() + retry_after
        logger.warning(
            "Search server %s unavailable (%s); %s. Not asking it again for %g s.",
            self.name,
            error[:300],
            consequence,
            retry_after,
        )

    def succeeded(self):
        """Record an answer from the server: close the breaker if it was open."""
        if not self._open:
            return
        with self._lock:
            was_open, self._open, self._trying = self._open, False, False
        if was_open:
            logger.info("Search server %s answers again.", self.name)


_breakers = {}
_registry_lock = threading.Lock()


def breaker_for(name):
    """The breaker of the server called ``name`` (made on first use)."""
    with _registry_lock:
        if name not in _breakers:
            _breakers[name] = CircuitBreaker(name)
        return _breakers[name]


def is_open(name):
    """Whether the breaker of ``name`` is open, without making one."""
    breaker = _breakers.get(name)
    return bool(breaker and breaker.is_open)


def reset():
    """Forget every breaker (tests)."""
    with _registry_lock:
        _breakers.clear()
