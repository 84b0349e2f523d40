"""Build the POST data of Wagtail's page editor for a procedure, as a browser would send it."""

import datetime

from wagtail.test.utils.form_data import inline_formset, nested_form_data

CHILD_FIELDS = {
    "steps": ["title", "description", "time_allowance"],
    "submission_channels": ["channel", "time_limit_days", "time_limit_text", "fee_amount", "charge_amount",
                            "fee_description", "notes"],
    "dossier_components": ["case_label", "name", "originals", "copies", "form"],
    "agency_roles": ["role", "agency"],
    "related_procedures": ["procedure"],
    "legal_bases": ["legal_document", "provision"],
}
PAGE_FIELDS = ["title", "slug", "code", "sector", "procedure_type", "online_service", "dossier_sets", "dossier_note",
               "applicants", "receiving_address", "result", "requirements", "announcing_decision", "effective_date",
               "change_type", "change_note", "replaced_by", "seo_title", "search_description"]


def _value(value):
    if value is None:
        return ""
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, datetime.datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def next_version_record(page):
    """What an editor fills in for the next published version of ``page``: a change type, a note
    and an effective date of its own (one day after the current version's), same decision.
    Empty for a page never published (its first version is "ban hành mới")."""
    current = page.versions.order_by("-number").first()
    if current is None:
        return {}
    return {
        "change_type": "amended",
        "change_note": "Sửa đổi, bổ sung theo đề nghị của phòng chuyên môn",
        "effective_date": (current.effective_date or datetime.date(2020, 1, 1)) + datetime.timedelta(days=1),
    }


def edit_form_data(page, channel_changes=None, next_version=True, **changes):
    """The editor's form for the latest revision of ``page``, with ``changes`` applied.

    ``channel_changes`` is a dict applied to every submission channel (e.g. a new fee). With
    ``next_version`` the change record of the next version is filled in (see next_version_record),
    as publishing, submitting or approving requires; ``changes`` override it.
    """
    changes = {**(next_version_record(page) if next_version else {}), **changes}
    page = page.get_latest_revision_as_object()
    data = {name: _value(getattr(page, name.removesuffix("_id"))) for name in PAGE_FIELDS}
    for relation, fields in CHILD_FIELDS.items():
        rows = []
        for order, child in enumerate(getattr(page, relation).all(), start=1):
            row = {field: _value(getattr(child, field)) for field in fields}
            if relation == "submission_channels" and channel_changes:
                row.update(channel_changes)
            row.update({"id": child.pk or "", "ORDER": order})
            rows.append(row)
        data[relation] = inline_formset(rows, initial=sum(1 for row in rows if row["id"]))
    data["comments"] = inline_formset([])
    data.update({key: _value(value) for key, value in changes.items()})
    form_data = nested_form_data(data)
    form_data["levels"] = [level.pk for level in page.levels.all()]
    return form_data


def as_user(client, users, role):
    """The test client logged in as ``users[role]`` (from the ``users`` fixture), or anonymous."""
    client.logout()
    if role != "anonymous":
        client.force_login(users[role])
    return client
