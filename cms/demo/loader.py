"""Build the demo site from ``demo_content.json``: idempotent, all or nothing.

Natural keys (slugs, numbers, form codes) identify every object, so a second run finds what the
first one made and creates nothing twice.
"""

import datetime
import json
from pathlib import Path

from django.core.files.base import ContentFile
from django.db import transaction
from wagtail.documents import get_document_model
from wagtail.models import Collection, Site

from cms.demo.form_files import make_form_docx, make_form_pdf
from cms.interchange.initial_load import deferred_search_index, index_in_bulk
from cms.models import (
    Agency,
    AnnouncingDecision,
    DepartmentSettings,
    DossierComponent,
    Form,
    ImplementationLevel,
    LegalBasis,
    LegalDocument,
    ProcedureAgency,
    ProcedurePage,
    ProcedureStep,
    Sector,
    SubmissionChannel,
)
from cms.site_tree import ensure_site_tree
from search.vietnamese import ascii_slug

FIXTURE = Path(__file__).with_name("demo_content.json")


def read_fixture(path=FIXTURE):
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def _date(value):
    return datetime.date.fromisoformat(value) if value else None


class DemoLoader:
    """Loads the fixture; ``created`` counts what this run added, per kind.

    Existing objects are left as they are: the demo never undoes what an administrator changed.
    """

    def __init__(self, data):
        self.data = data
        self.created = {}
        self.levels, self.sectors, self.agencies, self.legal_documents = {}, {}, {}, {}
        self.decisions, self.forms = {}, {}

    def _count(self, kind, created):
        self.created[kind] = self.created.get(kind, 0) + int(bool(created))

    @transaction.atomic
    def load(self):
        home = self.load_site_tree()
        self.load_settings(home)
        self.load_taxonomy()
        self.load_legal_documents()
        self.load_decisions()
        self.load_forms()
        # Each procedure is saved and published several times (three versions for some): its
        # search entry is written once at the end instead of at every save.
        with deferred_search_index(ProcedurePage):
            self.load_procedures()
            self.load_history()
        index_in_bulk(ProcedurePage, list(ProcedurePage.objects.all()))
        self.load_synonyms()
        return self.created

    def load_synonyms(self):
        """The starter list of search synonyms (abbreviations, spellings) that editors then keep."""
        from search.models import Synonym

        for item in self.data.get("synonyms", []):
            _, created = Synonym.objects.get_or_create(terms=item["terms"], defaults=item)
            self._count("synonyms", created)

    # --- site tree -------------------------------------------------------------------------
    def load_site_tree(self):
        home, index, created = ensure_site_tree()
        self._count("pages", created)
        self.index = index
        return home

    def load_settings(self, home):
        site = Site.objects.get(is_default_site=True)
        if DepartmentSettings.objects.filter(site=site).exists():
            return  # set once; what the administrators changed since then stays
        department = DepartmentSettings.for_site(site)
        for field, value in self.data["department"].items():
            setattr(department, field, value)
        department.show_sample_data_banner = True
        department.save()

    # --- snippets --------------------------------------------------------------------------------
    def load_taxonomy(self):
        for item in self.data["levels"]:
            level, created = ImplementationLevel.objects.get_or_create(slug=item["slug"], defaults=item)
            self.levels[level.slug] = level
            self._count("levels", created)
        for item in self.data["sectors"]:
            sector, created = Sector.objects.get_or_create(slug=item["slug"], defaults=item)
            self.sectors[sector.slug] = sector
            self._count("sectors", created)
        for item in self.data["agencies"]:
            defaults = dict(item, level=self.levels[item["level"]])
            agency, created = Agency.objects.get_or_create(slug=item["slug"], defaults=defaults)
            if not created:
                self.fill_contacts(agency, item)
            self.agencies[agency.slug] = agency
            self._count("agencies", created)

    CONTACT_FIELDS = ("address", "phone", "opening_hours")

    def fill_contacts(self, agency, item):
        """Agencies loaded before they had contacts get the sample ones; an agency with any
        contact already set is the administrators' and stays as it is."""
        if any(getattr(agency, field) for field in self.CONTACT_FIELDS):
            return
        contacts = {field: item[field] for field in self.CONTACT_FIELDS if item.get(field)}
        if contacts:
            for field, value in contacts.items():
                setattr(agency, field, value)
            agency.save(update_fields=list(contacts))

    def load_legal_documents(self):
        for item in self.data["legal_documents"]:
            defaults = {"title": item["title"], "issue_date": _date(item["issue_date"]), "issuer": item["issuer"]}
            document, created = LegalDocument.objects.get_or_create(
                kind=item["kind"], number=item["number"], defaults=defaults
            )
            self.legal_documents[item["key"]] = document
            self._count("legal_documents", created)

    def load_decisions(self):
        for item in self.data["decisions"]:
            decision = AnnouncingDecision.objects.filter(number=item["number"]).first()
            if decision is None:
                decision = AnnouncingDecision(
                    number=item["number"],
                    title=item["title"],
                    issuer=item["issuer"],
                    signed_date=_date(item["signed_date"]),
                    effective_date=_date(item["effective_date"]),
                    summary=item["summary"],
                    live=False,
                )
                decision.save()
                decision.save_revision().publish()
                self._count("decisions", True)
            self.decisions[decision.number] = decision

    def load_forms(self):
        collection = self._forms_collection()
        Document = get_document_model()
        for item in self.data["forms"]:
            legal_document = self.legal_documents.get(item["legal_document"]) if item["legal_document"] else None
            form = Form.objects.filter(code=item["code"], legal_document=legal_document).first()
            if form is None:
                issued_with = str(legal_document) if legal_document else ""
                content = make_form_docx(item["code"], item["title"], issued_with)
                filename = ascii_slug(f"{item['code']} {item['title']}", max_length=60) + ".docx"
                document = Document(title=f"{item['code']} – {item['title']}", collection=collection)
                document.file.save(filename, ContentFile(content), save=False)
                document.save()
                form = Form(
                    code=item["code"], title=item["title"], legal_document=legal_document, document=document, live=False
                )
                if item.get("print_pdf"):
                    form.print_document = self._print_document(form, collection)
                form.save()
                form.save_revision().publish()
                self._count("forms", True)
            self.forms[item["key"]] = form

    @staticmethod
    def _print_document(form, collection, note=""):
        """The form's PDF to print (a second file of the same form), as sample data."""
        Document = get_document_model()
        legal = str(form.legal_document) if form.legal_document_id else ""
        suffix = f" ({note})" if note else ""
        document = Document(title=f"{form.code} – {form.title}{suffix} (bản in PDF)", collection=collection)
        filename = ascii_slug(f"{form.code} {form.title} {note}", max_length=60) + ".pdf"
        pdf = make_form_pdf(form.code, form.title, legal, **({"note": note} if note else {}))
        document.file.save(filename, ContentFile(pdf), save=False)
        document.save()
        return document

    def _forms_collection(self):
        root = Collection.get_first_root_node()
        existing = root.get_children().filter(name="Biểu mẫu").first()
        return existing or root.add_child(name="Biểu mẫu")

    # --- procedures ---------------------------------------------------------------------------
    def load_procedures(self):
        existing = set(ProcedurePage.objects.child_of(self.index).values_list("slug", flat=True))
        for item in self.data["procedures"]:
            if item["slug"] in existing:
                self._count("procedures", False)
                continue
            page = self.build_procedure(item)
            self.index.add_child(instance=page)
            page.save_revision().publish()
            self._count("procedures", True)

    def load_history(self):
        """Give the demo a procedure with three published versions, a replaced and an abolished one.

        Each step is applied once: a second run sees the versions and the flags and does nothing.
        """
        for change in self.data.get("history", []):
            page = ProcedurePage.objects.child_of(self.index).filter(slug=change["slug"]).first()
            if page is None or page.versions.filter(number__gte=change["version"]).exists():
                continue
            page = page.get_latest_revision_as_object()
            for agency in change.get("new_agencies", []):
                new_agency, _ = Agency.objects.get_or_create(
                    slug=agency["slug"], defaults={**agency, "level": self.levels[agency["level"]]}
                )
                self.agencies[new_agency.slug] = new_agency
            if "agencies" in change:
                page.agency_roles = [
                    ProcedureAgency(role=item["role"], agency=self.agencies[item["agency"]])
                    for item in change["agencies"]
                ]
            if "levels" in change:
                page.levels = [self.levels[slug] for slug in change["levels"]]
            if "receiving_address" in change:
                page.receiving_address = change["receiving_address"]
            if "new_form_file" in change:
                self.replace_form_file(self.forms[change["new_form_file"]["form"]], change["new_form_file"]["note"])
            if "time_limit_text" in change:
                channels = list(page.submission_channels.all())
                for channel in channels:
                    channel.pk = None
                    channel.time_limit_text = change["time_limit_text"]
                page.submission_channels = channels
            if "replaced_by" in change:
                page.replaced_by = ProcedurePage.objects.get(slug=change["replaced_by"])
            page.announcing_decision = self.decisions[change["decision"]]
            page.effective_date = _date(change["effective_date"])
            page.change_type = change["change_type"]
            page.change_note = change["change_note"]
            page.save_revision().publish()
            self._count("versions", True)

    def replace_form_file(self, form, note):
        """A new file is a new document; the old one stays for the versions that link to it."""
        Document = get_document_model()
        legal = str(form.legal_document) if form.legal_document_id else ""
        document = Document(title=f"{form.code} – {form.title} ({note})", collection=form.document.collection)
        filename = ascii_slug(f"{form.code} {form.title} {note}", max_length=70) + ".docx"
        document.file.save(filename, ContentFile(make_form_docx(form.code, form.title, legal, note=note)), save=False)
        document.save()
        form.document = document
        if form.print_document_id:  # the PDF to print follows the new file
            form.print_document = self._print_document(form, form.document.collection, note)
        form.save_revision().publish()

    def build_procedure(self, item):
        page = ProcedurePage(
            title=item["title"],
            slug=item["slug"],
            code=item["code"],
            sector=self.sectors[item["sector"]],
            procedure_type=item["procedure_type"],
            online_service=item["online_service"],
            dossier_sets=item["dossier_sets"],
            applicants=item["applicants"],
            result=item["result"],
            requirements=item["requirements"],
            receiving_address=item["receiving_address"],
            online_submission_url=item.get("online_submission_url", ""),
            announcing_decision=self.decisions.get(item["decision"]),
            effective_date=_date(item["effective_date"]),
            change_type=item["change_type"],
            change_note=item["change_note"],
        )
        page.levels = [self.levels[slug] for slug in item["levels"]]
        page.steps = [ProcedureStep(**step) for step in item["steps"]]
        page.submission_channels = [SubmissionChannel(**channel) for channel in item["channels"]]
        page.dossier_components = [
            DossierComponent(**{**component, "form": self.forms.get(component["form"])})
            for component in item["dossier"]
        ]
        page.agency_roles = [
            ProcedureAgency(role=role["role"], agency=self.agencies[role["agency"]]) for role in item["agencies"]
        ]
        page.legal_bases = [
            LegalBasis(legal_document=self.legal_documents[basis["legal_document"]], provision=basis["provision"])
            for basis in item["legal_basis"]
        ]
        return page
