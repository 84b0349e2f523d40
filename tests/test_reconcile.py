"""Reconciliation ("đối chiếu"): another system's list against the official set. The demo file
finds exactly its planted differences; XLSX, CSV and JSON lists (the project's own export shape
too) are read; broken files give a Vietnamese message; the XLSX report, the admin page and the
command."""

import datetime
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from cms.demo.loader import DemoLoader, read_fixture
from cms.interchange.reconcile import ReconciliationError, ReconciliationResult, reconcile_file, report_xlsx
from cms.interchange.reconcile_report import SHEET_NAMES
from tests import factories
from tests.helpers import as_user, republish

pytestmark = [pytest.mark.django_db, pytest.mark.smoke]

ROOT = Path(__file__).resolve().parent.parent
DEMO_FILE = ROOT / "cms" / "demo" / "reconcile_demo.csv"
HEADER = "STT;Mã số TTHC;Tên thủ tục hành chính;Thời hạn giải quyết;Phí, lệ phí;Cấp thực hiện\n"


def csv_bytes(*rows, header=HEADER, bom=False):
    return (("\ufeff" if bom else "") + header + "".join(row + "\n" for row in rows)).encode("utf-8")


def xlsx_bytes(rows):
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def differences(result):
    return {(item.code, item.field): (item.official, item.theirs) for item in result.differences}


# --- the demo file ------------------------------------------------------------------------------


class TestTheDemoFile:
    """``cms/demo/reconcile_demo.csv`` against the demo content, loaded once for the class
    (conftest.class_transaction) and rolled back after it."""

    @pytest.fixture(scope="class")
    @classmethod
    def demo(cls, class_transaction):
        DemoLoader(read_fixture()).load()

    def test_the_demo_file_finds_exactly_its_planted_differences(self, demo):
        result = reconcile_file(DEMO_FILE.read_bytes(), filename=DEMO_FILE.name)
        assert (result.file_format, result.official_count, result.rows_read, result.matched) == ("CSV", 40, 42, 39)
        assert [(item.code, item.name) for item in result.missing_there] == [
            (
                "1.004941",
                "Đăng ký nhận chăm sóc thay thế cho trẻ em đối với cá nhân, người đại diện gia đình nhận chăm sóc "
                "thay thế không phải là người thân thích của trẻ em",
            )
        ]
        assert [(item.line, item.code, item.reason) for item in result.not_in_force_there] == [
            (7, "1.001776", "unknown_code"),
            (23, "", "abolished"),
            (35, "", "replaced"),
        ]
        abolished, replaced = result.not_in_force_there[1:]
        assert abolished.name.startswith("Cấp lại Giấy chứng nhận đủ điều kiện hoạt động kiểm định")
        assert abolished.detail == "Bãi bỏ từ ngày 01/07/2025"
        assert replaced.detail.startswith("Được thay thế bởi 1.010801 ")
        assert differences(result) == {
            ("1.001699", "time_limit"): ("25 ngày làm việc", "20 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ"),
            ("2.000134", "fee"): ("Phí: Không; Lệ phí: Không", "Phí: 150.000 đồng/hồ sơ; Lệ phí: Không"),
            ("2.000744", "levels"): ("Cấp huyện, Cấp xã", "Cấp xã"),
            ("1.010941", "name"): ("Đăng ký cai nghiện ma túy tự nguyện", "Đăng ký cai nghiệm ma túy tự nguyện"),
        }
        assert len(result.differences) == 4
        assert [item.label for item in result.differences] == [
            "Phí, lệ phí",
            "Thời hạn giải quyết",
            "Cấp thực hiện",
            "Tên thủ tục",
        ]
        assert result.not_compared == [] and result.duplicates == []

    def test_the_command_prints_the_demo_report_and_writes_xlsx(self, demo, tmp_path):
        output = io.StringIO()
        report = tmp_path / "bao-cao.xlsx"
        call_command("reconcile_procedures", str(DEMO_FILE), report=str(report), stdout=output)
        text = output.getvalue()
        assert "Số thủ tục trong bộ thủ tục hiện hành: 40" in text
        assert "Thiếu ở hệ thống kia: 1" in text and "Nội dung khác nhau: 4" in text
        assert "  - 1.004941 Đăng ký nhận chăm sóc thay thế" in text
        assert "dòng 23: Cấp lại Giấy chứng nhận đủ điều kiện hoạt động kiểm định" in text
        assert "Bãi bỏ từ ngày 01/07/2025" in text
        assert "dòng 7: 1.001776 " in text and "Mã không có trong bộ thủ tục" in text
        assert "Bộ thủ tục hiện hành: 25 ngày làm việc" in text
        assert "Hệ thống kia: Đăng ký cai nghiệm ma túy tự nguyện" in text
        workbook = load_workbook(report)
        assert workbook.sheetnames == list(SHEET_NAMES)
        assert workbook["Khác nhau"].max_row == 5  # the header and the four differences


def test_the_command_exits_non_zero_on_a_broken_file(db, tmp_path):
    broken = tmp_path / "danh-muc.csv"
    broken.write_bytes(csv_bytes("1;Hỗ trợ chi phí mai táng", header="STT;Tên thủ tục\n"))
    with pytest.raises(CommandError, match="Không tìm thấy cột mã thủ tục"):
        call_command("reconcile_procedures", str(broken))
    with pytest.raises(CommandError, match="Không mở được tệp"):
        call_command("reconcile_procedures", str(tmp_path / "khong-co.csv"))
    # As cron or a shell runs it: a message on stderr, no traceback, exit status 1. The file is
    # refused before the database is read, so a throwaway database is enough.
    environment = dict(os.environ, DATABASE_URL=f"sqlite:///{tmp_path / 'trong.sqlite3'}")
    environment.pop("ELASTICSEARCH_URL", None)
    finished = subprocess.run(
        [sys.executable, "manage.py", "reconcile_procedures", str(broken)],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert finished.returncode == 1
    assert "Không đối chiếu được tệp" in finished.stderr and "Traceback" not in finished.stderr


# --- a small official set built for each test ---------------------------------------------------


@pytest.fixture
def official(index_page):
    """Two procedures in force (see factories.procedure: 5 days; in person no fee, online
    150.000 + 50.000 đồng; Cấp tỉnh), one abolished and one replaced by the first."""
    burial = factories.procedure(index_page, title="Hỗ trợ chi phí mai táng", code="1.001731")
    worship = factories.procedure(index_page, title="Giải quyết chế độ trợ cấp thờ cúng liệt sĩ", code="1.010800")
    abolished = factories.procedure(index_page, title="Cấp lại giấy chứng nhận kiểm định", code="1.005555")
    republish(abolished, effective_date=datetime.date(2025, 7, 1), change_type="abolished", change_note="Bãi bỏ")
    old = factories.procedure(index_page, title="Hỗ trợ mai táng (cũ)", code="1.000111")
    republish(old, change_type="replaced", replaced_by=burial)
    return {"burial": burial, "worship": worship}


BURIAL_FEE_AND_AGENCIES = ["Phí: 150.000 đồng; Lệ phí: 50.000 đồng", "UBND cấp xã; Sở Lao động - Thương binh và Xã hội"]


def test_an_xlsx_list_with_title_rows_numbers_as_codes_and_agencies(official):
    data = xlsx_bytes(
        [
            ["DANH MỤC THỦ TỤC HÀNH CHÍNH"],
            [],
            ["STT", "Mã thủ tục", "Tên thủ tục", "Thời hạn giải quyết", "Phí, lệ phí (nếu có)", "Cơ quan thực hiện"],
            ["A", None, "Thủ tục hành chính cấp tỉnh", None, None, None],
            [1, "1.001731", "Hỗ trợ chi phí mai táng.", "05 ngày làm việc", *BURIAL_FEE_AND_AGENCIES],
            [2, 1.0108, "GIẢI QUYẾT CHẾ ĐỘ TRỢ CẤP THỜ CÚNG LIỆT SĨ", "07 ngày", "20.000 đồng", "Phòng Y tế"],
            [3, "1.005555", "Cấp lại giấy chứng nhận kiểm định", None, None, None],
            [4, None, "Hỗ trợ mai táng (cũ)", None, None, None],
            [5, "9.999999", "Thủ tục không có", None, None, None],
        ]
    )
    result = reconcile_file(data, "danh-muc.xlsx")
    assert (result.file_format, result.rows_read, result.matched, result.missing_there) == ("XLSX", 5, 2, [])
    assert [(item.line, item.code, item.reason) for item in result.not_in_force_there] == [
        (7, "1.005555", "abolished"),
        (8, "", "replaced"),
        (9, "9.999999", "unknown_code"),
    ]
    official_time = "Trực tiếp: 5 ngày làm việc; Trực tuyến: 5 ngày làm việc, kể từ ngày nhận đủ hồ sơ"
    official_fee = (
        "Trực tiếp: Phí: Không; Lệ phí: Không; Trực tuyến: Phí: 150.000 đồng; Lệ phí: 50.000 đồng (Lệ phí cấp giấy)"
    )
    official_agencies = (
        "Sở Lao động – Thương binh và Xã hội; Chủ tịch Ủy ban nhân dân cấp huyện; Ủy ban nhân dân cấp xã"
    )
    assert differences(result) == {
        ("1.010800", "time_limit"): (official_time, "07 ngày"),
        ("1.010800", "fee"): (official_fee, "20.000 đồng"),
        ("1.010800", "agency"): (official_agencies, "Phòng Y tế"),
    }


def test_csv_with_bom_commas_and_rows_matched_by_name(official):
    data = csv_bytes(
        '1,,Hỗ trợ chi phí mai tang,"5 ngày",Không,Tỉnh',
        '2,1010800,"Giải quyết chế độ trợ cấp thờ cúng liệt sĩ",5 ngày làm việc,'
        '"Lệ phí: Không; Phí: Không","Cấp tỉnh, Cấp xã"',
        header='STT,Mã số TTHC,Tên thủ tục hành chính,Thời hạn giải quyết,"Phí, lệ phí",Cấp thực hiện\n',
        bom=True,
    )
    result = reconcile_file(data)
    assert result.matched == 2 and result.not_in_force_there == [] and result.missing_there == []
    assert differences(result) == {("1.010800", "levels"): ("Cấp tỉnh", "Cấp tỉnh, Cấp xã")}


def test_json_lists_plain_and_wrapped(official):
    items = [
        {"Mã thủ tục": "1.001731", "Tên thủ tục": "Hỗ trợ chi phí mai táng", "Thời hạn giải quyết": "10 ngày"},
        {"code": "1.010800", "name": "Giải quyết chế độ trợ cấp thờ cúng liệt sĩ", "levels": "Cấp xã", "fee": "Không"},
    ]
    for document in (items, {"procedures": items}):
        result = reconcile_file(json.dumps(document, ensure_ascii=False).encode("utf-8"))
        assert (result.file_format, result.matched) == ("JSON", 2)
        assert set(differences(result)) == {("1.001731", "time_limit"), ("1.010800", "levels")}
        assert result.not_compared == []


def test_the_projects_own_json_export_shape(official):
    """What ``export_procedures --format json`` and the API write: structured channels, lists of
    levels and agencies with their roles; compared as structures, not re-parsed from text."""

    same = [
        {"channel": "in_person", "time_limit_days": 5, "time_limit_text": "", "fee_amount": 0, "charge_amount": 0}
        | {"fee_description": "", "notes": ""},
        {"channel": "online", "time_limit_days": 5, "time_limit_text": "kể từ ngày nhận đủ hồ sơ"}
        | {"fee_amount": 150000, "charge_amount": 50000, "fee_description": "Lệ phí cấp giấy", "notes": ""},
    ]
    agencies = [{"role": "implementing", "name": "Sở Lao động – Thương binh và Xã hội"}]
    document = {
        "format": "bo-thu-tuc-hanh-chinh",
        "format_version": 1,
        "procedures": [
            {"code": "1.001731", "name": "Hỗ trợ chi phí mai táng", "levels": ["Cấp tỉnh"], "channels": same}
            | {"agencies": agencies},
            {
                "code": "1.010800",
                "name": "Giải quyết chế độ trợ cấp thờ cúng liệt sĩ",
                "levels": ["Cấp tỉnh", "Cấp huyện"],
                "channels": [dict(same[0], time_limit_days=7, fee_amount=30000)],
                "agencies": [{"role": "implementing", "name": "Phòng Y tế cấp huyện"}],
            },
        ],
    }
    result = reconcile_file(json.dumps(document, ensure_ascii=False).encode("utf-8"))
    assert result.matched == 2 and result.missing_there == [] and result.not_compared == []
    assert set(differences(result)) == {
        ("1.010800", "time_limit"),
        ("1.010800", "fee"),
        ("1.010800", "levels"),
        ("1.010800", "agency"),
    }
    assert differences(result)[("1.010800", "fee")][1] == "Phí: 30.000 đồng; Lệ phí: Không"
    assert differences(result)[("1.010800", "time_limit")] == (
        "Trực tiếp: 5 ngày làm việc; Trực tuyến: 5 ngày làm việc, kể từ ngày nhận đủ hồ sơ",
        "7 ngày làm việc",
    )


def test_fees_that_cannot_be_compared_are_said_so(official):
    data = csv_bytes(
        "1;1.001731;Hỗ trợ chi phí mai táng;;Theo quy định tại Thông tư 85/2019/TT-BTC;",
        "2;1.010800;Giải quyết chế độ trợ cấp thờ cúng liệt sĩ;;Lệ phí cấp giấy;",
    )
    result = reconcile_file(data)
    assert result.differences == []
    assert [(item.code, item.field, item.note) for item in result.not_compared] == [
        ("1.001731", "fee", "Không đọc được số tiền trong nội dung của hệ thống kia.")
    ]


def test_duplicate_codes_are_reported_and_compared_once(official):
    data = csv_bytes(
        "1;1.001731;Hỗ trợ chi phí mai táng;05 ngày;;",
        "2;1.010800;Giải quyết chế độ trợ cấp thờ cúng liệt sĩ;;;",
        "3;1.001731;Hỗ trợ chi phí mai táng (bản cũ);30 ngày;;",
    )
    result = reconcile_file(data)
    assert [(item.code, item.lines) for item in result.duplicates] == [("1.001731", (2, 4))]
    assert result.matched == 2 and result.differences == [] and result.not_in_force_there == []


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "Tệp rỗng"),
        (csv_bytes("1;Hỗ trợ chi phí mai táng", header="STT;Tên thủ tục\n"), "Không tìm thấy cột mã thủ tục"),
        (csv_bytes("1;1.001731", header="STT;Mã thủ tục\n"), "cột tên thủ tục"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe", "không phải bảng tính XLSX, JSON hay CSV"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "Excel 97–2003"),
        (b"PK\x03\x04 not really a zip", "XLSX bị hỏng"),
        (b'{"procedures": [', "Tệp JSON không hợp lệ"),
        (b'{"data": []}', "khóa “procedures”"),
        (b'[{"code": "1.001731"}]', "cột tên thủ tục"),
        (HEADER.encode("utf-8"), "không có thủ tục nào"),
    ],
)
def test_broken_files_give_a_clear_vietnamese_message(db, data, message):
    with pytest.raises(ReconciliationError, match=message):
        reconcile_file(data)


def test_the_xlsx_report_has_its_sheets_and_keeps_their_text_as_text(official):
    data = csv_bytes('1;9.999999;=HYPERLINK("http://example.com");;;', "2;1.001731;Hỗ trợ chi phí mai táng;9 ngày;;")
    result = reconcile_file(data, "danh-muc.csv")
    workbook = load_workbook(io.BytesIO(report_xlsx(result)))
    assert workbook.sheetnames == list(SHEET_NAMES)
    for sheet in workbook.worksheets:
        assert sheet.freeze_panes == "A2" and sheet["A1"].font.bold
    summary = {row[0]: row[1] for row in workbook["Tóm tắt"].iter_rows(min_row=2, values_only=True) if row[0]}
    assert summary["Ngày đối chiếu"].date() == result.made_on
    date_cell = next(row[1] for row in workbook["Tóm tắt"].iter_rows(min_row=2) if row[0].value == "Ngày đối chiếu")
    assert date_cell.number_format == "dd/mm/yyyy"
    assert summary["Thiếu ở hệ thống kia"] == 1 and summary["Nội dung khác nhau"] == 1
    gone = workbook["Không còn hiệu lực"]["D2"]
    assert gone.value == '=HYPERLINK("http://example.com")' and gone.data_type == "s"
    different = list(workbook["Khác nhau"].iter_rows(min_row=2, values_only=True))
    assert different[0][2:7] == (
        "1.001731",
        "Hỗ trợ chi phí mai táng",
        "Thời hạn giải quyết",
        "Trực tiếp: 5 ngày làm việc; Trực tuyến: 5 ngày làm việc, kể từ ngày nhận đủ hồ sơ",
        "9 ngày",
    )
    assert ReconciliationResult.from_dict(json.loads(json.dumps(result.to_dict()))) == result


# --- the admin page -----------------------------------------------------------------------------


def upload(client, data, name="danh-muc.csv"):
    return client.post(reverse("reconcile_procedures"), {"file": SimpleUploadedFile(name, data)})


def test_the_admin_page_reports_and_downloads_xlsx(client, users, official):
    as_user(client, users, "reviewer")
    page = client.get(reverse("reconcile_procedures"))
    assert page.status_code == 200 and "Đối chiếu danh mục thủ tục" in page.content.decode()
    response = upload(client, csv_bytes("1;1.001731;Hỗ trợ chi phí mai táng;9 ngày;;", "2;9.999999;Thủ tục lạ;;;"))
    text = response.content.decode()
    assert response.status_code == 200
    assert "Kết quả đối chiếu" in text and "Tải báo cáo XLSX" in text
    assert "Giải quyết chế độ trợ cấp thờ cúng liệt sĩ" in text  # missing there
    assert "Thủ tục lạ" in text and "Mã không có trong bộ thủ tục" in text
    assert "9 ngày" in text
    download = client.post(reverse("reconcile_procedures"), {"download": "1"})
    assert download.status_code == 200
    assert download["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert "attachment" in download["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(download.content))
    assert workbook.sheetnames == list(SHEET_NAMES)
    assert workbook["Thiếu ở hệ thống kia"]["B2"].value == "1.010800"


def test_odd_uploads_get_a_message_not_an_error(client, users, official):
    as_user(client, users, "approver")
    for data, name, message in [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe", "anh.png", "không phải bảng tính XLSX, JSON hay CSV"),
        (b"", "rong.csv", "Tệp rỗng"),
        ("Kính gửi: Sở Lao động\nDanh sách đính kèm\n".encode(), "thu.csv", "Không tìm thấy cột mã thủ tục"),
        (b"x" * (10 * 1024 * 1024 + 1), "lon.csv", "Tệp lớn hơn 10 MB"),
    ]:
        response = upload(client, data, name)
        assert response.status_code == 200, name
        assert message in response.content.decode(), name
        assert "Kết quả đối chiếu" not in response.content.decode()
    nothing = client.post(reverse("reconcile_procedures"), {})
    assert nothing.status_code == 200 and "Hãy chọn tệp danh mục cần đối chiếu." in nothing.content.decode()
    no_report = client.post(reverse("reconcile_procedures"), {"download": "1"})
    assert no_report.status_code == 302 and no_report["Location"] == reverse("reconcile_procedures")


def test_only_reviewers_approvers_and_administrators_reconcile(client, users):
    url = reverse("reconcile_procedures")
    assert as_user(client, users, "anonymous").get(url).status_code == 302  # to the login page
    as_user(client, users, "editor")
    for refused in (client.get(url), upload(client, csv_bytes("1;1.001731;Hỗ trợ chi phí mai táng;;;"))):
        assert refused.status_code == 302 and refused["Location"] == "/admin/"  # Wagtail's "no permission"
    assert url not in client.get("/admin/").content.decode()  # nor in the menu
    for role in ("reviewer", "approver", "admin"):
        as_user(client, users, role)
        assert client.get(url).status_code == 200, role
        assert url in client.get("/admin/").content.decode(), role  # Báo cáo → Đối chiếu danh mục
