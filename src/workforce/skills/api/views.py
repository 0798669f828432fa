"""Skills REST API: appraisal bodies, sessions, candidates (with registration and score entry) and a worker's
skill ladder. Rows come only from the ``visible_to`` querysets (out of scope: 404); permissions answer 403;
writes go through the same services as the pages, with the channel "api"."""

from __future__ import annotations

import datetime

from django.http import Http404
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from workforce.core.api.permissions import ModelPermissionsMixin
from workforce.core.choices import Channel
from workforce.registry.models import Worker
from workforce.registry.services.workers import find_worker_by_id_number
from workforce.skills import selectors, services
from workforce.skills.api import serializers as s
from workforce.skills.choices import SessionState
from workforce.skills.models import AppraisalBody, AppraisalSession, Candidate
from workforce.skills.querysets import acts_for_bodies

API = Channel.API


class SkillsViewSet(ModelPermissionsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                    viewsets.GenericViewSet):
    lookup_value_converter = "int"
    http_method_names = ["get", "post", "head", "options"]


class AppraisalBodyViewSet(SkillsViewSet):
    serializer_class = s.AppraisalBodySerializer

    def get_queryset(self):
        return AppraisalBody.objects.visible_to(self.request.user).prefetch_related("scopes").order_by("name")


@extend_schema(parameters=[OpenApiParameter("state", str, enum=SessionState.values, required=False)])
class AppraisalSessionViewSet(SkillsViewSet):
    serializer_class = s.AppraisalSessionSerializer

    def get_queryset(self):
        sessions = AppraisalSession.objects.visible_to(self.request.user).select_related("body", "occupation")
        state = self.request.query_params.get("state", "")
        if state:
            if state not in SessionState.values:
                raise ApiValidationError({"state": [_("未知的状态。")]})
            sessions = sessions.filter(state=state)
        return sessions.order_by("-date", "-pk")

    @extend_schema(request=s.RegistrationSerializer, responses={201: s.CandidateSerializer})
    @action(detail=True, methods=["post"], required_permissions=["skills.add_candidate"])
    def register(self, request: Request, pk: int) -> Response:
        """Register a worker: a worker themself (no ``id_number``), or staff naming the worker's ID number."""
        session = selectors.get_session_for(request.user, pk)
        data = s.RegistrationSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        worker: Worker | None
        if request.user.worker_id:  # type: ignore[union-attr]
            worker = request.user.worker  # type: ignore[union-attr]
        else:
            worker = find_worker_by_id_number(data.validated_data.get("id_number", ""))
            if worker is not None and not acts_for_bodies(request.user) and \
                    not Worker.objects.visible_to(request.user).filter(pk=worker.pk).exists():
                worker = None
        if worker is None:
            raise ApiValidationError({"id_number": [_("未找到该身份证号对应的职工档案。")]})
        candidate = services.register_candidate(session, worker, ground=data.validated_data["ground"],
                                                basis=data.validated_data["basis"], acting_user=request.user,
                                                channel=API)
        return Response(s.CandidateSerializer(candidate).data, status=status.HTTP_201_CREATED)


class CandidateViewSet(SkillsViewSet):
    serializer_class = s.CandidateSerializer

    def get_queryset(self):
        candidates = Candidate.objects.visible_to(self.request.user).select_related("worker", "rule", "certificate")
        session = self.request.query_params.get("session", "")
        if session.isdigit():
            candidates = candidates.filter(session_id=int(session))
        return candidates.order_by("pk")

    @extend_schema(parameters=[OpenApiParameter("session", int, required=False)])
    def list(self, request: Request, *args, **kwargs) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(request=s.ScoresSerializer, responses={200: s.CandidateSerializer})
    @action(detail=True, methods=["post"], required_permissions=["skills.manage_appraisalsession"])
    def scores(self, request: Request, pk: int) -> Response:
        """Enter a candidate's scores once; a stale ``version`` answers 409 (reload and try again)."""
        candidate = selectors.get_candidate_for(request.user, pk)
        data = s.ScoresSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        version = values.pop("version")
        candidate = services.enter_scores(candidate, values, expected_version=version, acting_user=request.user,
                                          channel=API)
        return Response(s.CandidateSerializer(candidate).data)


class LadderViewSet(ModelPermissionsMixin, viewsets.GenericViewSet):
    """A worker's skill ladder as of a date (``on``, default today)."""

    serializer_class = s.LadderSerializer
    required_permissions = ["registry.view_certificate"]
    lookup_value_converter = "int"
    http_method_names = ["get", "head", "options"]

    def get_queryset(self):
        return Worker.objects.visible_to(self.request.user)

    @extend_schema(parameters=[OpenApiParameter("on", OpenApiTypes.DATE, required=False)],
                   responses={200: s.LadderSerializer})
    def retrieve(self, request: Request, pk: int) -> Response:
        worker = Worker.objects.visible_to(request.user).filter(pk=pk).first()
        if worker is None:
            raise Http404
        raw = request.query_params.get("on", "")
        on: datetime.date | None = parse_date(raw) if raw else timezone.localdate()
        if on is None:
            raise ApiValidationError({"on": [_("日期格式应为 YYYY-MM-DD。")]})
        return Response(s.LadderSerializer(selectors.ladder_of(request.user, worker, on)).data)
