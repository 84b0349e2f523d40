"""Querying the current set: folded Vietnamese text, synonyms, ranking, facets, fallback.

A query is folded (search.vietnamese), cut into units with the synonyms editors maintain
(search.synonyms) and sent to the backend as one query, the same for SQLite, PostgreSQL and
Elasticsearch. Every word must match; when nothing does, misspelt words are corrected from the
words of procedure names, and then the best partial matches are shown, saying so. The first
results are ranked in Python (search.ranking) so that every backend puts the same one first.
When the search server fails, the database backend answers instead.
"""

import logging
import unicodedata
from dataclasses import dataclass, field

from django.conf import settings
from django.core.paginator import Paginator
from django.utils.translation import gettext as _
from modelsearch.backends import get_search_backend

from cms.formatting import vnd
from cms.generations import remembered
from cms.models import AnnouncingDecision, Form, ProcedurePage

from . import facets as facet_module
from .backends.elasticsearch8 import search_degraded
from .highlight import highlight, passage, query_pattern
from .ranking import HEAD, rank
from .synonyms import backend_query, query_units, synonym_table
from .vietnamese import code_from_query, codes_within, words

logger = logging.getLogger(__name__)
MAX_QUERY_LENGTH = 200
GROUP_SIZE = 5

ALL_WORDS, CORRECTED, PARTIAL, CODE = "all", "corrected", "partial", "code"


def clean_query(raw):
    """The query as typed, without control characters (NUL and friends), at most 200 characters."""
    printable = "".join(ch for ch in raw[: MAX_QUERY_LENGTH * 2] if unicodedata.category(ch)[0] != "C" or ch == " ")
    return " ".join(printable.split())[:MAX_QUERY_LENGTH]


def synonyms():
    """The synonym table editors maintain, kept until the next change (a save starts a generation)."""
    from .models import Synonym

    return remembered("search-synonyms", lambda: synonym_table(Synonym.objects.all()))


def vocabulary():
    """{word: how many names use it} over the names of procedures: what misspelt words become."""

    def compute():
        counts = {}
        for title in ProcedurePage.objects.live().public().values_list("title", flat=True).iterator():
            for word in set(words(title)):
                if not word.isdigit():
                    counts[word] = counts.get(word, 0) + 1
        return counts

    return remembered("search-word-counts", compute)


def unit_weights(units):
    """How much each unit says about a name: a word in few names more than one in many."""
    counts = vocabulary()
    return [
        max(
            1 / (1 + min((counts.get(word, 0) for word in alternative), default=0)) for alternative in unit.alternatives
        )
        for unit in units
    ]


def edit_distance(a, b, limit):
    """Damerau-Levenshtein distance (a swap of two letters counts once), or ``limit + 1``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2, previous = None, list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            cost = char_a != char_b
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                value = min(value, previous2[j - 2] + 1)
            current.append(value)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def correction(word, known):
    """The word of a name closest to ``word`` (one typo in short words, two in long ones), the most
    used one on a tie; None when none is that close."""
    limit = 1 if len(word) <= 5 else 2
    best = None
    for candidate, uses in known.items():
        distance = edit_distance(word, candidate, limit)
        if distance <= limit and (best is None or (distance, -uses) < best[0]):
            best = ((distance, -uses), candidate)
    return best[1] if best else None


def corrected_words(query_words, table):
    """``query_words`` with each unknown word replaced by the closest word of a name, or None."""
    known = vocabulary()
    terms = {word for term in table for word in term}
    corrected, changed = [], False
    for word in query_words:
        if word in known or word in terms or word.isdigit() or len(word) < 3:
            corrected.append(word)
            continue
        close = correction(word, known)
        corrected.append(close or word)
        changed = changed or bool(close)
    return corrected if changed else None


class RankedResults:
    """The backend's lazy results with their head in ``search.ranking``'s order: a paginator
    reads one page (and the head, for the first pages), and the count, from the backend."""

    def __init__(self, results, units):
        self.results, self.units = results, units
        self._head = None
        self._count = None

    def count(self):
        if self._count is None:
            self._count = self.results.count()
        return self._count

    def __len__(self):
        return self.count()

    def head(self):
        if self._head is None:
            self._head = rank(list(self.results[:HEAD]), self.units, unit_weights(self.units))
        return self._head

    def __getitem__(self, item):
        start, stop = item.start or 0, item.stop if item.stop is not None else self.count()
        if start >= HEAD:
            return list(self.results[start:stop])
        return self.head()[start:stop] + (list(self.results[HEAD:stop]) if stop > HEAD else [])


@dataclass
class Outcome:
    """What the search page shows for one query."""

    query: str
    page: object = None
    mode: str = ALL_WORDS
    searched_for: str = ""  # the query actually used, when corrected
    facets: list = field(default_factory=list)
    forms: list = field(default_factory=list)
    decisions: list = field(default_factory=list)
    degraded: bool = False

    @property
    def count(self):
        return self.page.paginator.count if self.page else 0


def procedures_queryset(include_abolished=False):
    procedures = ProcedurePage.objects.live().public() if include_abolished else ProcedurePage.objects.in_force()
    return procedures.select_related("sector").prefetch_related("levels", "submission_channels", "steps")


def _find(backend, units, queryset, table):
    """Procedures matching every unit, else (with ``mode``) corrected or partial matches;
    ``table``: the synonyms."""
    results = backend.search(backend_query(units, "and"), queryset)
    if results.count():
        return results, units, ALL_WORDS
    typed = [word for unit in units for word in unit.typed]
    corrected = corrected_words(typed, table)
    if corrected:
        corrected_units = query_units(corrected, table)
        results = backend.search(backend_query(corrected_units, "and"), queryset)
        if results.count():
            return results, corrected_units, CORRECTED
    if len(units) > 1:
        results = backend.search(backend_query(units, "or"), queryset)
        return results, units, PARTIAL
    return results, units, ALL_WORDS


def run_search(query, params=None, page_number=1, per_page=20, backend_name="default"):
    """The ``Outcome`` of ``query`` with the filters in ``params`` (a QueryDict or dict)."""
    params = params or {}
    include_abolished = params.get("bai-bo") == "1"
    selection = facet_module.chosen(params)
    outcome = Outcome(query=query, searched_for=query)
    base = procedures_queryset(include_abolished)
    code = code_from_query(query)
    codes = [code] if code else codes_within(query)
    found = list(base.filter(code__in=codes)) if codes else []
    if found:
        outcome.mode = CODE
        outcome.page = Paginator(found, per_page).get_page(1)
        decorate(outcome.page.object_list, None)
        return outcome
    query_words = words(query)
    if not query_words:
        outcome.page = Paginator([], per_page).get_page(1)
        return outcome
    backend = get_search_backend(backend_name)
    table = synonyms()
    units = query_units(query_words, table)
    results, units, outcome.mode = _find(backend, units, facet_module.restrict(base, selection), table)
    if outcome.mode == CORRECTED:
        outcome.searched_for = " ".join(word for unit in units for word in unit.typed)
    operator = "or" if outcome.mode == PARTIAL else "and"
    outcome.page = Paginator(RankedResults(results, units), per_page).get_page(page_number)
    pattern = query_pattern(units)
    decorate(outcome.page.object_list, pattern)

    def count_for(dimension):
        restricted = facet_module.restrict(base, selection, except_param=dimension.param)
        counts = backend.search(backend_query(units, operator), restricted).facet(dimension.field)
        return facet_module.count_members(counts, dimension.is_set)

    base_params = {"q": query, **({"bai-bo": "1"} if include_abolished else {})}
    outcome.facets = facet_module.build_facets(count_for, selection, base_params)
    if str(page_number) == "1":  # the page asked for (an out-of-range one shows the last)
        every_word = backend_query(units, "and")
        outcome.forms = list(backend.search(every_word, Form.objects.filter(live=True))[:GROUP_SIZE])
        for form in outcome.forms:
            form.marked_title = highlight(f"{form.code}: {form.title}", pattern)
        outcome.decisions = list(backend.search(every_word, AnnouncingDecision.objects.filter(live=True))[:GROUP_SIZE])
        for decision in outcome.decisions:
            decision.marked_title = highlight(f"{decision.number}: {decision.title}", pattern)
    return outcome


def decorate(procedures, pattern):
    """What a result shows besides its name: the name and a passage marked, time limit and fee."""
    for procedure in procedures:
        procedure.marked_title = highlight(procedure.title, pattern)
        procedure.passage = passage(matching_text(procedure), pattern)
        procedure.glance = at_a_glance(procedure)


def spelling_suggestion(outcome):
    """A query to suggest when nothing was found: the query with misspelt words corrected."""
    if outcome is None or outcome.count:
        return ""
    corrected = corrected_words(words(outcome.query), synonyms())
    return " ".join(corrected) if corrected else ""


def at_a_glance(procedure):
    """(shortest time limit in working days or None, fee text) from the submission channels."""
    channels = list(procedure.submission_channels.all())
    days = [channel.time_limit_days for channel in channels if channel.time_limit_days]
    amounts = [
        (channel.fee_amount or 0) + (channel.charge_amount or 0)
        for channel in channels
        if channel.fee_amount is not None or channel.charge_amount is not None
    ]
    if not amounts:
        fee = ""
    elif not any(amounts):
        fee = _("Không mất phí")
    elif min(amounts) == max(amounts):
        fee = vnd(max(amounts))
    else:
        fee = f"{vnd(min(amounts))} – {vnd(max(amounts))}"
    return {"days": min(days) if days else None, "fee": fee}


def matching_text(procedure):
    """The text a result's passage is taken from: who, what for, conditions, steps."""
    steps = [f"{step.title}: {step.description}" for step in procedure.steps.all()]
    return " · ".join(filter(None, [procedure.applicants, procedure.result, procedure.requirements, *steps]))


def search(query, params=None, page_number=1, per_page=20):
    """``run_search`` on the default backend, or on the database backend when the default fails."""
    try:
        outcome = run_search(query, params, page_number, per_page)
    except Exception:  # the search server is down or refused the query
        logger.warning("Search backend failed; answering from the database backend", exc_info=True)
        if "database" not in settings.WAGTAILSEARCH_BACKENDS:
            raise
        outcome = run_search(query, params, page_number, per_page, backend_name="database")
        outcome.degraded = True
    # The search server is being skipped after a failure (its circuit breaker is open).
    outcome.degraded = outcome.degraded or search_degraded("default")
    return outcome


def ranked_procedures(query, backend_name="default", limit=10):
    """The first ``limit`` procedures the public search shows for ``query``, best first."""
    outcome = run_search(clean_query(query), per_page=limit, backend_name=backend_name)
    return list(outcome.page.object_list)


def search_procedures(query, backend_name="default"):
    """Procedures in force matching every word of ``query`` (the backend's lazy results)."""
    procedures = procedures_queryset()
    code = code_from_query(query)
    exact = list(procedures.filter(code=code)) if code else []
    if exact:
        return exact
    query_words = words(query)
    if not query_words:
        return []
    return get_search_backend(backend_name).search(backend_query(query_units(query_words, synonyms())), procedures)
