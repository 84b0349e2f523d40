"""A published version as other software reads it: the snapshot, without database ids, with
absolute links and machine-readable codes next to the Vietnamese labels."""

from django.urls import reverse

from ..snapshots import SnapshotView

# Database ids in snapshots serve the deletion guards; they mean nothing to another system.
_INTERNAL_KEYS = {
    "sector_id",
    "level_ids",
    "agency_id",
    "legal_document_id",
    "form_id",
    "document_id",
    "page_id",
    "role_code",  # "role" carries the label
}


def _without_ids(value):
    if isinstance(value, dict):
        return {key: _without_ids(item) for key, item in value.items() if key not in _INTERNAL_KEYS}
    if isinstance(value, list):
        return [_without_ids(item) for item in value]
    return value


def version_summary(version, request):
    """What identifies one published version: number, dates, change, decision, link."""
    return {
        "number": version.number,
        "url": request.build_absolute_uri(version.get_url()),
        "published_at": version.published_at,
        "effective_date": version.effective_date,
        "change_type": version.change_type,
        "change_type_label": version.change_type_label,
        "change_note": version.change_note,
        "decision": version.decision.number if version.decision_id else None,
    }


def procedure_record(version, request, live_urls):
    """The whole published content of ``version`` (``live_urls``: related procedures still public)."""
    snapshot = version.snapshot
    view = SnapshotView(snapshot, live_urls=live_urls)
    dossier = []
    for case_label, components in view.dossier_groups:
        for component in components:
            form = component["form"]
            dossier.append(
                {
                    **_without_ids(component),
                    "case_label": case_label,
                    "form": (
                        {
                            "code": form["code"],
                            "title": form["title"],
                            "legal_document": form["legal_document"],
                            "file_format": form["extension"],
                            "download_url": request.build_absolute_uri(form["url"]),
                            "files": [
                                {
                                    "file_format": file["extension"],
                                    "size": file.get("size"),
                                    "download_url": request.build_absolute_uri(file["url"]),
                                }
                                for file in form["files"]
                            ],
                        }
                        if form
                        else None
                    ),
                }
            )
    related = [
        {"name": item["title"], "url": request.build_absolute_uri(item["url"]) if item["url"] else None}
        for item in view.related_view
    ]
    decision = snapshot.get("decision")
    return {
        "code": snapshot.get("code", ""),
        "name": snapshot.get("title", ""),
        "url": request.build_absolute_uri(version.page.url),
        "version": version_summary(version, request),
        "sector": snapshot.get("sector", ""),
        "levels": snapshot.get("levels", []),
        "procedure_type": snapshot.get("procedure_type", ""),
        "online_service": snapshot.get("online_service", ""),
        "steps": snapshot.get("steps", []),
        "channels": snapshot.get("channels", []),
        "dossier": dossier,
        "dossier_sets": snapshot.get("dossier_sets"),
        "dossier_note": snapshot.get("dossier_note", ""),
        "applicants": snapshot.get("applicants", ""),
        "agencies": _without_ids(snapshot.get("agencies", [])),
        "receiving_address": snapshot.get("receiving_address", ""),
        "online_submission_url": snapshot.get("online_submission_url", ""),
        "result": snapshot.get("result", ""),
        "requirements": snapshot.get("requirements", ""),
        "related": related,
        "legal_bases": _without_ids(snapshot.get("legal_bases", [])),
        "decision": (
            {
                "number": decision["number"],
                "title": decision["title"],
                "signed_date": decision["signed_date"],
                "url": request.build_absolute_uri(reverse("decision_detail", args=(decision["slug"],))),
            }
            if decision
            else None
        ),
    }
