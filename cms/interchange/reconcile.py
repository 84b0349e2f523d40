"""Reconciliation ("đối chiếu"): another system's list of procedures against the official set.

The one-stop-shop software, portals and ministries keep their own copies of the set, and they
drift: a procedure abolished here is still offered there, a fee changed by a decision is not
changed there. The official side is what was approved and published (each in-force procedure's
current ``ProcedureVersion`` snapshot), never the editable page, whose draft nobody approved.

Rows are matched by code first; a row whose code is unknown, or that has none (many lists and the
demo set have procedures without a national code), is matched by its folded name. What matches
is compared field by field (``reconcile_fields``); what does not is reported as missing on the
other side, or as listed there although not in force here, with the reason. The result is plain
data (dataclasses), printed by ``manage.py reconcile_procedures``, shown by the admin page and
written as XLSX by ``reconcile_report``.
"""

import dataclasses
import datetime
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cms.formatting import dmy
from cms.models import ProcedurePage, ProcedureVersion
from search.vietnamese import vietnamese_sort_key

from .reconcile_fields import FIELD_LABELS, FieldIssue, compare_fields, names_differ, normalise_text
from .reconcile_read import CODE, NAME, ReconciliationError, TheirList, read_list
from .reconcile_report import report_xlsx

__all__ = [
    "Difference",
    "Duplicate",
    "MissingThere",
    "NotInForceThere",
    "ReconciliationError",
    "ReconciliationResult",
    "reconcile_file",
    "reconcile_list",
    "report_xlsx",
]

ABOLISHED, REPLACED, UNKNOWN_CODE, UNKNOWN_NAME = "abolished", "replaced", "unknown_code", "unknown_name"
REASON_LABELS = {
    ABOLISHED: gettext_lazy("Đã bãi bỏ"),
    REPLACED: gettext_lazy("Đã được thay thế"),
    UNKNOWN_CODE: gettext_lazy("Mã không có trong bộ thủ tục"),
    UNKNOWN_NAME: gettext_lazy("Không có mã, tên không có trong bộ thủ tục"),
}


@dataclass(frozen=True)
class MissingThere:
    """In the official set, absent from the other list."""

    code: str
    name: str
    sector: str
    levels: str


@dataclass(frozen=True)
class NotInForceThere:
    """Listed by the other system, not in force here: abolished, replaced or unknown."""

    line: int
    code: str
    name: str
    reason: str
    detail: str = ""

    @property
    def reason_label(self):
        return str(REASON_LABELS[self.reason])


@dataclass(frozen=True)
class Difference:
    """One field of a procedure in both lists; ``note`` says why it could not be compared."""

    line: int
    code: str
    name: str
    field: str
    official: str
    theirs: str
    note: str = ""

    @property
    def label(self):
        return str(FIELD_LABELS.get(self.field, self.field))


@dataclass(frozen=True)
class Duplicate:
    """A procedure the other list has on several rows, by code or (rows without a code) by name;
    only the first row was compared."""

    code: str
    lines: tuple
    names: tuple


@dataclass
class ReconciliationResult:
    filename: str
    file_format: str
    made_on: datetime.date
    official_count: int
    rows_read: int
    matched: int
    missing_there: list = field(default_factory=list)
    not_in_force_there: list = field(default_factory=list)
    differences: list = field(default_factory=list)
    not_compared: list = field(default_factory=list)
    duplicates: list = field(default_factory=list)

    @property
    def has_findings(self):
        return bool(self.missing_there or self.not_in_force_there or self.differences or self.duplicates)

    def to_dict(self):
        """JSON-ready (the admin keeps the last report in the session for its download)."""
        data = dataclasses.asdict(self)
        data["made_on"] = self.made_on.isoformat()
        return data

    @classmethod
    def from_dict(cls, data):
        kinds = {
            "missing_there": MissingThere,
            "not_in_force_there": NotInForceThere,
            "differences": Difference,
            "not_compared": Difference,
            "duplicates": Duplicate,
        }
        values = dict(data, made_on=datetime.date.fromisoformat(data["made_on"]))
        for key, kind in kinds.items():
            values[key] = [kind(**item) for item in data.get(key, [])]
        values["duplicates"] = [
            dataclasses.replace(item, lines=tuple(item.lines), names=tuple(item.names)) for item in values["duplicates"]
        ]
        return cls(**values)


def reconcile_file(data, filename=""):
    """Read ``data`` (the bytes of an XLSX, CSV or JSON list) and reconcile it with the official
    set; raises ``ReconciliationError`` with a Vietnamese message when it cannot be read."""
    return reconcile_list(read_list(data), filename=filename)


class _OfficialSet:
    """The current published version of every in-force procedure, and the live procedures that
    are no longer in force (to say why a row the other list has is not in the set)."""

    def __init__(self):
        in_force = ProcedurePage.objects.in_force()
        self.versions = list(ProcedureVersion.objects.current_of(in_force))
        self.by_code, self.by_name = {}, {}
        for version in self.versions:
            snapshot = version.snapshot
            if snapshot.get("code"):
                self.by_code.setdefault(snapshot["code"], version)
            self.by_name.setdefault(normalise_text(snapshot.get("title")), []).append(version)
        gone = ProcedurePage.objects.live().exclude(pk__in=in_force.values("pk")).select_related("replaced_by")
        self.gone_by_code, self.gone_by_name = {}, {}
        for page in gone.order_by("path"):
            if page.code:
                self.gone_by_code.setdefault(page.code, page)
            self.gone_by_name.setdefault(normalise_text(page.title), page)


def _why_not_in_force(page):
    if page.replaced_by_id:
        replacement = page.replaced_by
        return REPLACED, _("Được thay thế bởi %(procedure)s") % {
            "procedure": f"{replacement.code} {replacement.title}".strip()
        }
    if page.is_abolished:
        since = page.effective_date
        return ABOLISHED, _("Bãi bỏ từ ngày %(date)s") % {"date": dmy(since.isoformat())} if since else ""
    return UNKNOWN_CODE if page.code else UNKNOWN_NAME, ""


def reconcile_list(their_list: TheirList, filename=""):
    """Reconcile an already read list (``reconcile_read.read_list``) with the official set."""
    official = _OfficialSet()
    first_rows, duplicates = _first_of_each_code(their_list.rows)
    matched, not_in_force, listed_twice = _match(official, first_rows)
    for page_id, rows in listed_twice.items():
        first, snapshot = matched[page_id][0], matched[page_id][1].snapshot
        everyone = [first, *rows]
        duplicates.append(
            Duplicate(snapshot.get("code", ""), tuple(r.line for r in everyone), tuple(r.name for r in everyone))
        )
    differences, not_compared = [], []
    for row, version, by_name in sorted(matched.values(), key=lambda item: item[0].line):
        snapshot = version.snapshot
        found, uncomparable = _compare(row, snapshot, by_name)
        where = (row.line, snapshot.get("code", ""), snapshot.get("title", ""))
        differences += [Difference(*where, **_asdict(issue)) for issue in found]
        not_compared += [Difference(*where, **_asdict(issue)) for issue in uncomparable]
    missing = [
        MissingThere(
            code=version.snapshot.get("code", ""),
            name=version.snapshot.get("title", ""),
            sector=version.snapshot.get("sector", ""),
            levels=", ".join(version.snapshot.get("levels", [])),
        )
        for version in official.versions
        if version.page_id not in matched
    ]
    missing.sort(key=lambda item: (not item.code, item.code, vietnamese_sort_key(item.name)))
    return ReconciliationResult(
        filename=filename,
        file_format=their_list.file_format,
        made_on=timezone.localdate(),
        official_count=len(official.versions),
        rows_read=len(their_list.rows),
        matched=len(matched),
        missing_there=missing,
        not_in_force_there=not_in_force,
        differences=differences,
        not_compared=not_compared,
        duplicates=duplicates,
    )


def _asdict(issue: FieldIssue):
    return {"field": issue.field, "official": issue.official, "theirs": issue.theirs, "note": issue.note}


def _first_of_each_code(rows):
    """The rows to compare (the first row of each code) and the codes listed more than once."""
    by_code = {}
    for row in rows:
        if row.code:
            by_code.setdefault(row.code, []).append(row)
    duplicates = [
        Duplicate(code, tuple(row.line for row in same), tuple(row.name for row in same))
        for code, same in by_code.items()
        if len(same) > 1
    ]
    repeated = {id(row) for same in by_code.values() for row in same[1:]}
    return [row for row in rows if id(row) not in repeated], duplicates


def _match(official, rows):
    """({page id: (row, version, matched by name)}, rows not in force here, {page id: further rows
    naming a procedure another row already matched})."""
    matched, unmatched = {}, []
    for row in rows:  # codes first: a row without a code must not take a procedure another row names
        version = official.by_code.get(row.code) if row.code else None
        if version is not None:
            matched[version.page_id] = (row, version, False)
        else:
            unmatched.append(row)
    not_in_force, listed_twice = [], {}
    for row in unmatched:
        page = official.gone_by_code.get(row.code) if row.code else None
        candidates = [] if page else official.by_name.get(normalise_text(row.name), [])
        free = [version for version in candidates if version.page_id not in matched]
        if free:
            matched[free[0].page_id] = (row, free[0], True)
        elif candidates:
            listed_twice.setdefault(candidates[0].page_id, []).append(row)
        else:
            page = page or official.gone_by_name.get(normalise_text(row.name))
            reason, detail = _why_not_in_force(page) if page else (UNKNOWN_CODE if row.code else UNKNOWN_NAME, "")
            not_in_force.append(NotInForceThere(row.line, row.code, row.name, reason, detail))
    return matched, sorted(not_in_force, key=lambda item: item.line), listed_twice


def _compare(row, snapshot, by_name):
    found, uncomparable = compare_fields(row, snapshot)
    head = []
    if by_name and row.code and row.code != snapshot.get("code"):
        head.append(FieldIssue(CODE, snapshot.get("code") or _("(chưa có mã)"), row.code))
    if row.name and names_differ(snapshot.get("title", ""), row.name):
        head.append(FieldIssue(NAME, snapshot.get("title", ""), row.name))
    return head + found, uncomparable
