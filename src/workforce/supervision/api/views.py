"""Supervision REST API: measures, tasks and milestones, progress reports (write, submit, review),
inspections with their findings and rectification items.

Rows come only from ``visible_to(request.user)``, so a record outside the user's scope answers 404;
permissions answer 403; every write goes through a service with the channel "api".
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from workforce.core.api.parsers import MultiPartParser
from workforce.core.api.permissions import ModelPermissionsMixin
from workforce.core.choices import Channel
from workforce.supervision import selectors
from workforce.supervision.api import serializers as s
from workforce.supervision.models import (
    Finding,
    Measure,
    Milestone,
    ProgressReport,
    Rectification,
    Task,
)
from workforce.supervision.services import inspections as inspection_services
from workforce.supervision.services import reports as report_services
from workforce.supervision.services import roadmap as roadmap_services
from workforce.supervision.services.roadmap import DeadlineInput

API = Channel.API
ROUND_VIEW = "supervision.view_inspectionround"


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
    http_method_names = [*SupervisionViewSet.http_method_names, "delete"]

    def initial(self, request, *args, **kwargs):
        if self.action == "destroy":
            # Deleting a task planned in error is managing one's roadmap, as on the page: change_task
            # (docs/decisions/0007-supervision.md); the service decides whose tasks.
            self.required_permissions = ["supervision.change_task"]
        super().initial(request, *args, **kwargs)

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

    @extend_schema(request=None, responses={204: None}, summary=_("删除任务"))
    def destroy(self, request, pk):
        roadmap_services.do_delete_task(self.get_object(), acting_user=request.user, channel=API)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(list=extend_schema(summary=_("任务节点列表")), retrieve=extend_schema(summary=_("任务节点详情")))
class MilestoneViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, SupervisionViewSet):
    """Milestones of the tasks in the user's scope; reading needs view_task, adding add_task, changing
    change_task (the task's permissions)."""

    serializer_class = s.MilestoneSerializer
    permission_model = Task
    filterset_fields = ["task"]

    def get_queryset(self):
        return Milestone.objects.visible_to(self.request.user).select_related("task__department").order_by("pk")

    @extend_schema(request=s.MilestoneCreateSerializer, responses=s.MilestoneSerializer, summary=_("添加任务节点"))
    def create(self, request):
        data = s.MilestoneCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        task = selectors.get_task_for(request.user, data.validated_data["task"])
        milestone = roadmap_services.do_add_milestone(task, data.validated_data["title"],
                                                      data.deadline() or DeadlineInput(), acting_user=request.user,
                                                      channel=API)
        return Response(s.MilestoneSerializer(milestone).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.MilestoneWriteSerializer, responses=s.MilestoneSerializer, summary=_("修改任务节点"))
    def partial_update(self, request, pk):
        milestone = self.get_object()
        data = s.MilestoneWriteSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        milestone = roadmap_services.do_update_milestone(milestone, title=data.validated_data.get("title"),
                                                         deadline=data.deadline(), acting_user=request.user,
                                                         channel=API)
        return Response(s.MilestoneSerializer(milestone).data)

    @extend_schema(request=None, responses=s.MilestoneSerializer, summary=_("标记节点完成"))
    @action(detail=True, methods=["post"], required_permissions=["supervision.change_task"])
    def complete(self, request, pk):
        milestone = roadmap_services.do_complete_milestone(self.get_object(), timezone.localdate(),
                                                           acting_user=request.user, channel=API)
        return Response(s.MilestoneSerializer(milestone).data)


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

    @extend_schema(request=s.UploadSerializer, responses={201: s.AttachmentSerializer}, summary=_("上传证明材料"))
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
        return selectors.rounds_for_api(self.request.user)

    def _answer(self, inspection, code=status.HTTP_200_OK):
        return Response(self.get_serializer(inspection).data, status=code)

    @extend_schema(request=s.RoundWriteSerializer, responses=s.InspectionRoundSerializer, summary=_("新建督查"))
    def create(self, request):
        data = self._input(s.RoundWriteSerializer)
        inspection = inspection_services.do_start_round(selectors.current_plan(), data, acting_user=request.user,
                                                        channel=API)
        return self._answer(inspection, status.HTTP_201_CREATED)

    @extend_schema(request=s.RoundWriteSerializer, responses=s.InspectionRoundSerializer, summary=_("修改督查"))
    def partial_update(self, request, pk):
        inspection = self.get_object()
        data = self._input(s.RoundWriteSerializer, partial=True)
        inspection = inspection_services.do_update_round(inspection, data, acting_user=request.user, channel=API)
        return self._answer(inspection)

    @extend_schema(request=s.NoteSerializer, responses=s.InspectionRoundSerializer, summary=_("结束督查"))
    @action(detail=True, methods=["post"], required_permissions=["supervision.change_inspectionround"])
    def close(self, request, pk):
        inspection = self.get_object()
        data = self._input(s.NoteSerializer)
        inspection = inspection_services.do_close_round(inspection, data["note"], timezone.localdate(),
                                                        acting_user=request.user, channel=API)
        return self._answer(inspection)

    @extend_schema(request=s.FindingWriteSerializer, responses={201: s.FindingSerializer}, summary=_("记录督查发现"))
    @action(detail=True, methods=["post"], required_permissions=[ROUND_VIEW])
    def findings(self, request, pk):
        inspection = self.get_object()
        finding = inspection_services.do_add_finding(inspection, self._input(s.FindingWriteSerializer),
                                                     acting_user=request.user, channel=API)
        return Response(s.FindingSerializer(finding).data, status=status.HTTP_201_CREATED)


@extend_schema_view(list=extend_schema(summary=_("督查发现列表")), retrieve=extend_schema(summary=_("督查发现详情")))
class FindingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, SupervisionViewSet):
    """Findings in the user's scope. Who may record and correct them (the supervision office and the round's
    inspectors) is the services' rule, as on the pages, so every method needs only to see inspections."""

    serializer_class = s.FindingSerializer
    required_permissions = [ROUND_VIEW]
    filterset_fields = ["round", "measure"]

    def get_queryset(self):
        return (Finding.objects.visible_to(self.request.user).select_related("round", "department")
                .prefetch_related("rectifications__department").order_by("pk"))

    @extend_schema(request=s.FindingWriteSerializer, responses=s.FindingSerializer, summary=_("修改督查发现"))
    def partial_update(self, request, pk):
        finding = self.get_object()
        data = s.FindingWriteSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        finding = inspection_services.do_update_finding(finding, dict(data.validated_data), acting_user=request.user,
                                                        channel=API)
        return Response(s.FindingSerializer(self.get_queryset().get(pk=finding.pk)).data)

    @extend_schema(request=s.RectificationWriteSerializer, responses={201: s.RectificationSerializer},
                   summary=_("下达整改事项"))
    @action(detail=True, methods=["post"])
    def rectifications(self, request, pk):
        finding = self.get_object()
        data = s.RectificationWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        item = inspection_services.do_add_rectification(finding, data.validated_data.get("text", ""),
                                                        data.deadline() or DeadlineInput(),
                                                        acting_user=request.user, channel=API)
        return Response(s.RectificationSerializer(item).data, status=status.HTTP_201_CREATED)


@extend_schema_view(list=extend_schema(summary=_("整改事项列表")), retrieve=extend_schema(summary=_("整改事项详情")))
class RectificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, SupervisionViewSet):
    """Rectification items in the user's scope: the inspectors change and close them, the department
    reports them rectified."""

    serializer_class = s.RectificationSerializer
    filterset_fields = ["status"]

    def get_queryset(self):
        return Rectification.objects.visible_to(self.request.user).select_related(
            "department", "finding__round").order_by("due_date", "pk")

    @extend_schema(request=s.RectificationWriteSerializer, responses=s.RectificationSerializer,
                   summary=_("修改整改事项"))
    def partial_update(self, request, pk):
        item = self.get_object()
        data = s.RectificationWriteSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        item = inspection_services.do_update_rectification(item, text=data.validated_data.get("text"),
                                                           deadline=data.deadline(), acting_user=request.user,
                                                           channel=API)
        return Response(s.RectificationSerializer(item).data)

    @extend_schema(request=s.NoteSerializer, responses=s.RectificationSerializer, summary=_("报送整改情况"))
    @action(detail=True, methods=["post"], required_permissions=["supervision.change_rectification"])
    def report(self, request, pk):
        item = self.get_object()
        data = self._input(s.NoteSerializer)
        item = inspection_services.do_report_rectification(item, data["note"], timezone.localdate(),
                                                           acting_user=request.user, channel=API)
        return Response(s.RectificationSerializer(item).data)

    @extend_schema(request=s.CloseRectificationSerializer, responses=s.RectificationSerializer,
                   summary=_("整改事项销号或退回"))
    @action(detail=True, methods=["post"], required_permissions=["supervision.view_rectification"])
    def close(self, request, pk):
        item = self.get_object()
        data = self._input(s.CloseRectificationSerializer)
        item = inspection_services.do_close_rectification(item, data["decision"] == "close", data["note"],
                                                          timezone.localdate(), acting_user=request.user,
                                                          channel=API)
        return Response(s.RectificationSerializer(item).data)
