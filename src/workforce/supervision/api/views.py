"""Supervision REST API: measures, tasks, progress reports (write, submit, review) and inspections.

Rows come only from ``visible_to(request.user)``, so a record outside the user's scope answers 404;
permissions answer 403; every write goes through a service with the channel "api".
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from workforce.core.api.permissions import ModelPermissionsMixin
from workforce.core.choices import Channel
from workforce.supervision.api import serializers as s
from workforce.supervision.models import InspectionRound, Measure, ProgressReport, Task
from workforce.supervision.services import reports as report_services
from workforce.supervision.services import roadmap as roadmap_services

API = Channel.API


class SupervisionViewSet(ModelPermissionsMixin, viewsets.GenericViewSet):
    lookup_value_converter = "int"
    http_method_names = ["get", "post", "patch", "head", "options"]

    def _input(self, serializer_class, **kwargs):
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context(), **kwargs)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)


@extend_schema_view(list=extend_schema(summary=_("改革举措列表")), retrieve=extend_schema(summary=_("改革举措详情")))
class MeasureViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, SupervisionViewSet):
    """The plan's measures with their lead and responsible departments (public to whoever may view them)."""

    serializer_class = s.MeasureSerializer
    filterset_fields = ["plan", "number"]

    def get_queryset(self):
        return Measure.objects.select_related("group").prefetch_related("links__department").order_by("plan", "number")


@extend_schema_view(list=extend_schema(summary=_("任务列表")), retrieve=extend_schema(summary=_("任务详情")))
class TaskViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, SupervisionViewSet):
    """The departments' tasks (roadmap) with their milestones."""

    serializer_class = s.TaskSerializer
    filterset_fields = ["measure", "status"]

    def get_queryset(self):
        return (Task.objects.visible_to(self.request.user).select_related("department")
                .prefetch_related("milestones").order_by("pk"))

    def create(self, request):
        data = self._input(s.TaskSerializer)
        measure, department = data.pop("measure"), data.pop("department")
        data.pop("version", None)
        task = roadmap_services.do_create_task(measure, department, data, acting_user=request.user, channel=API)
        return Response(s.TaskSerializer(task).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk):
        task = self.get_object()
        data = self._input(s.TaskSerializer, partial=True)
        expected = data.pop("version", None)
        task = roadmap_services.do_update_task(task, data, expected_version=expected, acting_user=request.user,
                                               channel=API)
        return Response(s.TaskSerializer(task).data)


REPORT_WRITE = ["supervision.change_progressreport"]


@extend_schema_view(list=extend_schema(summary=_("进展报告列表")), retrieve=extend_schema(summary=_("进展报告详情")))
class ProgressReportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, SupervisionViewSet):
    """Progress reports: the department writes, attaches and submits; the lead department reviews."""

    serializer_class = s.ProgressReportSerializer
    filterset_fields = ["measure", "status", "period_start"]

    def get_queryset(self):
        return (ProgressReport.objects.visible_to(self.request.user).select_related("department")
                .prefetch_related("attachments", "versions__attachments").order_by("-period_start", "pk"))

    def _answer(self, report):
        return Response(s.ProgressReportSerializer(self.get_queryset().get(pk=report.pk)).data)

    @extend_schema(request=s.ReportBodySerializer, responses=s.ProgressReportSerializer, summary=_("保存报告草稿"))
    @action(detail=True, methods=["patch"], url_path="body", required_permissions=REPORT_WRITE)
    def body(self, request, pk):
        report = self.get_object()
        data = self._input(s.ReportBodySerializer)
        report_services.do_save_report(report, data["body"], expected_version=data.get("version"),
                                       acting_user=request.user, channel=API)
        return self._answer(report)

    @extend_schema(request=s.UploadSerializer, responses=s.AttachmentSerializer, summary=_("上传证明材料"))
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser], required_permissions=REPORT_WRITE)
    def attachments(self, request, pk):
        report = self.get_object()
        data = self._input(s.UploadSerializer)
        attachment = report_services.do_attach_file(report, data["file"], acting_user=request.user, channel=API)
        return Response(s.AttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=s.ProgressReportSerializer, summary=_("报送报告"))
    @action(detail=True, methods=["post"], required_permissions=REPORT_WRITE)
    def submit(self, request, pk):
        report = self.get_object()
        report_services.do_submit_report(report, acting_user=request.user, channel=API)
        return self._answer(report)

    @extend_schema(request=s.ReviewSerializer, responses=s.ProgressReportSerializer, summary=_("审核报告"))
    @action(detail=True, methods=["post"], required_permissions=["supervision.view_progressreport"])
    def review(self, request, pk):
        report = self.get_object()
        data = self._input(s.ReviewSerializer)
        report_services.do_review_report(report, data["decision"], data["comment"], acting_user=request.user,
                                         channel=API)
        return self._answer(report)


@extend_schema_view(list=extend_schema(summary=_("督查列表")), retrieve=extend_schema(summary=_("督查详情")))
class InspectionRoundViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, SupervisionViewSet):
    """Inspection rounds with the findings and rectification items the user may see."""

    serializer_class = s.InspectionRoundSerializer
    filterset_fields = ["status"]

    def get_queryset(self):
        return InspectionRound.objects.visible_to(self.request.user).order_by("-started_on", "-pk")
