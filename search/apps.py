from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    label = "procedure_search"
    verbose_name = "Tìm kiếm"
