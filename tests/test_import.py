"""``manage.py import_procedures`` (issue: import and export of the procedure set): a decision's
XLSX announcing new and amended procedures goes into the workflow as one batch of drafts, a
broken file is refused whole with every problem's place, a re-import changes nothing, gathered
records become drafts that say what they lack, and ``--dry-run`` writes nothing.

The files are built with openpyxl from the template's columns (``tests/interchange_files.py``).
"""

import datetime
import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from wagtail.models import Page, Revision, WorkflowState

from cms import roles
from cms.demo.loader import DemoLoader, read_fixture
from cms.interchange.importer import Options, plan_import, run_import
from cms.models import (
    AnnouncingDecision,
    ImportBatch,
    LegalDocument,
    ProcedurePage,
    ProcedureVersion,
    Sector,
)
from tests import factories
from tests.helpers import as_user, current_task_state, text_of, workflow_action
from tests.interchange_files import GATHERED, decision_row, merge, page_rows, procedure_rows, xlsx

pytestmark = pytest.mark.django_db

DECISION = "1078/QĐ-UBND"
EFFECTIVE = datetime.date(2025, 8, 15)
NEW_CODES = ("1.012345", "1.012346", "1.012347")


def counts():
    """What an import may write, counted."""
    return {
        "pages": Page.objects.count(),
        "procedures": ProcedurePage.objects.count(),
        "revisions": Revision.objects.count(),
        "versions": ProcedureVersion.objects.count(),
        "decisions": AnnouncingDecision.objects.count(),
        "legal_documents": LegalDocument.objects.count(),
        "sectors": Sector.objects.count(),
        "workflow_states": WorkflowState.objects.count(),
        "batches": ImportBatch.objects.count(),
    }


def run_command(path, *args):
    """``import_procedures`` as staff run it: (stdout, stderr), or CommandError with stderr attached."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_procedures", str(path), *args, stdout=out, stderr=err)
    except CommandError as error:
        error.stderr = err.getvalue()
        error.stdout = out.getvalue()
        error.add_note(f"stdout:\n{out.getvalue()}\nstderr:\n{err.getvalue()}")
        raise
    return out.getvalue(), err.getvalue()


def write(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


# --- 1. a decision's file: three new and two amended procedures, one batch in the workflow --------


@pytest.fixture
def existing(index_page, users):
    """Two live procedures (one version each, decision 1023/QĐ-UBND), the form "Mẫu số 04" and
    the names the file uses."""
    factories.level()
    factories.agency()
    factories.legal_document()
    burial = factories.live_procedure(index_page)
    disability = factories.procedure(index_page, title="Xác định mức độ khuyết tật", code="1.001699")
    return {"burial": burial, "disability": disability}


def announcing_file(existing):
    """The decision 1078/QĐ-UBND's annex: 3 new procedures, the burial support's online fee and
    result amended, a step of the disability procedure amended (no change type nor note given)."""
    burial = page_rows(existing["burial"])
    burial["procedures"][0].update(decision=DECISION, effective_date=EFFECTIVE)
    burial["procedures"][0]["result"] = "Quyết định hỗ trợ chi phí mai táng (mức mới)"
    online = next(row for row in burial["channels"] if row["channel"] == "Trực tuyến")
    online["fee_amount"] = 200000
    disability = page_rows(existing["disability"])
    disability["procedures"][0].update(decision=DECISION, effective_date=EFFECTIVE.strftime("%d/%m/%Y"))
    disability["steps"][1]["time_allowance"] = "05 ngày làm việc"
    new = [
        procedure_rows(
            NEW_CODES[0],
            "Hỗ trợ kinh phí nhận chăm sóc người cao tuổi",
            DECISION,
            EFFECTIVE,
            form_code="Mẫu số 04",
            fee=50000,
            days=12,
            change_type="Ban hành mới",
            change_note="Ban hành mới theo Nghị định 20/2021/NĐ-CP",
        ),
        procedure_rows(NEW_CODES[1], "Trợ cấp xã hội hằng tháng cho người đơn thân nghèo", DECISION, EFFECTIVE),
        procedure_rows(NEW_CODES[2], "Hỗ trợ khẩn cấp trẻ em mồ côi", DECISION, EFFECTIVE, days=7),
    ]
    new[2]["legal_bases"].append({"code": NEW_CODES[2], "document": "Thông tư 02/2021/TT-BLĐTBXH", "provision": ""})
    return xlsx(
        merge(
            {"decisions": [decision_row(DECISION)]},
            *new,
            burial,
            disability,
            {
                "legal_documents": [
                    {
                        "reference": "Thông tư 02/2021/TT-BLĐTBXH",
                        "title": "Hướng dẫn thi hành Nghị định 20/2021/NĐ-CP",
                        "issue_date": datetime.date(2021, 6, 24),
                        "issuer": "Bộ Lao động – Thương binh và Xã hội",
                    }
                ]
            },
        )
    )


def approve(client, users, page):
    """The reviewer then the approver approve ``page``'s current task through the admin."""
    for role in ("reviewer", "approver"):
        as_user(client, users, role)
        assert workflow_action(client, page, "approve").status_code == 302


def approve_snippet(item, users):
    """The reviewer then the approver approve a snippet in the workflow (the task's own action)."""
    for role in ("reviewer", "approver"):
        state = WorkflowState.objects.active().for_instance(item).get()
        task_state = state.current_task_state
        task_state.task.specific.on_action(task_state, users[role], "approve")


def test_a_decisions_file_goes_into_the_workflow_as_one_batch(client, tmp_path, users, existing):
    burial, disability = existing["burial"], existing["disability"]
    public_before = text_of(client.get(burial.url))
    live_revisions = {page.pk: page.live_revision_id for page in existing.values()}
    path = write(tmp_path, "qd-1078.xlsx", announcing_file(existing))

    out, _err = run_command(path, "--user", "editor")

    assert "mới: 3" in out and "sửa đổi: 2" in out, out
    batch = ImportBatch.objects.get()
    assert batch.mode == ImportBatch.Mode.WORKFLOW and batch.source_format == "xlsx"
    assert batch.created_by == users["editor"] and batch.source_name == "qd-1078.xlsx"
    assert batch.summary == {"new": 3, "changed": 2}
    procedures = [item for item in batch.items if item["kind"] == "procedure"]
    decisions = [item for item in batch.items if item["kind"] == "decision"]
    assert sorted(item["code"] for item in procedures) == sorted([*NEW_CODES, "1.001699", "1.001731"])
    assert [(item["code"], item["action"]) for item in decisions] == [(DECISION, "new")]
    assert len(batch.items) == 6

    # The new decision: created from the sheet, in moderation, not public.
    decision = AnnouncingDecision.objects.get(number=DECISION)
    assert decisions[0]["object_id"] == decision.pk
    assert (decision.signed_date, decision.effective_date) == (datetime.date(2025, 8, 1), EFFECTIVE)
    assert not decision.live and decision.workflow_in_progress
    assert client.get("/quyet-dinh/").content.decode().count(DECISION) == 0
    # A legal document the file describes on "Văn bản" is created with its details.
    circular = LegalDocument.objects.get(kind="thong_tu", number="02/2021/TT-BLĐTBXH")
    assert circular.title == "Hướng dẫn thi hành Nghị định 20/2021/NĐ-CP"
    assert circular.issue_date == datetime.date(2021, 6, 24)

    pages = {item["code"]: ProcedurePage.objects.get(pk=item["object_id"]) for item in procedures}
    for code, page in pages.items():
        assert page.workflow_in_progress, code
        assert current_task_state(page).task.name == roles.REVIEW_TASK, code
        assert current_task_state(page).workflow_state.requested_by == users["editor"]
    for code in NEW_CODES:
        assert not pages[code].live and not pages[code].versions.exists(), code
        assert client.get(pages[code].url or "/thu-tuc/khong-co/").status_code == 404
    new_draft = pages[NEW_CODES[0]].get_latest_revision_as_object()
    assert new_draft.change_type == "new" and new_draft.announcing_decision == decision
    channel = new_draft.submission_channels.get()
    assert (channel.channel, channel.time_limit_days, channel.fee_amount) == ("in_person", 12, 50000)
    assert new_draft.dossier_components.get().form.code == "Mẫu số 04"
    assert [str(basis.legal_document) for basis in new_draft.legal_bases.all()] == ["Nghị định 20/2021/NĐ-CP"]
    assert [role.agency.name for role in new_draft.agency_roles.all()] == ["Sở Lao động – Thương binh và Xã hội"]

    # Nothing public changed for the amended procedures.
    for key, page in existing.items():
        page = ProcedurePage.objects.get(pk=page.pk)
        assert page.live and page.live_revision_id == live_revisions[page.pk], key
        assert page.versions.count() == 1, key
        assert page.has_unpublished_changes, key
    assert text_of(client.get(burial.url)) == public_before
    assert "mức mới" not in public_before

    # Their change record: the new decision, "sửa đổi, bổ sung", a note naming the changed fields.
    amended = {
        item["code"]: ProcedurePage.objects.get(pk=item["object_id"]).get_latest_revision_as_object()
        for item in procedures
        if item["action"] == "changed"
    }
    assert set(amended) == {"1.001731", "1.001699"}
    for draft in amended.values():
        assert draft.announcing_decision == decision and draft.effective_date == EFFECTIVE
        assert draft.change_type == "amended"
    burial_item = next(item for item in procedures if item["code"] == "1.001731")
    assert burial_item["fields"] == ["cách thức thực hiện (thời hạn, phí, lệ phí)", "kết quả thực hiện"]
    assert amended["1.001731"].change_note == (
        "Sửa đổi, bổ sung: cách thức thực hiện (thời hạn, phí, lệ phí), kết quả thực hiện."
    )
    assert amended["1.001699"].change_note == "Sửa đổi, bổ sung: trình tự thực hiện."

    # The reviewers approve the decision first, then each procedure: all of it goes live.
    approve_snippet(decision, users)
    decision.refresh_from_db()
    assert decision.live and not decision.workflow_in_progress
    for page in pages.values():
        approve(client, users, page)
    for code, page in pages.items():
        page = ProcedurePage.objects.get(pk=page.pk)
        assert page.live and not page.workflow_in_progress and not page.has_unpublished_changes, code
        version = page.versions.order_by("-number").first()
        assert version.decision == decision and version.effective_date == EFFECTIVE, code
        assert version.published_by == users["approver"], code
        if code in NEW_CODES:
            assert (version.number, version.change_type) == (1, "new"), code
        else:
            assert (version.number, version.change_type) == (2, "amended"), code
            assert version.change_note.startswith("Sửa đổi, bổ sung: "), code
    assert ProcedurePage.objects.get(pk=burial.pk).versions.get(number=2).snapshot["channels"][1]["fee_amount"] == (
        200000
    )
    as_user(client, users, "anonymous")
    assert "Quyết định hỗ trợ chi phí mai táng (mức mới)" in text_of(client.get(burial.url))
    assert "05 ngày làm việc" in text_of(client.get(ProcedurePage.objects.get(pk=disability.pk).url))


# --- 2. a broken file: every problem with its place, nothing written --------------------------------


def broken_file():
    """Four problems on "Thủ tục" and "Cách thức", and a sheet without a required column."""
    good = procedure_rows(NEW_CODES[0], "Thủ tục hợp lệ", DECISION, EFFECTIVE)
    good["channels"][0]["fee_amount"] = -5000  # "Cách thức", row 2
    bad_code = procedure_rows("1.23", "Mã sai dạng", DECISION, EFFECTIVE)  # "Thủ tục", row 3
    unknown_sector = procedure_rows(NEW_CODES[1], "Lĩnh vực lạ", DECISION, EFFECTIVE, sector="Lĩnh vực không có")
    duplicate = procedure_rows(NEW_CODES[0], "Trùng mã", DECISION, EFFECTIVE)  # "Thủ tục", row 5
    rows = merge({"decisions": [decision_row()]}, good, bad_code, unknown_sector)
    rows["procedures"].append(duplicate["procedures"][0])
    return xlsx(rows, drop_headers={"agencies": ["name"]})


def test_a_broken_file_is_refused_with_every_problem_and_its_place(tmp_path, existing):
    before = counts()
    path = write(tmp_path, "loi.xlsx", broken_file())

    with pytest.raises(CommandError) as refused:
        run_command(path, "--user", "editor")

    assert "không có thay đổi nào được ghi" in str(refused.value)
    lines = refused.value.stderr.splitlines()
    expected = [
        "Trang “Cơ quan”, dòng 1: Thiếu cột “Tên cơ quan”.",
        "Trang “Thủ tục”, dòng 5, cột “Mã thủ tục”: Mã 1.012345 đã có ở Trang “Thủ tục”, dòng 2.",
        "Trang “Thủ tục”, dòng 3, cột “Mã thủ tục”: Mã “1.23” không đúng dạng 1.001776.",
        "Trang “Thủ tục”, dòng 4, cột “Lĩnh vực”: Lĩnh vực “Lĩnh vực không có” chưa có trên hệ thống.",
        "Trang “Cách thức”, dòng 2, cột “Phí (đồng)”: Số tiền không được là số âm.",
    ]
    for message in expected:
        assert f"  - {message}" in lines, (message, lines)
    # Every problem line names its sheet and row.
    problems = [line for line in lines if line.startswith("  - ")]
    assert len(problems) == len(expected), problems
    assert all(line.startswith("  - Trang “") and ", dòng " in line for line in problems), problems
    assert counts() == before


def test_a_missing_name_column_is_reported_on_its_sheet(tmp_path, existing):
    before = counts()
    rows = merge({"decisions": [decision_row()]}, procedure_rows(NEW_CODES[0], "Không tên", DECISION, EFFECTIVE))
    path = write(tmp_path, "thieu-cot.xlsx", xlsx(rows, drop_headers={"procedures": ["name"]}))

    with pytest.raises(CommandError) as refused:
        run_command(path)

    assert "  - Trang “Thủ tục”, dòng 1: Thiếu cột “Tên thủ tục”." in refused.value.stderr.splitlines()
    assert counts() == before


@pytest.mark.parametrize(
    ("sheet", "field", "value", "message"),
    [
        ("channels", "fee_amount", "-1.000 đồng", "Trang “Cách thức”, dòng 2, cột “Phí (đồng)”: Số tiền không được"),
        ("channels", "charge_amount", "mười nghìn", "Trang “Cách thức”, dòng 2, cột “Lệ phí (đồng)”: “mười nghìn”"),
        ("channels", "time_limit_days", 0, "Trang “Cách thức”, dòng 2, cột “Thời hạn giải quyết (ngày làm việc)”"),
        ("channels", "channel", "Qua mạng xã hội", "Trang “Cách thức”, dòng 2, cột “Hình thức nộp”"),
        ("procedures", "effective_date", "31/02/2025", "Trang “Thủ tục”, dòng 2, cột “Ngày có hiệu lực”"),
        ("procedures", "decision", "9999/QĐ-UBND", "Trang “Thủ tục”, dòng 2, cột “Quyết định công bố”"),
        ("dossier", "form_code", "Mẫu số 99", "Trang “Hồ sơ”, dòng 2, cột “Mẫu đơn, tờ khai”"),
        ("agencies", "name", "Cơ quan không có", "Trang “Cơ quan”, dòng 2, cột “Tên cơ quan”"),
        ("legal_bases", "document", "Công văn không số", "Trang “Căn cứ pháp lý”, dòng 2, cột “Văn bản”"),
        ("steps", "title", "", "Trang “Trình tự”, dòng 2, cột “Tên bước”: Không được để trống."),
    ],
    ids=[
        "negative-fee",
        "fee-in-words",
        "zero-days",
        "unknown-channel",
        "impossible-date",
        "unknown-decision",
        "unknown-form",
        "unknown-agency",
        "unreadable-legal-reference",
        "empty-step",
    ],
)
def test_each_problem_names_its_sheet_row_and_column(tmp_path, users, existing, sheet, field, value, message):
    rows = merge({"decisions": [decision_row()]}, procedure_rows(NEW_CODES[0], "Một thủ tục", DECISION, EFFECTIVE))
    rows[sheet][0][field] = value
    before = counts()

    plan = plan_import(xlsx(rows), Options(user=users["editor"]))

    places = [f"{where}: {problem}" for where, problem in plan.problems]
    assert any(place.startswith(message) for place in places), places
    with pytest.raises(CommandError):
        run_command(write(tmp_path, "loi.xlsx", xlsx(rows)))
    assert counts() == before


def test_a_change_record_the_publication_rules_refuse_stops_the_whole_file(tmp_path, existing):
    """The publication rules' change-record check runs with the file's checks: here the amended
    burial support keeps its current decision and date (1023/QĐ-UBND, 10/05/2022), which a new
    version may not; the new procedure in the same file is not written either."""
    burial = page_rows(existing["burial"])
    burial["procedures"][0].update(decision="1023/QĐ-UBND", effective_date=datetime.date(2022, 5, 10))
    burial["procedures"][0]["result"] = "Kết quả sửa nhưng không có quyết định mới"
    rows = merge(procedure_rows(NEW_CODES[0], "Thủ tục mới", "1023/QĐ-UBND", datetime.date(2022, 5, 10)), burial)
    before = counts()

    with pytest.raises(CommandError) as refused:
        run_command(write(tmp_path, "cong-bo.xlsx", xlsx(rows)), "--publish")

    assert "không có thay đổi nào được ghi" in str(refused.value)
    assert "đã được công bố theo quyết định này" in refused.value.stderr
    assert "Trang “Thủ tục”, dòng 3" in refused.value.stderr  # the burial support's row
    assert counts() == before
    assert not ProcedurePage.objects.filter(code=NEW_CODES[0]).exists()


def test_an_amendment_without_its_own_change_record_is_refused_before_submission(tmp_path, users, existing):
    """A change to a published procedure needs its own decision or effective date (README, "Change
    record of each version"): submitting one without is refused in the editor, and so must an
    import be, by row, instead of filling the workflow with changes no approver can approve."""
    burial = page_rows(existing["burial"])
    burial["procedures"][0].update(decision="1023/QĐ-UBND", effective_date=datetime.date(2022, 5, 10))
    burial["procedures"][0]["result"] = "Kết quả sửa nhưng vẫn theo quyết định cũ"
    before = counts()

    plan = plan_import(xlsx(burial), Options(user=users["editor"]))

    assert [(change.code, change.action) for change in plan.changes] == [("1.001731", "changed")]
    assert any(where.startswith("Trang “Thủ tục”, dòng 2") for where, _message in plan.problems), (
        "BUG (cms/interchange/importer.py, plan_import/_decide: no change-record check outside --publish): an "
        "amendment under the current version's own decision and effective date (1023/QĐ-UBND, 10/05/2022) is "
        f"planned without problem and would be submitted to the workflow; problems: {plan.problems}"
    )
    assert counts() == before


def test_publish_is_for_administrators_only(tmp_path, existing):
    rows = merge({"decisions": [decision_row()]}, procedure_rows(NEW_CODES[0], "Thủ tục mới", DECISION, EFFECTIVE))
    before = counts()
    with pytest.raises(CommandError, match="--publish chỉ dành cho quản trị hệ thống"):
        run_command(write(tmp_path, "a.xlsx", xlsx(rows)), "--publish", "--user", "approver")
    assert counts() == before


# --- 3. importing the same file twice -------------------------------------------------------------


def initial_load_file(with_decision=True):
    """A new installation's set: three procedures (one with the form "Mẫu số 04") under the
    decision 1078/QĐ-UBND, which the file's "Quyết định" sheet brings ``with_decision``."""
    return xlsx(
        merge(
            {"decisions": [decision_row()] if with_decision else []},
            procedure_rows(NEW_CODES[0], "Hỗ trợ kinh phí nhận chăm sóc", DECISION, EFFECTIVE, form_code="Mẫu số 04"),
            procedure_rows(NEW_CODES[1], "Trợ cấp xã hội hằng tháng", DECISION, EFFECTIVE, fee=20000),
            procedure_rows(
                NEW_CODES[2], "Hỗ trợ khẩn cấp", DECISION, EFFECTIVE, change_type="Ban hành mới", change_note="Mới"
            ),
        )
    )


def publish_file(path):
    """``--publish``; a refusal because of the decision the same file brings is the bug it shows."""
    try:
        return run_command(path, "--publish")
    except CommandError as error:
        if "chưa được phê duyệt công khai" in error.stderr:
            pytest.fail(
                "BUG (cms/interchange/resolve.py, Resolver.create_planned: revision.publish() publishes a copy and "
                "the decision object the pages are given stays live=False): with --publish, a new decision on the "
                f"file's “Quyết định” sheet is published, yet every procedure naming it is refused:\n{error.stderr}"
            )
        raise


@pytest.mark.parametrize("decision_on_sheet", [True, False], ids=["decision-on-sheet", "decision-published-before"])
def test_importing_the_same_file_twice_changes_nothing_the_second_time(tmp_path, index_page, users, decision_on_sheet):
    factories.sector()
    factories.level()
    factories.agency()
    factories.form()
    if not decision_on_sheet:
        factories.decision(DECISION, effective_date=EFFECTIVE)
    path = write(tmp_path, "nap-ban-dau.xlsx", initial_load_file(with_decision=decision_on_sheet))

    out, _err = publish_file(path)
    assert "mới: 3" in out, out
    first = ImportBatch.objects.get()
    assert first.mode == ImportBatch.Mode.PUBLISH and first.summary == {"new": 3}
    pages = ProcedurePage.objects.filter(code__in=NEW_CODES)
    assert pages.count() == 3 and all(page.live and page.versions.count() == 1 for page in pages)
    decision = AnnouncingDecision.objects.get(number=DECISION)
    assert decision.live
    assert all(page.versions.get().decision == decision for page in pages)
    after_first = counts()

    out, _err = publish_file(path)

    for code in NEW_CODES:
        assert f"[không thay đổi] {code} " in out, out
    assert "Tổng cộng: không thay đổi: 3." in out, out
    second = ImportBatch.objects.exclude(pk=first.pk).get()
    assert second.summary == {"unchanged": 3}
    assert sorted(item["action"] for item in second.items) == ["unchanged"] * 3
    assert counts() == {**after_first, "batches": after_first["batches"] + 1}


# --- 4. gathered records: drafts that say what they lack -------------------------------------------


def gathered_counts(pages):
    return {page.pk: (page.live, page.latest_revision_id, page.versions.count()) for page in pages}


def import_gathered(path):
    """The command on gathered records; a crash of the import itself is the bug it shows."""
    try:
        return run_command(path)
    except ValidationError as error:
        pytest.fail(
            "BUG (cms/interchange/importer.py, run_import: page.save_revision(...) validates the whole page): "
            "a gathered record without applicants or result crashes the import with a ValidationError instead "
            f"of becoming a draft that lists what it lacks: {error}"
        )


CX = "CX - Tiếp nhận đối tượng tự nguyện vào sống ở cơ sở bảo trợ xã hội, nhà xã hội"
VOCATIONAL = "Hỗ trợ học nghề cho người khuyết tật (bản ghi thử)"


def check_drafts(drafts, out, client):
    """Each draft: not live, not in moderation, no version, not public; what it lacks is listed."""
    for name, item in drafts.items():
        page = ProcedurePage.objects.get(pk=item["object_id"])
        assert not page.live and not page.workflow_in_progress and not page.versions.exists(), name
        assert page.get_latest_revision() is not None, name
        assert client.get(page.url).status_code == 404, name
        assert "Thiếu trình tự thực hiện (ít nhất một bước)." in item["missing"], item
        assert "Thiếu thành phần hồ sơ (tên giấy tờ, số bản chính, bản sao)." in item["missing"], item
        assert f"[bản nháp (chưa đủ thông tin)] {item['code'] or '(chưa có mã)'} {name}" in out, out
        assert f"thiếu/chưa xác định: {item['missing'][0]}" in out, out


class TestGatheredRecords:
    """Gathered records imported into the demo content, loaded once for the class's tests
    (conftest.class_transaction): each test's own import is rolled back after it."""

    @pytest.fixture(scope="class")
    @classmethod
    def demo(cls, class_transaction):
        DemoLoader(read_fixture()).load()
        factories.role_users()

    def test_gathered_records_become_drafts_that_list_what_they_lack(self, demo, tmp_path, client):
        existing = [
            ProcedurePage.objects.get(code="1.010803"),
            ProcedurePage.objects.get(title__startswith="Cấp giấy giới thiệu đi thăm viếng"),
        ]
        untouched = gathered_counts(existing)
        path = write(tmp_path, "thu-thap.json", json.dumps(GATHERED, ensure_ascii=False))
        before = counts()

        out, _err = import_gathered(path)

        batch = ImportBatch.objects.get()
        assert batch.mode == ImportBatch.Mode.DRAFTS and batch.source_format == "gathered"
        assert batch.summary == {"exists": 2, "draft": 2}
        actions = {item["name"]: item["action"] for item in batch.items}
        assert actions == {
            "Giải quyết chế độ trợ cấp thờ cúng liệt sĩ": "exists",
            "Cấp giấy giới thiệu đi thăm viếng mộ liệt sĩ và hỗ trợ thăm viếng mộ liệt sĩ": "exists",
            CX: "draft",
            VOCATIONAL: "draft",
        }
        assert gathered_counts(existing) == untouched
        assert counts()["procedures"] == before["procedures"] + 2
        assert counts()["versions"] == before["versions"]
        assert counts()["workflow_states"] == before["workflow_states"]  # drafts, not submitted
        drafts = {item["name"]: item for item in batch.items if item["action"] == "draft"}
        check_drafts(drafts, out, client)
        cx = drafts[CX]
        assert "Thiếu đối tượng thực hiện." in cx["missing"] and "Thiếu kết quả thực hiện." in cx["missing"]
        assert "Thiếu thời hạn giải quyết." in cx["missing"]
        draft = ProcedurePage.objects.get(pk=cx["object_id"]).get_latest_revision_as_object()
        assert draft.sector.name == "Bảo trợ xã hội" and [level.name for level in draft.levels.all()] == ["Cấp huyện"]

    def test_a_gathered_record_becomes_a_draft_with_what_could_be_read(self, demo, tmp_path, client):
        """The records the model can hold as a draft (every required text is there); the record
        lacking an applicant and a result is ``test_gathered_records_become_drafts_that_list_what_they_lack``."""
        records = [record for record in GATHERED if record["name"] != CX]
        path = write(tmp_path, "thu-thap.json", json.dumps(records, ensure_ascii=False))
        before = counts()

        out, _err = run_command(path)

        batch = ImportBatch.objects.get()
        assert batch.mode == ImportBatch.Mode.DRAFTS and batch.summary == {"exists": 2, "draft": 1}
        assert counts()["procedures"] == before["procedures"] + 1
        assert counts()["versions"] == before["versions"]
        assert counts()["workflow_states"] == before["workflow_states"]
        drafts = {item["name"]: item for item in batch.items if item["action"] == "draft"}
        check_drafts(drafts, out, client)
        vocational = ProcedurePage.objects.get(code="1.009999").get_latest_revision_as_object()
        assert vocational.sector.name == "Giáo dục nghề nghiệp"  # "(đào tạo nghề)" dropped
        assert [level.name for level in vocational.levels.all()] == ["Cấp tỉnh"]
        assert [(c.channel, c.time_limit_days) for c in vocational.submission_channels.all()] == [
            ("in_person", 15),
            ("online", 15),
        ]
        assert [str(basis.legal_document) for basis in vocational.legal_bases.all()] == ["Nghị định 20/2021/NĐ-CP"]
        assert [role.agency.name for role in vocational.agency_roles.all()] == ["Sở Lao động – Thương binh và Xã hội"]
        assert "Hồ sơ (nguyên văn): Đơn đề nghị; giấy xác nhận khuyết tật" in vocational.dossier_note
        assert not vocational.steps.exists() and not vocational.dossier_components.exists()  # nothing invented

    def test_gathered_records_are_never_published(self, demo, tmp_path):
        path = write(tmp_path, "thu-thap.json", json.dumps(GATHERED, ensure_ascii=False))
        before = counts()

        with pytest.raises(CommandError) as refused:
            run_command(path, "--publish")

        assert "chỉ được nhập thành bản nháp; không dùng --publish với định dạng này" in refused.value.stderr
        assert counts() == before


# --- 8. a dry run: what would change, nothing written ----------------------------------------------


def test_a_dry_run_prints_what_would_change_and_writes_nothing(tmp_path, index_page, existing):
    unchanged = factories.procedure(index_page, title="Trợ giúp xã hội khẩn cấp", code="2.000744")
    again = page_rows(unchanged)
    again["procedures"][0].update(decision=DECISION, effective_date=EFFECTIVE)
    content = announcing_file(existing)
    rows = xlsx(merge({"decisions": [decision_row()]}, again))
    before = counts()

    out, _err = run_command(write(tmp_path, "qd.xlsx", content), "--dry-run", "--user", "editor")
    out_unchanged, _err = run_command(write(tmp_path, "lai.xlsx", rows), "--dry-run")

    for code in NEW_CODES:
        assert f"  [mới] {code} " in out, out
    assert (
        "  [sửa đổi] 1.001731 Hỗ trợ chi phí mai táng — thay đổi: cách thức thực hiện (thời hạn, phí, lệ phí), "
        "kết quả thực hiện" in out
    ), out
    assert "  [sửa đổi] 1.001699 Xác định mức độ khuyết tật — thay đổi: trình tự thực hiện" in out, out
    assert "Tổng cộng: mới: 3, sửa đổi: 2." in out
    assert "Chạy thử (--dry-run): không có thay đổi nào được ghi." in out
    assert "  [không thay đổi] 2.000744 Trợ giúp xã hội khẩn cấp" in out_unchanged, out_unchanged
    assert "Tổng cộng: không thay đổi: 1." in out_unchanged
    assert counts() == before
    assert not AnnouncingDecision.objects.filter(number=DECISION).exists()


def test_the_python_api_plans_without_writing_and_runs_the_plan(index_page, users, existing):
    before = counts()
    plan = plan_import(announcing_file(existing), Options(dry_run=True, user=users["editor"]))

    assert plan.kind == "xlsx" and plan.problems == []
    assert {change.code: change.action for change in plan.changes} == {
        **dict.fromkeys(NEW_CODES, "new"),
        "1.001731": "changed",
        "1.001699": "changed",
    }
    assert plan.summary == {"new": 3, "changed": 2}
    assert counts() == before

    plan = plan_import(announcing_file(existing), Options(user=users["editor"], source_name="qd.xlsx"))
    batch = run_import(plan)
    assert batch == ImportBatch.objects.get() and batch.mode == ImportBatch.Mode.WORKFLOW
    assert counts()["procedures"] == before["procedures"] + 3
    assert counts()["workflow_states"] == before["workflow_states"] + 6  # five procedures and the decision
    assert counts()["versions"] == before["versions"]
