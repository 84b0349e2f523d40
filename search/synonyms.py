"""A query as units of meaning: each word, or a phrase with the synonyms editors gave it.

"cccd het han" becomes three units: (cccd | can cuoc cong dan | cmnd | chung minh nhan dan),
(het), (han). The units are turned into one backend query (``backend_query``), the same for
every backend, and the ranking and the highlighting read them too.
"""

from dataclasses import dataclass

from modelsearch.query import And, Or, PlainText


@dataclass(frozen=True)
class Unit:
    """What one part of the query may match: its alternatives, the words typed first."""

    alternatives: tuple  # of tuples of folded words

    @property
    def typed(self):
        return self.alternatives[0]

    @property
    def expanded(self):
        return len(self.alternatives) > 1


def synonym_table(synonyms):
    """{folded term: alternatives} from ``Synonym`` rows: every term of a two-way group, and only
    the first of a one-way group, brings in the group."""
    table = {}
    for synonym in synonyms:
        terms = synonym.folded_terms()
        if len(terms) < 2:
            continue
        for term in terms[:1] if synonym.one_way else terms:
            others = [other for other in terms if other != term]
            known = table.get(term, ())
            table[term] = tuple(dict.fromkeys((term, *known[1:], *others)))
    return table


def query_units(words, table):
    """``words`` (folded) as units, the longest synonym term first at each position."""
    longest = max((len(term) for term in table), default=0)
    units, position = [], 0
    while position < len(words):
        for size in range(min(longest, len(words) - position), 0, -1):
            term = tuple(words[position : position + size])
            if term in table:
                units.append(Unit(table[term]))
                position += size
                break
        else:
            units.append(Unit((tuple(words[position : position + 1]),)))
            position += 1
    return units


def backend_query(units, operator="and"):
    """One query for any backend: plain words when nothing was expanded (the backend's own
    ranking then sees the whole query), else each expanded unit as ``Or`` of its alternatives."""
    if not any(unit.expanded for unit in units):
        return PlainText(" ".join(" ".join(unit.typed) for unit in units), operator=operator)
    parts = [
        Or([PlainText(" ".join(words), operator="and") for words in unit.alternatives])
        if unit.expanded
        else PlainText(" ".join(unit.typed))
        for unit in units
    ]
    if len(parts) == 1:
        return parts[0]
    return And(parts) if operator == "and" else Or(parts)
