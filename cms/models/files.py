"""Moderated content that carries a file (forms, announcing decisions): its revisions pin the file.

A document's file can be replaced in place, which is not a revision of the form that links it;
so each revision records the digest of the file it was saved with, and what the approver
approves is that file (``cms.publishing`` compares the digest at approval).
"""

import hashlib

DIGEST_KEY = "document_sha256"


def document_digest(document):
    """SHA-256 of the document's file as stored now ("" without a file)."""
    if document is None or not document.file:
        return ""
    digest = hashlib.sha256()
    with document.file.open("rb") as stored:
        for chunk in iter(lambda: stored.read(64 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


class PinnedFileMixin:
    """Adds the digest of each file (``PINNED_FILES``, document foreign keys) to every revision's
    content: ``document`` under ``DIGEST_KEY``, another one under ``<name>_sha256``."""

    PINNED_FILES = ("document",)

    def serializable_data(self):
        data = super().serializable_data()
        for name in self.PINNED_FILES:
            document = getattr(self, name) if getattr(self, f"{name}_id") else None
            data[digest_key(name)] = document_digest(document)
        return data


def digest_key(field_name):
    return DIGEST_KEY if field_name == "document" else f"{field_name}_sha256"


def fill_file_metadata(sender, instance, **kwargs):
    """Receiver of the document model's ``pre_save``: a document made in code (the demo, imports)
    gets the SHA-1 and size that Wagtail's upload views set, which stable download URLs
    (``cms.views.document_by_hash``) and exports rely on."""
    if instance.file and not instance.file_hash:
        instance._set_document_file_metadata()
