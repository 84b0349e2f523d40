"""What search and its filters read of a procedure: folded text, code tokens, facet columns.

Plain functions that ``ProcedurePage``'s own methods call: the search backends name an indexed
callable after the class that defines it, which must be the model.

Text is folded in Python and indexed as words only (search.vietnamese), so SQLite, PostgreSQL
and Elasticsearch see the same tokens; levels, agencies and channels are kept as one value each
("|2|5|") so every backend filters and counts them as plain columns (search.facets).
"""

from search.vietnamese import words


def member_set(values):
    """Several values as one string a backend can filter on exactly: "|2|5|", "" for none."""
    members = sorted({str(value) for value in values})
    return f"|{'|'.join(members)}|" if members else ""


def facet_sets(page):
    """``level_set``, ``agency_set`` and ``channel_set`` from the rows the page holds."""
    return {
        "level_set": member_set(level.pk for level in page.levels.all()),
        "agency_set": member_set(role.agency_id for role in page.agency_roles.all() if role.agency_id),
        "channel_set": member_set(channel.channel for channel in page.submission_channels.all()),
    }


def code_tokens(page):
    """Both spellings of the code, so "1.001731" and "1001731" are found on every backend."""
    return f"{page.code} {page.code.replace('.', '')}" if page.code else ""


def folded_text(page):
    """Everything a procedure is found by, folded, as words (punctuation tokenises differently
    per backend: "12-MLS" is 12, mls everywhere)."""
    parts = [
        page.title,
        page.code,
        page.sector.name if page.sector_id else "",
        page.applicants,
        page.result,
        page.requirements,
    ]
    parts += [step.title + " " + step.description for step in page.steps.all()]
    for component in page.dossier_components.all():
        parts.append(component.name)
        if component.form_id:  # "mẫu số 04" finds the procedures that use the form
            parts.append(component.form.folded_text())
    parts += [role.agency.name for role in page.agency_roles.all() if role.agency_id]
    return " ".join(words(" ".join(filter(None, parts))))
