"""What a set document names, found in the installation or planned for creation, without writing.

An import is validated whole before anything is written: the resolver answers "does this sector,
agency, legal document, decision or form exist, or does the file bring it?" from the database
and the document, and only ``create_planned`` (in the import's transaction) writes the new ones.
Names are matched without diacritics, case or dash differences ("Lao động - Tiền lương" is
"Lao động – Tiền lương").
"""

import base64
import binascii
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from wagtail.documents import get_document_model
from wagtail.models import Collection

from search.vietnamese import ascii_slug, fold

from ..document_checks import check_document_content
from ..formatting import parse_iso_date
from ..models import Agency, AnnouncingDecision, Form, ImplementationLevel, LegalDocument, Sector

LEGAL_NUMBER = re.compile(r"\d+[A-Za-z]?/(?:\d{4}/)?[^\s,;()]+")
FORMS_COLLECTION = "Biểu mẫu"


def name_key(text):
    """Names, headers and labels compared without diacritics, case, dash style or extra spaces."""
    return " ".join(fold(str(text or "")).replace("–", "-").replace("—", "-").split())


def parse_legal_reference(text):
    """ "Nghị định 131/2021/NĐ-CP, Điều 131" -> ("nghi_dinh", "131/2021/NĐ-CP", "Điều 131"), or None."""
    text = (text or "").strip()
    folded = name_key(text)
    labels = sorted(LegalDocument.Kind.choices, key=lambda item: -len(item[1]))
    for value, label in labels:
        if folded.startswith(name_key(label)):
            match = LEGAL_NUMBER.search(text)
            if match:
                provision = text[match.end() :].strip(" ,;()")
                return value, match.group(0), provision
            return None
    return None


class Resolver:
    """Finds or plans what records name; ``problems`` of the lookups are returned to the caller."""

    def __init__(self, document):
        self.document = document
        self.sectors = {name_key(item.name): item for item in Sector.objects.all()}
        self.levels = {}
        for level in ImplementationLevel.objects.all():
            self.levels[name_key(level.name)] = level
            self.levels.setdefault(name_key(level.name).removeprefix("cap "), level)
        self.agencies = {}
        for agency in Agency.objects.all():
            self.agencies[name_key(agency.name)] = agency
            if agency.short_name:
                self.agencies.setdefault(name_key(agency.short_name), agency)
        self.legal = {(item.kind, item.number): item for item in LegalDocument.objects.all()}
        self.decisions = {item.number: item for item in AnnouncingDecision.objects.all()}
        self.planned = {
            "sectors": {},
            "levels": {},
            "agencies": {},
            "legal_documents": {},
            "decisions": {},
            "forms": {},
        }
        self.brought = {
            "sectors": {name_key(item["name"]): item for item in document.get("sectors", [])},
            "levels": {name_key(item["name"]): item for item in document.get("levels", [])},
            "agencies": {name_key(item["name"]): item for item in document.get("agencies", [])},
            "legal_documents": {name_key(item["reference"]): item for item in document.get("legal_documents", [])},
            "decisions": {item["number"]: item for item in document.get("decisions", []) if item.get("number")},
            "forms": {(item["code"], item.get("legal_document") or ""): item for item in document.get("forms", [])},
        }

    # Each lookup returns the object, a planned key (created on apply), or raises LookupError
    # with the reason in Vietnamese.
    def _named(self, kind, existing, name):
        key = name_key(name)
        if key in existing:
            return existing[key]
        if key in self.brought[kind]:
            self.planned[kind][key] = self.brought[kind][key]
            return ("planned", kind, key)
        raise LookupError(key)

    def sector(self, name):
        try:
            return self._named("sectors", self.sectors, name)
        except LookupError:
            raise LookupError(_("Lĩnh vực “%(name)s” chưa có trên hệ thống.") % {"name": name}) from None

    def level(self, name):
        try:
            return self._named("levels", self.levels, name)
        except LookupError:
            raise LookupError(_("Cấp thực hiện “%(name)s” chưa có trên hệ thống.") % {"name": name}) from None

    def agency(self, name):
        try:
            return self._named("agencies", self.agencies, name)
        except LookupError:
            raise LookupError(_("Cơ quan “%(name)s” chưa có trên hệ thống.") % {"name": name}) from None

    def legal_document(self, reference):
        parsed = parse_legal_reference(reference)
        if parsed is None:
            raise LookupError(
                _("Không đọc được loại và số hiệu văn bản “%(text)s” (ví dụ: Nghị định 20/2021/NĐ-CP).")
                % {"text": reference}
            )
        kind, number, provision = parsed
        if (kind, number) in self.legal:
            return self.legal[(kind, number)], provision
        details = self.brought["legal_documents"].get(name_key(reference), {})
        self.planned["legal_documents"].setdefault((kind, number), details)
        return ("planned", "legal_documents", (kind, number)), provision

    def decision(self, number):
        if number in self.decisions:
            return self.decisions[number]
        if number in self.brought["decisions"]:
            self.planned["decisions"][number] = self.brought["decisions"][number]
            return ("planned", "decisions", number)
        raise LookupError(
            _("Quyết định công bố %(number)s chưa có trên hệ thống và không có ở trang “Quyết định” của tệp.")
            % {"number": number}
        )

    def form(self, code, legal_reference):
        legal = None
        if legal_reference:
            legal, _provision = self.legal_document(legal_reference)
        candidates = Form.objects.filter(code=code)
        if isinstance(legal, LegalDocument):
            candidates = candidates.filter(legal_document=legal)
        elif legal is None:
            candidates = candidates.filter(legal_document__isnull=True)
        else:
            candidates = candidates.none()
        form = candidates.order_by("-live", "pk").first()
        if form is not None:
            return form
        brought = self.brought["forms"].get((code, legal_reference or ""))
        if brought and brought.get("content"):
            self.planned["forms"][(code, legal_reference or "")] = dict(brought, _legal=legal)
            return ("planned", "forms", (code, legal_reference or ""))
        raise LookupError(
            _("Biểu mẫu “%(code)s” (%(legal)s) chưa có trên hệ thống; hãy tải lên biểu mẫu trước khi nhập.")
            % {"code": code, "legal": legal_reference or _("không ghi văn bản")}
        )

    def check_planned_forms(self):
        """The embedded files of forms to create, checked like any upload: (form key, problem)."""
        problems = []
        for key, item in self.planned["forms"].items():
            files = [("_bytes", item)] + ([("_print_bytes", item["print"])] if item.get("print") else [])
            for name, file in files:
                try:
                    item[name] = _checked_file(file)
                except ValidationError as error:
                    problems.append((key, " ".join(error.messages)))
        return problems

    # --- apply ------------------------------------------------------------------------------
    def create_planned(self, publish, user):
        """Create what the document brings and the installation lacks; return new moderated items."""
        created = []
        for key, item in self.planned["sectors"].items():
            self.sectors[key] = Sector.objects.create(name=item["name"], code=item.get("code", ""))
        for key, item in self.planned["levels"].items():
            self.levels[key] = ImplementationLevel.objects.create(
                name=item["name"], sort_order=item.get("sort_order", 0)
            )
        for key, item in self.planned["agencies"].items():
            level = self.levels.get(name_key(item.get("level"))) if item.get("level") else None
            self.agencies[key] = Agency.objects.create(
                name=item["name"],
                short_name=item.get("short_name", ""),
                level=level,
                address=item.get("address", ""),
                phone=item.get("phone", ""),
                opening_hours=item.get("opening_hours", ""),
            )
        for (kind, number), item in self.planned["legal_documents"].items():
            self.legal[(kind, number)] = LegalDocument.objects.create(
                kind=kind,
                number=number,
                title=item.get("title") or "",
                issue_date=parse_iso_date(item.get("issue_date")),
                issuer=item.get("issuer") or "",
            )
        for number, item in self.planned["decisions"].items():
            decision = AnnouncingDecision(
                number=number,
                title=item["title"],
                issuer=item.get("issuer") or "",
                signed_date=parse_iso_date(item["signed_date"]),
                effective_date=parse_iso_date(item["effective_date"]),
                summary=item.get("summary") or "",
                live=False,
            )
            decision.save()
            self.decisions[number] = decision
            created.append(decision)
        for (code, legal_reference), item in self.planned["forms"].items():
            created.append(self._create_form(code, legal_reference, item))
        for item in created:
            revision = item.save_revision(user=user)
            if publish:
                revision.publish(user=user)
                item.refresh_from_db()  # publishing saved another instance: this one is now live too
        return created

    def _create_form(self, code, legal_reference, item):
        legal = self.get(item["_legal"]) if item["_legal"] is not None else None
        Document = get_document_model()
        root = Collection.get_first_root_node()
        collection = root.get_children().filter(name=FORMS_COLLECTION).first() or root.add_child(name=FORMS_COLLECTION)
        extension = (item.get("format") or "docx").lower()
        document = Document(title=f"{code} – {item['title']}", collection=collection)
        document.file.save(
            ascii_slug(f"{code} {item['title']}", max_length=60) + f".{extension}",
            ContentFile(item["_bytes"]),
            save=False,
        )
        document.save()
        form = Form(code=code, title=item["title"], legal_document=legal, document=document, live=False)
        if item.get("_print_bytes") is not None:
            extension = (item["print"].get("format") or "pdf").lower()
            form.print_document = Document(title=f"{code} – {item['title']} (bản in)", collection=collection)
            form.print_document.file.save(
                ascii_slug(f"{code} {item['title']}", max_length=60) + f".{extension}",
                ContentFile(item["_print_bytes"]),
                save=False,
            )
            form.print_document.save()
        form.save()
        self.planned["forms"][(code, legal_reference)]["_form"] = form
        return form

    def get(self, value):
        """The object for a lookup's answer (after ``create_planned``)."""
        if not isinstance(value, tuple) or not value or value[0] != "planned":
            return value
        _planned, kind, key = value
        if kind == "forms":
            return self.planned["forms"][key]["_form"]
        return {
            "sectors": self.sectors,
            "levels": self.levels,
            "agencies": self.agencies,
            "legal_documents": self.legal,
            "decisions": self.decisions,
        }[kind][key]


def _checked_file(file):
    """The bytes of an embedded file (``content``, base64, of ``format``), checked like any upload."""
    if not file.get("content"):
        raise ValidationError(_("Tệp không có nội dung."))
    try:
        content = base64.b64decode(file["content"], validate=True)
    except (binascii.Error, ValueError):
        raise ValidationError(_("Nội dung tệp không đọc được (base64).")) from None
    extension = (file.get("format") or "").lower()
    if extension not in settings.WAGTAILDOCS_EXTENSIONS:
        raise ValidationError(_("Định dạng tệp “%(format)s” không được phép.") % {"format": extension})
    check_document_content(f"form.{extension}", content)
    return content
