"""The procedure index's filters (sector, level, agency by slug), as a Django form.

Read leniently: a value that names nothing (or is not a slug at all) means "no filter" for that
field, never an error page.
"""

from urllib.parse import urlencode

from django import forms
from django.utils.translation import gettext as _

from .taxonomy import Agency, ImplementationLevel, Sector


class ProcedureFilterForm(forms.Form):
    # Query-string names are Vietnamese (shared links read ?linh-vuc=...&cap=...).
    PARAMETERS = {"sector": "linh-vuc", "level": "cap", "agency": "co-quan"}

    def __init__(self, data, fixed_sector=None):
        super().__init__(data)
        self.fixed_sector = fixed_sector
        for model, name in ((Sector, "sector"), (ImplementationLevel, "level"), (Agency, "agency")):
            self.fields[self.PARAMETERS[name]] = forms.ModelChoiceField(
                model.objects.all(), to_field_name="slug", required=False
            )
        self.is_valid()  # fills cleaned_data with every field that is valid; the others are left out

    def _chosen(self, name):
        return self.cleaned_data.get(self.PARAMETERS[name])

    @property
    def sector(self):
        return self.fixed_sector or self._chosen("sector")

    @property
    def level(self):
        return self._chosen("level")

    @property
    def agency(self):
        return self._chosen("agency")

    @property
    def active(self):
        """Whether the reader chose a filter (a sector page's own sector does not count)."""
        return any([self.sector and not self.fixed_sector, self.level, self.agency])

    def apply(self, procedures):
        if self.sector:
            procedures = procedures.filter(sector=self.sector)
        if self.level:
            procedures = procedures.filter(levels=self.level)
        if self.agency:
            # A procedure may name the same agency in two roles: once in the list. Only then
            # DISTINCT, which makes the database read and sort every row before paginating.
            procedures = procedures.filter(agency_roles__agency=self.agency).distinct()
        return procedures

    def description(self):
        """The chosen filters in words ("Cấp thực hiện: Cấp xã"), for a heading or a printed sheet."""
        chosen = [
            (_("Lĩnh vực"), self.sector if not self.fixed_sector else None),
            (_("Cấp thực hiện"), self.level),
            (_("Cơ quan"), self.agency),
        ]
        return "; ".join(f"{label}: {item.name}" for label, item in chosen if item)

    def querystring(self):
        """The chosen filters as a query string, for the pagination links."""
        params = {}
        if self.sector and not self.fixed_sector:
            params[self.PARAMETERS["sector"]] = self.sector.slug
        if self.level:
            params[self.PARAMETERS["level"]] = self.level.slug
        if self.agency:
            params[self.PARAMETERS["agency"]] = self.agency.slug
        return urlencode(params)
