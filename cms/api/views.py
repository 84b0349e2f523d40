"""Read-only JSON for other software: the current set, one procedure (now or on a date), its
history, forms and decisions. Only published data: live pages' published versions, live forms
and decisions; never a draft or a revision in moderation.

Every response carries an ETag (and the history a Last-Modified) and answers conditional
requests with 304 (``conditional_page`` in ``cms/api/urls.py``).
"""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.http import http_date
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.generics import GenericAPIView
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from search.vietnamese import PROCEDURE_CODE

from ..formatting import parse_typed_date
from ..models import AnnouncingDecision, Form, ProcedurePage, ProcedureVersion
from ..models.filters import ProcedureFilterForm
from .records import procedure_record, version_summary
from .serializers import DecisionSerializer, FormSerializer, ProcedureSerializer, VersionSerializer


class Pagination(PageNumberPagination):
    page_size = 50

    def get_paginated_response_schema(self, schema):
        """DRF's own, with "may be null" said the OpenAPI 3.1 way (the schema's version)."""
        described = super().get_paginated_response_schema(schema)
        for link in ("next", "previous"):
            described["properties"][link].pop("nullable", None)
            described["properties"][link]["type"] = ["string", "null"]
        return described


class ReadOnlyAPIView(GenericAPIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    renderer_classes = [JSONRenderer]


def live_urls_for(versions):
    ids = {item["page_id"] for version in versions for item in version.snapshot.get("related", [])}
    pages = ProcedurePage.objects.live().public().in_bulk(ids) if ids else {}
    return {pk: page.url for pk, page in pages.items()}


FILTERS = [
    OpenApiParameter("sector", OpenApiTypes.STR, description="Lĩnh vực (đường dẫn, ví dụ bao-tro-xa-hoi)"),
    OpenApiParameter("level", OpenApiTypes.STR, description="Cấp thực hiện (đường dẫn, ví dụ cap-xa)"),
    OpenApiParameter("agency", OpenApiTypes.STR, description="Cơ quan (đường dẫn)"),
    OpenApiParameter("changed_since", OpenApiTypes.DATE, description="Chỉ các thủ tục công bố từ ngày này"),
]


class ProcedureListView(ReadOnlyAPIView):
    """The current official set: procedures in force, each at its current published version."""

    serializer_class = ProcedureSerializer
    pagination_class = Pagination

    @extend_schema(parameters=FILTERS, responses=ProcedureSerializer(many=True))
    def get(self, request):
        chosen = {name: request.query_params.get(name, "") for name in ("sector", "level", "agency")}
        filters = ProcedureFilterForm({ProcedureFilterForm.PARAMETERS[name]: value for name, value in chosen.items()})
        unknown = [name for name, value in chosen.items() if value and not getattr(filters, name)]
        if unknown:  # a mistyped slug must not silently return the whole set to a syncing system
            return Response({"detail": f"Không có {', '.join(unknown)} nào với đường dẫn đã cho."}, status=400)
        versions = ProcedureVersion.objects.current_of(filters.apply(ProcedurePage.objects.in_force()))
        since = parse_typed_date(request.query_params.get("changed_since"))
        if since:
            versions = versions.filter(published_at__date__gte=since)
        page = self.paginate_queryset(versions)
        live_urls = live_urls_for(page)
        records = [procedure_record(version, request, live_urls) for version in page]
        # No Last-Modified: procedures also leave the set without a new publication (an abolition
        # taking effect, an unpublished page); the ETag follows the content itself.
        return self.get_paginated_response(ProcedureSerializer(records, many=True).data)


def _procedure_by_code(code):
    """The live, public procedure with this code, the one in force first."""
    if not PROCEDURE_CODE.match(code):
        raise Http404
    candidates = ProcedurePage.objects.live().public().filter(code=code)
    return candidates.in_force().first() or get_object_or_404(candidates.order_by("-last_published_at")[:1])


class ProcedureDetailView(ReadOnlyAPIView):
    """One procedure by its code: the current version, or with ``date`` the version in force that day."""

    serializer_class = ProcedureSerializer

    @extend_schema(
        parameters=[OpenApiParameter("date", OpenApiTypes.DATE, description="Phiên bản có hiệu lực vào ngày này")],
        responses=ProcedureSerializer,
    )
    def get(self, request, code):
        page = _procedure_by_code(code)
        versions = page.versions.select_related("page", "decision")
        if "date" in request.query_params:
            day = parse_typed_date(request.query_params["date"])
            version = versions.in_force_on(day) if day else None
        else:
            version = versions.order_by("-number").first()
        if version is None:
            return Response({"detail": "Không có phiên bản nào có hiệu lực vào ngày này."}, status=404)
        record = procedure_record(version, request, live_urls_for([version]))
        return Response(ProcedureSerializer(record).data)  # ETag only: related links change unpublished


class ProcedureVersionsView(ReadOnlyAPIView):
    """Every published version of one procedure, newest first."""

    serializer_class = VersionSerializer

    @extend_schema(responses=VersionSerializer(many=True))
    def get(self, request, code):
        page = _procedure_by_code(code)
        versions = list(page.versions.select_related("page", "decision").order_by("-number"))
        data = VersionSerializer([version_summary(version, request) for version in versions], many=True).data
        response = Response(data)
        if versions:  # the history changes only with a new publication, the newest listed first
            response["Last-Modified"] = http_date(versions[0].published_at.timestamp())
        return response


class FormListView(ReadOnlyAPIView):
    """Published forms with their download links."""

    serializer_class = FormSerializer

    @extend_schema(responses=FormSerializer(many=True))
    def get(self, request):
        forms = (
            Form.objects.filter(live=True)
            .select_related("legal_document", "document", "print_document")
            .order_by("code", "pk")
        )
        data = [
            {
                "code": form.code,
                "title": form.title,
                "legal_document": str(form.legal_document) if form.legal_document_id else "",
                "file_format": form.file_extension,
                "download_url": request.build_absolute_uri(form.document.url),
                "files": [
                    {
                        "file_format": document.file_extension.upper(),
                        "size": document.file_size,
                        "download_url": request.build_absolute_uri(document.url),
                    }
                    for document in form.documents()
                ],
            }
            for form in forms
        ]
        return Response(FormSerializer(data, many=True).data)


class DecisionListView(ReadOnlyAPIView):
    """Published announcing decisions, newest first."""

    serializer_class = DecisionSerializer

    @extend_schema(responses=DecisionSerializer(many=True))
    def get(self, request):
        decisions = AnnouncingDecision.objects.filter(live=True).order_by("-effective_date", "number")
        data = [
            {
                "number": decision.number,
                "title": decision.title,
                "issuer": decision.issuer,
                "signed_date": decision.signed_date,
                "effective_date": decision.effective_date,
                "url": request.build_absolute_uri(decision.get_absolute_url()),
            }
            for decision in decisions
        ]
        return Response(DecisionSerializer(data, many=True).data)
