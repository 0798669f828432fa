"""Serializers of the unions API: input is parsed here, every rule is in the services."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from workforce.unions.choices import ApplicationKind
from workforce.unions.models import MembershipApplication, Organisation


class OrganisationSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    district = serializers.CharField(source="district.code", read_only=True, allow_null=True, default=None)

    class Meta:
        model = Organisation
        fields = ["id", "name", "kind", "kind_display", "parent", "depth", "district", "new_employment_group",
                  "established_on", "is_active"]


class ApplicantSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    id_number_masked = serializers.CharField()


class MemberSerializer(serializers.Serializer):
    worker = ApplicantSerializer()
    organisation = serializers.IntegerField()
    valid_from = serializers.DateField()


class MembershipApplicationSerializer(serializers.ModelSerializer):
    applicant = serializers.SerializerMethodField()

    class Meta:
        model = MembershipApplication
        fields = ["id", "kind", "status", "organisation", "from_organisation", "channel", "applied_on", "note",
                  "decided_on", "reason", "applicant"]

    def get_applicant(self, application: MembershipApplication) -> dict[str, Any] | None:
        worker = getattr(application, "worker", None)
        return {"id": worker.pk, "name": worker.name, "id_number_masked": worker.id_number_masked} if worker else None


class ApplicationInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ApplicationKind.choices)
    worker = serializers.IntegerField(required=False, help_text=_("职工编号；职工本人提交时可省略"))
    id_number = serializers.CharField(required=False, max_length=18, help_text=_("现场办理时按身份证号查找职工"))
    organisation = serializers.IntegerField(required=False)
    note = serializers.CharField(required=False, allow_blank=True, max_length=500)


class ReviewInputSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=500)
