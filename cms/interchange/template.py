"""The XLSX template's layout: its sheets and columns, shared by the reader, the writer and the
README (``manage.py export_procedures --template`` writes it empty).

It mirrors the annex of an announcing decision: one sheet lists the procedures (Part I's
columns), the others carry Part II's tables, one row per step, channel, dossier component,
agency or legal basis, keyed by the procedure's code. Decisions, legal documents and forms have
sheets of their own so that a file can announce a new decision in one go.

A pure module: no model, only names and the national standard's vocabularies.
"""

from dataclasses import dataclass

from .. import choices


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    kind: str = "text"  # text, int, money, date, list (separated by ";"), choice
    required: bool = False
    help: str = ""


@dataclass(frozen=True)
class Sheet:
    title: str
    key: str
    columns: tuple
    help: str = ""

    def column(self, field):
        return next(column for column in self.columns if column.field == field)


CODE = Column(
    "Mã thủ tục", "code", required=True, help="Mã thủ tục ở trang “Thủ tục” (thủ tục chưa có mã: ghi đúng tên thủ tục)"
)

PROCEDURES = Sheet(
    "Thủ tục",
    "procedures",
    (
        Column("Mã thủ tục", "code", help="Mã trên CSDL quốc gia, ví dụ 1.001776; để trống nếu chưa có mã"),
        Column("Tên thủ tục", "name", required=True),
        Column("Lĩnh vực", "sector", required=True, help="Tên lĩnh vực đã có trên hệ thống"),
        Column("Cấp thực hiện", "levels", "list", help="Các cấp, cách nhau bằng dấu ;"),
        Column("Loại thủ tục", "procedure_type", "choice"),
        Column("Mức độ dịch vụ công trực tuyến", "online_service", "choice"),
        Column("Số bộ hồ sơ", "dossier_sets", "int"),
        Column("Ghi chú về hồ sơ", "dossier_note"),
        Column("Đối tượng thực hiện", "applicants"),
        Column("Địa chỉ tiếp nhận hồ sơ", "receiving_address"),
        Column(
            "Đường dẫn nộp hồ sơ trực tuyến", "online_submission_url", help="Trang của thủ tục trên Cổng Dịch vụ công"
        ),
        Column("Kết quả thực hiện", "result"),
        Column("Yêu cầu, điều kiện thực hiện", "requirements"),
        Column("Thủ tục liên quan", "related", "list", help="Mã các thủ tục liên quan, cách nhau bằng dấu ;"),
        Column("Quyết định công bố", "decision", help="Số quyết định, ví dụ 1078/QĐ-UBND"),
        Column("Ngày có hiệu lực", "effective_date", "date", help="dd/mm/yyyy"),
        Column("Loại thay đổi", "change_type", "choice", help="Ban hành mới; Sửa đổi, bổ sung; Thay thế; Bãi bỏ"),
        Column("Nội dung thay đổi", "change_note"),
        Column("Được thay thế bởi", "replaced_by", help="Mã thủ tục thay thế (khi thủ tục bị thay thế)"),
    ),
    "Mỗi dòng một thủ tục (Phần I của phụ lục quyết định công bố).",
)
STEPS = Sheet(
    "Trình tự",
    "steps",
    (
        CODE,
        Column("Tên bước", "title", required=True),
        Column("Nội dung", "description"),
        Column("Thời gian", "time_allowance"),
    ),
    "Mỗi dòng một bước, theo thứ tự thực hiện.",
)
CHANNELS = Sheet(
    "Cách thức",
    "channels",
    (
        CODE,
        Column(
            "Hình thức nộp",
            "channel",
            "choice",
            required=True,
            help="Trực tiếp; Trực tuyến; Dịch vụ bưu chính công ích",
        ),
        Column("Thời hạn giải quyết (ngày làm việc)", "time_limit_days", "int"),
        Column("Thời hạn giải quyết (diễn giải)", "time_limit_text"),
        Column("Phí (đồng)", "fee_amount", "money"),
        Column("Lệ phí (đồng)", "charge_amount", "money"),
        Column("Mô tả phí, lệ phí", "fee_description"),
        Column("Ghi chú", "notes"),
    ),
    "Mỗi dòng một hình thức nộp, với thời hạn và phí, lệ phí (để trống: không quy định).",
)
DOSSIER = Sheet(
    "Hồ sơ",
    "dossier",
    (
        CODE,
        Column("Trường hợp", "case_label"),
        Column("Tên giấy tờ", "name", required=True),
        Column("Bản chính", "originals", "int"),
        Column("Bản sao", "copies", "int"),
        Column("Mẫu đơn, tờ khai", "form_code", help="Số hiệu mẫu, ví dụ Mẫu số 04"),
        Column("Mẫu ban hành kèm theo", "form_legal_document", help="Ví dụ Nghị định 20/2021/NĐ-CP"),
    ),
    "Mỗi dòng một thành phần hồ sơ; mẫu đơn phải có trên hệ thống hoặc ở trang “Biểu mẫu”.",
)
AGENCIES = Sheet(
    "Cơ quan",
    "agencies",
    (
        CODE,
        Column("Vai trò", "role", "choice", help="Cơ quan thực hiện; có thẩm quyền; được ủy quyền; phối hợp"),
        Column("Tên cơ quan", "name", required=True),
    ),
)
LEGAL_BASES = Sheet(
    "Căn cứ pháp lý",
    "legal_bases",
    (
        CODE,
        Column("Văn bản", "document", required=True, help="Loại và số hiệu, ví dụ Nghị định 20/2021/NĐ-CP"),
        Column("Điều, khoản", "provision"),
    ),
)
LEGAL_DOCUMENTS = Sheet(
    "Văn bản",
    "legal_documents",
    (
        Column("Văn bản", "reference", required=True, help="Loại và số hiệu, ví dụ Nghị định 20/2021/NĐ-CP"),
        Column("Trích yếu", "title"),
        Column("Ngày ban hành", "issue_date", "date"),
        Column("Cơ quan ban hành", "issuer"),
    ),
    "Tùy chọn: thông tin các văn bản được trích dẫn.",
)
DECISIONS = Sheet(
    "Quyết định",
    "decisions",
    (
        Column("Số quyết định", "number", required=True),
        Column("Trích yếu", "title", required=True),
        Column("Người ký", "issuer"),
        Column("Ngày ký", "signed_date", "date", required=True),
        Column("Ngày có hiệu lực", "effective_date", "date", required=True),
        Column("Tóm tắt", "summary"),
    ),
    "Quyết định công bố chưa có trên hệ thống (được gửi duyệt cùng các thủ tục).",
)
FORMS = Sheet(
    "Biểu mẫu",
    "forms",
    (
        Column("Số hiệu mẫu", "code", required=True),
        Column("Ban hành kèm theo", "legal_document"),
        Column("Tên mẫu", "title", required=True),
        Column("Định dạng", "format"),
        Column("SHA-1 của tệp", "sha1"),
        Column("Đường dẫn tải", "url"),
    ),
    "Chỉ để tham khảo khi xuất; tệp biểu mẫu được tải lên trong phần quản trị.",
)

# The vocabulary of each choice column: sheets show the Vietnamese labels, records the values.
CHOICE_FIELDS = {
    "procedure_type": choices.ProcedureType,
    "online_service": choices.OnlineService,
    "change_type": choices.ChangeType,
    "channel": choices.Channel,
    "role": choices.AgencyRole,
}

SHEETS = (PROCEDURES, STEPS, CHANNELS, DOSSIER, AGENCIES, LEGAL_BASES, LEGAL_DOCUMENTS, DECISIONS, FORMS)
CHILD_SHEETS = (STEPS, CHANNELS, DOSSIER, AGENCIES, LEGAL_BASES)
LIST_SEPARATOR = ";"
