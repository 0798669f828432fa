"""Serializers of the supervision API: they shape and validate input; the services decide."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from workforce.accounts.models import Department, User
from workforce.supervision import selectors
from workforce.supervision.choices import (
    DayUnit,
    DepartmentRole,
    FindingKind,
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
from workforce.supervision.services.roadmap import DeadlineInput


@extend_schema_field({"type": "string"})
class PlainChoiceField(serializers.ChoiceField):
    """A code (status, kind, decision), shown in the schema as a plain string: enums of the same field name
    in several components would collide with other apps' in the schema (its values are listed in the
    field's description)."""

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
        fields = ["id", "task", "title", "due_date", "counted_from", "days", "day_unit", "completed_on"]


class TaskSerializer(serializers.ModelSerializer):
    measure = serializers.PrimaryKeyRelatedField(queryset=Measure.objects.all())
    department = serializers.SlugRelatedField(slug_field="code", queryset=Department.objects.all())
    owner = serializers.PrimaryKeyRelatedField(queryset=User.objects.all(), required=False, allow_null=True)
    milestones = MilestoneSerializer(many=True, read_only=True)
    status = PlainChoiceField(choices=TaskStatus.choices, required=False)
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
    status = PlainChoiceField(choices=ReportStatus.choices, read_only=True)
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
    status = PlainChoiceField(choices=RectificationStatus.choices, read_only=True)

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
    status = PlainChoiceField(choices=RoundStatus.choices, read_only=True)

    class Meta:
        model = InspectionRound
        fields = ["id", "title", "started_on", "ended_on", "scope_note", "status", "summary", "findings"]

    def get_findings(self, inspection) -> list[dict]:
        findings = getattr(inspection, "visible_findings", None)
        if findings is None:  # a round just written, not read through the list's queryset
            findings = selectors.findings_for_api(self.context["request"].user).filter(round=inspection)
        return FindingSerializer(findings, many=True).data


class DeadlineSerializer(serializers.Serializer):
    """A deadline: ``due_date``, or ``days`` calendar/working days (``day_unit``) from ``counted_from``."""

    due_date = serializers.DateField(required=False, allow_null=True)
    counted_from = serializers.DateField(required=False, allow_null=True)
    days = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=3650)
    day_unit = serializers.ChoiceField(choices=DayUnit.choices, required=False, allow_blank=True)

    def deadline(self) -> DeadlineInput | None:
        """The deadline given, or ``None`` when none of its fields was sent (an update that keeps it)."""
        data = self.validated_data
        if not any(key in data for key in ("due_date", "counted_from", "days", "day_unit")):
            return None
        return DeadlineInput(due_date=data.get("due_date"), counted_from=data.get("counted_from"),
                             days=data.get("days"), day_unit=data.get("day_unit", ""))


class MilestoneWriteSerializer(DeadlineSerializer):
    title = serializers.CharField(max_length=200, required=False)


class MilestoneCreateSerializer(MilestoneWriteSerializer):
    task = serializers.IntegerField()
    title = serializers.CharField(max_length=200)


class RoundWriteSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    started_on = serializers.DateField()
    scope_note = serializers.CharField(allow_blank=True, required=False)
    measures = serializers.PrimaryKeyRelatedField(queryset=Measure.objects.all(), many=True, required=False)
    departments = serializers.SlugRelatedField(slug_field="code", queryset=Department.objects.all(), many=True,
                                               required=False)
    inspectors = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True), many=True,
                                                    required=False)


class FindingWriteSerializer(serializers.Serializer):
    measure = serializers.PrimaryKeyRelatedField(queryset=Measure.objects.all())
    department = serializers.SlugRelatedField(slug_field="code", queryset=Department.objects.all())
    kind = PlainChoiceField(choices=FindingKind.choices, default=FindingKind.PROBLEM)
    text = serializers.CharField()


class RectificationWriteSerializer(DeadlineSerializer):
    text = serializers.CharField(required=False)


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(allow_blank=True, required=False, default="")


class CloseRectificationSerializer(NoteSerializer):
    decision = PlainChoiceField(choices=[("close", _("同意销号")), ("return", _("退回继续整改"))])
