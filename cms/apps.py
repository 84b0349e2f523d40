from django.apps import AppConfig


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = "Thủ tục hành chính"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        """Connect the publication rules (cms.publishing) to the signals that call them."""
        from django.db.models.signals import pre_delete, pre_save
        from wagtail.documents import get_document_model
        from wagtail.signals import page_published

        from . import page_cache, publishing
        from .models.files import fill_file_metadata
        from .models.workflow import approval_requested

        page_published.connect(publishing.record_published_version, dispatch_uid="cms.record_published_version")
        approval_requested.connect(publishing.approval_problems, dispatch_uid="cms.approval_problems")
        pre_delete.connect(
            publishing.refuse_deleting_published_documents,
            sender=get_document_model(),
            dispatch_uid="cms.refuse_deleting_published_documents",
        )
        pre_save.connect(fill_file_metadata, sender=get_document_model(), dispatch_uid="cms.fill_file_metadata")
        page_cache.connect_invalidation()
