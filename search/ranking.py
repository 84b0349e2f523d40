"""The order of the first results, the same on every backend.

Backends score differently (SQLite's and PostgreSQL's full-text ranks, Elasticsearch's BM25),
and none knows that a name matters more than a body. The first ``HEAD`` results the backend
finds are put in this order: procedures in force first, then exact name, the query as a phrase
in the name, every word in the name, some words in the name, words elsewhere; the backend's
own order breaks ties. Past the head the backend's order stands, so a search costs the same
however many procedures match.
"""

from .synonyms import Unit
from .vietnamese import words as folded_words

HEAD = 60

EXACT_NAME, NAME_PHRASE, ALL_IN_NAME, SOME_IN_NAME, ELSEWHERE = 4, 3, 2, 1, 0


def _ends(words, position, units):
    """Where ``units`` can end when they match ``words`` one after another from ``position``."""
    if not units:
        return {position}
    ends = set()
    for alternative in units[0].alternatives:
        end = position + len(alternative)
        if tuple(words[position:end]) == alternative:
            ends |= _ends(words, end, units[1:])
    return ends


def _contains(words, alternative):
    size = len(alternative)
    return any(tuple(words[start : start + size]) == alternative for start in range(len(words) - size + 1))


def name_match(title_words, units, weights=None):
    """``(tier, weight of the units found in the name)`` for a folded name, as a list of words;
    each unit weighs 1 unless ``weights`` says otherwise."""
    weights = weights or [1] * len(units)
    present = [any(_contains(title_words, alternative) for alternative in unit.alternatives) for unit in units]
    found = sum(weight for weight, is_present in zip(weights, present, strict=True) if is_present)
    if not units:
        return ELSEWHERE, 0
    if len(title_words) in _ends(title_words, 0, units):
        return EXACT_NAME, found
    if any(_ends(title_words, start, units) for start in range(len(title_words))):
        return NAME_PHRASE, found
    if all(present):
        return ALL_IN_NAME, found
    return (SOME_IN_NAME if any(present) else ELSEWHERE), found


def rank(procedures, units, weights=None):
    """``procedures`` (in the backend's order) in the order above. Among names with some of the
    words, ``weights`` (one per unit: rarer words weigh more) say which words count most."""
    typed = [Unit((unit.typed,)) for unit in units]

    def key(item):
        position, procedure = item
        title = folded_words(procedure.title)
        tier, found = name_match(title, units, weights)
        # At the same tier, the words typed beat their synonyms.
        typed_tier, _ = name_match(title, typed) if any(unit.expanded for unit in units) else (tier, found)
        return (not procedure.is_in_force, -tier, -typed_tier, -found, position)

    return [procedure for _, procedure in sorted(enumerate(procedures), key=key)]
