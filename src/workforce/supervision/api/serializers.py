"""Serializers of the supervision API: they shape and validate input; the services decide."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from workforce.accounts.models import Department, User
from workforce.supervision.choices import (
    DepartmentRole,
    RectificationStatus,
    ReportStatus,
    ReviewDecision,
    RoundStatus,
    TaskStatus,
)
from workforce.supervision.models import (
    Attachment,
    Finding,
    InspectionRound,
    Measure,
    Milestone,
    ProgressReport,
    Rectification,
    ReportVersion,
    Task,
)


@extend_schema_field({"type": "string"})
class StatusField(serializers.ChoiceField):
    """A status, shown in the schema as a plain string: enums named "status" in several components would
    collide with the imports API's in the schema (its values are listed in the field's description)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", "one of: " + ", ".join(str(value) for value, _label in kwargs["choices"]))
        super().__init__(**kwargs)


class MeasureSerializer(serializers.ModelSerializer):
    group = serializers.CharField(source="group.title")
    lead_departments = serializers.SerializerMethodField()
    responsible_departments = serializers.SerializerMethodField()

    class Meta:
        model = Measure
        fields = ["id", "number", "title", "group", "text", "lead_departments", "responsible_departments"]

    def _departments(self, measure, role) -> list[dict]:
        return [{"code": link.department.code, "name": link.department.name, "name_in_plan": link.name_in_plan}
                for link in sorted(measure.links.all(), key=lambda link: link.position) if link.role == role]

    def get_lead_departments(self, measure) -> list[dict]:
        return self._departments(measure, DepartmentRole.LEAD)

    def get_responsible_departments(self, measure) -> list[dict]:
        return self._departments(measure, DepartmentRole.RESPONSIBLE)


class MilestoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = Milestone
        fields = ["id", "title", "due_date", "counted_from", "days", "day_unit", "completed_on"]


class TaskSerializer(serializers.ModelSerializer):
    measure = serializers.PrimaryKeyRelatedField(queryset=Measure.objects.all())
    department = serializers.SlugRelatedField(slug_field="code", queryset=Department.objects.all())
    owner = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), required=False, allow_null=True)
    milestones = MilestoneSerializer(many=True, read_only=True)
    status = StatusField(choices=TaskStatus.choices, required=False)
    version = serializers.IntegerField(required=False)

    class Meta:
        model = Task
        fields = ["id", "measure", "department", "title", "description", "owner", "start_date", "due_date", "status",
                  "completed_on", "indicator_codes", "milestones", "version"]


class AttachmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Attachment
        fields = ["id", "name", "size", "content_type", "sha256", "uploaded_at"]


class ReportVersionSerializer(serializers.ModelSerializer):
    attachments = AttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = ReportVersion
        fields = ["number", "body", "attachments", "submitted_at", "decision", "review_comment", "reviewed_at"]


class ProgressReportSerializer(serializers.ModelSerializer):
    department = serializers.CharField(source="department.code")
    period = serializers.CharField(source="period_label")
    status = StatusField(choices=ReportStatus.choices, read_only=True)
    versions = ReportVersionSerializer(many=True, read_only=True)
    attachments = serializers.SerializerMethodField()

    class Meta:
        model = ProgressReport
        fields = ["id", "measure", "department", "frequency", "period", "period_start", "period_end", "due_date",
                  "status", "body", "submitted_at", "version", "attachments", "versions"]

    def get_attachments(self, report) -> list[dict]:
        return AttachmentSerializer([a for a in report.attachments.all() if a.removed_at is None], many=True).data


class ReportBodySerializer(serializers.Serializer):
    body = serializers.CharField(allow_blank=True)
    version = serializers.IntegerField(required=False)


class ReviewSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=ReviewDecision.choices)
    comment = serializers.CharField(allow_blank=True, required=False, default="")


class UploadSerializer(serializers.Serializer):
    file = serializers.FileField(label=_("证明材料"))


class RectificationSerializer(serializers.ModelSerializer):
    department = serializers.CharField(source="department.code")
    status = StatusField(choices=RectificationStatus.choices, read_only=True)

    class Meta:
        model = Rectification
        fields = ["id", "department", "text", "due_date", "counted_from", "days", "day_unit", "status",
                  "reported_note", "reported_on", "closed_on", "closing_note"]


class FindingSerializer(serializers.ModelSerializer):
    department = serializers.CharField(source="department.code")
    rectifications = RectificationSerializer(many=True, read_only=True)

    class Meta:
        model = Finding
        fields = ["id", "measure", "department", "kind", "text", "rectifications"]


class InspectionRoundSerializer(serializers.ModelSerializer):
    findings = serializers.SerializerMethodField()
    status = StatusField(choices=RoundStatus.choices, read_only=True)

    class Meta:
        model = InspectionRound
        fields = ["id", "title", "started_on", "ended_on", "scope_note", "status", "summary", "findings"]

    def get_findings(self, inspection) -> list[dict]:
        user = self.context["request"].user
        findings = (Finding.objects.visible_to(user).filter(round=inspection).select_related("department")
                    .prefetch_related("rectifications__department"))
        return FindingSerializer(findings, many=True).data
