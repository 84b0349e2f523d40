"""Generate real, minimal form files: a DOCX to fill in and a PDF to print, nothing downloaded.

The demo has no official form files, so ``load_demo`` writes one DOCX per form (a valid Office
Open XML document that Word opens) and, for some forms, a one-page PDF 1.4 to print, both built
with the standard library only.
"""

import io
import textwrap
import unicodedata
import zipfile
from xml.sax.saxutils import escape

_CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml"
 ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
<Override PartName="/docProps/core.xml"
 ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>
</Types>"""

_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1"
 Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
 Target="word/document.xml"/>
<Relationship Id="rId2"
 Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
 Target="docProps/core.xml"/>
</Relationships>"""

_CORE = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">
<dc:title>{title}</dc:title><dc:language>vi-VN</dc:language>
</cp:coreProperties>"""


def _paragraph(text, bold=False, centered=False, size=None):
    props = ""
    if centered:
        props += '<w:jc w:val="center"/>'
    run_props = ("<w:b/>" if bold else "") + (f'<w:sz w:val="{size}"/>' if size else "")
    return (
        f"<w:p><w:pPr>{props}</w:pPr><w:r><w:rPr>{run_props}</w:rPr>"
        f'<w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'
    )


def make_form_docx(code, title, issued_with="", note="Biểu mẫu minh họa (dữ liệu mẫu)."):
    """Return the bytes of a DOCX whose text carries the form's code and title."""
    paragraphs = [
        _paragraph("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, centered=True),
        _paragraph("Độc lập – Tự do – Hạnh phúc", bold=True, centered=True),
        _paragraph(code, bold=True, centered=True),
        _paragraph(title.upper(), bold=True, centered=True, size=28),
    ]
    if issued_with:
        paragraphs.append(_paragraph(f"(Ban hành kèm theo {issued_with})", centered=True))
    paragraphs += [
        _paragraph("Họ và tên: ....................................................................."),
        _paragraph("Ngày, tháng, năm sinh: ......../......../............"),
        _paragraph("Số định danh cá nhân (CCCD): ..............................................."),
        _paragraph("Nơi cư trú: ...................................................................."),
        _paragraph("Nội dung đề nghị: ..............................................................."),
        _paragraph("........, ngày ..... tháng ..... năm ........"),
        _paragraph("NGƯỜI LÀM ĐƠN (Ký, ghi rõ họ tên)", bold=True),
        _paragraph(note),
    ]
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
        + "".join(paragraphs)
        + "</w:body></w:document>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("docProps/core.xml", _CORE.format(title=escape(f"{code} {title}")))
        archive.writestr("word/document.xml", document)
    return buffer.getvalue()


_ASCII_DASHES = str.maketrans({"đ": "d", "Đ": "D", "–": "-", "—": "-", "“": '"', "”": '"', "’": "'"})


def _ascii(text):
    """``text`` without Vietnamese marks, case kept ("Mẫu số 04" -> "Mau so 04").

    The PDF's page text uses a standard font (no font file embedded, to stay tiny), whose
    encodings lack most Vietnamese letters; the demo's PDFs are sample data and say so. The
    document's title in its metadata keeps the Vietnamese text.
    """
    decomposed = unicodedata.normalize("NFD", str(text).translate(_ASCII_DASHES))
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return stripped.encode("ascii", "ignore").decode("ascii")


def _pdf_string(text):
    return "(" + text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"


def _pdf_text_string(text):
    """A PDF text string in UTF-16BE with its byte order mark, as a hex string (any letter)."""
    return "<" + ("\ufeff" + text).encode("utf-16-be").hex().upper() + ">"


def make_form_pdf(code, title, issued_with="", note="Biểu mẫu minh họa (dữ liệu mẫu)."):
    """Return the bytes of a one-page A4 PDF 1.4 carrying the form's code and title.

    Written by hand: seven objects (catalog, pages, the page, its text, two standard fonts, the
    document information with the Vietnamese title), the cross-reference table with exact
    offsets, no script and no action, so it passes the upload checks (``cms.document_checks``)
    as any file an editor uploads must.
    """
    lines = [
        ("F2", 12, "CONG HOA XA HOI CHU NGHIA VIET NAM"),
        ("F2", 11, "Doc lap - Tu do - Hanh phuc"),
        ("F2", 12, ""),
        ("F2", 13, _ascii(code)),
        *(("F2", 14, part) for part in textwrap.wrap(_ascii(title).upper(), 60)),
    ]
    if issued_with:
        lines.append(("F1", 11, f"(Ban hanh kem theo {_ascii(issued_with)})"))
    lines += [
        ("F1", 11, ""),
        ("F1", 11, "Ho va ten: ............................................................................"),
        ("F1", 11, "Ngay, thang, nam sinh: ......../......../............"),
        ("F1", 11, "So dinh danh ca nhan (CCCD): ..........................................."),
        ("F1", 11, "Noi cu tru: ..........................................................................."),
        ("F1", 11, "Noi dung de nghi: ...................................................................."),
        ("F1", 11, ""),
        ("F1", 11, "........, ngay ..... thang ..... nam ........"),
        ("F2", 11, "NGUOI LAM DON (Ky, ghi ro ho ten)"),
        ("F1", 11, ""),
        ("F1", 9, _ascii(note)),
    ]
    text = ["BT", "56 780 Td"]
    for font, size, line in lines:
        text += [f"/{font} {size} Tf", f"{_pdf_string(line)} Tj", f"0 -{size + 8} Td"]
    text.append("ET")
    content = "\n".join(text).encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R /F2 6 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
        f"<< /Title {_pdf_text_string(f'{code} {title}')} /Producer (load_demo) >>".encode("ascii"),
    ]
    output = io.BytesIO()
    output.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(output.tell())
        output.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = output.tell()
    output.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        output.write(b"%010d 00000 n \n" % offset)
    output.write(b"trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R >>\n" % (len(objects) + 1, len(objects)))
    output.write(b"startxref\n%d\n%%%%EOF\n" % xref)
    return output.getvalue()
