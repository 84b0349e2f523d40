"""/api/: the read API and its OpenAPI 3 description."""

from django.urls import path
from django.views.decorators.http import conditional_page
from drf_spectacular.views import SpectacularAPIView

from . import views

urlpatterns = [
    path("api/v1/procedures/", conditional_page(views.ProcedureListView.as_view()), name="api_procedures"),
    path(
        "api/v1/procedures/<str:code>/",
        conditional_page(views.ProcedureDetailView.as_view()),
        name="api_procedure",
    ),
    path(
        "api/v1/procedures/<str:code>/versions/",
        conditional_page(views.ProcedureVersionsView.as_view()),
        name="api_procedure_versions",
    ),
    path("api/v1/forms/", conditional_page(views.FormListView.as_view()), name="api_forms"),
    path("api/v1/decisions/", conditional_page(views.DecisionListView.as_view()), name="api_decisions"),
    path("api/schema/", SpectacularAPIView.as_view(urlconf="cms.api.urls"), name="api_schema"),
]
