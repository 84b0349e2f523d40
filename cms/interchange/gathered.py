"""Records gathered from public portals (``shared/data/procedures.json``) as set records.

They are facts about what a portal showed, often incomplete, written as free text: what can be
read with certainty becomes a field (channels, levels, legal documents named by kind and number,
a time limit in working days), the rest is kept as written where the model has free text, and
nothing is invented (no dossier counts, no steps). The importer turns them into drafts that say
what is missing; they never go public as they are.
"""

import re

from django.utils.translation import gettext as _

from search.vietnamese import fold

from .. import choices

CHANNEL_WORDS = (("truc tiep", "in_person"), ("truc tuyen", "online"), ("buu chinh", "postal"))
LEVEL_WORDS = (("tinh", "Cấp tỉnh"), ("huyen", "Cấp huyện"), ("xa", "Cấp xã"))
DAYS = re.compile(r"(\d{1,3})\s*ngày")


def without_note(text):
    """ "Người có công (thi đua khen thưởng)" -> "Người có công"."""
    return re.sub(r"\s*\(.*\)\s*$", "", text or "").strip()


def _levels(text):
    folded = fold(text or "")
    return [name for word, name in LEVEL_WORDS if re.search(rf"\b{word}\b", folded)]


def _channels(record):
    methods = record.get("submission_methods") or []
    if isinstance(methods, str):
        methods = re.split(r"[;,]", methods)
    found = []
    for method in methods:
        for word, value in CHANNEL_WORDS:
            if word in fold(method) and value not in found:
                found.append(value)
    time_text = (record.get("processing_time") or "").strip()
    match = DAYS.search(time_text)
    fee_text = (record.get("fee") or "").strip()
    return [
        {
            "channel": value,
            "time_limit_days": int(match.group(1)) if match and int(match.group(1)) > 0 else None,
            "time_limit_text": time_text[:500],
            "fee_amount": None,
            "charge_amount": None,
            "fee_description": fee_text[:500],
            "notes": "",
        }
        for value in found
    ]


def _agencies(text):
    return [
        {"role": choices.AgencyRole.IMPLEMENTING, "name": part.strip()}
        for part in re.split(r";", text or "")
        if part.strip()
    ]


def read_gathered(data):
    """(document, problems): one record per gathered item; problems only for unusable items."""
    procedures, problems = [], []
    for index, item in enumerate(data):
        label = _("Bản ghi thứ %(number)d") % {"number": index + 1}
        name = (item.get("name") or "").strip().rstrip(".").strip()
        if not name:
            problems.append((label, _("Thiếu tên thủ tục.")))
            continue
        notes = [
            note
            for note in (item.get("notes"), item.get("dossier") and _("Hồ sơ (nguyên văn): %s") % item["dossier"])
            if note
        ]
        procedures.append(
            {
                "_at": {"": f"{label} ({item.get('code') or name[:60]})"},
                "_gathered": True,
                "_source": item.get("source") or "",
                "code": (item.get("code") or "").strip(),
                "name": name,
                "sector": without_note(item.get("field")),
                "levels": _levels(item.get("level")),
                "procedure_type": choices.ProcedureType.NOT_DETAILED,
                "online_service": choices.OnlineService.NONE,
                "steps": [],
                "channels": _channels(item),
                "dossier": [],
                "dossier_sets": 1,
                "dossier_note": "\n".join(notes)[:5000],
                "applicants": (item.get("applicant_type") or "").strip(),
                "agencies": _agencies(item.get("implementing_agency")),
                "receiving_address": "",
                "online_submission_url": "",
                "result": (item.get("result") or "").strip(),
                "requirements": "",
                "related": [],
                "legal_bases": [{"document": text.strip(), "provision": ""} for text in item.get("legal_basis") or []],
                "decision": None,
                "effective_date": None,
                "change_type": choices.ChangeType.NEW,
                "change_note": "",
                "replaced_by": None,
            }
        )
    document = {key: [] for key in ("sectors", "levels", "agencies", "legal_documents", "decisions", "forms")}
    document["procedures"] = procedures
    return document, problems
