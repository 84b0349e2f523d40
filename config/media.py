"""Media files for `make run` (nginx serves them in production), from an allow-list of folders.

Form files (documents/) are served only through Wagtail's view, which refuses files that are not
published; the path is normalised before it is checked, so "//documents/" or "x/../documents/"
cannot reach them.
"""

import posixpath

from django.conf import settings
from django.http import Http404
from django.views.static import serve

# Wagtail's image files: what the public may fetch directly.
PUBLIC_MEDIA_FOLDERS = ("images/", "original_images/")


def serve_public_media(request, path):
    normalised = posixpath.normpath(path).lstrip("/")
    if normalised.startswith("../") or not normalised.startswith(PUBLIC_MEDIA_FOLDERS):
        raise Http404
    return serve(request, normalised, document_root=settings.MEDIA_ROOT)
