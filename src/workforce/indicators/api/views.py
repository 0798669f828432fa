"""Indicators API: values on a date (city and districts), breakdowns, and monthly series.

Read-only aggregates; reading needs ``indicators.view_indicator`` (``ModelPermissions``).
"""

from __future__ import annotations

import datetime

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from workforce.core.api.permissions import ModelPermissionsMixin
from workforce.core.choices import Channel
from workforce.indicators import disclosure, figures, selectors, services, wording
from workforce.indicators.api import serializers as s
from workforce.indicators.forms import DateForm
from workforce.indicators.models import Indicator

ON = OpenApiParameter("on", OpenApiTypes.DATE, description="统计日期（默认今天）")
DISTRICT = OpenApiParameter("district", OpenApiTypes.STR, description="县（区）代码；不填为全市")


def _day(request, name: str = "on") -> datetime.date:
    """The date in query parameter ``name`` (default today), read as the pages read it; 400 otherwise."""
    form = DateForm({"on": request.query_params.get(name, "")})
    if not form.is_valid():
        raise serializers.ValidationError({name: form.errors["on"]})
    return form.cleaned_data["on"]


def _figure(figure) -> dict:
    return {"key": figure.key, "label": figure.label, "numerator": figure.numerator,
            "denominator": figure.denominator, "value": figure.value, "suppressed": figure.is_suppressed}


def _value(indicator, on, columns, measures, user) -> dict:
    """The indicator on ``on`` for the city and the districts, small cells suppressed for ``user``."""
    minimum = disclosure.minimum_for(user, indicator)
    city = figures.figures_by(columns, measures, indicator.definition, None, on)[0]
    assessment = figures.assessment_of(indicator, city, on, columns)
    row = disclosure.protect_row(figures.Row(indicator, assessment, figures.figures_by(
        columns, measures, indicator.definition, "district", on)), minimum)
    city, assessment = row.city.figure, row.city
    return {"indicator": indicator, "on": on, "value": city.value, "numerator": city.numerator,
            "denominator": city.denominator, "suppressed": city.is_suppressed, "minimum_cell": minimum,
            "gap": wording.gap_value(assessment.gap), "gap_unit": wording.gap_unit(indicator),
            "gap_text": wording.gap_text(assessment.gap, indicator),
            "expected": assessment.expected, "status": assessment.status,
            "target": _target(assessment), "baseline": _baseline(indicator, columns, minimum),
            "districts": [_figure(f) for f in row.districts]}


def _baseline(indicator, columns, minimum) -> dict | None:
    """The published baseline and the registry's value on the baseline date, and which one the trajectory
    starts from (decision 0006); None for an indicator without targets."""
    if not indicator.targets:
        return None
    baselines = figures.baselines_of(indicator, columns)
    registry = baselines.registry and disclosure.protect(baselines.registry, [], minimum)[0]
    return {"on": baselines.day, "published": baselines.published,
            "registry": registry.value if registry is not None else None,
            "registry_suppressed": bool(registry is not None and registry.is_suppressed),
            "trajectory_from": "registry" if baselines.trajectory_is_registry else "published"}


def _target(assessment) -> dict | None:
    """The target an assessment is against, with the value on its date once that date has come."""
    if assessment.target is None:
        return None
    settled = assessment.settled
    return {"value": assessment.target.value, "due_on": assessment.target.due_on,
            "settled_value": settled.value if settled is not None else None,
            "settled_suppressed": bool(settled is not None and settled.is_suppressed)}


class IndicatorViewSet(ModelPermissionsMixin, viewsets.GenericViewSet):
    """The plan's targets as indicators (MISSION capability 10)."""

    queryset = Indicator.objects.filter(is_active=True).select_related("department").prefetch_related(
        "later_targets")
    lookup_field = "code"
    lookup_value_converter = "slug"
    filter_backends: list = []
    pagination_class = None
    serializer_class = s.IndicatorValueSerializer

    @extend_schema(summary=_("全部指标在某日的数值"), parameters=[ON], responses=s.IndicatorValueSerializer(many=True))
    def list(self, request):
        on = _day(request)
        columns, measures = figures.day_measures(on)
        data = [_value(indicator, on, columns, measures, request.user) for indicator in self.get_queryset()
                if indicator.definition in measures]
        return Response(s.IndicatorValueSerializer(data, many=True).data)

    @extend_schema(summary=_("某项指标在某日的数值与分组"), parameters=[ON], responses=s.IndicatorDetailSerializer)
    def retrieve(self, request, code=None):
        indicator = selectors.get_indicator(code)
        on = _day(request)
        columns, measures = figures.day_measures(on)
        data = _value(indicator, on, columns, measures, request.user)
        city = figures.figures_by(columns, measures, indicator.definition, None, on)[0]
        breakdowns = disclosure.protect_breakdowns(city, figures.breakdowns_of(indicator, on, columns),
                                                   data["minimum_cell"])
        data["breakdowns"] = {name: [_figure(f) for f in rows] for name, rows in breakdowns.items()}
        data["unstated"] = None if data["suppressed"] else figures.unstated_count(measures, indicator.definition)
        data["unstated_label"] = figures.unstated_wording(indicator.definition)[0] if data["unstated"] is not None \
            else ""
        return Response(s.IndicatorDetailSerializer(data).data)

    @extend_schema(summary=_("某项指标的月度序列（2015 年以来）"),
                   parameters=[OpenApiParameter("until", OpenApiTypes.DATE, description="截止日期（默认今天）"),
                               DISTRICT],
                   responses=s.SeriesSerializer)
    @action(detail=True, methods=["get"])
    def series(self, request, code=None):
        indicator = selectors.get_indicator(code)
        until = _day(request, "until")
        district = request.query_params.get("district", "")
        minimum = disclosure.minimum_for(request.user, indicator)
        series = disclosure.protect_series(figures.series(indicator, until=max(until, figures.SERIES_START)), minimum)
        points = series.city if not district else series.by_district.get(district)
        if points is None:
            raise serializers.ValidationError({"district": [_("未知的县（区）代码。")]})
        return Response(s.SeriesSerializer({
            "indicator": indicator.code, "district": district, "minimum_cell": minimum,
            "points": [{"on": day, "value": figure.value, "numerator": figure.numerator,
                        "denominator": figure.denominator, "suppressed": figure.is_suppressed}
                       for day, figure in zip(series.days, points, strict=True)],
        }).data)

    @extend_schema(summary=_("添加下一期目标（同一指标、新的目标值和日期）"), request=s.TargetInputSerializer,
                   responses={201: s.TargetSerializer})
    @action(detail=True, methods=["post"], required_permissions=["indicators.change_indicator"])
    def targets(self, request, code=None):
        """Add the next period's target: a value by a date after the previous target's (``services.add_target``:
        the same rules and change-log row as the page's form)."""
        indicator = selectors.get_indicator(code)
        data = s.TargetInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        target = services.add_target(indicator, data.validated_data["value"], data.validated_data["due_on"],
                                     acting_user=request.user, channel=Channel.API,
                                     note=data.validated_data["note"])
        return Response(s.TargetSerializer({"value": target.value, "due_on": target.due_on, "is_plan": False}).data,
                        status=status.HTTP_201_CREATED)
