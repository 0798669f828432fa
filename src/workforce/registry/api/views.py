"""Registry REST API: workers, their spells, certificates and memberships, and employers.

Each action parses its input with a serializer, calls one service or selector, and renders (STYLE.md).
Rows come only from ``visible_to(request.user)`` querysets and the ``selectors.get_*_for`` fetchers, so
a record outside the user's scope answers 404; permissions (``ModelPermissions``) answer 403.
Writes are recorded in the change log with the channel "api".
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from workforce.core.accesslog import log_access
from workforce.core.api.permissions import ModelPermissionsMixin
from workforce.core.changelog import history_for
from workforce.core.choices import AccessEvent, Channel
from workforce.registry import selectors, services
from workforce.registry.api import serializers as s
from workforce.registry.filters import EmployerFilter, WorkerFilter
from workforce.registry.memberships import memberships_of
from workforce.registry.models import (
    Certificate,
    Employer,
    EmployerFact,
    EmploymentSpell,
    Worker,
)

API = Channel.API
HISTORY_PERMISSIONS = ["core.view_changelogentry"]
SEARCH_LIMIT = 100


class RegistryViewSet(ModelPermissionsMixin, viewsets.GenericViewSet):
    lookup_value_converter = "int"  # with the router's path converters: /workers/abc/ is not a route
    http_method_names = ["get", "post", "patch", "head", "options"]

    def _input(self, serializer_class, data=None):
        """Validate the request body (or ``data``) with ``serializer_class``; 400 with field messages."""
        serializer = serializer_class(data=self.request.data if data is None else data,
                                      context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)


def _require_memberships_shown(user) -> None:
    """403 for a reader not shown memberships (decision 0009); asked before the record is fetched, so
    the refusal tells nothing about whether it exists."""
    if not selectors.shows_memberships(user):
        raise PermissionDenied(_("会籍信息已隐藏，可通过职工的 unmask 查看（记入访问日志）。"))


def _unpaged(serializer_class, **kwargs):
    """Options of an extra action that answers without the worker list's filters and paging (a worker's
    spells, certificates or memberships; a lookup)."""
    return {"filter_backends": [], "pagination_class": None, "serializer_class": serializer_class, **kwargs}


@extend_schema_view(
    list=extend_schema(summary=_("职工列表"), responses=s.WorkerSerializer(many=True)),
    retrieve=extend_schema(summary=_("职工详情"), responses=s.WorkerDetailSerializer),
)
class WorkerViewSet(RegistryViewSet):
    """Workers of the registry, as far as the user's scope reaches (MISSION §15)."""

    serializer_class = s.WorkerSerializer
    filterset_class = WorkerFilter

    def get_queryset(self):
        workers = Worker.objects.visible_to(self.request.user)
        if self.action in ("list", "search"):
            workers = (workers.active().select_related(*selectors.WORKER_SUMMARY_RELATED)
                       .defer(*selectors.NOT_IN_ROWS).order_by("-id"))
        return workers

    def _detail(self, worker: Worker, serializer_class=s.WorkerDetailSerializer, **context):
        selectors.with_summary(self.request.user, worker)
        detail = selectors.worker_detail(self.request.user, worker)
        return serializer_class(worker, context={"detail": detail, "shows_memberships": detail["shows_memberships"],
                                                 **context}).data

    def _rows(self, workers, **kwargs):
        shown = selectors.shows_memberships(self.request.user)
        if kwargs.get("many"):  # a single worker (lookup) comes from a selector with its summary set
            workers = selectors.with_summaries(self.request.user, workers)
        return s.WorkerSerializer(workers, context={"shows_memberships": shown}, **kwargs).data

    def list(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self._rows(page, many=True))

    def retrieve(self, request, pk):
        return Response(self._detail(selectors.get_worker_for(request.user, pk)))

    @extend_schema(summary=_("登记职工"), request=s.WorkerCreateSerializer, responses={201: s.WorkerCreatedSerializer})
    def create(self, request):
        """Register a worker; with ``employment``, hire them (or add the employment to the worker already
        registered under that ID number, ``created`` false)."""
        data = self._input(s.WorkerCreateSerializer)
        employment = data.pop("employment", None)
        worker, created = services.register_or_hire_worker(data, employment, acting_user=request.user, channel=API)
        body = self._detail(worker, s.WorkerCreatedSerializer, created=created)
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(summary=_("修改职工信息"), request=s.WorkerPatchSerializer, responses=s.WorkerSavedSerializer)
    def partial_update(self, request, pk):
        worker = selectors.get_worker_for(request.user, pk)
        changes = self._input(s.WorkerPatchSerializer)
        version, effective_on = changes.pop("version"), changes.pop("effective_on", None)
        services.update_worker(worker, changes, expected_version=version, effective_on=effective_on,
                               acting_user=request.user, channel=API)
        return Response(self._detail(worker, s.WorkerSavedSerializer))

    @extend_schema(summary=_("按身份证号码查找职工"), request=s.WorkerLookupSerializer, responses=s.WorkerSerializer)
    @action(detail=False, methods=["post"], required_permissions=["registry.view_worker"],
            **_unpaged(s.WorkerSerializer))
    def lookup(self, request):
        """Exact lookup by ID number through its keyed hash; 404 when invalid, unknown or out of scope. A POST:
        an ID number in a URL ends up in access and proxy logs (issue 13)."""
        query = self._input(s.WorkerLookupSerializer)
        worker = selectors.get_worker_by_id_number_for(request.user, query["id_number"])
        return Response(self._rows(worker))

    @extend_schema(summary=_("按身份证号码、手机号码或姓名搜索职工（最多 100 人）"), request=s.WorkerSearchSerializer,
                   responses=s.WorkerSerializer(many=True))
    @action(detail=False, methods=["post"], required_permissions=["registry.view_worker"],
            **_unpaged(s.WorkerSerializer))
    def search(self, request):
        """The list's search in the body: what the list refuses in its URL (ID and phone numbers)."""
        query = self._input(s.WorkerSearchSerializer)
        workers = selectors.search_workers(self.get_queryset(), query["q"])
        return Response(self._rows(workers[:SEARCH_LIMIT], many=True))

    @extend_schema(summary=_("查看完整信息：身份证号、手机号、户口性质、政治面貌、工会会籍（记入访问日志）"),
                   request=None, responses=s.WorkerUnmaskedSerializer)
    @action(detail=True, methods=["post"], required_permissions=[selectors.UNMASK_PERMISSION])
    def unmask(self, request, pk):
        worker = selectors.get_worker_for(request.user, pk)
        log_access(AccessEvent.UNMASK, request=request, target=f"worker:{worker.pk}", detail=worker.name)
        response = Response(s.WorkerUnmaskedSerializer(selectors.worker_unmasked(request.user, worker)).data)
        response["Cache-Control"] = "no-store"
        return response

    @extend_schema(summary=_("职工变更记录"), responses=s.ChangeLogEntrySerializer(many=True))
    @action(detail=True, methods=["get"], filter_backends=[], serializer_class=s.ChangeLogEntrySerializer,
            required_permissions=["registry.view_worker", *HISTORY_PERMISSIONS])
    def history(self, request, pk):
        worker = selectors.get_worker_for(request.user, pk)
        page = selectors.mask_history(self.paginate_queryset(selectors.worker_history(request.user, worker)),
                                      request.user)
        return self.get_paginated_response(s.ChangeLogEntrySerializer(page, many=True).data)

    @extend_schema(summary=_("合并重复职工"), request=s.WorkerMergeSerializer, responses=s.WorkerDetailSerializer)
    @action(detail=True, methods=["post"], required_permissions=["registry.merge_worker"])
    def merge(self, request, pk):
        """Merge the worker ``duplicate`` into this one (the survivor)."""
        survivor = selectors.get_worker_for(request.user, pk)
        data = self._input(s.WorkerMergeSerializer)
        services.merge_workers(survivor, data["duplicate"], note=data["note"], acting_user=request.user, channel=API)
        return Response(self._detail(survivor))

    @extend_schema(methods=["GET"], summary=_("职工的就业记录"), responses=s.EmploymentSpellSerializer(many=True))
    @extend_schema(methods=["POST"], summary=_("新增就业记录"), request=s.EmploymentInputSerializer,
                   responses={201: s.EmploymentSpellSerializer})
    @action(detail=True, methods=["get", "post"], permission_model=EmploymentSpell,
            **_unpaged(s.EmploymentSpellSerializer))
    def spells(self, request, pk):
        worker = selectors.get_worker_for(request.user, pk)
        if request.method == "GET":
            spells = EmploymentSpell.objects.visible_to(request.user).filter(worker=worker)
            return Response(s.EmploymentSpellSerializer(spells.select_related("employer", "occupation")
                                                        .prefetch_related("contracts"),
                                                        many=True).data)
        spell = services.add_employment(worker, self._input(s.EmploymentInputSerializer), acting_user=request.user,
                                        channel=API)
        return Response(s.EmploymentSpellSerializer(spell).data, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["GET"], summary=_("职工的技能证书"), responses=s.CertificateSerializer(many=True))
    @extend_schema(methods=["POST"], summary=_("登记技能证书"), request=s.CertificateInputSerializer,
                   responses={201: s.CertificateSerializer})
    @action(detail=True, methods=["get", "post"], permission_model=Certificate, **_unpaged(s.CertificateSerializer))
    def certificates(self, request, pk):
        worker = selectors.get_worker_for(request.user, pk)
        if request.method == "GET":
            certificates = Certificate.objects.visible_to(request.user).filter(worker=worker)
            return Response(s.CertificateSerializer(certificates.select_related("occupation", "level"),
                                                    many=True).data)
        certificate = services.add_certificate(worker, self._input(s.CertificateInputSerializer),
                                               acting_user=request.user, channel=API)
        return Response(s.CertificateSerializer(certificate).data, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["GET"], summary=_("职工的工会会籍"), responses=s.UnionMembershipSerializer(many=True))
    @extend_schema(methods=["POST"], summary=_("登记入会"), request=s.MembershipInputSerializer,
                   responses={201: s.UnionMembershipSerializer})
    @action(detail=True, methods=["get", "post"], required_permissions={
                "GET": [selectors.VIEW_MEMBERSHIP], "HEAD": [selectors.VIEW_MEMBERSHIP],
                "OPTIONS": [selectors.VIEW_MEMBERSHIP], "POST": [selectors.ADD_MEMBERSHIP]},
            **_unpaged(s.UnionMembershipSerializer))
    def memberships(self, request, pk):
        if request.method == "GET":
            _require_memberships_shown(request.user)
        worker = selectors.get_worker_for(request.user, pk)
        if request.method == "GET":
            memberships = memberships_of(worker, request.user)
            return Response(s.UnionMembershipSerializer(memberships, many=True).data)
        data = self._input(s.MembershipInputSerializer)
        employer = data.get("employer") or worker.summary.employer  # HR: their own, never a job elsewhere
        membership = services.start_union_membership(worker, data["valid_from"], employer=employer,
                                                     acting_user=request.user, channel=API)
        return Response(s.UnionMembershipSerializer(membership).data, status=status.HTTP_201_CREATED)


@extend_schema_view(retrieve=extend_schema(summary=_("就业记录详情")))
class EmploymentSpellViewSet(RegistryViewSet):
    """Employment spells (HR: at their own employer only)."""

    serializer_class = s.EmploymentSpellSerializer

    def get_queryset(self):
        return EmploymentSpell.objects.visible_to(self.request.user)

    def retrieve(self, request, pk):
        return Response(s.EmploymentSpellSerializer(selectors.get_spell_for(request.user, pk)).data)

    @extend_schema(summary=_("修改就业记录"), request=s.EmploymentPatchSerializer,
                   responses=s.EmploymentSpellSerializer)
    def partial_update(self, request, pk):
        spell = selectors.get_spell_for(request.user, pk)
        changes = self._input(s.EmploymentPatchSerializer)
        version = changes.pop("version")
        services.update_employment(spell, changes, expected_version=version, acting_user=request.user, channel=API)
        return Response(s.EmploymentSpellSerializer(spell).data)

    @extend_schema(methods=["GET"], summary=_("就业记录的劳动合同（历次）"),
                   responses=s.LabourContractSerializer(many=True))
    @extend_schema(methods=["POST"], summary=_("新增劳动合同（续订、变更或首次签订）"),
                   request=s.ContractInputSerializer, responses={201: s.LabourContractSerializer})
    @action(detail=True, methods=["get", "post"], required_permissions={
                "GET": ["registry.view_employmentspell"], "HEAD": ["registry.view_employmentspell"],
                "OPTIONS": ["registry.view_employmentspell"], "POST": ["registry.change_employmentspell"]},
            **_unpaged(s.LabourContractSerializer))
    def contracts(self, request, pk):
        spell = selectors.get_spell_for(request.user, pk)
        if request.method == "GET":
            return Response(s.LabourContractSerializer(spell.contracts.all(), many=True).data)
        contract = services.add_contract(spell, self._input(s.ContractInputSerializer), acting_user=request.user,
                                         channel=API)
        return Response(s.LabourContractSerializer(contract).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary=_("办理离职"), request=s.EndEmploymentSerializer, responses=s.EmploymentSpellSerializer)
    @action(detail=True, methods=["post"], required_permissions=["registry.change_employmentspell"])
    def end(self, request, pk):
        spell = selectors.get_spell_for(request.user, pk)
        data = self._input(s.EndEmploymentSerializer)
        services.end_employment(spell, data["end_date"], expected_version=data["version"], acting_user=request.user,
                                channel=API)
        return Response(s.EmploymentSpellSerializer(spell).data)


@extend_schema_view(retrieve=extend_schema(summary=_("工会会籍详情")))
class UnionMembershipViewSet(RegistryViewSet):
    """Union memberships of the workers the user may see, read from their rolls (decision 0009): no table
    holds them, so the permissions are the worker's custom ones."""

    serializer_class = s.UnionMembershipSerializer
    required_permissions = [selectors.VIEW_MEMBERSHIP]

    def get_queryset(self):
        # For the schema's path parameter only: the rolls answer (``selectors.get_membership_for``).
        return Worker.objects.visible_to(self.request.user).none()

    def retrieve(self, request, pk):
        _require_memberships_shown(request.user)
        return Response(s.UnionMembershipSerializer(selectors.get_membership_for(request.user, pk)).data)

    @extend_schema(summary=_("结束会籍（退会/转出）"), request=s.EndMembershipSerializer,
                   responses=s.UnionMembershipSerializer)
    @action(detail=True, methods=["post"], required_permissions=[selectors.CHANGE_MEMBERSHIP])
    def end(self, request, pk):
        membership = selectors.get_membership_for(request.user, pk)
        data = self._input(s.EndMembershipSerializer)
        services.end_union_membership(membership, data["valid_to"], acting_user=request.user, channel=API)
        return Response(s.UnionMembershipSerializer(membership).data)


@extend_schema_view(
    list=extend_schema(summary=_("用人单位列表"), responses=s.EmployerSerializer(many=True)),
    retrieve=extend_schema(summary=_("用人单位详情"), responses=s.EmployerDetailSerializer),
)
class EmployerViewSet(RegistryViewSet):
    """Employers of the registry, as far as the user's scope reaches."""

    serializer_class = s.EmployerSerializer
    filterset_class = EmployerFilter

    def get_queryset(self):
        return Employer.objects.visible_to(self.request.user).select_related("district", "industry")

    def _detail(self, employer: Employer):
        facts = EmployerFact.objects.visible_to(self.request.user).filter(employer=employer)
        if not self.request.user.has_perm("registry.view_employerfact"):
            facts = facts.none()
        return s.EmployerDetailSerializer(employer, context={"facts": facts}).data

    def list(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(s.EmployerSerializer(page, many=True).data)

    def retrieve(self, request, pk):
        return Response(self._detail(selectors.get_employer_for(request.user, pk)))

    @extend_schema(summary=_("登记用人单位"), request=s.EmployerInputSerializer,
                   responses={201: s.EmployerDetailSerializer})
    def create(self, request):
        employer = services.register_employer(self._input(s.EmployerInputSerializer), acting_user=request.user,
                                              channel=API)
        return Response(self._detail(employer), status=status.HTTP_201_CREATED)

    @extend_schema(summary=_("修改用人单位"), request=s.EmployerPatchSerializer, responses=s.EmployerDetailSerializer)
    def partial_update(self, request, pk):
        employer = selectors.get_employer_for(request.user, pk)
        changes = self._input(s.EmployerPatchSerializer)
        version, effective_on = changes.pop("version"), changes.pop("effective_on", None)
        services.update_employer(employer, changes, expected_version=version, effective_on=effective_on,
                                 acting_user=request.user, channel=API)
        return Response(self._detail(employer))

    @extend_schema(summary=_("登记治理事项（建会、职代会、厂务公开、集体协商机制、每次集体协商、集体合同）"),
                   request=s.EmployerFactInputSerializer,
                   responses={201: s.EmployerFactSerializer})
    @action(detail=True, methods=["post"], permission_model=EmployerFact)
    def facts(self, request, pk):
        employer = selectors.get_employer_for(request.user, pk)
        fact = services.set_employer_fact(employer, **self._input(s.EmployerFactInputSerializer),
                                          acting_user=request.user, channel=API)
        return Response(s.EmployerFactSerializer(fact).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary=_("用人单位变更记录"), responses=s.ChangeLogEntrySerializer(many=True))
    @action(detail=True, methods=["get"], filter_backends=[], serializer_class=s.ChangeLogEntrySerializer,
            required_permissions=["registry.view_employer", *HISTORY_PERMISSIONS])
    def history(self, request, pk):
        employer = selectors.get_employer_for(request.user, pk)
        page = self.paginate_queryset(history_for(employer))
        return self.get_paginated_response(s.ChangeLogEntrySerializer(page, many=True).data)
