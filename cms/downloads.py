"""Form files as citizens download them: Wagtail's document URLs and each form's stable URLs.

Wagtail's own view (``wagtail.documents.views.serve``) names the file by its ASCII storage name,
sends an empty ETag for documents made in code, a literal ``Content-Encoding: None`` (its
sendfile helper) and no byte ranges, so a phone on a weak connection that loses a download
starts it again from the first byte. This view answers the same URLs
(``/tai-lieu/<id>/<file name>``, registered before Wagtail's under the same route name, so
``Document.url`` leads here) and keeps what Wagtail's enforces: the ``before_serve_document``
hooks (the project's "only published files reach the public" and Wagtail's collection
privacy), the ``document_served`` signal, ``X-Content-Type-Options: nosniff`` and
``Content-Security-Policy: default-src 'none'``. In addition:

- ``Content-Disposition`` carries the form's Vietnamese name (RFC 6266 ``filename*``, RFC 5987
  UTF-8) and an ASCII fallback cut between words, never inside one;
- a strong ETag from the file's SHA-1 (computed and stored once when missing), Last-Modified,
  conditional GET and HEAD, and single byte ranges (206, 416);
- the file is streamed, never read whole into memory;
- each download of a form's file counts, per form, format and day (``cms.download_counts``).

A form's stable URL (``/bieu-mau/<id>/tai-ve.<format>``) serves the file the live form has now;
published procedure versions keep linking the exact documents they were published with.
"""

import re
import unicodedata
from urllib.parse import quote

from django.conf import settings
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.http.response import FileResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, parse_http_date_safe
from django.views.decorators.http import require_safe
from wagtail import hooks
from wagtail.documents import get_document_model
from wagtail.documents.models import document_served
from wagtail.utils.file import hash_filelike

from .download_counts import record_download
from .formatting import file_size
from .models import Form, ProcedureVersion

# By extension, not guessed by the platform: Debian's /etc/mime.types and Windows' registry
# disagree on the Office formats, and a wrong type makes phones offer the wrong application.
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xls": "application/vnd.ms-excel",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
}
# A document URL names one document, whose published file is never replaced; but before
# publication an editor may still replace it in place, and access can end (a draft's file is
# not public), so caches may keep it an hour and then revalidate with the ETag rather than a
# year as "immutable". A form's stable URL changes file when a new one is published: a citizen
# should get it within minutes.
DOCUMENT_CACHE_CONTROL = "public, max-age=3600"
FORM_FILE_CACHE_CONTROL = "public, max-age=300"
# Served to a signed-in user (an editor's draft) or from a restricted collection: never kept by
# a shared cache, whatever the URL.
PRIVATE_CACHE_CONTROL = "private, no-cache"

# File systems allow 255 bytes in a name; a Vietnamese letter takes up to 3 in UTF-8, and the
# browser may add " (1)" to a second copy.
UNICODE_NAME_BYTES = 200
ASCII_NAME_LENGTH = 80  # characters of the fallback for old clients: short enough for any of them


@require_safe
def serve_document(request, document_id, document_filename):
    """A document's file at Wagtail's URL (``wagtaildocs_serve``), named after its form."""
    document = get_object_or_404(get_document_model(), pk=document_id)
    if document.filename != document_filename:
        raise Http404
    return _serve(request, document, DOCUMENT_CACHE_CONTROL, lambda: form_of_document(document))


@require_safe
def current_form_file(request, form_id, extension):
    """The live form's current file in this format (``form_file``): the URL a library, a portal
    or a printed page can keep, which follows every newly published file of the form."""
    form = Form.objects.filter(pk=form_id, live=True).select_related("document", "print_document").first()
    document = (
        next((file for file in form.documents() if file.file_extension.lower() == extension.lower()), None)
        if form is not None
        else None
    )
    if document is None:
        raise Http404
    return _serve(request, document, FORM_FILE_CACHE_CONTROL, lambda: FormName(form.pk, form.code, form.title, True))


def form_file_url(form, document):
    """The stable URL of ``form``'s file in ``document``'s format (templates: ``download_tags``)."""
    return reverse("form_file", args=(form.pk, document.file_extension.lower()))


def form_files(form):
    """Each file of ``form`` as the library shows it: format, size ("24 KB") and stable URL."""
    files = []
    for document in form.documents():
        extension = document.file_extension.lower()
        size = document.file_size
        if size is None and document.file:  # not measured at upload (made in code): measured now
            size = document.get_file_size()
        files.append({"format": extension.upper(), "size": file_size(size), "url": form_file_url(form, document)})
    return files


class FormName:
    """The form a file belongs to, as the download names and counts it."""

    def __init__(self, form_id, code, title, counted):
        self.form_id, self.code, self.title = form_id, code, title
        self.counted = counted  # a live form, or the form as a published version gave it

    @property
    def name(self):
        return f"{self.code} - {self.title}" if self.code else self.title


def form_of_document(document):
    """The form whose file ``document`` is: a form that links it now (the live one first), else
    the form as the latest published version that linked it named it (a file since replaced is
    still that form's file, downloaded from an old version's page). None for other documents
    (a decision's file)."""
    form = (
        Form.objects.filter(Q(document_id=document.pk) | Q(print_document_id=document.pk))
        .order_by("-live", "pk")
        .only("pk", "code", "title", "live")
        .first()
    )
    if form is not None:
        return FormName(form.pk, form.code, form.title, form.live)
    candidates = ProcedureVersion.objects.mentioning("document_id", document.pk).order_by("-pk")
    candidates = candidates.values_list("snapshot", flat=True)
    for snapshot in candidates:
        for component in snapshot.get("dossier", []):
            named = component.get("form") or {}
            files = [named.get("document_id"), *(file.get("document_id") for file in named.get("files", []))]
            if document.pk in files:
                counted = Form.objects.filter(pk=named.get("form_id")).exists()
                return FormName(named.get("form_id"), named.get("code", ""), named.get("title", ""), counted)
    return None


# --- serving ------------------------------------------------------------------------------------


def _serve(request, document, cache_control, find_form):
    for hook in hooks.get_hooks("before_serve_document"):
        result = hook(document, request)
        if isinstance(result, HttpResponse):
            return result
    document_served.send(sender=type(document), instance=document, request=request)

    file_hash, size = _file_metadata(document)
    modified = _last_modified(document)
    form = find_form()
    extension = document.file_extension.lower()
    headers = HttpResponse()
    headers["Content-Type"] = content_type(extension)
    headers["Content-Disposition"] = content_disposition(*_download_name(document, form, extension))
    headers["ETag"] = f'"{file_hash}"'
    headers["Last-Modified"] = http_date(modified)
    headers["Cache-Control"] = cache_control if _shareable(request, document) else PRIVATE_CACHE_CONTROL
    headers["Accept-Ranges"] = "bytes"
    headers["X-Content-Type-Options"] = "nosniff"
    if getattr(settings, "WAGTAILDOCS_BLOCK_EMBEDDED_CONTENT", True):
        headers["Content-Security-Policy"] = "default-src 'none'"

    conditional = get_conditional_response(request, etag=headers["ETag"], last_modified=modified, response=headers)
    if conditional is not headers:  # 304 Not Modified, or 412 for a failed If-Match
        return conditional
    if request.method == "HEAD":  # the headers of the whole file; a Range is ignored (RFC 9110)
        headers["Content-Length"] = str(size)
        return headers

    wanted = None
    if _range_applies(request, headers["ETag"], modified):
        wanted = requested_range(request.META.get("HTTP_RANGE"), size)
    if wanted is UNSATISFIABLE:
        refused = _with_headers(HttpResponse(status=416), headers, ("Content-Type", "Content-Disposition"))
        refused["Content-Range"] = f"bytes */{size}"
        return refused
    start, end = wanted or (0, size - 1)
    try:
        stored = document.file.storage.open(document.file.name, "rb")
    except OSError:  # the row outlived its file: as missing as a document that never was
        raise Http404 from None
    response = _with_headers(
        FileResponse(_FileRange(stored, start, end - start + 1), content_type=headers["Content-Type"]), headers
    )
    response["Content-Length"] = str(max(0, end - start + 1))
    if wanted is not None:
        response.status_code = 206
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
    if form is not None and form.counted and start == 0:  # a resumed download is not another one
        record_download(form.form_id, extension)
    return response


def _with_headers(response, source, leave_out=()):
    for name, value in source.items():
        if name not in leave_out:
            response[name] = value
    return response


def _shareable(request, document):
    """Whether a shared cache may keep the answer: not an editor's download, nor a file of a
    collection restricted to some visitors."""
    return not request.user.is_authenticated and not document.collection.get_view_restrictions().exists()


def _file_metadata(document):
    """SHA-1 and size of the file; measured and stored once for a document that lacks them
    (made in code before ``fill_file_metadata`` existed). An update, not a save: no signal,
    no search indexing, and two downloads at once store the same values."""
    if document.file_hash and document.file_size is not None:
        return document.file_hash, document.file_size
    try:
        with document.open_file() as stored:
            file_hash = hash_filelike(stored)
        size = document.file.size
    except OSError:
        raise Http404 from None
    type(document).objects.filter(pk=document.pk).update(file_hash=file_hash, file_size=size)
    document.file_hash, document.file_size = file_hash, size
    return file_hash, size


def _last_modified(document):
    """When the stored file was last written (a file replaced in place before publication is
    newer than its document), as a Unix time; the document's creation where the storage cannot say."""
    try:
        return int(document.file.storage.get_modified_time(document.file.name).timestamp())
    except (NotImplementedError, OSError):
        return int(document.created_at.timestamp())


def content_type(extension):
    custom = getattr(settings, "WAGTAILDOCS_CONTENT_TYPES", {})
    return custom.get(extension) or CONTENT_TYPES.get(extension) or "application/octet-stream"


# --- names --------------------------------------------------------------------------------------

# Characters no file system or browser keeps in a name; "/" and "\" often separate parts of a
# form's code ("Mẫu 01/BHXH"), so they become "-".
_SEPARATORS = str.maketrans({"/": "-", "\\": "-"})
_UNSAFE = re.compile(r'[\x00-\x1f\x7f"*:<>?|]')
_SPACES = re.compile(r"\s+")
_TRAILING = " -.,;_"
# What NFD does not take apart: "đ", and the typographic dashes and quotes of titles typed in a
# word processor ("Mẫu số 04 – Tờ khai"), which would otherwise vanish from the fallback.
_ASCII_LOOKALIKES = str.maketrans({"đ": "d", "Đ": "D", "–": "-", "—": "-", "‘": "'", "’": "'", "“": "", "”": ""})


def _download_name(document, form, extension):
    """(Vietnamese name, extension): the form's "Mẫu số 04 - Tờ khai ...", else the document's title."""
    title = form.name if form is not None else document.title
    if title.lower().endswith(f".{extension}"):
        title = title[: -len(extension) - 1]
    return _clean(title) or "tai-lieu", extension


def _clean(text):
    text = unicodedata.normalize("NFC", str(text)).translate(_SEPARATORS)
    return _SPACES.sub(" ", _UNSAFE.sub(" ", text)).strip(_TRAILING)


def content_disposition(name, extension):
    """``attachment`` with both names (RFC 6266): ``filename`` in ASCII for old clients, then
    ``filename*`` in UTF-8, percent-encoded (RFC 5987), which every current browser prefers."""
    unicode_name = f"{cut_at_word(name, UNICODE_NAME_BYTES, _utf8_length)}.{extension}"
    fallback = f"{cut_at_word(ascii_name(name), ASCII_NAME_LENGTH) or 'tai-lieu'}.{extension}"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(unicode_name, safe='')}"


def ascii_name(text):
    """``text`` without Vietnamese marks ("Tờ khai đề nghị" -> "To khai de nghi"), case kept (as
    ``search.vietnamese.fold`` strips them), printable ASCII only, without quotes or backslashes."""
    decomposed = unicodedata.normalize("NFD", str(text).translate(_ASCII_LOOKALIKES))
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    printable = "".join(char for char in stripped if " " <= char <= "~" and char not in '"\\')
    return _SPACES.sub(" ", printable).strip(_TRAILING)


def cut_at_word(text, limit, measure=len):
    """The longest run of ``text``'s first words whose ``measure`` is at most ``limit``, so the
    name ends between two words, never inside one (a first word longer than that is kept whole)."""
    if measure(text) <= limit:
        return text
    words = text.split(" ")
    kept = words[0]
    for word in words[1:]:
        if measure(f"{kept} {word}") > limit:
            break
        kept = f"{kept} {word}"
    return kept.rstrip(_TRAILING) or kept


def _utf8_length(text):
    return len(text.encode())


# --- byte ranges --------------------------------------------------------------------------------

UNSATISFIABLE = object()
_BYTE_RANGE = re.compile(r"bytes=([0-9]*)-([0-9]*)")


def requested_range(header, size):
    """(first, last) byte of a single range ``Range: bytes=a-b | a- | -n`` within ``size``;
    UNSATISFIABLE when it starts past the end; None to send the whole file: no header, another
    unit, several ranges (allowed by RFC 9110, and a form is small), or a malformed one."""
    match = _BYTE_RANGE.fullmatch((header or "").replace(" ", ""))
    if match is None or match.group(1) == match.group(2) == "":
        return None
    first, last = match.groups()
    if first == "":  # the last n bytes
        count = int(last)
        return UNSATISFIABLE if count == 0 or size == 0 else (max(0, size - count), size - 1)
    start = int(first)
    if last != "" and int(last) < start:
        return None
    if start >= size:
        return UNSATISFIABLE
    return start, size - 1 if last == "" else min(int(last), size - 1)


def _range_applies(request, etag, modified):
    """A Range is honoured unless an If-Range names another version of the file: a strong ETag
    must be the current one, a date the exact Last-Modified; otherwise the whole file is sent."""
    if_range = request.META.get("HTTP_IF_RANGE", "").strip()
    if not if_range:
        return True
    if if_range.startswith(('"', "W/")):
        return if_range == etag  # a weak tag never matches (RFC 9110 13.1.5)
    return parse_http_date_safe(if_range) == modified


class _FileRange:
    """Reads ``length`` bytes of ``stored`` from ``start``, for FileResponse to stream in blocks."""

    def __init__(self, stored, start, length):
        if start:
            stored.seek(start)
        self.stored, self.remaining = stored, max(0, length)

    def read(self, size=-1):
        if self.remaining <= 0:
            return b""
        size = self.remaining if size is None or size < 0 else min(size, self.remaining)
        data = self.stored.read(size)
        self.remaining -= len(data)
        return data

    def close(self):
        self.stored.close()
