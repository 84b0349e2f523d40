"""The read API (issue 8): filters, look-ups by code and date, history, forms and decisions,
conditional requests, CORS, never anything unpublished, every response valid against /api/schema/."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from openapi_core import OpenAPI
from openapi_core.contrib.django import DjangoOpenAPIRequest, DjangoOpenAPIResponse

from cms.models import Form
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def openapi(django_db_blocker):
    from django.test import Client

    with django_db_blocker.unblock():
        response = Client().get(reverse("api_schema"), {"format": "json"})
    assert response.status_code == 200
    return OpenAPI.from_dict(response.json())


@pytest.fixture
def api(client, openapi):
    """GET through the test client; every response is checked against the OpenAPI description."""

    def get(url, params=None, **headers):
        response = client.get(url, params or {}, **headers)
        if response.status_code == 200:
            openapi.validate_response(DjangoOpenAPIRequest(response.wsgi_request), DjangoOpenAPIResponse(response))
        return response

    return get


@pytest.fixture
def published_set(index_page):
    protection, merit = factories.sector("Bảo trợ xã hội"), factories.sector("Người có công")
    amended = factories.procedure(index_page, title="Hỗ trợ chi phí mai táng", code="1.001731", sector=protection)
    amended.change_type, amended.change_note = "amended", "Tăng mức hỗ trợ"
    amended.announcing_decision = factories.decision("845/QĐ-UBND", effective_date=datetime.date(2025, 7, 1))
    amended.effective_date = datetime.date(2025, 7, 1)
    amended.save_revision().publish()
    other = factories.procedure(index_page, title="Trợ cấp thờ cúng liệt sĩ", code="1.002519", sector=merit)
    factories.procedure(index_page, title="Thủ tục còn là bản nháp", code="1.009999", publish=False)
    return {"amended": amended, "other": other, "protection": protection, "merit": merit}


def codes(response):
    return [item["code"] for item in response.json()["results"]]


def test_the_current_set_with_filters_and_no_drafts(api, published_set):
    response = api(reverse("api_procedures"))
    assert response.status_code == 200
    assert codes(response) == ["1.001731", "1.002519"]
    first = response.json()["results"][0]
    assert first["version"]["number"] == 2 and first["version"]["decision"] == "845/QĐ-UBND"
    assert first["version"]["effective_date"] == "2025-07-01"
    assert first["channels"][1]["fee_amount"] == 150000
    assert first["dossier"][0]["form"]["download_url"].startswith("http://testserver/tai-lieu/")
    assert "sector_id" not in str(response.json())  # no database ids

    assert codes(api(reverse("api_procedures"), {"sector": published_set["merit"].slug})) == ["1.002519"]
    # A mistyped filter is an error, never the whole set (a syncing system would take it for the sector).
    assert api(reverse("api_procedures"), {"level": "khong-co"}).status_code == 400
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    assert codes(api(reverse("api_procedures"), {"changed_since": tomorrow})) == []


def test_one_procedure_now_on_a_date_and_its_history(api, published_set):
    url = reverse("api_procedure", args=("1.001731",))
    assert api(url).json()["version"]["number"] == 2
    assert api(url, {"date": "2024-01-01"}).json()["version"]["number"] == 1
    assert api(url, {"date": "2025-07-01"}).json()["version"]["number"] == 2
    assert api(url, {"date": "2000-01-01"}).status_code == 404
    assert api(url, {"date": "không phải ngày"}).status_code == 404
    assert api(reverse("api_procedure", args=("1.009999",))).status_code == 404  # a draft
    assert api(reverse("api_procedure", args=("9.999999",))).status_code == 404
    history = api(reverse("api_procedure_versions", args=("1.001731",))).json()
    assert [(item["number"], item["change_type"]) for item in history] == [(2, "amended"), (1, "new")]


def test_a_scheduled_change_is_not_served_before_its_time(api, published_set):
    page = published_set["other"]
    page.result = "Kết quả mới, hẹn giờ"
    page.change_type, page.change_note = "amended", "Hẹn giờ"
    page.announcing_decision = factories.decision("846/QĐ-UBND")
    page.go_live_at = timezone.now() + datetime.timedelta(days=3)
    page.save_revision().publish()
    record = api(reverse("api_procedure", args=("1.002519",))).json()
    assert record["version"]["number"] == 1 and record["result"] != "Kết quả mới, hẹn giờ"


def test_forms_and_decisions_are_the_published_ones(api, published_set):
    draft = Form.objects.first()
    draft.pk = None
    draft.code, draft.live = "Mẫu nháp", False
    draft.save()
    forms = api(reverse("api_forms")).json()
    assert forms and all(item["code"] != "Mẫu nháp" for item in forms)
    decisions = [item["number"] for item in api(reverse("api_decisions")).json()]
    assert "845/QĐ-UBND" in decisions


def test_conditional_requests_answer_304(api, published_set):
    url = reverse("api_procedure", args=("1.001731",))
    first = api(url)
    assert first["ETag"]
    assert api(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    history_url = reverse("api_procedure_versions", args=("1.001731",))
    history = api(history_url)
    assert history["Last-Modified"]
    assert api(history_url, HTTP_IF_MODIFIED_SINCE=history["Last-Modified"]).status_code == 304
    listing = api(reverse("api_procedures"))
    assert api(reverse("api_procedures"), HTTP_IF_NONE_MATCH=listing["ETag"]).status_code == 304


def test_a_procedure_leaving_the_set_is_never_answered_304(api, published_set):
    """An abolition taking effect publishes nothing newer: the list must not claim "not modified"."""
    listing = api(reverse("api_procedures"))
    assert "Last-Modified" not in listing  # it could only be the newest version still in the set
    other = published_set["other"]
    other.change_type, other.change_note = "abolished", "Bãi bỏ"
    other.announcing_decision = factories.decision("847/QĐ-UBND")
    other.save_revision().publish()
    after = api(reverse("api_procedures"), HTTP_IF_NONE_MATCH=listing["ETag"])
    assert after.status_code == 200
    assert codes(after) == ["1.001731"]


@pytest.mark.parametrize("code", ["%00", "1.00173%00", "abc", "1.001731'--"])
def test_odd_codes_are_not_found(api, published_set, code):
    assert api(f"/api/v1/procedures/{code}/").status_code == 404
    assert api(f"/api/v1/procedures/{code}/versions/").status_code == 404


def test_cors_allows_reading_only(client, published_set):
    response = client.get(reverse("api_procedures"), HTTP_ORIGIN="https://motcua.example.gov.vn")
    assert response["Access-Control-Allow-Origin"] == "*"
    preflight = client.options(
        reverse("api_procedures"),
        HTTP_ORIGIN="https://motcua.example.gov.vn",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
    )
    assert "POST" not in preflight.get("Access-Control-Allow-Methods", "")
    assert client.post(reverse("api_procedures")).status_code == 405
    # Not under /api/: no CORS headers.
    assert "Access-Control-Allow-Origin" not in client.get("/", HTTP_ORIGIN="https://motcua.example.gov.vn")
