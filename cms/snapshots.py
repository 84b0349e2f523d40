"""Frozen snapshots of published procedure versions: building them, what they name, reading them.

A published version is a legal reference. Rendering an old Wagtail revision would show today's
sector and agency names and today's form files, so when a procedure is published its content is
frozen with every name resolved and the exact document of every form. Public history, version
URLs, "in force on" and comparisons all read these snapshots; Wagtail revisions stay what they
are for (editing, moderation, the admin's own comparison).

A pure module: it reads the objects it is given and queries nothing by itself.
"""

from django.urls import reverse

from .choices import AgencyRole
from .formatting import parse_iso_date

# Format 2 added the ids of the sector, levels, agencies and legal documents (what deletion guards
# compare: names change); migration 0003 filled them in for format 1 snapshots.
SNAPSHOT_FORMAT = 2


def _iso(value):
    return value.isoformat() if value else None


def published_decision(page):
    """The page's announcing decision if it is live: a draft decision is never named publicly,
    neither in a snapshot nor in the version record."""
    decision = page.announcing_decision
    return decision if decision is not None and decision.live else None


def build_snapshot(page):
    """Everything the public page shows of ``page``, with names resolved, as plain JSON data.

    Only published things are named: a draft decision, a draft form or an unpublished related
    procedure is left out, so nothing unapproved reaches the public through a procedure.
    """
    decision = published_decision(page)
    return {
        "format": SNAPSHOT_FORMAT,
        "title": page.title,
        "code": page.code,
        "sector": page.sector.name if page.sector_id else "",
        "sector_id": page.sector_id,
        "levels": [level.name for level in page.levels.all()],
        "level_ids": [level.pk for level in page.levels.all()],
        "procedure_type": str(page.get_procedure_type_display()),
        "online_service": str(page.get_online_service_display()),
        "steps": [
            {"title": step.title, "description": step.description, "time_allowance": step.time_allowance}
            for step in page.steps.all()
        ],
        "channels": [
            {
                "channel": str(channel.get_channel_display()),
                "time_limit_days": channel.time_limit_days,
                "time_limit_text": channel.time_limit_text,
                "fee_amount": channel.fee_amount,
                "charge_amount": channel.charge_amount,
                "fee_description": channel.fee_description,
                "notes": channel.notes,
            }
            for channel in page.submission_channels.all()
        ],
        "dossier": [_dossier_component(component) for component in page.dossier_components.all()],
        "dossier_sets": page.dossier_sets,
        "dossier_note": page.dossier_note,
        "applicants": page.applicants,
        "agencies": [
            {
                "role": str(role.get_role_display()),
                "role_code": role.role,
                "name": role.agency.name,
                "agency_id": role.agency_id,
                "address": role.agency.address,
                "phone": role.agency.phone,
                "opening_hours": role.agency.opening_hours,
            }
            for role in page.agency_roles.all()
        ],
        "receiving_address": page.receiving_address,
        "online_submission_url": page.online_submission_url,
        "result": page.result,
        "requirements": page.requirements,
        "related": [
            {"title": item.procedure.title, "page_id": item.procedure_id}
            for item in page.related_procedures.all()
            if item.procedure.live
        ],
        "legal_bases": [
            {
                "document": str(basis.legal_document),
                "legal_document_id": basis.legal_document_id,
                "title": basis.legal_document.title,
                "issue_date": _iso(basis.legal_document.issue_date),
                "issuer": basis.legal_document.issuer,
                "provision": basis.provision,
            }
            for basis in page.legal_bases.all()
        ],
        "decision": (
            {
                "number": decision.number,
                "title": decision.title,
                "slug": decision.slug,
                "signed_date": _iso(decision.signed_date),
            }
            if decision
            else None
        ),
        "effective_date": _iso(page.effective_date),
        "change_type": page.change_type,
        "change_type_label": str(page.get_change_type_display()),
        "change_note": page.change_note,
    }


def _dossier_component(component):
    form = component.form
    form_data = None
    if form is not None and form.live:
        document = form.document
        form_data = {
            "form_id": form.pk,
            "code": form.code,
            "title": form.title,
            "legal_document": str(form.legal_document) if form.legal_document_id else "",
            "document_id": document.pk,
            "filename": document.filename,
            "extension": document.file_extension.upper(),
            # Every file of the form (to fill in, to print), the exact documents published.
            "files": [
                {
                    "document_id": file.pk,
                    "filename": file.filename,
                    "extension": file.file_extension.upper(),
                    "size": file.file_size or 0,
                }
                for file in form.documents()
            ],
        }
    return {
        "case_label": component.case_label,
        "name": component.name,
        "originals": component.originals,
        "copies": component.copies,
        "form": form_data,
    }


def snapshot_references(snapshot):
    """What one published snapshot names, as ``(kind, id)`` pairs: what must outlive it.

    By id, never by name: a renamed sector is still the one a version names, and an unused
    namesake is not.
    """
    references = {("sector", snapshot.get("sector_id"))}
    references |= {("level", level_id) for level_id in snapshot.get("level_ids", [])}
    references |= {("agency", agency.get("agency_id")) for agency in snapshot.get("agencies", [])}
    references |= {("legal_document", basis.get("legal_document_id")) for basis in snapshot.get("legal_bases", [])}
    for component in snapshot.get("dossier", []):
        if component.get("form"):
            references.add(("form", component["form"]["form_id"]))
            references.add(("document", component["form"]["document_id"]))
            references |= {("document", file["document_id"]) for file in component["form"].get("files", [])}
    return references


class SnapshotView:
    """A snapshot as the procedure template reads it: attribute access plus grouped helpers.

    The same template renders the current page and any published version (its stored
    snapshot), so a version URL shows exactly what was published. ``live_urls`` maps the page
    ids of related procedures that are still live and public to their URLs (the caller knows).
    """

    def __init__(self, snapshot, live_urls=None):
        self.data = snapshot
        self.live_urls = live_urls or {}

    def __getattr__(self, name):
        try:
            return self.data[name]
        except KeyError:
            raise AttributeError(name) from None

    @property
    def effective_date_value(self):
        return parse_iso_date(self.data.get("effective_date"))

    @property
    def decision_signed_date(self):
        return parse_iso_date((self.data.get("decision") or {}).get("signed_date"))

    @property
    def agencies_by_role(self):
        """[(role label, [names])] in the national standard's order of roles."""
        grouped = {}
        for agency in self.data["agencies"]:
            grouped.setdefault(agency["role"], []).append(agency["name"])
        order = {str(label): index for index, label in enumerate(AgencyRole.labels)}
        return sorted(grouped.items(), key=lambda item: order.get(item[0], len(order)))

    @property
    def dossier_groups(self):
        groups = []
        for component in self.data["dossier"]:
            form = component.get("form")
            if form:
                files = form.get("files") or [
                    {"document_id": form["document_id"], "filename": form["filename"], "extension": form["extension"]}
                ]
                files = [
                    dict(file, url=reverse("wagtaildocs_serve", args=(file["document_id"], file["filename"])))
                    for file in files
                ]
                form = dict(form, url=files[0]["url"], files=files)
            component = dict(component, form=form)
            if groups and groups[-1][0] == component["case_label"]:
                groups[-1][1].append(component)
            else:
                groups.append((component["case_label"], [component]))
        return groups

    @property
    def related_view(self):
        """Related procedures, linked when they are still live and public."""
        return [dict(item, url=self.live_urls.get(item["page_id"])) for item in self.data["related"]]

    @property
    def legal_bases_view(self):
        return [dict(basis, issue_date_value=parse_iso_date(basis["issue_date"])) for basis in self.data["legal_bases"]]
