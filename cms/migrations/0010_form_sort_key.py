from django.db import migrations, models

from search.vietnamese import vietnamese_collation_key


def fill_sort_keys(apps, schema_editor):
    """Keys for the forms that exist; saves keep them up to date from now on."""
    Form = apps.get_model("cms", "Form")
    rows = list(Form.objects.only("pk", "title"))
    for row in rows:
        row.sort_key = vietnamese_collation_key(row.title)
    Form.objects.bulk_update(rows, ["sort_key"], batch_size=500)


class Migration(migrations.Migration):

    dependencies = [
        ("cms", "0009_forms_files_agencies_online"),
    ]

    operations = [
        migrations.AddField(
            model_name="form",
            name="sort_key",
            field=models.CharField(db_index=True, default="", editable=False, max_length=1534),
        ),
        migrations.RunPython(fill_sort_keys, migrations.RunPython.noop),
    ]
