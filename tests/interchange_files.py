"""Import files for the tests of ``import_procedures`` and ``export_procedures``: XLSX workbooks in
the template's layout, built with openpyxl from the column definitions of
``cms.interchange.template`` (so a renamed header or sheet shows in these tests), rows describing
a procedure as staff type them (choices by their Vietnamese labels, dates as dates), and gathered
records in the shape of ``../shared/data/procedures.json``, three of them copied from it (the folder
is outside the repository, so the tests carry their own copy).

Used by ``tests/test_import.py`` and ``tests/test_export.py``; nothing here writes to the database.
"""

import datetime
import io

from openpyxl import Workbook, load_workbook

from cms.interchange import template

SHEETS = {sheet.key: sheet for sheet in template.SHEETS}


def xlsx(rows, drop_headers=None, omit_sheets=()):
    """A workbook in the template's layout: ``rows`` is {sheet key: [{field: value}]}.

    Every sheet of the template is there with its headers in the template's order (empty sheets
    included), except the keys in ``omit_sheets``. ``drop_headers`` ({sheet key: [field]}) leaves
    columns out, as a file someone trimmed would. Lists are written joined with "; ".
    """
    drop_headers = drop_headers or {}
    workbook = Workbook()
    workbook.remove(workbook.active)
    for sheet in template.SHEETS:
        if sheet.key in omit_sheets:
            continue
        columns = [column for column in sheet.columns if column.field not in drop_headers.get(sheet.key, ())]
        worksheet = workbook.create_sheet(sheet.title)
        worksheet.append([column.header for column in columns])
        for row in rows.get(sheet.key, []):
            unknown = set(row) - {column.field for column in sheet.columns}
            assert not unknown, f"no such column on “{sheet.title}”: {unknown}"
            worksheet.append([_cell(row.get(column.field)) for column in columns])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cell(value):
    if isinstance(value, list | tuple):
        return "; ".join(value)
    return value


def merge(*parts):
    """Several {sheet key: [rows]} put together, sheet by sheet, in order."""
    merged = {}
    for part in parts:
        for key, rows in part.items():
            merged.setdefault(key, []).extend(rows)
    return merged


def read_sheets(content):
    """An XLSX file as {sheet title: [row tuples]} (the header row first)."""
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    sheets = {name: [tuple(row) for row in workbook[name].iter_rows(values_only=True)] for name in workbook.sheetnames}
    workbook.close()
    return sheets


# --- rows describing procedures --------------------------------------------------------------------


def decision_row(number="1078/QĐ-UBND", signed=datetime.date(2025, 8, 1), effective=datetime.date(2025, 8, 15)):
    return {
        "number": number,
        "title": "Về việc công bố thủ tục hành chính mới ban hành, được sửa đổi, bổ sung lĩnh vực Bảo trợ xã hội",
        "issuer": "Chủ tịch Ủy ban nhân dân tỉnh",
        "signed_date": signed,
        "effective_date": effective,
        "summary": "Công bố 03 thủ tục mới và 02 thủ tục sửa đổi, bổ sung.",
    }


def procedure_rows(code, name, decision=None, effective_date=None, form_code="", fee=0, days=10, **fields):
    """One procedure on "Thủ tục" with one row on each of "Trình tự", "Cách thức", "Hồ sơ",
    "Cơ quan" and "Căn cứ pháp lý" (the names those rows give are the factories' ones)."""
    procedure = {
        "code": code,
        "name": name,
        "sector": "Bảo trợ xã hội",
        "levels": ["Cấp tỉnh"],
        "procedure_type": "TTHC không được luật giao cho địa phương quy định hoặc quy định chi tiết",
        "online_service": "Dịch vụ công trực tuyến một phần",
        "dossier_sets": 1,
        "applicants": "Cá nhân, hộ gia đình",
        "receiving_address": "Trung tâm Phục vụ hành chính công tỉnh",
        "result": f"Quyết định giải quyết: {name}",
        "requirements": "",
        "decision": decision,
        "effective_date": effective_date,
        **fields,
    }
    return {
        "procedures": [procedure],
        "steps": [
            {"code": code, "title": "Nộp hồ sơ", "description": "Nộp tại bộ phận một cửa", "time_allowance": ""},
            {"code": code, "title": "Giải quyết", "description": "Sở thẩm định, trình ký", "time_allowance": ""},
        ],
        "channels": [
            {
                "code": code,
                "channel": "Trực tiếp",
                "time_limit_days": days,
                "time_limit_text": "",
                "fee_amount": fee,
                "charge_amount": 0,
            }
        ],
        "dossier": [
            {
                "code": code,
                "case_label": "",
                "name": "Tờ khai đề nghị" if form_code else "Đơn đề nghị",
                "originals": 1,
                "copies": 0,
                "form_code": form_code,
            }
        ],
        "agencies": [{"code": code, "role": "Cơ quan thực hiện", "name": "Sở Lao động – Thương binh và Xã hội"}],
        "legal_bases": [{"code": code, "document": "Nghị định 20/2021/NĐ-CP", "provision": "Điều 11"}],
    }


def page_rows(page):
    """The rows that describe ``page``'s live content exactly, read from the model (not from the
    export): a file announcing it again unchanged. Change the returned rows to amend it."""
    code = page.code
    procedure = {
        "code": code,
        "name": page.title,
        "sector": page.sector.name,
        "levels": [level.name for level in page.levels.all()],
        "procedure_type": str(page.get_procedure_type_display()),
        "online_service": str(page.get_online_service_display()),
        "dossier_sets": page.dossier_sets,
        "dossier_note": page.dossier_note,
        "applicants": page.applicants,
        "receiving_address": page.receiving_address,
        "result": page.result,
        "requirements": page.requirements,
    }
    return {
        "procedures": [procedure],
        "steps": [
            {"code": code, "title": s.title, "description": s.description, "time_allowance": s.time_allowance}
            for s in page.steps.all()
        ],
        "channels": [
            {
                "code": code,
                "channel": str(c.get_channel_display()),
                "time_limit_days": c.time_limit_days,
                "time_limit_text": c.time_limit_text,
                "fee_amount": c.fee_amount,
                "charge_amount": c.charge_amount,
                "fee_description": c.fee_description,
                "notes": c.notes,
            }
            for c in page.submission_channels.all()
        ],
        "dossier": [
            {
                "code": code,
                "case_label": d.case_label,
                "name": d.name,
                "originals": d.originals,
                "copies": d.copies,
                "form_code": d.form.code if d.form_id else "",
                "form_legal_document": str(d.form.legal_document) if d.form_id and d.form.legal_document_id else "",
            }
            for d in page.dossier_components.all()
        ],
        "agencies": [
            {"code": code, "role": str(a.get_role_display()), "name": a.agency.name} for a in page.agency_roles.all()
        ],
        "legal_bases": [
            {"code": code, "document": str(b.legal_document), "provision": b.provision} for b in page.legal_bases.all()
        ],
    }


# --- gathered records --------------------------------------------------------------------------------

# Three records copied as they are from ../shared/data/procedures.json (items 1, 2 and 18): the demo
# content has the first by code and the second by name (it has no code); the third is not in the demo
# (its name carries the portal's "CX - " prefix). The fourth is made for these tests in the same
# shape: a code, a sector with a note in brackets, two channels and a decree as legal basis.
GATHERED = [
    {
        "code": "1.010803",
        "full_code": "1.010803.000.00.00.H62",
        "name": "Giải quyết chế độ trợ cấp thờ cúng liệt sĩ.",
        "field": "Người có công",
        "level": "Tỉnh (liên thông xã - huyện - tỉnh)",
        "implementing_agency": (
            "Ủy ban Nhân dân xã, phường, thị trấn; Sở Lao động - Thương binh và Xã hội; Phòng "
            "Lao động - Thương binh và Xã hội"
        ),
        "submission_methods": ["Trực tiếp", "Dịch vụ bưu chính"],
        "processing_time": "27 ngày làm việc (xã 05, Phòng 10, Sở 12 theo các bước)",
        "fee": "Phí: Không; Lệ phí: Không",
        "applicant_type": "Tổ chức hoặc cá nhân",
        "result": "Quyết định trợ cấp thờ cúng liệt sĩ.",
        "dossier": (
            "Đơn đề nghị hưởng trợ cấp thờ cúng liệt sĩ có xác nhận của UBND cấp xã; Biên bản "
            "ủy quyền (theo Bước 1); số lượng 01 bộ"
        ),
        "forms": None,
        "legal_basis": ["Thông tư 05/2013/TT-BLĐTBXH", "Nghị định 31/2013/NĐ-CP", "Pháp lệnh 04/2012/UBTVQH13"],
        "announcing_decision": None,
        "notes": (
            "Portal label 'DVC Một phần'. Legal basis shown is pre-Nghị định 131/2021 (as displayed on the page)."
        ),
        "source": ("https://dichvucong.vinhphuc.gov.vn/dichvucong/tra-cuu/chi-tiet-thu-tuc?ma-thu-tuc=27904"),
    },
    {
        "code": None,
        "full_code": None,
        "name": "Cấp giấy giới thiệu đi thăm viếng mộ liệt sĩ và hỗ trợ thăm viếng mộ liệt sĩ",
        "field": "Người có công",
        "level": "Huyện",
        "implementing_agency": "Phòng Lao động - Thương binh và Xã hội",
        "submission_methods": ["Trực tiếp", "Dịch vụ bưu chính"],
        "processing_time": "04 ngày làm việc",
        "fee": None,
        "applicant_type": None,
        "result": None,
        "dossier": (
            "Bản sao giấy chứng nhận gia đình liệt sĩ hoặc bản sao Bằng Tổ quốc ghi công (1 "
            "bản); Đơn đề nghị thăm viếng mộ liệt sĩ (mẫu số 11-MLS) (1 bản chính, file 11 - "
            "MLS.docx); một trong các giấy tờ: Giấy báo tin mộ liệt sĩ của Sở LĐTBXH / giấy "
            "xác nhận mộ liệt sĩ của cơ quan quản lý nghĩa trang / Giấy xác nhận của Sở "
            "LĐTBXH / Giấy báo tử"
        ),
        "forms": ["Mẫu số 11-MLS (Đơn đề nghị thăm viếng mộ liệt sĩ) - attached as '11 - MLS.docx'"],
        "legal_basis": None,
        "announcing_decision": None,
        "notes": (
            "National portal detail page (internal id 148820); code not shown in excerpt. "
            "11-MLS comes from TTLT 13/2014/TTLT-BLĐTBXH-BTC (per dinhhoa.thainguyen.gov.vn "
            "page)."
        ),
        "source": ("https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh-chi-tiet.html?ma_thu_tuc=148820"),
    },
    {
        "code": None,
        "full_code": None,
        "name": "CX - Tiếp nhận đối tượng tự nguyện vào sống ở cơ sở bảo trợ xã hội, nhà xã hội",
        "field": "Bảo trợ xã hội",
        "level": "Huyện (UBND huyện Trà Cú)",
        "implementing_agency": None,
        "submission_methods": ["Trực tiếp tại cơ quan hành chính nhà nước"],
        "processing_time": None,
        "fee": "Không",
        "applicant_type": None,
        "result": None,
        "dossier": (
            "Đơn của đối tượng hoặc người giám hộ (mẫu 8); Sơ yếu lý lịch (mẫu 9); Tờ khai đề "
            "nghị trợ giúp xã hội (mẫu 1c); bản sao giấy khai sinh (trẻ em); Hợp đồng dịch vụ "
            "chăm sóc; giấy tờ khác; 01 bộ"
        ),
        "forms": None,
        "legal_basis": None,
        "announcing_decision": None,
        "notes": "Phiếu hướng dẫn (printable guidance sheet) format.",
        "source": "https://dichvucong.travinh.gov.vn/block/phieu-huong-dan/thu-tuc/20225",
    },
    {
        "code": "1.009999",
        "full_code": None,
        "name": "Hỗ trợ học nghề cho người khuyết tật (bản ghi thử)",
        "field": "Giáo dục nghề nghiệp (đào tạo nghề)",
        "level": "Tỉnh",
        "implementing_agency": "Sở Lao động – Thương binh và Xã hội",
        "submission_methods": ["Trực tiếp", "Trực tuyến"],
        "processing_time": "15 ngày làm việc",
        "fee": "Không",
        "applicant_type": "Người khuyết tật",
        "result": "Quyết định hỗ trợ học nghề",
        "dossier": "Đơn đề nghị; giấy xác nhận khuyết tật",
        "forms": None,
        "legal_basis": ["Nghị định 20/2021/NĐ-CP"],
        "announcing_decision": None,
        "notes": None,
        "source": "https://dichvucong.example.gov.vn/thu-tuc/1.009999",
    },
]
