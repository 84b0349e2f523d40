"""Relevance of the public search, measured: the judged query set (search/relevance/) on the demo
set, on every configured backend, against the targets success@1 ≥ 0.85 and success@3 ≥ 0.97."""

import io

import pytest
from django.conf import settings
from django.core.management import call_command

from cms.demo.loader import read_fixture
from search import relevance
from search.relevance import KINDS, evaluate, load_judgements, report
from search.vietnamese import fold

pytestmark = pytest.mark.smoke

TARGET_SUCCESS_AT_1 = 0.85
TARGET_SUCCESS_AT_3 = 0.97


def current_demo_keys():
    """How the judged set may name the demo's procedures that stay in the current set: the code,
    or the slug of a procedure without one (the demo's abolished and replaced ones excluded)."""
    fixture = read_fixture()
    gone = {
        change["slug"]
        for change in fixture["history"]
        if change.get("change_type") == "abolished" or change.get("replaced_by")
    }
    return {item["code"] or item["slug"] for item in fixture["procedures"] if item["slug"] not in gone}


# --- the judged set itself (no database) ------------------------------------------------------


def test_judged_set_is_large_and_names_demo_procedures():
    judgements = load_judgements()
    assert len(judgements) >= 80
    unknown = [(j.query, j.expected) for j in judgements if j.expected not in current_demo_keys()]
    assert unknown == [], "expected procedures missing from the demo's current set"


def test_judged_set_has_no_duplicate_queries_and_every_kind():
    judgements = load_judgements()
    folded = [" ".join(fold(j.query).split()) for j in judgements]
    assert sorted({q for q in folded if folded.count(q) > 1}) == []
    assert {j.kind for j in judgements} == set(KINDS)
    assert all(j.query and j.expected for j in judgements)


def test_judged_set_covers_every_sector_of_the_demo():
    fixture = read_fixture()
    sector_of = {item["code"] or item["slug"]: item["sector"] for item in fixture["procedures"]}
    covered = {sector_of[j.expected] for j in load_judgements()}
    assert covered == {sector["slug"] for sector in fixture["sectors"]}


def test_load_judgements_refuses_a_wrong_header_or_kind(tmp_path):
    wrong_header = tmp_path / "header.tsv"
    wrong_header.write_text("q\tcode\n", encoding="utf-8")
    with pytest.raises(ValueError, match="header"):
        load_judgements(wrong_header)
    wrong_kind = tmp_path / "kind.tsv"
    wrong_kind.write_text("query\texpected_code\tkind\tnote\nabc\t1.001731\tguess\t\n", encoding="utf-8")
    with pytest.raises(ValueError, match="line 2"):
        load_judgements(wrong_kind)
    good = tmp_path / "good.tsv"
    good.write_text("query\texpected_code\tkind\tnote\nmai táng\t1.001731\tdiacritics\n\n", encoding="utf-8")
    assert load_judgements(good) == [relevance.Judgement("mai táng", "1.001731", "diacritics", "")]


def test_evaluate_computes_mrr_and_success(monkeypatch):
    """Reciprocal rank 1/r within the first ten, 0 beyond; success@1 and @3; failures with the top 3."""

    class Page:
        def __init__(self, key):
            self.code, self.slug = (key, "") if key[0].isdigit() else ("", key)

    answers = {
        "first": ["a", "b", "c"],
        "second": ["b", "a"],
        "fourth": ["x", "y", "z", "a"],
        "absent": [f"p{i}" for i in range(10)] + ["a"],  # the 11th is beyond the cut
        "code": ["1.001731"],
    }
    calls = []

    def ranked(query, backend_name="default", limit=10):
        calls.append((backend_name, limit))
        return [Page(key) for key in answers[query]][:limit]

    monkeypatch.setattr(relevance, "ranked_procedures", ranked)
    judgements = [relevance.Judgement(query, "a", "partial") for query in ("first", "second", "fourth", "absent")]
    judgements.append(relevance.Judgement("code", "1.001731", "code"))
    result = evaluate("database", judgements)
    assert calls == [("database", 10)] * 5
    assert result.count == 5
    assert result.mrr == pytest.approx((1 + 1 / 2 + 1 / 4 + 0 + 1) / 5)
    assert result.success_at_1 == pytest.approx(2 / 5)
    assert result.success_at_3 == pytest.approx(3 / 5)
    assert result.by_kind == {"partial": (0.25, 4), "code": (1.0, 1)}
    assert [tuple(failure) for failure in result.failures] == [
        ("second", "a", ["b", "a"]),
        ("fourth", "a", ["x", "y", "z"]),
        ("absent", "a", ["p0", "p1", "p2"]),
    ]
    assert [failure.rank for failure in result.failures] == [2, 4, None]


# --- the ranking on the demo set, per backend ---------------------------------------------------


def test_every_expected_procedure_is_in_the_loaded_set(demo_set, db):
    from cms.models import ProcedurePage

    current = {relevance.procedure_key(page) for page in ProcedurePage.objects.in_force()}
    assert {j.expected for j in load_judgements()} <= current


@pytest.mark.parametrize("backend_name", list(settings.WAGTAILSEARCH_BACKENDS))
def test_ranking_meets_the_targets(demo_set, db, backend_name):
    result = evaluate(backend_name, load_judgements())
    print("\n".join(report(result, failures=True)))
    met = result.success_at_1 >= TARGET_SUCCESS_AT_1 and result.success_at_3 >= TARGET_SUCCESS_AT_3
    assert met, "\n".join(report(result, failures=True))


def test_command_prints_the_figures_per_backend(demo_set, db, tmp_path):
    judged = tmp_path / "few.tsv"
    # The second query's procedure does not exist: it can never be found, whatever the ranking does.
    rows = [
        "query\texpected_code\tkind\tnote",
        "1.001731\t1.001731\tcode\t",
        "mai tang\tkhong-co-thu-tuc-nay\tpartial\t",
    ]
    judged.write_text("\n".join(rows) + "\n", encoding="utf-8")
    output, errors = io.StringIO(), io.StringIO()
    call_command("search_relevance", "--failures", "--queries", str(judged), stdout=output, stderr=errors)
    text = output.getvalue()
    for name in settings.WAGTAILSEARCH_BACKENDS:
        assert f"backend {name}: 2 queries, MRR 0.500, success@1 0.500, success@3 0.500" in text
    assert "code           success@1 1.000 (1)" in text
    assert "1 expected procedures are not in the current set" in errors.getvalue()
    assert "'mai tang' → khong-co-thu-tuc-nay (not in the first 10)" in text


def test_command_refuses_an_unknown_backend(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Unknown backend"):
        call_command("search_relevance", "--backend", "nonesuch", stdout=io.StringIO())


def test_tsv_is_plain_utf8_with_tabs():
    raw = relevance.JUDGEMENTS.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")  # no BOM
    lines = raw.decode("utf-8").splitlines()
    assert lines[0] == "query\texpected_code\tkind\tnote"
    assert [line for line in lines if line.count("\t") != 3] == [], "every line has four columns"
