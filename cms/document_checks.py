"""Content checks for uploaded documents (the forms citizens download).

An extension check is not a content check: a ".pdf" must start like a PDF, a ".docx" must be a
ZIP whose [Content_Types].xml declares a Word main part, without macros, and not a ZIP bomb.
A pure module: the admin's document form (``cms.admin.documents``) calls it on upload.
"""

import io
import zipfile

from django import forms
from django.utils.translation import gettext as _

MAX_ZIP_ENTRIES = 2000
MAX_UNCOMPRESSED = 200 * 1024 * 1024
OLE_HEADER = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
OOXML_MAIN_PARTS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
}
ODF_MIMETYPES = {
    "odt": b"application/vnd.oasis.opendocument.text",
    "ods": b"application/vnd.oasis.opendocument.spreadsheet",
}


def check_document_content(name, data):
    """Raise ``forms.ValidationError`` (in Vietnamese) unless ``data`` really is a ``name`` file."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension == "pdf":
        if not data.startswith(b"%PDF-"):
            raise forms.ValidationError(_("Tệp không phải là PDF hợp lệ."))
    elif extension in ("doc", "xls"):
        if not data.startswith(OLE_HEADER):
            raise forms.ValidationError(_("Tệp không phải là tệp Word/Excel (.%(ext)s) hợp lệ.") % {"ext": extension})
    elif extension in OOXML_MAIN_PARTS or extension in ODF_MIMETYPES:
        archive = _open_zip(data)
        names = archive.namelist()
        if any(entry.lower().endswith("vbaproject.bin") for entry in names):
            raise forms.ValidationError(_("Tệp có chứa macro, không được phép tải lên."))
        if extension in OOXML_MAIN_PARTS:
            try:
                content_types = archive.read("[Content_Types].xml").decode("utf-8", "replace")
            except KeyError:
                raise forms.ValidationError(
                    _("Tệp .%(ext)s bị hỏng hoặc không đúng định dạng.") % {"ext": extension}
                ) from None
            if OOXML_MAIN_PARTS[extension] not in content_types:
                raise forms.ValidationError(
                    _("Nội dung tệp không khớp với phần mở rộng .%(ext)s.") % {"ext": extension}
                )
        else:
            try:
                mimetype = archive.read("mimetype").strip()
            except KeyError:
                mimetype = b""
            if mimetype != ODF_MIMETYPES[extension]:
                raise forms.ValidationError(
                    _("Nội dung tệp không khớp với phần mở rộng .%(ext)s.") % {"ext": extension}
                )


def _open_zip(data):
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise forms.ValidationError(_("Tệp bị hỏng hoặc không đúng định dạng.")) from None
    entries = archive.infolist()
    if len(entries) > MAX_ZIP_ENTRIES or sum(entry.file_size for entry in entries) > MAX_UNCOMPRESSED:
        raise forms.ValidationError(_("Tệp nén quá lớn sau khi giải nén."))
    return archive
