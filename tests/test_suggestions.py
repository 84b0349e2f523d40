"""Suggestions as you type (search/suggest.py, /tim-kiem/goi-y/): names of the current set with or
without diacritics, the last word typed in part, codes, a constant cost, odd query strings."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from search import suggest
from search.suggest import suggestions
from tests import factories
from tests.helpers import republish

pytestmark = [pytest.mark.smoke, pytest.mark.django_db]

STARTS = "Trợ cấp mai táng cho thân nhân người có công"
WORSHIP = "Giải quyết chế độ trợ cấp thờ cúng liệt sĩ"
EMERGENCY = "Trợ giúp xã hội khẩn cấp"
REHAB = "Đăng ký cai nghiện ma túy tự nguyện"
VOCATIONAL = "Cấp giấy chứng nhận đăng ký hoạt động giáo dục nghề nghiệp"
ABOLISHED = "Trợ cấp một lần đã bãi bỏ"
REPLACED = "Trợ cấp hằng tháng đã được thay thế"
DRAFT = "Trợ cấp trong bản nháp chưa công bố"


def titles(items):
    return [item["title"] for item in items]


class TestSuggestions:
    """Eight procedures, five in force, built once for the class's tests, which only read them
    (conftest.class_transaction)."""

    @pytest.fixture(scope="class")
    @classmethod
    def built(cls, class_transaction):
        index_page = factories.site_tree()[1]
        made = {
            "starts": factories.procedure(index_page, title=STARTS, code="1.000101"),
            "worship": factories.procedure(index_page, title=WORSHIP, code="1.010803"),
            "emergency": factories.procedure(index_page, title=EMERGENCY, code="2.000744"),
            "rehab": factories.procedure(index_page, title=REHAB, code="1.010941"),
            "vocational": factories.procedure(index_page, title=VOCATIONAL),
        }
        abolished = factories.procedure(index_page, title=ABOLISHED, code="1.000102")
        republish(abolished, change_type="abolished", effective_date=datetime.date(2023, 1, 1), change_note="Bãi bỏ")
        replaced = factories.procedure(index_page, title=REPLACED, code="1.000103")
        republish(replaced, change_type="replaced", replaced_by=made["starts"], change_note="Thay thế")
        factories.procedure(index_page, title=DRAFT, publish=False)
        return made

    @pytest.mark.parametrize("query", ["trợ cấp", "tro cap", "TRỢ CẤP", "Tro  Cap ", "tro ca", "trợ cấ", "tro c"])
    def test_with_or_without_diacritics_and_a_partial_last_word(self, built, query, caplog):
        found = titles(suggestions(query))
        assert not caplog.records, "answered by the fallback, not by the default backend"
        assert found[0] == STARTS, query  # the name that begins with what was typed comes first
        assert {STARTS, WORSHIP, EMERGENCY} <= set(found), (query, found)
        # Then the names with the words in that order, then those with the words anywhere.
        assert found.index(WORSHIP) < found.index(EMERGENCY), (query, found)
        assert not {ABOLISHED, REPLACED, DRAFT} & set(found), (query, found)  # only the current set

    @pytest.mark.parametrize("query", ["đăng ký", "dang ky", "Đăng Ký", "dang k", "đang ky", "DANG KY"])
    def test_d_and_đ_are_the_same_letter(self, built, query):
        found = titles(suggestions(query))
        assert found == [REHAB, VOCATIONAL], query

    def test_names_beginning_with_the_query_come_first(self, built):
        found = titles(suggestions("cap"))
        beginning = [title for title in found if title.startswith("Cấp")]
        assert beginning == [VOCATIONAL]
        assert found[0] == VOCATIONAL and len(found) > 1

    @pytest.mark.parametrize("query", ["1.010941", "1010941", " 1.010941 "])
    def test_a_code_gives_its_procedure(self, built, query):
        assert suggestions(query) == [
            {"title": REHAB, "code": "1.010941", "url": "/thu-tuc/dang-ky-cai-nghien-ma-tuy-tu-nguyen/"}
        ]

    def test_an_abolished_procedure_is_never_suggested(self, built):
        assert suggestions("1.000102") == []
        assert suggestions("1.000103") == []  # replaced
        assert suggestions("bai bo") == []
        assert suggestions("ban nhap") == []

    def test_each_item_has_title_code_and_url(self, built, client):
        (item,) = [item for item in suggestions("tho cung") if item["title"] == WORSHIP]
        assert item == {"title": WORSHIP, "code": "1.010803", "url": built["worship"].url}
        assert client.get(item["url"]).status_code == 200

    def test_limit(self, built):
        assert len(suggestions("tro")) >= 3
        assert len(suggestions("tro", limit=2)) == 2
        assert titles(suggestions("tro c", limit=1)) == [STARTS]  # the one beginning with it
        assert suggestions("tro", limit=0) == []

    @pytest.mark.parametrize("query", ["", " ", "t", "đ", "Ă", "  a  ", "%", "1.", "x" * 101, "trợ cấp " * 20])
    def test_too_short_or_too_long_gives_nothing(self, built, query):
        assert suggestions(query) == []

    def test_the_view_answers_json_a_browser_may_keep_a_minute(self, built, client):
        response = client.get(reverse("search-suggest"), {"q": "tro cap"})
        assert response.status_code == 200
        assert response["Content-Type"] == "application/json"
        assert response["Cache-Control"] == "public, max-age=60"
        data = response.json()
        assert data["query"] == "tro cap"
        assert data["suggestions"][0] == {"title": STARTS, "code": "1.000101", "url": built["starts"].url}
        assert "Trợ cấp" in response.content.decode()  # UTF-8, not \\u escapes
        assert reverse("search-suggest") == "/tim-kiem/goi-y/"

    @pytest.mark.parametrize(
        "query_string",
        [
            "",
            "?q=",
            "?q=%00",
            "?q=tro%00cap",
            "?q=" + "x" * 10_000,
            "?q=" + "tro%20cap%20" * 1000,
            "?q=%ff%fe%fd",
            "?q=tr%c6",
            "?q[]=tro&q[]=cap",
            "?q=tro&q=cap",
            "?q=%22tro",
            "?q=tro*",
            "?q=tro%20AND%20OR%20NOT",
            "?q=NEAR(tro",
            "?q=-tro",
            "?q=%E2%80%8B%E2%80%8B",
            "?q=<script>alert(1)</script>",
            "?q=1.",
            "?q=1.0109411",
            "?q=%25%25",
            "?q=tro&limit=-1&gioi-han=abc",
        ],
    )
    def test_odd_query_strings_never_fail(self, built, client, query_string):
        response = client.get("/tim-kiem/goi-y/" + query_string)
        assert response.status_code == 200, query_string
        data = response.json()
        assert set(data) == {"query", "suggestions"} and isinstance(data["suggestions"], list)
        assert len(data["query"]) <= 200 and "\x00" not in data["query"]

    def test_only_get_and_head(self, built, client):
        assert client.head("/tim-kiem/goi-y/?q=tro").status_code == 200
        assert client.post("/tim-kiem/goi-y/", {"q": "tro"}).status_code == 405

    def test_the_default_backend_failing_falls_back_to_the_database(self, built, monkeypatch, settings):
        backends = settings.WAGTAILSEARCH_BACKENDS
        settings.WAGTAILSEARCH_BACKENDS = {**backends, "database": backends.get("database", backends["default"])}
        real = suggest.get_search_backend

        def default_is_down(name="default"):
            backend = real(name)
            if name == "default":

                def refuse(*args, **kwargs):
                    raise ConnectionError("search server down")

                backend.autocomplete = refuse
            return backend

        monkeypatch.setattr(suggest, "get_search_backend", default_is_down)
        assert titles(suggestions("dang ky")) == [REHAB, VOCATIONAL]

    def test_nothing_at_all_when_every_backend_fails(self, built, client, monkeypatch, settings):
        def down(name="default"):
            raise ConnectionError("search server down")

        monkeypatch.setattr(suggest, "get_search_backend", down)
        response = client.get("/tim-kiem/goi-y/", {"q": "dang ky"})
        assert response.status_code == 200 and response.json()["suggestions"] == []
        assert response["Cache-Control"] == "no-store"  # not kept: the next keystroke asks again
        assert "X-Page-Cache" not in response


def _queries_for(query):
    with CaptureQueriesContext(connection) as captured:
        found = suggestions(query)
    return len(captured), found


def test_cost_does_not_grow_with_the_set(index_page, django_assert_max_num_queries):
    for number in range(3):
        factories.procedure(index_page, title=f"Hỗ trợ học nghề nhóm {number}")
    small, found = _queries_for("ho tro hoc")
    assert len(found) == 3
    for number in range(3, 14):
        factories.procedure(index_page, title=f"Hỗ trợ học nghề nhóm {number}")
    with django_assert_max_num_queries(small):
        found = suggestions("ho tro hoc")
    assert len(found) == suggest.DEFAULT_LIMIT
    with django_assert_max_num_queries(small):
        assert len(suggestions("ho tro hoc", limit=3)) == 3


def test_cached_until_the_next_publication(index_page, client):
    """The public page cache keeps an answer, with its minute for browsers, until a publication."""
    first = factories.procedure(index_page, title="Trợ giúp pháp lý lưu động")
    url = "/tim-kiem/goi-y/?q=tro+giup"
    assert client.get(url)["X-Page-Cache"] == "miss"
    hit = client.get(url)
    assert hit["X-Page-Cache"] == "hit" and hit["Cache-Control"] == "public, max-age=60"
    assert titles(hit.json()["suggestions"]) == [first.title]
    factories.procedure(index_page, title="Trợ giúp người bị mua bán trở về")
    fresh = client.get(url)
    assert fresh["X-Page-Cache"] == "miss"
    assert set(titles(fresh.json()["suggestions"])) == {first.title, "Trợ giúp người bị mua bán trở về"}
