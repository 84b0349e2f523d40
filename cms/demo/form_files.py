"""Generate a real, minimal DOCX file for a form: its code and title, nothing downloaded.

The demo has no official form files, so ``load_demo`` writes one per form. The file is a valid
Office Open XML document (Word opens it), built with the standard library only.
"""

import io
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
