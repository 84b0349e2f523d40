"""Validation of the content model, with the Vietnamese messages editors see."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from cms.models import DossierComponent, ProcedurePage, SubmissionChannel
from tests import factories
from tests.helpers import edit_form_data

pytestmark = [pytest.mark.django_db, pytest.mark.smoke]


def test_negative_fee_is_refused():
    channel = SubmissionChannel(channel="in_person", time_limit_days=5, fee_amount=-1000)
    with pytest.raises(ValidationError) as error:
        channel.full_clean(exclude=["page"])
    assert error.value.message_dict["fee_amount"] == ["Phí không được là số âm."]


def test_negative_charge_is_refused():
    channel = SubmissionChannel(channel="in_person", time_limit_days=5, charge_amount=-1)
    with pytest.raises(ValidationError) as error:
        channel.full_clean(exclude=["page"])
    assert error.value.message_dict["charge_amount"] == ["Lệ phí không được là số âm."]


def test_time_limit_of_zero_days_is_refused():
    channel = SubmissionChannel(channel="online", time_limit_days=0)
    with pytest.raises(ValidationError) as error:
        channel.full_clean(exclude=["page"])
    assert error.value.message_dict["time_limit_days"] == ["Thời hạn giải quyết phải lớn hơn 0 ngày."]


def test_time_limit_needs_days_or_text():
    channel = SubmissionChannel(channel="online")
    with pytest.raises(ValidationError) as error:
        channel.full_clean(exclude=["page"])
    assert "Nhập thời hạn giải quyết" in error.value.message_dict["time_limit_days"][0]
    SubmissionChannel(channel="online", time_limit_text="Trong ngày").full_clean(exclude=["page"])


def test_dossier_component_needs_an_original_or_a_copy():
    component = DossierComponent(name="Đơn đề nghị", originals=0, copies=0)
    with pytest.raises(ValidationError):
        component.full_clean(exclude=["page"])


def test_code_format_is_validated(index_page):
    page = factories.procedure(index_page, code="1.001731")
    page.code = "1-001731"
    with pytest.raises(ValidationError) as error:
        page.full_clean()
    assert "Mã thủ tục có dạng 1.001776" in error.value.message_dict["code"][0]


def test_code_is_unique_among_live_procedures(index_page):
    factories.procedure(index_page, code="1.001731", title="Hỗ trợ chi phí mai táng")
    duplicate = factories.procedure(index_page, code="", title="Thủ tục khác")
    duplicate.code = "1.001731"
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "đã được dùng" in error.value.message_dict["code"][0]


def test_code_of_a_draft_does_not_block_reuse(index_page):
    factories.procedure(index_page, code="1.001731", publish=False)
    other = factories.procedure(index_page, code="")
    other.code = "1.001731"
    other.full_clean()


def test_vietnamese_title_gets_an_ascii_slug(index_page):
    page = factories.procedure(index_page, title="Đăng ký cai nghiện ma túy tự nguyện")
    page.slug = "đăng-ký-cai-nghiện"
    page.full_clean()
    assert page.slug == "dang-ky-cai-nghien"


def _admin_create_data(index_page, steps, channels):
    sector = factories.sector()
    data = nested_form_data(
        {
            "title": "Thủ tục thử nghiệm",
            "slug": "thu-tuc-thu-nghiem",
            "code": "",
            "sector": sector.pk,
            "procedure_type": "not_detailed",
            "online_service": "none",
            "dossier_sets": 1,
            "applicants": "Cá nhân",
            "result": "Quyết định",
            "change_type": "new",
            "steps": inline_formset(steps),
            "submission_channels": inline_formset(channels),
            "dossier_components": inline_formset([]),
            "agency_roles": inline_formset([]),
            "related_procedures": inline_formset([]),
            "legal_bases": inline_formset([]),
            "comments": inline_formset([]),
        }
    )
    data["levels"] = [factories.level().pk]
    return data


def test_editor_sees_vietnamese_errors_for_empty_steps_and_negative_fee(client, admin_user, index_page):
    client.force_login(admin_user)
    url = reverse("wagtailadmin_pages:add", args=("cms", "procedurepage", index_page.pk))
    data = _admin_create_data(
        index_page,
        steps=[],
        channels=[
            {
                "channel": "in_person",
                "time_limit_days": "0",
                "fee_amount": "-5000",
                "time_limit_text": "",
                "charge_amount": "",
                "fee_description": "",
                "notes": "",
            }
        ],
    )
    response = client.post(url, data)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Thủ tục phải có ít nhất một bước trong trình tự thực hiện." in content
    assert "Phí không được là số âm." in content
    assert "Thời hạn giải quyết phải lớn hơn 0 ngày." in content
    assert not ProcedurePage.objects.filter(slug="thu-tuc-thu-nghiem").exists()


def test_editor_can_create_a_valid_procedure_in_the_admin(client, admin_user, index_page):
    client.force_login(admin_user)
    url = reverse("wagtailadmin_pages:add", args=("cms", "procedurepage", index_page.pk))
    data = _admin_create_data(
        index_page,
        steps=[{"title": "Nộp hồ sơ", "description": "", "time_allowance": ""}],
        channels=[
            {
                "channel": "in_person",
                "time_limit_days": "5",
                "fee_amount": "0",
                "time_limit_text": "",
                "charge_amount": "0",
                "fee_description": "",
                "notes": "",
            }
        ],
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    page = ProcedurePage.objects.get(slug="thu-tuc-thu-nghiem")
    assert page.steps.count() == 1 and not page.live


def test_child_rows_made_in_code_are_numbered(index_page):
    """Rows without sort_order would be reordered by the editor and sorted differently per database."""
    page = factories.procedure(index_page)
    for relation in ("steps", "submission_channels", "dossier_components", "agency_roles", "legal_bases"):
        live = [child.sort_order for child in getattr(page, relation).all()]
        draft = [child.sort_order for child in getattr(page.get_latest_revision_as_object(), relation).all()]
        assert live == draft == list(range(len(live))), relation


@pytest.mark.parametrize(
    "slug, expected",
    [
        ("djang-ky-noi-quy-lao-djong", "dang-ky-noi-quy-lao-dong"),  # what Wagtail's JS makes of "Đ"
        ("đăng-ký-nội-quy", "dang-ky-noi-quy"),
        ("", "dang-ky-noi-quy-lao-dong"),
        ("noi-quy", "noi-quy"),  # chosen by the editor: kept
    ],
)
def test_slug_from_the_admin_keeps_d_for_d_stroke(index_page, slug, expected):
    page = factories.procedure(index_page, title="Đăng ký nội quy lao động")
    page.slug = slug
    page.full_clean()
    assert page.slug == expected


def test_editor_cannot_save_a_procedure_after_deleting_all_its_steps(client, admin_user, index_page):
    page = factories.procedure(index_page)
    assert page.steps.count() >= 1
    client.force_login(admin_user)
    data = edit_form_data(page)
    for index in range(page.steps.count()):
        data[f"steps-{index}-DELETE"] = "1"
    data["action-publish"] = "Publish"
    response = client.post(reverse("wagtailadmin_pages:edit", args=(page.pk,)), data)
    assert response.status_code == 200
    assert "Thủ tục phải có ít nhất một bước trong trình tự thực hiện." in response.content.decode()
    assert page.steps.count() >= 1
