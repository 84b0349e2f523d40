"""The search contract: every behaviour of the public search, on every backend configuration.

Run by ``make test`` twice: on PostgreSQL with Elasticsearch ("default") and PostgreSQL's
full-text search ("database"), and on the embedded default, SQLite's full-text search. Each
behaviour is checked on each backend the run has, on the demo set.
"""

from urllib.parse import parse_qsl

import pytest
from django.conf import settings
from django.db import connection

from search import facets as facet_module
from search.query import CODE, CORRECTED, PARTIAL, run_search

pytestmark = pytest.mark.smoke

BACKENDS = list(settings.WAGTAILSEARCH_BACKENDS)


def configuration(name):
    backend = settings.WAGTAILSEARCH_BACKENDS[name]["BACKEND"]
    return "elasticsearch" if "elasticsearch" in backend else f"{connection.vendor}-database"


@pytest.fixture(params=BACKENDS, ids=lambda name: f"{name}:{configuration(name)}")
def backend(request, demo_set, db):
    return request.param


def titles(outcome, n=None):
    return [page.title for page in outcome.page.object_list][:n]


def codes(outcome):
    return [page.code for page in outcome.page.object_list]


# --- ranking -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query, first",
    [
        ("1.001731", "Hỗ trợ chi phí mai táng cho đối tượng bảo trợ xã hội"),
        ("1001731", "Hỗ trợ chi phí mai táng cho đối tượng bảo trợ xã hội"),
        (
            "ho tro chi phi mai tang cho doi tuong bao tro xa hoi",
            "Hỗ trợ chi phí mai táng cho đối tượng bảo trợ xã hội",
        ),
        (
            "đăng ký nội quy lao động",
            "Đăng ký nội quy lao động (doanh nghiệp, hộ kinh doanh sử dụng từ 10 người lao động trở lên)",
        ),
        ("tro cap tho cung liet si", "Giải quyết chế độ trợ cấp thờ cúng liệt sĩ"),
    ],
)
def test_exact_name_phrase_and_code_come_first(backend, query, first):
    assert titles(run_search(query, backend_name=backend), 1) == [first]


def test_code_is_looked_up_exactly(backend):
    outcome = run_search("1.001731", backend_name=backend)
    assert outcome.mode == CODE and codes(outcome) == ["1.001731"]


def test_name_matches_rank_above_body_matches(backend):
    outcome = run_search("tro cap", per_page=50, backend_name=backend)
    in_name = [
        "tro cap" in " ".join(page.title.lower().split()) or "trợ cấp" in page.title.lower()
        for page in outcome.page.object_list
    ]
    # Every procedure with the words in its name comes before every one with them elsewhere only.
    assert in_name == sorted(in_name, reverse=True) and any(in_name) and not all(in_name)


def test_every_backend_puts_the_same_procedure_first(demo_set, db):
    queries = ["mai tang phi", "giay phep lao dong", "tro cap", "nguoi khuyet tat", "cai nghien"]
    firsts = {name: [titles(run_search(q, backend_name=name), 1) for q in queries] for name in BACKENDS}
    assert len({tuple(map(tuple, value)) for value in firsts.values()}) == 1, firsts


def test_current_procedures_rank_above_replaced_and_abolished_ones(backend):
    outcome = run_search("che do uu dai than nhan", {"bai-bo": "1"}, backend_name=backend)
    in_force = [page.is_in_force for page in outcome.page.object_list]
    assert False in in_force and in_force == sorted(in_force, reverse=True)


def test_abolished_only_when_asked(backend):
    query = "kiem dinh chat luong giao duc"
    abolished = "cap-lai-giay-chung-nhan-du-dieu-kien-hoat-dong-kiem-dinh-chat-luong-giao-duc"
    assert abolished not in [page.slug for page in run_search(query, backend_name=backend).page.object_list]
    assert abolished in [
        page.slug for page in run_search(query, {"bai-bo": "1"}, backend_name=backend).page.object_list
    ]


def test_nothing_with_every_word_falls_back_to_partial_matches(backend):
    outcome = run_search("tro cap mai tang xyzzyq", backend_name=backend)
    assert outcome.mode == PARTIAL and outcome.count > 0
    assert "mai táng" in titles(outcome, 1)[0].lower()


def test_misspelt_words_are_corrected_from_procedure_names(backend):
    outcome = run_search("tro cpa mai tang", backend_name=backend)
    assert outcome.mode == CORRECTED and outcome.searched_for == "tro cap mai tang"
    assert outcome.count > 0


def test_pages_follow_one_another_without_repeats(backend):
    first = run_search("tro cap", per_page=5, backend_name=backend)
    second = run_search("tro cap", page_number=2, per_page=5, backend_name=backend)
    whole = run_search("tro cap", per_page=50, backend_name=backend)
    assert first.count == second.count == whole.count > 10
    assert titles(first) + titles(second) == titles(whole)[:10]


# --- results -------------------------------------------------------------------------------------


def test_query_words_are_marked_in_the_name_and_the_passage(backend):
    page = run_search("tro cap tho cung", backend_name=backend).page.object_list[0]
    assert "<mark>trợ</mark> <mark>cấp</mark> <mark>thờ</mark> <mark>cúng</mark>" in page.marked_title
    assert "<mark>" in page.passage and len(page.passage) < 400


def test_marks_escape_what_they_mark(backend):
    page = run_search("noi quy lao dong", backend_name=backend).page.object_list[0]
    assert "(doanh nghiệp" in page.marked_title and "<script" not in page.marked_title


def test_time_limit_and_fee_at_a_glance(backend):
    page = run_search("1.001731", backend_name=backend).page.object_list[0]
    assert page.glance["days"] and page.glance["fee"] == "Không mất phí"


# --- facets --------------------------------------------------------------------------------------


def test_each_facet_count_is_the_number_of_results_with_that_filter(backend):
    params = {"linh-vuc": "bao-tro-xa-hoi"}
    outcome = run_search("tro cap", params, backend_name=backend)
    assert {facet.param for facet in outcome.facets} == {d.param for d in facet_module.DIMENSIONS}
    for facet in outcome.facets:
        for option in facet.options:
            chosen = {key: value for key, value in parse_qsl(option.url[1:]) if key != "q"}
            if option.selected:
                chosen[facet.param] = params[facet.param]
            assert run_search("tro cap", chosen, backend_name=backend).count == option.count, (
                facet.param,
                option.label,
            )


def test_a_chosen_filter_narrows_the_results(backend):
    everything = run_search("tro cap", backend_name=backend)
    levels = next(facet for facet in everything.facets if facet.param == "cap")
    commune = next(option for option in levels.options if option.label == "Cấp xã")
    outcome = run_search("tro cap", {"cap": "cap-xa"}, backend_name=backend)
    assert outcome.count == commune.count < everything.count
    assert all("Cấp xã" in [level.name for level in page.levels.all()] for page in outcome.page.object_list)


def test_channel_filter(backend):
    outcome = run_search("tro cap", {"cach-nop": "truc-tuyen"}, backend_name=backend)
    assert outcome.count > 0
    assert all(
        "online" in [channel.channel for channel in page.submission_channels.all()] for page in outcome.page.object_list
    )


def test_unknown_filter_values_are_ignored(backend):
    assert (
        run_search("tro cap", {"cap": "khong-co", "linh-vuc": "x" * 500}, backend_name=backend).count
        == run_search("tro cap", backend_name=backend).count
    )


# --- forms, decisions, synonyms -----------------------------------------------------------------


def test_forms_and_decisions_are_found_in_their_own_groups(backend):
    outcome = run_search("mau so 12-MLS", backend_name=backend)
    assert [form.code for form in outcome.forms][:1] == ["Mẫu số 12-MLS"]
    decisions = run_search("845/QĐ-UBND", backend_name=backend).decisions
    assert [decision.number for decision in decisions][:1] == ["845/QĐ-UBND"]


def test_a_form_number_finds_the_procedure_that_uses_it(backend):
    outcome = run_search("mau so 12-MLS", backend_name=backend)
    assert "hài cốt liệt sĩ" in titles(outcome, 1)[0]


def test_synonyms_from_the_demo_list(backend):
    assert "giấy phép lao động" in titles(run_search("gplđ", backend_name=backend), 1)[0].lower()
    assert "giấy phép lao động" in titles(run_search("GPLD nguoi nuoc ngoai", backend_name=backend), 1)[0].lower()


def test_one_way_synonyms_widen_only_from_their_first_term(backend):
    wide = run_search("nguoi co cong", per_page=100, backend_name=backend)
    narrow = run_search("liet si", per_page=100, backend_name=backend)
    assert set(titles(narrow)) < set(titles(wide))


def test_a_synonym_an_editor_adds_applies_at_once(backend):
    from search.models import Synonym

    before = run_search("xyzzyword", backend_name=backend).count
    Synonym.objects.create(terms="xyzzyword, giấy phép lao động")
    after = run_search("xyzzyword", backend_name=backend)
    assert before == 0 and after.count > 0 and after.mode == "all"


# --- the page: empty state, statistics, promotions ------------------------------------------------


def test_search_page_shows_results_facets_and_groups(demo_set, db, client):
    response = client.get("/tim-kiem/", {"q": "tro cap", "linh-vuc": "bao-tro-xa-hoi"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<mark>trợ</mark> <mark>cấp</mark>" in html and "Lọc kết quả" in html and 'aria-current="true"' in html
    assert "private" in response["Cache-Control"]


def test_empty_state_suggests_spelling_sectors_and_the_hotline(demo_set, db, client):
    html = client.get("/tim-kiem/", {"q": "xyzzyq"}).content.decode()
    assert "Tìm thấy 0 thủ tục" in html and "Xem thủ tục theo lĩnh vực" in html and "1900 0000" in html
    assert "Bảo trợ xã hội" in html
    html = client.get("/tim-kiem/", {"q": "kiem dihn"}).content.decode()
    assert "Có phải bạn muốn tìm" in html or "Đang hiển thị kết quả cho" in html


def test_partial_results_say_so(demo_set, db, client):
    html = client.get("/tim-kiem/", {"q": "tro cap mai tang xyzzyq"}).content.decode()
    assert "Không có thủ tục nào chứa đủ mọi từ" in html


def test_every_query_is_counted_without_long_numbers(demo_set, db, client):
    from wagtail.contrib.search_promotions.models import Query

    from search.models import UnansweredQuery

    client.get("/tim-kiem/", {"q": "Trợ cấp"})
    client.get("/tim-kiem/", {"q": "tro cap"})
    client.get("/tim-kiem/", {"q": "tro cap", "trang": "2"})  # paging is not a new search
    client.get("/tim-kiem/", {"q": "cấp lại CCCD 001203004567"})
    client.get("/tim-kiem/", {"q": "0912 345 678"})
    client.get("/tim-kiem/", {"q": "1001731"})
    client.get("/tim-kiem/", {"q": "xyzzyq"})
    stored = {query.query_string: query.hits for query in Query.objects.all()}
    assert stored["tro cap"] == 2 and stored["1.001731"] == 1 and stored["xyzzyq"] == 1
    assert "cap lai cccd" in stored
    assert not any(sum(ch.isdigit() for ch in key) >= 5 and key != "1.001731" for key in stored), stored
    assert list(UnansweredQuery.objects.values_list("query_string", "hits")) == [("xyzzyq", 1)]


def test_storable_drops_every_long_number():
    from search.stats import storable

    assert storable("CCCD 001203004567") == "cccd"
    assert storable("so dien thoai 0912.345.678 mat") == "so dien thoai mat"
    assert storable("0912-345-678") == ""
    assert storable("1.001731") == "1.001731"
    assert storable("quyet dinh 845/QĐ-UBND nam 2025") == "quyet dinh 845/qd-ubnd nam 2025"


def test_promoted_results_come_first(demo_set, db, client):
    from wagtail.contrib.search_promotions.models import Query, SearchPromotion

    from cms.models import ProcedurePage

    page = ProcedurePage.objects.get(code="1.001731")
    SearchPromotion.objects.create(query=Query.get("trợ cấp"), page=page, description="Hay được hỏi")
    html = client.get("/tim-kiem/", {"q": "tro cap"}).content.decode()
    assert "Kết quả được đề xuất" in html and html.index("Hay được hỏi") < html.index("Tìm thấy")


def test_search_terms_report(demo_set, db, client, django_user_model):
    client.get("/tim-kiem/", {"q": "tro cap"})
    client.get("/tim-kiem/", {"q": "xyzzyq"})
    client.force_login(django_user_model.objects.create_superuser("report", "report@example.vn", "x" * 12))
    html = client.get("/admin/bao-cao/tu-khoa-tim-kiem/").content.decode()
    popular, unanswered = html.split('id="unanswered"')
    assert "tro cap" in popular and "xyzzyq" in popular
    assert "xyzzyq" in unanswered and "tro cap" not in unanswered


@pytest.mark.parametrize(
    "params",
    [
        {"q": "\x00"},
        {"q": "a" * 5000},
        {"q": "tro cap", "trang": "999"},
        {"q": "tro cap", "trang": "-1"},
        {"q": '"(* OR AND NEAR'},
        {"q": "tro cap", "cap": "\x00"},
        {"q": "%%%", "bai-bo": "yes"},
    ],
)
def test_odd_query_strings_never_fail(demo_set, db, client, params):
    assert client.get("/tim-kiem/", params).status_code == 200
