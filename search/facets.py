"""Filters with counts: sector, level, agency, submission channel.

Each is a plain column of the procedure (levels, agencies and channels as one "|2|5|" value each,
``ProcedurePage.level_set``...), so every backend filters and counts it the same way with
``facet()``; a value's count respects the filters chosen in the other dimensions.
"""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.utils.translation import gettext_lazy as _

from cms.choices import Channel
from cms.generations import remembered
from cms.models import Agency, ImplementationLevel, ProcedurePage, Sector
from cms.models.procedure_search import member_set

NO_SUCH_SET = "|none|"  # filters on a value nobody has: the backends do not agree on an empty "in"
CHANNEL_SLUGS = {"truc-tuyen": Channel.ONLINE, "truc-tiep": Channel.IN_PERSON, "buu-chinh": Channel.POSTAL}


@dataclass
class Dimension:
    param: str
    field: str
    label: str
    is_set: bool

    def options(self):
        """{member key: (slug in the URL, label)}, in the order shown."""
        if self.param == "cach-nop":
            return {value: (slug, value.label) for slug, value in CHANNEL_SLUGS.items()}
        model = {"linh-vuc": Sector, "cap": ImplementationLevel, "co-quan": Agency}[self.param]
        order = ["sort_order", "sort_key"] if model is ImplementationLevel else ["sort_key"]
        rows = remembered(
            f"facet-options:{self.param}",
            lambda: list(model.objects.order_by(*order).values_list("pk", "slug", "name")),
        )
        return {str(pk): (slug, name) for pk, slug, name in rows}

    def key_for(self, slug):
        return next((key for key, (option_slug, _) in self.options().items() if option_slug == slug), None)

    def restrict(self, queryset, key):
        if not self.is_set:
            return queryset.filter(**{self.field: key})
        member = member_set([key])
        values = [value for value in set_values(self.field) if member in value]
        return queryset.filter(**{f"{self.field}__in": values or [NO_SUCH_SET]})


DIMENSIONS = [
    Dimension("linh-vuc", "sector_id", _("Lĩnh vực"), is_set=False),
    Dimension("cap", "level_set", _("Cấp thực hiện"), is_set=True),
    Dimension("co-quan", "agency_set", _("Cơ quan thực hiện"), is_set=True),
    Dimension("cach-nop", "channel_set", _("Cách thức nộp hồ sơ"), is_set=True),
]


def set_values(field_name):
    """Every value of a set column in use (one per combination of levels, say): few, remembered."""
    return remembered(
        f"facet-values:{field_name}",
        lambda: list(ProcedurePage.objects.order_by().values_list(field_name, flat=True).distinct()),
    )


def chosen(params):
    """{dimension param: member key} of the filters in the query string that exist."""
    selection = {}
    for dimension in DIMENSIONS:
        key = dimension.key_for(params.get(dimension.param, ""))
        if key is not None:
            selection[dimension.param] = key
    return selection


def restrict(queryset, selection, except_param=None):
    for dimension in DIMENSIONS:
        if dimension.param in selection and dimension.param != except_param:
            queryset = dimension.restrict(queryset, selection[dimension.param])
    return queryset


@dataclass
class Option:
    label: str
    count: int
    selected: bool
    url: str


@dataclass
class Facet:
    param: str
    label: str
    options: list = field(default_factory=list)


def count_members(counts, is_set):
    """``facet()``'s {value: count} as {member key: count}, set values split into members."""
    members = {}
    for value, count in counts.items():
        keys = [key for key in str(value or "").strip("|").split("|") if key] if is_set else [str(value)]
        for key in keys:
            members[key] = members.get(key, 0) + count
    return members


def build_facets(count_for, selection, base_params):
    """The facets to show. ``count_for(dimension)`` -> {member key: count}, for the results with
    the other dimensions' filters; ``base_params`` is the query string without the filters."""
    facets = []
    chosen_slugs = {d.param: d.options()[selection[d.param]][0] for d in DIMENSIONS if d.param in selection}
    for dimension in DIMENSIONS:
        counts = count_for(dimension)
        facet = Facet(dimension.param, dimension.label)
        for key, (slug, label) in dimension.options().items():
            selected = selection.get(dimension.param) == key
            count = counts.get(key, 0)
            if not count and not selected:
                continue
            params = {**base_params, **chosen_slugs}
            if selected:
                params.pop(dimension.param)
            else:
                params[dimension.param] = slug
            facet.options.append(Option(label, count, selected, "?" + urlencode(params)))
        if facet.options:
            facets.append(facet)
    return facets
