"""Scoped reads of the indicators: the records behind a figure, and indicators by code.

Drill-down lists start from the registry's ``visible_to(user)`` querysets (the one place that decides
scope), narrowed to the records a definition counts: a district officer opening the city's figure sees
the workers of their own district behind it, and no one else.
"""

from __future__ import annotations

import datetime

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from workforce.indicators.choices import Breakdown, Part, Subject
from workforce.indicators.definitions import DEFINITIONS, definition_base
from workforce.indicators.models import Indicator, IndicatorTarget
from workforce.indicators.quality import Quality
from workforce.registry.models import Employer, Worker
from workforce.registry.querysets import sees_own_spells_only

WEAKEST_EMPLOYERS = 200


def get_indicator(code: str) -> Indicator:
    """The active indicator ``code`` with a registered definition; 404 otherwise."""
    indicator = get_object_or_404(Indicator.objects.select_related("department"), code=code, is_active=True)
    if indicator.definition not in DEFINITIONS:
        raise Http404
    return indicator


def get_later_target(indicator: Indicator, pk: int) -> IndicatorTarget:
    """A later period's target of ``indicator``; 404 for another indicator's or a missing one."""
    return get_object_or_404(IndicatorTarget, pk=pk, indicator=indicator)


def subject_of(indicator: Indicator) -> str:
    return DEFINITIONS[indicator.definition].subject


def reveals_sensitive_attribute(indicator: Indicator) -> bool:
    """Whether the records behind the indicator's figures disclose a sensitive attribute of each person:
    opening them is unmasking (decision 0009), needing the unmask permission and logged."""
    return DEFINITIONS[indicator.definition].is_revealing


def records_permission(indicator: Indicator) -> str:
    """The permission needed to open the records behind the indicator's figures."""
    if subject_of(indicator) != Subject.WORKERS:
        return "registry.view_employer"
    return "registry.unmask_worker" if reveals_sensitive_attribute(indicator) else "registry.view_worker"


def figure_records(user, indicator: Indicator, on: datetime.date, part: str = Part.NUMERATOR,
                   breakdown: str | None = None, key: str | None = None) -> QuerySet:
    """The records behind one figure (its numerator or denominator, for the city or one breakdown cell)
    that ``user`` may see, as plain registry rows ordered for a stable list."""
    if breakdown and breakdown not in Breakdown.values:
        raise Http404
    definition = DEFINITIONS[indicator.definition]
    numerator, denominator = definition.records(definition_base(definition, on, breakdown, key), on)
    counted = numerator if part == Part.NUMERATOR else denominator
    if definition.subject == Subject.WORKERS:
        if sees_own_spells_only(user):
            # Being counted in a figure tells where a worker works (decision 0002): not for an employer's HR.
            return Worker.objects.none()
        return (Worker.objects.visible_to(user).filter(pk__in=counted.values("pk"))
                .select_related("district", "current_employer").defer("id_number", "phone").order_by("-id"))
    return (Employer.objects.visible_to(user).filter(pk__in=counted.values("pk"))
            .select_related("district", "industry").order_by("name", "id"))


def weakest_employers(user, qualities: dict[int, Quality], limit: int = WEAKEST_EMPLOYERS) -> list[Quality]:
    """The data quality of the employers ``user`` may see, weakest first (not good, then by the share of
    recorded contracts), at most ``limit``: the list an officer works through."""
    visible = set(Employer.objects.visible_to(user).filter(pk__in=list(qualities)).values_list("pk", flat=True))
    today = timezone.localdate()
    return sorted((quality for pk, quality in qualities.items() if pk in visible),
                  key=lambda quality: (quality.is_good_on(today), quality.contract_share or 0, quality.label))[:limit]
