"""Version snapshots name their sector, levels, agencies and legal documents by id too (format 2).

The deletion guards compared names, so a renamed sector could be deleted while a published
version named it, and an unused namesake could not. Ids come from the revision the version
published (its rows are the snapshot's rows, in the same order); where a revision is gone or
does not match, from the current name. Rendering reads only the names, which are unchanged.
"""

from django.db import migrations


def _pk_named(model, name):
    return model.objects.filter(name=name).values_list("pk", flat=True).first()


def fill_ids(apps, schema_editor):
    ProcedureVersion = apps.get_model("cms", "ProcedureVersion")
    Sector = apps.get_model("cms", "Sector")
    Level = apps.get_model("cms", "ImplementationLevel")
    Agency = apps.get_model("cms", "Agency")
    LegalDocument = apps.get_model("cms", "LegalDocument")
    Revision = apps.get_model("wagtailcore", "Revision")

    for version in ProcedureVersion.objects.all():
        snapshot = version.snapshot
        if snapshot.get("format", 1) >= 2:
            continue
        revision = Revision.objects.filter(pk=version.revision_id).first()
        content = revision.content if revision else {}
        snapshot["sector_id"] = content.get("sector") or _pk_named(Sector, snapshot.get("sector"))
        level_ids = content.get("levels") or []
        if len(level_ids) != len(snapshot.get("levels", [])):
            level_ids = [_pk_named(Level, name) for name in snapshot.get("levels", [])]
        snapshot["level_ids"] = level_ids
        rows = content.get("agency_roles") or []
        agencies = snapshot.get("agencies", [])
        for position, agency in enumerate(agencies):
            from_revision = rows[position].get("agency") if len(rows) == len(agencies) else None
            agency["agency_id"] = from_revision or _pk_named(Agency, agency["name"])
        rows = content.get("legal_bases") or []
        bases = snapshot.get("legal_bases", [])
        for position, basis in enumerate(bases):
            from_revision = rows[position].get("legal_document") if len(rows) == len(bases) else None
            if from_revision is None:
                number = basis["document"].rsplit(" ", 1)[-1]  # "Nghị định 20/2021/NĐ-CP"
                from_revision = LegalDocument.objects.filter(number=number).values_list("pk", flat=True).first()
            basis["legal_document_id"] = from_revision
        snapshot["format"] = 2
        version.snapshot = snapshot
        version.save(update_fields=["snapshot"])


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0002_versions_and_moderation"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(fill_ids, migrations.RunPython.noop)]
