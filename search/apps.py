from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    label = "procedure_search"
    verbose_name = "Tìm kiếm"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from cms.page_cache import invalidate

        from .models import Synonym

        # The synonyms are remembered per cache generation (search.query.synonyms).
        post_save.connect(invalidate, sender=Synonym, dispatch_uid="search.synonym_saved")
        post_delete.connect(invalidate, sender=Synonym, dispatch_uid="search.synonym_deleted")
