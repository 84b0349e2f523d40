"""The API's shapes, declared field by field: they render the records and describe them in the
OpenAPI schema (/api/schema/)."""

from rest_framework import serializers


class VersionSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    url = serializers.URLField()
    published_at = serializers.DateTimeField()
    effective_date = serializers.DateField(allow_null=True)
    change_type = serializers.ChoiceField(choices=["new", "amended", "replaced", "abolished"])
    change_type_label = serializers.CharField()
    change_note = serializers.CharField(allow_blank=True)
    decision = serializers.CharField(allow_null=True, help_text="Số quyết định công bố")


class StepSerializer(serializers.Serializer):
    title = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    time_allowance = serializers.CharField(allow_blank=True)


class ChannelSerializer(serializers.Serializer):
    channel = serializers.CharField()
    time_limit_days = serializers.IntegerField(allow_null=True)
    time_limit_text = serializers.CharField(allow_blank=True)
    fee_amount = serializers.IntegerField(allow_null=True, help_text="Phí, đồng")
    charge_amount = serializers.IntegerField(allow_null=True, help_text="Lệ phí, đồng")
    fee_description = serializers.CharField(allow_blank=True)
    notes = serializers.CharField(allow_blank=True)


class FormFileSerializer(serializers.Serializer):
    file_format = serializers.CharField()
    size = serializers.IntegerField(allow_null=True)
    download_url = serializers.URLField()


class FormSerializer(serializers.Serializer):
    """A published form, in a procedure's dossier and in the list of forms: its first file
    (``file_format``, ``download_url``), and every file (to fill in, to print) in ``files``."""

    code = serializers.CharField()
    title = serializers.CharField()
    legal_document = serializers.CharField(allow_blank=True)
    file_format = serializers.CharField()
    download_url = serializers.URLField()
    files = FormFileSerializer(many=True)


class DossierComponentSerializer(serializers.Serializer):
    case_label = serializers.CharField(allow_blank=True)
    name = serializers.CharField()
    originals = serializers.IntegerField()
    copies = serializers.IntegerField()
    form = FormSerializer(allow_null=True)


class AgencyRoleSerializer(serializers.Serializer):
    role = serializers.CharField()
    name = serializers.CharField()
    # Contacts as published with the version (older versions have none).
    address = serializers.CharField(required=False, allow_blank=True)
    phone = serializers.CharField(required=False, allow_blank=True)
    opening_hours = serializers.CharField(required=False, allow_blank=True)


class RelatedSerializer(serializers.Serializer):
    name = serializers.CharField()
    url = serializers.URLField(allow_null=True)


class LegalBasisSerializer(serializers.Serializer):
    document = serializers.CharField()
    title = serializers.CharField(allow_blank=True)
    issue_date = serializers.DateField(allow_null=True)
    issuer = serializers.CharField(allow_blank=True)
    provision = serializers.CharField(allow_blank=True)


class DecisionRefSerializer(serializers.Serializer):
    number = serializers.CharField()
    title = serializers.CharField()
    signed_date = serializers.DateField(allow_null=True)
    url = serializers.URLField()


class ProcedureSerializer(serializers.Serializer):
    code = serializers.CharField(allow_blank=True)
    name = serializers.CharField()
    url = serializers.URLField()
    version = VersionSerializer()
    sector = serializers.CharField()
    levels = serializers.ListField(child=serializers.CharField())
    procedure_type = serializers.CharField()
    online_service = serializers.CharField()
    steps = StepSerializer(many=True)
    channels = ChannelSerializer(many=True)
    dossier = DossierComponentSerializer(many=True)
    dossier_sets = serializers.IntegerField()
    dossier_note = serializers.CharField(allow_blank=True)
    applicants = serializers.CharField()
    agencies = AgencyRoleSerializer(many=True)
    receiving_address = serializers.CharField(allow_blank=True)
    online_submission_url = serializers.CharField(allow_blank=True)
    result = serializers.CharField()
    requirements = serializers.CharField(allow_blank=True)
    related = RelatedSerializer(many=True)
    legal_bases = LegalBasisSerializer(many=True)
    decision = DecisionRefSerializer(allow_null=True)


class DecisionSerializer(serializers.Serializer):
    number = serializers.CharField()
    title = serializers.CharField()
    issuer = serializers.CharField(allow_blank=True)
    signed_date = serializers.DateField()
    effective_date = serializers.DateField()
    url = serializers.URLField()
