"""The official set as an interchange document: what exports write and imports read.

One shape for every format. The procedures are the current published versions (their frozen
snapshots: what was approved), with machine codes for the national standard's vocabularies,
references by natural key (names, numbers, form codes) and no database id, so the same set
exported from two installations is the same document. Form files are named by the SHA-1 of
their content and downloaded at ``/tai-lieu/sha1/<hash>/``; ``with_files`` embeds them (base64)
so that an export loads into an empty installation.
"""

import base64

from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.models import Site

from .. import choices
from ..models import Agency, AnnouncingDecision, ImplementationLevel, LegalDocument, ProcedurePage, ProcedureVersion

FORMAT = "bo-thu-tuc-hanh-chinh"
FORMAT_VERSION = 1
PROCEDURE_KEYS = (
    "code",
    "name",
    "sector",
    "levels",
    "procedure_type",
    "online_service",
    "steps",
    "channels",
    "dossier",
    "dossier_sets",
    "dossier_note",
    "applicants",
    "agencies",
    "receiving_address",
    "online_submission_url",
    "result",
    "requirements",
    "related",
    "legal_bases",
)


def legal_reference(document):
    """How files and sheets name a legal document: "Nghị định 20/2021/NĐ-CP"."""
    return f"{document.get_kind_display()} {document.number}"


def _value_of(choice_class, label):
    """The stored value for a label a snapshot froze (snapshots keep the Vietnamese label)."""
    by_label = {str(item.label): item.value for item in choice_class}
    return by_label.get(label, label)


def site_root_url():
    site = Site.objects.filter(is_default_site=True).first()
    return site.root_url if site else ""


def file_url(root_url, file_hash):
    return root_url + reverse("document_by_hash", args=(file_hash,))


def official_set_document(with_files=False, procedures=None):
    """The current official set (``ProcedurePage.objects.in_force()``, or the part of it
    ``procedures`` gives: a filtered list) as one document."""
    if procedures is None:
        procedures = ProcedurePage.objects.in_force()
    versions = list(ProcedureVersion.objects.current_of(procedures))
    return SetDocumentBuilder(versions, with_files).build()


class SetDocumentBuilder:
    """Builds the document from current versions, looking up what snapshots name by id."""

    def __init__(self, versions, with_files):
        self.versions = versions
        self.with_files = with_files
        self.root_url = site_root_url()
        snapshots = [version.snapshot for version in versions]
        ids = _ids_named(snapshots)
        self.agencies = Agency.objects.select_related("level").in_bulk(ids["agency"])
        self.levels = ImplementationLevel.objects.in_bulk(ids["level"])
        self.legal_documents = LegalDocument.objects.in_bulk(ids["legal_document"])
        self.documents = get_document_model().objects.in_bulk(ids["document"])
        related_pages = ProcedurePage.objects.live().public().in_bulk(ids["page"])
        self.related_names = {pk: page.code or page.title for pk, page in related_pages.items()}
        decision_numbers = {version.decision.number for version in versions if version.decision_id}
        self.decisions = AnnouncingDecision.objects.filter(live=True, number__in=decision_numbers)
        self.collected = {"sectors": {}, "levels": {}, "agencies": {}, "legal_documents": {}, "forms": {}}

    def build(self):
        procedures = [self.procedure(version) for version in self.versions]
        procedures.sort(key=lambda item: (item["code"], item["name"]))
        collected = {kind: [items[key] for key in sorted(items)] for kind, items in self.collected.items()}
        collected["levels"].sort(key=lambda item: (item["sort_order"], item["name"]))
        return {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            **collected,
            "decisions": sorted((self.decision(item) for item in self.decisions), key=lambda item: item["number"]),
            "procedures": procedures,
        }

    def procedure(self, version):
        snapshot = version.snapshot
        self.collected["sectors"].setdefault(snapshot["sector"], {"name": snapshot["sector"]})
        for name, level_id in zip(snapshot["levels"], snapshot.get("level_ids", []), strict=False):
            level = self.levels.get(level_id)
            self.collected["levels"].setdefault(name, {"name": name, "sort_order": level.sort_order if level else 0})
        record = {
            "code": snapshot["code"],
            "name": snapshot["title"],
            "url": version.page.get_full_url(),
            "sector": snapshot["sector"],
            "levels": list(snapshot["levels"]),
            "procedure_type": _value_of(choices.ProcedureType, snapshot["procedure_type"]),
            "online_service": _value_of(choices.OnlineService, snapshot["online_service"]),
            "steps": snapshot["steps"],
            "channels": [
                {**channel, "channel": _value_of(choices.Channel, channel["channel"])}
                for channel in snapshot["channels"]
            ],
            "dossier": [self.component(component) for component in snapshot["dossier"]],
            "dossier_sets": snapshot["dossier_sets"],
            "dossier_note": snapshot.get("dossier_note", ""),
            "applicants": snapshot["applicants"],
            "agencies": [self.agency(item) for item in snapshot["agencies"]],
            "receiving_address": snapshot["receiving_address"],
            "online_submission_url": snapshot.get("online_submission_url", ""),
            "result": snapshot["result"],
            "requirements": snapshot["requirements"],
            "related": [
                self.related_names[item["page_id"]]
                for item in snapshot["related"]
                if item["page_id"] in self.related_names
            ],
            "legal_bases": [self.legal_basis(basis) for basis in snapshot["legal_bases"]],
            "decision": snapshot["decision"]["number"] if snapshot.get("decision") else None,
            "effective_date": snapshot["effective_date"],
            "change_type": snapshot["change_type"],
            "change_note": snapshot["change_note"],
            "replaced_by": None,
        }
        return record

    def agency(self, item):
        agency = self.agencies.get(item.get("agency_id"))
        self.collected["agencies"].setdefault(
            item["name"],
            {
                "name": item["name"],
                "short_name": agency.short_name if agency else "",
                "level": agency.level.name if agency and agency.level_id else "",
                "address": agency.address if agency else "",
                "phone": agency.phone if agency else "",
                "opening_hours": agency.opening_hours if agency else "",
            },
        )
        return {"role": _value_of(choices.AgencyRole, item["role"]), "name": item["name"]}

    def legal_basis(self, basis):
        document = self.legal_documents.get(basis.get("legal_document_id"))
        reference = legal_reference(document) if document else basis["document"]
        if document is not None:
            self.collected["legal_documents"].setdefault(reference, _legal_document_record(document))
        return {"document": reference, "provision": basis["provision"]}

    def component(self, component):
        form = component.get("form")
        reference = None
        if form:
            reference = {"code": form["code"], "legal_document": form["legal_document"]}
            key = (form["code"], form["legal_document"])
            if key not in self.collected["forms"]:
                self.collected["forms"][key] = self.form(form)
        return {
            "case_label": component["case_label"],
            "name": component["name"],
            "originals": component["originals"],
            "copies": component["copies"],
            "form": reference,
        }

    def form(self, form):
        record = {
            "code": form["code"],
            "legal_document": form["legal_document"],
            "title": form["title"],
            **self.form_file(form["document_id"], form["extension"]),
        }
        # The second file (a PDF to print), only where the form has one.
        others = [file for file in form.get("files", []) if file["document_id"] != form["document_id"]]
        if others:
            record["print"] = self.form_file(others[0]["document_id"], others[0]["extension"])
        return record

    def form_file(self, document_id, extension):
        document = self.documents.get(document_id)
        record = {
            "format": extension,
            "sha1": document.file_hash if document else "",
            "size": document.file_size if document else None,
            "url": file_url(self.root_url, document.file_hash) if document and document.file_hash else "",
        }
        if self.with_files and document is not None:
            with document.file.open("rb") as handle:
                record["content"] = base64.b64encode(handle.read()).decode("ascii")
        return record

    @staticmethod
    def decision(decision):
        return {
            "number": decision.number,
            "title": decision.title,
            "issuer": decision.issuer,
            "signed_date": decision.signed_date.isoformat(),
            "effective_date": decision.effective_date.isoformat(),
            "summary": decision.summary,
        }


def _legal_document_record(document):
    return {
        "reference": legal_reference(document),
        "kind": document.kind,
        "number": document.number,
        "title": document.title,
        "issue_date": document.issue_date.isoformat() if document.issue_date else None,
        "issuer": document.issuer,
    }


def _ids_named(snapshots):
    ids = {"agency": set(), "level": set(), "legal_document": set(), "document": set(), "page": set()}
    for snapshot in snapshots:
        ids["level"].update(snapshot.get("level_ids", []))
        ids["agency"].update(item.get("agency_id") for item in snapshot["agencies"])
        ids["legal_document"].update(item.get("legal_document_id") for item in snapshot["legal_bases"])
        for item in snapshot["dossier"]:
            if item.get("form"):
                ids["document"].add(item["form"]["document_id"])
                ids["document"].update(file["document_id"] for file in item["form"].get("files", []))
        ids["page"].update(item["page_id"] for item in snapshot["related"])
    return {kind: {pk for pk in values if pk is not None} for kind, values in ids.items()}
