"""Roster import REST API: the upload page's import through the API (upload, poll the status, read the
problems, commit, fetch the marked report).

The same services and background jobs as the pages: an upload is kept by ``services.create_roster_import``
and checked by the check job; a commit is claimed by ``services.request_commit`` and written by the
commit job, so the change log records the channel "import" whichever door the file came through.
Imports come only from ``RosterImport.objects.visible_to(request.user)``: one outside the user's
scope answers 404.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from workforce.core.api.permissions import ModelPermissionsMixin
from workforce.core.messages import shown
from workforce.imports import services, tasks
from workforce.imports.api import serializers as s
from workforce.imports.choices import ImportStatus, Severity
from workforce.imports.models import RosterImport
from workforce.imports.parsing import RosterFileError
from workforce.imports.querysets import spells_to_end
from workforce.imports.reports import claim_report_build, error_report_response

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Actions that change an import: the import permission and a scope that may import, as on the pages.
IMPORTING_ACTIONS = ("create", "commit")
# Before the check has read the file (or when it could not), there is nothing to mark up.
WITHOUT_REPORT = (ImportStatus.UPLOADED, ImportStatus.CHECKING, ImportStatus.REFUSED)


class CanImportRoster(BasePermission):
    """``services.can_import``: HR for their own employer, district and city staff for their scope."""

    message = gettext_lazy("您没有导入花名册的权限。")

    def has_permission(self, request, view) -> bool:
        return services.can_import(request.user)


@extend_schema_view(
    list=extend_schema(summary=gettext_lazy("花名册导入列表"), responses=s.RosterImportSerializer(many=True)),
    retrieve=extend_schema(summary=gettext_lazy("花名册导入详情（状态、统计、进度）"),
                           responses=s.RosterImportDetailSerializer),
)
class RosterImportViewSet(ModelPermissionsMixin, viewsets.GenericViewSet):
    """Roster imports the user may see: the uploader's, their employer's, their district's, or all."""

    serializer_class = s.RosterImportSerializer
    lookup_value_converter = "int"
    http_method_names = ["get", "post", "head", "options"]

    @property
    def required_permissions(self) -> list[str] | None:  # type: ignore[override]
        # Reading needs imports.view_rosterimport (from the queryset's model); changing, the import
        # permission rather than add/change_rosterimport, which no role has.
        return ["imports.import_roster"] if self.action in IMPORTING_ACTIONS else None

    def get_permissions(self):
        extra = [CanImportRoster()] if self.action in IMPORTING_ACTIONS else []
        return [*super().get_permissions(), *extra]

    def get_queryset(self):
        return RosterImport.objects.visible_to(self.request.user).select_related("employer", "uploaded_by")

    def _input(self, serializer_class, data=None) -> dict:
        serializer = serializer_class(data=self.request.data if data is None else data)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def _detail(self, roster_import: RosterImport) -> dict:
        return s.RosterImportDetailSerializer(roster_import, context={
            "request": self.request, "progress": services.read_progress(roster_import)}).data

    def list(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(s.RosterImportSerializer(page, many=True,
                                                                    context={"request": request}).data)

    def retrieve(self, request, pk):
        roster_import = self.get_object()
        services.expire_dead_job(roster_import)
        return Response(self._detail(roster_import))

    @extend_schema(summary=gettext_lazy("上传花名册（上传后自动检查）"),
                   request={"multipart/form-data": s.RosterUploadSerializer},
                   responses={201: s.RosterImportDetailSerializer})
    def create(self, request):
        """Keep the file and start the check; poll ``links.self`` until the status is no longer
        ``uploaded`` or ``checking``."""
        data = self._input(s.RosterUploadSerializer)
        roster_import = services.create_roster_import(data["file"], user=request.user, mode=data["mode"],
                                                      roster_date=data.get("roster_date"))
        tasks.check_roster_import_task(roster_import.pk)
        roster_import.refresh_from_db()  # the check may already have run (small files, tests)
        body = self._detail(roster_import)
        return Response(body, status=status.HTTP_201_CREATED, headers={"Location": body["links"]["self"]})

    @extend_schema(summary=gettext_lazy("导入发现的问题（行、列、值、说明）"),
                   responses=s.ImportProblemSerializer(many=True),
                   parameters=[OpenApiParameter("severity", str, enum=Severity.values,
                                                description=gettext_lazy("只看错误（error）或提示（warning）"))])
    @action(detail=True, methods=["get"], filter_backends=[], serializer_class=s.ImportProblemSerializer)
    def problems(self, request, pk):
        roster_import = self.get_object()
        query = self._input(s.ProblemQuerySerializer, data=request.query_params)
        problems = roster_import.problems.all()
        if "severity" in query:
            problems = problems.filter(severity=query["severity"])
        page = self.paginate_queryset(problems)
        return self.get_paginated_response(s.ImportProblemSerializer(page, many=True).data)

    @extend_schema(summary=gettext_lazy("全员同步将办理（或已办理）离职的职工名单"),
                   responses=s.LeaverSerializer(many=True))
    @action(detail=True, methods=["get"], filter_backends=[], serializer_class=s.LeaverSerializer)
    def leavers(self, request, pk):
        """The employments a full-roster sync ends once committed (ended, after), by name: the list the
        uploader confirms with ``confirm_sync``. Empty for add/update imports."""
        roster_import = self.get_object()
        page = self.paginate_queryset(spells_to_end(roster_import, request.user))
        return self.get_paginated_response(s.LeaverSerializer(page, many=True).data)

    @extend_schema(summary=gettext_lazy("确认导入（在后台写入登记库）"), request=s.CommitSerializer,
                   responses={202: s.RosterImportDetailSerializer,
                              409: OpenApiResponse(description=gettext_lazy(
                                  "不能导入：尚未检查完成、存在错误、全员同步未确认离职名单，或已在导入/已导入"))})
    @action(detail=True, methods=["post"])
    def commit(self, request, pk):
        """Claim the import and start the commit job; poll ``links.self`` until the status is
        ``committed`` (or ``failed``, with the reason in ``message``)."""
        roster_import = self.get_object()
        data = self._input(s.CommitSerializer)
        confirm = data["confirm_sync"]
        try:
            services.request_commit(roster_import, confirm_sync=confirm, valid_rows_only=data["valid_rows_only"])
        except ValidationError as error:
            return Response({"detail": " ".join(error.messages), "code": "commit_refused"},
                            status=status.HTTP_409_CONFLICT)
        tasks.commit_roster_import_task(roster_import.pk, request.user.pk, confirm, roster_import.commit_attempt)
        roster_import.refresh_from_db()
        return Response(self._detail(roster_import), status=status.HTTP_202_ACCEPTED)

    @extend_schema(summary=gettext_lazy("下载问题报告（原表标出问题单元格，附问题说明列）"),
                   responses={(200, XLSX): OpenApiTypes.BINARY,
                              202: OpenApiResponse(description=gettext_lazy("问题报告正在生成，请稍后再请求")),
                              409: OpenApiResponse(description=gettext_lazy(
                                  "尚未检查完成或文件被拒绝，暂无问题报告；或原文件已按保存期限删除"))})
    @action(detail=True, methods=["get"])
    def report(self, request, pk):
        roster_import = self.get_object()
        if roster_import.status in WITHOUT_REPORT:
            return Response({"detail": _("该导入尚未检查完成或文件被拒绝，暂无问题报告。"), "code": "no_report"},
                            status=status.HTTP_409_CONFLICT)
        try:
            response = error_report_response(roster_import, request)
        except RosterFileError as error:
            return Response({"detail": shown(error.message), "code": "file_purged"}, status=status.HTTP_409_CONFLICT)
        if response is None:  # built by a job, never by the request
            if claim_report_build(roster_import):
                tasks.write_error_report_task(roster_import.pk)
            return Response({"detail": _("问题报告正在生成，请稍后再下载。"), "code": "report_pending"},
                            status=status.HTTP_202_ACCEPTED)
        return response
