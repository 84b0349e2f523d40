"""Content checks for uploaded documents (the forms citizens download).

An extension check is not a content check. Each accepted format is read for what it is and for
what could run when a citizen opens it:
- PDF: starts like a PDF; no JavaScript, launch or open actions (also inside compressed streams);
- DOC/XLS: a real OLE compound file with the Word/Excel stream, no VBA macro storage;
- DOCX/XLSX: a ZIP whose [Content_Types].xml declares the Word/Excel main part and no macro or
  ActiveX part;
- ODT/ODS: a ZIP with the right mimetype and no Basic or Scripts folder;
- and no ZIP bomb.
A pure module: the admin's document form (``cms.admin.documents``) calls it on upload, then the
optional virus scan.
"""

import io
import re
import zipfile
import zlib

import olefile
from django import forms
from django.utils.translation import gettext as _

MAX_ZIP_ENTRIES = 2000
MAX_UNCOMPRESSED = 200 * 1024 * 1024
OLE_MAIN_STREAMS = {"doc": {"worddocument"}, "xls": {"workbook", "book"}}
OLE_MACRO_STORAGES = {"macros", "_vba_project_cur", "vba", "_vba_project"}
OOXML_MAIN_PARTS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
}
# Content types of parts that carry code: VBA projects, macro-enabled main parts, ActiveX controls.
OOXML_CODE_TYPES = ("vbaproject", "macroenabled", "activex", "ms-office.vbadata")
ODF_MIMETYPES = {
    "odt": b"application/vnd.oasis.opendocument.text",
    "ods": b"application/vnd.oasis.opendocument.spreadsheet",
}
ODF_CODE_FOLDERS = ("basic/", "scripts/")
# PDF names that run something when the file is opened or read; "#xx" escapes are decoded first.
PDF_ACTIONS = re.compile(rb"/(JavaScript|JS|Launch|OpenAction|AA)(?![A-Za-z0-9])")
PDF_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
PDF_STREAM = re.compile(rb"stream\r?\n(.*?)endstream", re.S)


def check_document_content(name, data):
    """Raise ``forms.ValidationError`` (in Vietnamese) unless ``data`` really is a ``name`` file."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension == "pdf":
        _check_pdf(data)
    elif extension in OLE_MAIN_STREAMS:
        _check_ole(data, extension)
    elif extension in OOXML_MAIN_PARTS:
        _check_ooxml(_open_zip(data), extension)
    elif extension in ODF_MIMETYPES:
        _check_odf(_open_zip(data), extension)


def _macro_refused():
    return forms.ValidationError(_("Tệp có chứa macro, không được phép tải lên."))


def _mismatch(extension):
    return forms.ValidationError(_("Nội dung tệp không khớp với phần mở rộng .%(ext)s.") % {"ext": extension})


def _check_pdf(data):
    if not data.startswith(b"%PDF-"):
        raise forms.ValidationError(_("Tệp không phải là PDF hợp lệ."))
    for part in _pdf_parts(data):
        if PDF_ACTIONS.search(PDF_NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), part)):
            raise forms.ValidationError(
                _("Tệp PDF có chứa mã lệnh (JavaScript hoặc hành động tự chạy), không được phép tải lên.")
            )


def _pdf_parts(data):
    """The file itself, then each stream inflated (object streams may hide actions), bounded."""
    yield data
    budget = MAX_UNCOMPRESSED
    for match in PDF_STREAM.finditer(data):
        try:
            inflated = zlib.decompressobj().decompress(match.group(1), budget)
        except zlib.error:
            continue  # not Flate-compressed: already scanned as part of the file
        budget -= len(inflated)
        yield inflated
        if budget <= 0:
            raise forms.ValidationError(_("Tệp nén quá lớn sau khi giải nén."))


def _check_ole(data, extension):
    if not olefile.isOleFile(data=data):
        raise forms.ValidationError(_("Tệp không phải là tệp Word/Excel (.%(ext)s) hợp lệ.") % {"ext": extension})
    try:
        with olefile.OleFileIO(data) as ole:
            entries = [[part.lower() for part in entry] for entry in ole.listdir(streams=True, storages=True)]
    except Exception:  # olefile raises several kinds of errors on a damaged file
        raise forms.ValidationError(_("Tệp .%(ext)s bị hỏng hoặc không đúng định dạng.") % {"ext": extension}) from None
    if any(part in OLE_MACRO_STORAGES for entry in entries for part in entry):
        raise _macro_refused()
    if not any(len(entry) == 1 and entry[0] in OLE_MAIN_STREAMS[extension] for entry in entries):
        raise _mismatch(extension)


def _check_ooxml(archive, extension):
    names = archive.namelist()
    try:
        content_types = archive.read("[Content_Types].xml").decode("utf-8", "replace")
    except KeyError:
        raise forms.ValidationError(_("Tệp .%(ext)s bị hỏng hoặc không đúng định dạng.") % {"ext": extension}) from None
    if any(name.lower().endswith("vbaproject.bin") for name in names) or any(
        code_type in content_types.lower() for code_type in OOXML_CODE_TYPES
    ):
        raise _macro_refused()
    if OOXML_MAIN_PARTS[extension] not in content_types:
        raise _mismatch(extension)


def _check_odf(archive, extension):
    if any(name.lower().startswith(ODF_CODE_FOLDERS) for name in archive.namelist()):
        raise _macro_refused()
    try:
        mimetype = archive.read("mimetype").strip()
    except KeyError:
        mimetype = b""
    if mimetype != ODF_MIMETYPES[extension]:
        raise _mismatch(extension)


def _open_zip(data):
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise forms.ValidationError(_("Tệp bị hỏng hoặc không đúng định dạng.")) from None
    entries = archive.infolist()
    if len(entries) > MAX_ZIP_ENTRIES or sum(entry.file_size for entry in entries) > MAX_UNCOMPRESSED:
        raise forms.ValidationError(_("Tệp nén quá lớn sau khi giải nén."))
    return archive
