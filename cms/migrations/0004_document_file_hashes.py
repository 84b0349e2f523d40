"""Fill in the SHA-1 and size of documents made in code before ``fill_file_metadata`` existed:
stable download URLs find files by their hash."""

from django.db import migrations
from wagtail.utils.file import hash_filelike


def fill_hashes(apps, schema_editor):
    Document = apps.get_model("wagtaildocs", "Document")
    for document in Document.objects.filter(file_hash=""):
        try:
            with document.file.open("rb") as handle:
                document.file_hash = hash_filelike(handle)
            document.file_size = document.file.size
        except OSError:
            continue  # a missing file keeps its empty hash; it is not downloadable anyway
        document.save(update_fields=["file_hash", "file_size"])


class Migration(migrations.Migration):
    dependencies = [("cms", "0003_snapshot_ids"), ("wagtaildocs", "0014_alter_document_file_size")]

    operations = [migrations.RunPython(fill_hashes, migrations.RunPython.noop)]
