"""Unions REST API: the tree (public to its readers), an organisation's members (scoped, logged as
unmasking), membership applications with their review. Scope comes from ``unions/querysets.py``: a row out
of scope answers 404; a missing permission 403; every write goes through a service with the channel "api"."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from workforce.accounts.choices import ScopeKind
from workforce.core.accesslog import log_access
from workforce.core.api.permissions import ModelPermissionsMixin
from workforce.core.choices import AccessEvent, Channel
from workforce.registry.services.workers import find_worker_by_id_number
from workforce.unions import selectors, services
from workforce.unions.api import serializers as s
from workforce.unions.choices import ApplicationChannel, ApplicationKind
from workforce.unions.models import MembershipApplication, Organisation

API = Channel.API


def _refuse(error: ValidationError) -> serializers.ValidationError:
    return serializers.ValidationError(error.message_dict if hasattr(error, "error_dict") else error.messages)


@extend_schema_view(list=extend_schema(summary=_lazy("工会组织列表")),
                    retrieve=extend_schema(summary=_lazy("工会组织详情")))
class OrganisationViewSet(ModelPermissionsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                          viewsets.GenericViewSet):
    """The union tree, in path order (parents before children)."""

    serializer_class = s.OrganisationSerializer
    lookup_value_converter = "int"
    filterset_fields = ["kind", "parent"]

    def get_queryset(self):
        return Organisation.objects.visible_to(self.request.user).select_related("district").order_by("path")

    @extend_schema(summary=_lazy("本级及下级工会会员（记入访问日志）"), responses=s.MemberSerializer(many=True))
    @action(detail=True, methods=["get"], required_permissions=["unions.view_members"], pagination_class=None)
    def members(self, request, pk):
        organisation = selectors.get_organisation_in_scope(request.user, int(pk))
        members = selectors.members_in(selectors.subtree(organisation))
        workers = selectors.workers_of(members)
        log_access(AccessEvent.UNMASK, request=request, target=f"unions.organisation:{organisation.pk}:members",
                   detail="api")
        return Response([{"worker": {"id": worker.pk, "name": worker.name,
                                     "id_number_masked": worker.id_number_masked},
                          "organisation": member.organisation_id, "valid_from": member.valid_from}
                         for member in members if (worker := workers.get(member.worker_id)) is not None])


@extend_schema_view(list=extend_schema(summary=_lazy("会籍申请列表")),
                    retrieve=extend_schema(summary=_lazy("会籍申请详情")))
class MembershipApplicationViewSet(ModelPermissionsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                                   viewsets.GenericViewSet):
    """Applications to join, transfer or leave in the user's scope (a worker: their own)."""

    serializer_class = s.MembershipApplicationSerializer
    lookup_value_converter = "int"
    filterset_fields = ["status", "kind", "organisation"]

    def get_queryset(self):
        return MembershipApplication.objects.visible_to(self.request.user).select_related("organisation")

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        rows = selectors.with_workers(list(page if page is not None else self.get_queryset()))
        data = self.get_serializer(rows, many=True).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    def retrieve(self, request, *args, **kwargs):
        return Response(self.get_serializer(selectors.get_application_for(request.user, int(kwargs["pk"]))).data)

    @extend_schema(summary=_lazy("提交入会、转会或退会申请"), request=s.ApplicationInputSerializer,
                   responses={201: s.MembershipApplicationSerializer})
    def create(self, request):
        data = s.ApplicationInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        user = request.user
        if user.scope_kind == ScopeKind.SELF:
            worker = user.worker
            source = ApplicationChannel.PORTAL
        else:
            worker = (find_worker_by_id_number(values["id_number"]) if values.get("id_number")
                      else selectors.worker_by_pk(values.get("worker")))
            source = ApplicationChannel.API
        if worker is None:
            raise serializers.ValidationError({"worker": [_("请指定职工（职工编号或身份证号码）。")]})
        if user.scope_kind != ScopeKind.SELF:  # as the desk's lookup: on record (decision 0018)
            log_access(AccessEvent.UNMASK, request=request, target=f"worker:{worker.pk}", detail="unions walk-in")
        organisation = Organisation.objects.visible_to(user).filter(pk=values.get("organisation")).first()
        if organisation is None and values["kind"] != ApplicationKind.LEAVE:
            raise serializers.ValidationError({"organisation": [_("请选择受理工会。")]})
        common = {"source": source, "channel": API, "note": values.get("note", "")}
        try:
            if values["kind"] == ApplicationKind.JOIN:
                application = services.apply_to_join(worker, organisation, user, **common)
            elif values["kind"] == ApplicationKind.TRANSFER:
                application = services.apply_to_transfer(worker, organisation, user, **common)
            else:
                application = services.apply_to_leave(worker, user, **common)
        except ValidationError as error:
            raise _refuse(error) from None
        return Response(self.get_serializer(selectors.with_workers([application])[0]).data, status=201)

    @extend_schema(summary=_lazy("批准申请（会籍记入职工档案）"), request=s.ReviewInputSerializer,
                   responses=s.MembershipApplicationSerializer)
    @action(detail=True, methods=["post"], required_permissions=["unions.review_membershipapplication"])
    def approve(self, request, pk):
        return self._review(request, int(pk), approve=True)

    @extend_schema(summary=_lazy("不予批准（须填写理由）"), request=s.ReviewInputSerializer,
                   responses=s.MembershipApplicationSerializer)
    @action(detail=True, methods=["post"], required_permissions=["unions.review_membershipapplication"])
    def refuse(self, request, pk):
        return self._review(request, int(pk), approve=False)

    def _review(self, request, pk: int, *, approve: bool):
        application = selectors.get_application_for(request.user, pk)
        data = s.ReviewInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        reason = data.validated_data.get("reason", "")
        try:
            if approve:
                services.approve_application(application, acting_user=request.user, channel=API, reason=reason)
            else:
                services.refuse_application(application, acting_user=request.user, channel=API, reason=reason)
        except ValidationError as error:
            raise _refuse(error) from None
        return Response(self.get_serializer(selectors.get_application_for(request.user, pk)).data)
