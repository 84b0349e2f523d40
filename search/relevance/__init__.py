"""Relevance of the public search, measured against a judged query set.

``judged_queries.tsv`` holds queries written the way citizens type them (no diacritics,
abbreviations, partial names, codes, form numbers, misspellings, everyday words), each with the
procedure a public servant would put first. ``evaluate`` runs them through
``search.query.ranked_procedures`` on one backend and reports the mean reciprocal rank and
success at 1 and at 3 (``manage.py search_relevance``; ``tests/test_relevance.py``).

A procedure is named by its national code, or by its slug when it has none (most procedures of
the demo set have no code yet): ``procedure_key``.
"""

import csv
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from search.query import ranked_procedures

JUDGEMENTS = Path(__file__).with_name("judged_queries.tsv")
COLUMNS = ["query", "expected_code", "kind", "note"]
KINDS = ("no_diacritics", "diacritics", "abbreviation", "partial", "code", "form", "misspelling", "colloquial")
DEPTH = 10  # the reciprocal rank is 0 beyond the first ten results


@dataclass(frozen=True)
class Judgement:
    query: str
    expected: str  # a procedure's code, or its slug when it has no code
    kind: str
    note: str = ""


@dataclass(frozen=True)
class Failure:
    """A query whose expected procedure did not come first."""

    query: str
    expected: str
    got: list  # the keys of the first three results
    kind: str = ""
    rank: int | None = None  # 1-based position of the expected procedure in the first ten, or None

    def __iter__(self):  # unpacks as (query, expected, got)
        return iter((self.query, self.expected, self.got))


@dataclass
class Result:
    mrr: float
    success_at_1: float
    success_at_3: float
    count: int
    failures: list = field(default_factory=list)
    by_kind: dict = field(default_factory=dict)  # kind -> (success@1, count)
    backend: str = "default"


def procedure_key(page):
    """How the judged set names a procedure: its code, or its slug when it has none."""
    return page.code or page.slug


def load_judgements(path=None):
    """The judged queries of ``path`` (default: the committed ``judged_queries.tsv``)."""
    with open(path or JUDGEMENTS, encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(reader)
        if header != COLUMNS:
            raise ValueError(f"{path or JUDGEMENTS}: the header must be {'<TAB>'.join(COLUMNS)}, not {header}")
        judgements = []
        for line, row in enumerate(reader, start=2):
            if not any(cell.strip() for cell in row):
                continue
            if len(row) not in (3, 4):
                raise ValueError(f"{path or JUDGEMENTS}, line {line}: 3 or 4 columns expected, {len(row)} found")
            query, expected, kind, note = [*(cell.strip() for cell in row), ""][:4]
            if kind not in KINDS:
                raise ValueError(f"{path or JUDGEMENTS}, line {line}: unknown kind {kind!r}")
            judgements.append(Judgement(query, expected, kind, note))
    return judgements


def rank_of(expected, keys):
    """1-based position of ``expected`` in ``keys``, or None."""
    return keys.index(expected) + 1 if expected in keys else None


def evaluate(backend_name, judgements):
    """Run every judged query on ``backend_name`` and measure how high the expected procedure came."""
    reciprocal, first, top3 = 0.0, 0, 0
    hits, counts = Counter(), Counter()
    failures = []
    for judgement in judgements:
        keys = [procedure_key(page) for page in ranked_procedures(judgement.query, backend_name, limit=DEPTH)]
        rank = rank_of(judgement.expected, keys[:DEPTH])
        counts[judgement.kind] += 1
        if rank:
            reciprocal += 1 / rank
            top3 += rank <= 3
        if rank == 1:
            first += 1
            hits[judgement.kind] += 1
        else:
            failures.append(Failure(judgement.query, judgement.expected, keys[:3], judgement.kind, rank))
    count = len(judgements)
    return Result(
        mrr=reciprocal / count if count else 0.0,
        success_at_1=first / count if count else 0.0,
        success_at_3=top3 / count if count else 0.0,
        count=count,
        failures=failures,
        by_kind={kind: (hits[kind] / counts[kind], counts[kind]) for kind in KINDS if counts[kind]},
        backend=backend_name,
    )


def report(result, failures=False):
    """The figures of ``result`` as lines of text (the command prints them; the test shows them)."""
    lines = [
        f"backend {result.backend}: {result.count} queries, MRR {result.mrr:.3f}, "
        f"success@1 {result.success_at_1:.3f}, success@3 {result.success_at_3:.3f}"
    ]
    lines += [f"  {kind:<14} success@1 {share:.3f} ({count})" for kind, (share, count) in result.by_kind.items()]
    if failures and result.failures:
        lines.append(f"  not first ({len(result.failures)}):")
        for failure in result.failures:
            where = f"rank {failure.rank}" if failure.rank else "not in the first 10"
            got = ", ".join(failure.got) or "(nothing)"
            lines.append(f"    [{failure.kind}] {failure.query!r} → {failure.expected} ({where}); first: {got}")
    return lines
