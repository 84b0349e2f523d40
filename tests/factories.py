"""Small builders for test content: a site tree, fully populated procedures, documents and the
users of each role."""

import datetime
import itertools

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model

from cms import roles
from cms.demo.form_files import make_form_docx
from cms.demo.loader import DemoLoader
from cms.models import (
    Agency,
    AnnouncingDecision,
    DossierComponent,
    Form,
    ImplementationLevel,
    LegalBasis,
    LegalDocument,
    ProcedureAgency,
    ProcedurePage,
    ProcedureStep,
    Sector,
    SubmissionChannel,
)

_sequence = itertools.count(1)


def site_tree():
    """Home page, procedure index and department settings, as the demo loader makes them."""
    loader = DemoLoader(
        {"department": {"department_name": "Sở Lao động – Thương binh và Xã hội", "province_name": "Tỉnh Thử Nghiệm"}}
    )
    home = loader.load_site_tree()
    loader.load_settings(home)
    return home, loader.index


def level(slug="cap-tinh", name="Cấp tỉnh", sort_order=1):
    return ImplementationLevel.objects.get_or_create(slug=slug, defaults={"name": name, "sort_order": sort_order})[0]


def sector(name="Bảo trợ xã hội"):
    return Sector.objects.get_or_create(name=name)[0]


def agency(name="Sở Lao động – Thương binh và Xã hội", **extra):
    return Agency.objects.get_or_create(name=name, defaults=extra)[0]


def legal_document(number="20/2021/NĐ-CP", kind=LegalDocument.Kind.DECREE, **extra):
    defaults = {
        "title": "Quy định chính sách trợ giúp xã hội",
        "issue_date": datetime.date(2021, 3, 15),
        "issuer": "Chính phủ",
        **extra,
    }
    return LegalDocument.objects.get_or_create(kind=kind, number=number, defaults=defaults)[0]


def decision(number="1023/QĐ-UBND", effective_date=datetime.date(2022, 5, 10), **extra):
    existing = AnnouncingDecision.objects.filter(number=number).first()
    if existing:
        return existing
    item = AnnouncingDecision(
        number=number,
        title=extra.pop("title", "Về việc công bố thủ tục hành chính"),
        issuer="Chủ tịch UBND tỉnh",
        signed_date=effective_date - datetime.timedelta(days=5),
        effective_date=effective_date,
        live=False,
        **extra,
    )
    item.save()
    item.save_revision().publish()
    return item


def document(filename, title="Tệp biểu mẫu", code="Mẫu số 99"):
    """A document whose file ``filename`` is a real DOCX form carrying ``code`` and ``title``."""
    item = get_document_model()(title=title)
    item.file.save(filename, ContentFile(make_form_docx(code, title)), save=False)
    item.save()
    return item


def form(code="Mẫu số 04", title="Tờ khai đề nghị hỗ trợ chi phí mai táng", legal=None):
    document = get_document_model()(title=f"{code} {title}")
    document.file.save(f"mau-{next(_sequence)}.docx", ContentFile(make_form_docx(code, title)), save=False)
    document.save()
    item = Form(code=code, title=title, legal_document=legal, document=document, live=False)
    item.save()
    item.save_revision().publish()
    return item


def procedure(index, title=None, code="", publish=True, add=True, **overrides):
    """A procedure with every field of the national standard filled in (``add=False``: unsaved)."""
    number = next(_sequence)
    title = title or f"Hỗ trợ chi phí mai táng số {number}"
    legal = legal_document()
    page = ProcedurePage(
        title=title,
        code=code,
        sector=overrides.pop("sector", None) or sector(),
        procedure_type=ProcedurePage.ProcedureType.NOT_DETAILED,
        online_service=ProcedurePage.OnlineService.PARTIAL,
        dossier_sets=1,
        applicants="Cơ quan, tổ chức, cá nhân tổ chức mai táng",
        result="Quyết định hỗ trợ chi phí mai táng",
        requirements="Đối tượng đang hưởng trợ cấp xã hội hằng tháng",
        receiving_address="Bộ phận một cửa UBND cấp xã",
        announcing_decision=overrides.pop("announcing_decision", None) or decision(),
        effective_date=datetime.date(2022, 5, 10),
        **overrides,
    )
    page.levels = [level()]
    page.steps = [
        ProcedureStep(title="Nộp hồ sơ", description="Nộp tại UBND cấp xã", time_allowance="02 ngày làm việc"),
        ProcedureStep(title="Xét duyệt", description="Phòng thẩm định", time_allowance="03 ngày làm việc"),
    ]
    page.submission_channels = [
        SubmissionChannel(channel="in_person", time_limit_days=5, fee_amount=0, charge_amount=0),
        SubmissionChannel(
            channel="online",
            time_limit_days=5,
            time_limit_text="kể từ ngày nhận đủ hồ sơ",
            fee_amount=150000,
            charge_amount=50000,
            fee_description="Lệ phí cấp giấy",
        ),
    ]
    page.dossier_components = [
        DossierComponent(
            case_label="Trường hợp 1: người chết là đối tượng",
            name="Tờ khai đề nghị",
            originals=1,
            copies=0,
            form=form(),
        ),
        DossierComponent(
            case_label="Trường hợp 1: người chết là đối tượng", name="Bản sao giấy chứng tử", originals=0, copies=1
        ),
    ]
    page.agency_roles = [
        ProcedureAgency(role="implementing", agency=agency()),
        ProcedureAgency(role="competent", agency=agency("Chủ tịch Ủy ban nhân dân cấp huyện")),
        ProcedureAgency(role="coordinating", agency=agency("Ủy ban nhân dân cấp xã")),
    ]
    page.legal_bases = [LegalBasis(legal_document=legal, provision="Điều 11")]
    if not add:
        return page
    index.add_child(instance=page)
    if publish:
        page.save_revision().publish()
    else:
        page.unpublish()
    return ProcedurePage.objects.get(pk=page.pk)


def live_procedure(index):
    """The procedure the moderation and guard tests act on: live, one published version."""
    return procedure(index, title="Hỗ trợ chi phí mai táng", code="1.001731")


# One user per role of the moderation chain (cms.roles), plus the superuser.
ROLE_GROUPS = {"editor": roles.EDITORS, "reviewer": roles.REVIEWERS, "approver": roles.APPROVERS}


def role_users():
    """admin (superuser), editor, reviewer, approver, and a second editor "editor2", so that a
    submission need not come from the person who has to act on it (nobody approves their own).
    The groups must exist (cms.roles.setup_roles_and_workflow)."""
    User = get_user_model()
    created = {"admin": User.objects.create_superuser("admin", "admin@example.gov.vn", "x")}
    for key, group_name in {**ROLE_GROUPS, "editor2": roles.EDITORS}.items():
        created[key] = User.objects.create_user(key, f"{key}@example.gov.vn", "x")
        created[key].groups.add(Group.objects.get(name=group_name))
    return created
