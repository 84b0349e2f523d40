"""An optional virus scan of uploads by a clamd server (off unless CLAMD_SOCKET or CLAMD_HOST is set).

Speaks clamd's INSTREAM command: the file in chunks, then the verdict "stream: OK" or
"stream: <name> FOUND". A scanner that cannot be reached refuses the upload: a file that was not
scanned is not accepted while scanning is on.
"""

import socket
import struct

from django.conf import settings
from django.utils.translation import gettext as _

CHUNK = 64 * 1024


class ScanRefused(Exception):
    """The upload must be refused; the message says why, in Vietnamese."""


def scanning_enabled():
    return bool(getattr(settings, "CLAMD_SOCKET", "") or getattr(settings, "CLAMD_HOST", ""))


def _connect():
    timeout = getattr(settings, "CLAMD_TIMEOUT", 30)
    if getattr(settings, "CLAMD_SOCKET", ""):
        connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        connection.settimeout(timeout)
        connection.connect(settings.CLAMD_SOCKET)
        return connection
    return socket.create_connection((settings.CLAMD_HOST, int(getattr(settings, "CLAMD_PORT", 3310))), timeout)


def scan(data):
    """Raise ``ScanRefused`` when clamd finds something in ``data`` or cannot be asked."""
    try:
        with _connect() as connection:
            connection.sendall(b"zINSTREAM\0")
            for start in range(0, len(data), CHUNK):
                chunk = data[start : start + CHUNK]
                connection.sendall(struct.pack(">I", len(chunk)) + chunk)
            connection.sendall(struct.pack(">I", 0))
            reply = b""
            while not reply.endswith(b"\0"):
                part = connection.recv(4096)
                if not part:
                    break
                reply += part
    except OSError:
        raise ScanRefused(_("Không kiểm tra được virus (máy quét không trả lời); hãy thử lại sau.")) from None
    verdict = reply.rstrip(b"\0").decode("utf-8", "replace")
    if not verdict.endswith(" OK"):
        raise ScanRefused(_("Tệp bị máy quét virus từ chối: %(verdict)s") % {"verdict": verdict})
