"""Importing a set document: validate everything, then write it all in one transaction, or nothing.

``plan_import`` reads and checks without writing: every problem with its place in the file, and
for each procedure what would happen (new, changed fields, unchanged, abolished, replaced, or for
gathered records a draft and what it lacks). ``run_import`` applies a plan without problems.

Procedures are matched by code (gathered records without one, by name). What the import makes
goes through the publication rules (``cms.publishing``): by default every change is a revision
submitted to the approval workflow, all in one batch (``ImportBatch``); ``publish`` (the initial
load of a new installation, administrators only) publishes at once, each procedure checked by
``publication_problems`` first; gathered records only ever become drafts.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.models import ReferenceIndex
from wagtail.signal_handlers import disable_reference_index_auto_update

from search.vietnamese import PROCEDURE_CODE

from .. import choices
from ..formatting import parse_iso_date
from ..models import ImportBatch, ProcedurePage
from ..publishing import change_record_errors, publication_problems
from ..site_tree import ensure_site_tree
from .building import apply_record, content_differences, new_page
from .initial_load import InitialLoad, ensure_search_indexes
from .readers import read_import_file
from .resolve import Resolver, name_key
from .validation import check_record, resolve_record, where

# Administrators import; the initial load (``publish``) is theirs too.
IMPORT_PERMISSION = "cms.add_importbatch"


@dataclass
class Options:
    publish: bool = False
    dry_run: bool = False
    user: object = None
    decision: str = ""
    effective_date: str = ""  # ISO
    change_type: str = ""
    change_note: str = ""
    source_name: str = ""


@dataclass
class Change:
    action: str  # new, changed, unchanged, abolished, replaced, draft, exists
    code: str
    name: str
    fields: list = field(default_factory=list)
    missing: list = field(default_factory=list)
    page: object = None
    record: dict = None
    resolved: dict = None


@dataclass
class Plan:
    kind: str
    options: Options
    changes: list = field(default_factory=list)
    problems: list = field(default_factory=list)  # (where, message)
    resolver: Resolver = None
    batch: ImportBatch = None

    def count(self, action):
        return sum(1 for change in self.changes if change.action == action)

    @property
    def summary(self):
        actions = ("new", "changed", "unchanged", "abolished", "replaced", "draft", "exists")
        return {action: self.count(action) for action in actions if self.count(action)}


ACTION_LABELS = {  # lazy: translated in the language of whoever reads them
    "new": gettext_lazy("mới"),
    "changed": gettext_lazy("sửa đổi"),
    "unchanged": gettext_lazy("không thay đổi"),
    "abolished": gettext_lazy("bãi bỏ"),
    "replaced": gettext_lazy("bị thay thế"),
    "draft": gettext_lazy("bản nháp (chưa đủ thông tin)"),
    "exists": gettext_lazy("đã có trên hệ thống"),
}


def plan_import(content, options):
    """Read ``content`` and decide everything; raises ``readers.UnreadableFile``."""
    read = read_import_file(content)
    plan = Plan(read.kind, options, problems=list(read.problems))
    gathered = read.kind == "gathered"
    if gathered and options.publish:
        plan.problems.append(
            (
                "",
                _("Bản ghi thu thập chưa đầy đủ chỉ được nhập thành bản nháp; không dùng --publish với định dạng này."),
            )
        )
    plan.resolver = Resolver(read.document)
    records = read.document["procedures"]
    # What related procedures may name: a code, or the exact name of one without a code.
    file_codes = {record.get("code") or record.get("name") for record in records}
    existing = _existing_pages(records)
    seen = {}
    for record in records:
        where = record["_at"][""]
        code = record.get("code") or ""
        if code and not PROCEDURE_CODE.fullmatch(code):
            plan.problems.append(
                (record["_at"].get("code", where), _("Mã “%(code)s” không đúng dạng 1.001776.") % {"code": code})
            )
            continue
        key = code or name_key(record.get("name"))
        if key in seen:
            plan.problems.append((where, _("Trùng với %(first)s.") % {"first": seen[key]}))
            continue
        seen[key] = where
        _apply_defaults(record, options)
        page = existing.get(code) if code else existing.get(("name", name_key(record.get("name"))))
        if gathered and page is not None:
            plan.changes.append(Change("exists", code, record["name"], page=page))
            continue
        resolved, lookup_problems, notes = resolve_record(record, plan.resolver, file_codes, lenient=gathered)
        missing = check_record(record, gathered=gathered)
        if gathered:
            plan.problems += lookup_problems
            plan.changes.append(
                Change("draft", code, record["name"], missing=missing + notes, record=record, resolved=resolved)
            )
            continue
        plan.problems += lookup_problems + missing
        plan.changes.append(_decide(record, resolved, page, plan))
    for key, problem in plan.resolver.check_planned_forms():
        plan.problems.append((_("Biểu mẫu %(code)s") % {"code": key[0]}, problem))
    return plan


def _existing_pages(records):
    codes = [record.get("code") for record in records if record.get("code")]
    pages = {}
    for page in ProcedurePage.objects.filter(code__in=codes).order_by("-live", "pk"):
        pages.setdefault(page.code, page)
    if any(not record.get("code") for record in records):
        for page in ProcedurePage.objects.all().only("pk", "title", "code", "live"):
            pages.setdefault(("name", name_key(page.title.rstrip("."))), page)
    return pages


def _apply_defaults(record, options):
    """The command line's change record fills what the file leaves empty."""
    record["decision"] = record.get("decision") or options.decision or None
    record["effective_date"] = record.get("effective_date") or options.effective_date or None
    record["change_note"] = record.get("change_note") or options.change_note or ""
    record["change_type"] = record.get("change_type") or options.change_type or ""  # empty: decided by the match


def _decide(record, resolved, page, plan):
    code, name = record.get("code") or "", record["name"]
    ending = record.get("change_type") == choices.ChangeType.ABOLISHED or record.get("replaced_by")
    if page is None:
        # An initial load may carry an abolition announced for a later date (still in force).
        if ending and not (plan.options.publish and record.get("steps")):
            plan.problems.append(
                (
                    record["_at"][""],
                    _("Không có thủ tục mã %(code)s trên hệ thống để bãi bỏ hoặc thay thế.") % {"code": code},
                )
            )
        record["change_type"] = record.get("change_type") or choices.ChangeType.NEW
        return Change("new", code, name, record=record, resolved=resolved)
    if page.has_unpublished_changes or page.workflow_in_progress:
        plan.problems.append(
            (
                record["_at"][""],
                _("Thủ tục %(code)s đang có bản nháp hoặc đang chờ duyệt; hãy hoàn tất hoặc hủy trước khi nhập.")
                % {"code": code},
            )
        )
    latest = page.versions.order_by("-number").select_related("page", "decision").first()
    current = latest if page.live else None  # what the public sees
    if ending and _same_record(current, record):
        return Change("unchanged", code, name, page=page)  # that abolition or replacement is published
    if record.get("change_type") == choices.ChangeType.ABOLISHED:
        action, differences = "abolished", []
    elif record.get("replaced_by"):
        record["change_type"] = choices.ChangeType.REPLACED
        action, differences = "replaced", []
    else:
        differences = content_differences(current, record)
        if not differences:
            return Change("unchanged", code, name, page=page)
        action = "changed"
        if not record.get("change_type"):
            record["change_type"] = choices.ChangeType.AMENDED if current else choices.ChangeType.NEW
        elif record["change_type"] == choices.ChangeType.NEW and current:
            record["change_type"] = choices.ChangeType.AMENDED
        if not record.get("change_note"):
            record["change_note"] = (_("Sửa đổi, bổ sung: %(fields)s.") % {"fields": ", ".join(differences)})[:500]
    plan.problems += [
        (where(record, "effective_date"), message)
        for message in _record_problems(page, latest, record, resolved, plan.options.publish)
    ]
    return Change(action, code, name, fields=differences, page=page, record=record, resolved=resolved)


def _same_record(current, record):
    return (
        current is not None
        and current.change_type == record.get("change_type")
        and (current.decision.number if current.decision_id else None) == record.get("decision")
        and (current.effective_date.isoformat() if current.effective_date else None) == record.get("effective_date")
    )


def _record_problems(page, latest, record, resolved, initial_load):
    """The change-record rules the editor applies (``change_record_errors``), checked before
    submission: a change under the current version's own decision and date would only come back."""
    decision = resolved.get("decision")
    planned = isinstance(decision, tuple)  # brought by this file: it goes through moderation with it
    day = parse_iso_date(record.get("effective_date"))
    errors = change_record_errors(
        page,
        None if planned else decision,
        day,
        record.get("change_type"),
        record.get("change_note"),
        initial_load=initial_load,
        review=True,
    )
    errors.pop("announcing_decision", None)  # checked when resolving (missing, or in this file)
    if day is None:
        errors.pop("effective_date", None)  # reported as missing by check_record
    if planned and day and latest and latest.effective_date and day < latest.effective_date:
        errors["effective_date"] = _("Ngày có hiệu lực không được sớm hơn ngày có hiệu lực của phiên bản hiện hành.")
    return [str(message) for message in errors.values()]


def run_import(plan, progress=None):
    """Write ``plan`` (which has no problems) in one transaction; return the batch it made.

    Publication rules run on every procedure before it goes live; any refusal rolls everything
    back and is returned as a problem, so the file is all in or all out.
    """
    assert not plan.problems and not plan.options.dry_run
    options, mode = plan.options, _mode(plan)
    writing = [change for change in plan.changes if change.action not in ("unchanged", "exists")]
    ensure_search_indexes()
    try:
        # Wagtail updates a page's reference index on every save of it and of each child row
        # (a dozen times per procedure here): once per object at the end is the same index.
        with transaction.atomic(), disable_reference_index_auto_update():
            _home, index, _made = ensure_site_tree()  # an empty installation has none yet
            created = plan.resolver.create_planned(publish=mode == ImportBatch.Mode.PUBLISH, user=options.user)
            items = [_created_item(item) for item in created]
            pages = {}
            # New procedures first: a replaced procedure names its successor, maybe new here.
            with InitialLoad(index, options.user) as initial_load:
                ordered = sorted(writing, key=lambda change: change.action != "new")
                for done, change in enumerate(ordered, start=1):
                    _write(change, mode, index, plan, pages, initial_load)
                    items.append(_change_item(change))
                    if progress:
                        progress(done, len(writing))
            for item in created:
                if mode == ImportBatch.Mode.WORKFLOW:
                    item.get_workflow().start(item, options.user)
            items += [_change_item(change) for change in plan.changes if change.action in ("unchanged", "exists")]
            loaded = {page.pk for page in initial_load.pages}  # indexed by the initial load
            for obj in [*created, *(change.page for change in writing if change.page.pk not in loaded)]:
                ReferenceIndex.create_or_update_for_object(obj)
            plan.batch = ImportBatch.objects.create(
                created_by=options.user,
                source_name=options.source_name[:255],
                source_format=plan.kind,
                mode=mode,
                summary=plan.summary,
                items=items,
            )
    except RefusedImport as refusal:
        plan.problems += [(refusal.change.record["_at"][""], problem) for problem in refusal.problems]
        return None
    return plan.batch


def _write(change, mode, index, plan, pages, initial_load):
    """Write one change: a new procedure of an initial load in one go, anything else through
    Wagtail's revision, then publish or submit it."""
    options = plan.options
    page = change.page.specific if change.page else new_page(index, change.record)
    apply_record(page, change.record, change.resolved, plan.resolver, pages)
    change.page = pages[change.code or page.title] = page
    if change.action == "new" and mode == ImportBatch.Mode.PUBLISH:
        problems = initial_load.publish(page)
        if problems:
            raise RefusedImport(change, problems)
        return
    if page.pk is None:
        index.add_child(instance=page)
    # A gathered record's draft may lack required fields: it is saved as Wagtail saves drafts
    # (title and slug checked), and can never be published as it is.
    revision = page.save_revision(user=options.user, log_action=True, clean=mode != ImportBatch.Mode.DRAFTS)
    if mode == ImportBatch.Mode.PUBLISH:
        problems = publication_problems(page, initial_load=True)  # the revision's content
        if problems:
            raise RefusedImport(change, problems)
        # The revision was saved from this very page: publishing it need not rebuild the page
        # from its JSON (a query per child relation and row).
        revision.as_object = lambda page=page: page
        revision.publish(user=options.user)
    elif mode == ImportBatch.Mode.WORKFLOW:
        page.get_workflow().start(page, options.user)


class RefusedImport(Exception):
    def __init__(self, change, problems):
        super().__init__(problems)
        self.change, self.problems = change, problems


def _mode(plan):
    if plan.kind == "gathered":
        return ImportBatch.Mode.DRAFTS
    return ImportBatch.Mode.PUBLISH if plan.options.publish else ImportBatch.Mode.WORKFLOW


def _change_item(change):
    return {
        "kind": "procedure",
        "action": change.action,
        "code": change.code,
        "name": change.name,
        "object_id": change.page.pk if change.page else None,
        "fields": change.fields,
        "missing": [message for _where, message in change.missing],
    }


def _created_item(item):
    kind = "decision" if item._meta.model_name == "announcingdecision" else "form"
    return {
        "kind": kind,
        "action": "new",
        "code": getattr(item, "number", "") or item.code,
        "name": str(item.title),
        "object_id": item.pk,
        "fields": [],
        "missing": [],
    }
