"""What search and its filters read of a procedure: folded text, code tokens, facet columns.

Text is folded in Python and indexed as words only (search.vietnamese), so SQLite, PostgreSQL
and Elasticsearch see the same tokens; levels, agencies and channels are kept as one value each
("|2|5|") so every backend filters and counts them as plain columns (search.facets).
"""

from search.vietnamese import fold, words


def member_set(values):
    """Several values as one string a backend can filter on exactly: "|2|5|", "" for none."""
    members = sorted({str(value) for value in values})
    return f"|{'|'.join(members)}|" if members else ""


class ProcedureSearchMixin:
    FACET_SETS = ("level_set", "agency_set", "channel_set")

    def refresh_facet_sets(self):
        """Fill ``level_set``, ``agency_set`` and ``channel_set`` from the rows the page holds."""
        self.level_set = member_set(level.pk for level in self.levels.all())
        self.agency_set = member_set(role.agency_id for role in self.agency_roles.all() if role.agency_id)
        self.channel_set = member_set(channel.channel for channel in self.submission_channels.all())

    def folded_title(self):
        return fold(self.title)

    def code_tokens(self):
        """Both spellings of the code, so "1.001731" and "1001731" are found on every backend."""
        return f"{self.code} {self.code.replace('.', '')}" if self.code else ""

    def folded_text(self):
        parts = [
            self.title,
            self.code,
            self.sector.name if self.sector_id else "",
            self.applicants,
            self.result,
            self.requirements,
        ]
        parts += [step.title + " " + step.description for step in self.steps.all()]
        for component in self.dossier_components.all():
            parts.append(component.name)
            if component.form_id:  # "mẫu số 04" finds the procedures that use the form
                parts.append(component.form.folded_text())
        parts += [role.agency.name for role in self.agency_roles.all() if role.agency_id]
        return " ".join(words(" ".join(filter(None, parts))))  # punctuation tokenises differently per backend
