"""Who sees which roster imports: the uploader, their employer's HR, their district, the city."""

from __future__ import annotations

from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Coalesce

from workforce.accounts.choices import ScopeKind
from workforce.core.bulk import one_parameter
from workforce.registry.models import EmploymentSpell


class RosterImportQuerySet(models.QuerySet):
    def visible_to(self, user) -> RosterImportQuerySet:
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        scope = user.scope_kind
        if scope == ScopeKind.CITY:
            return self
        if scope == ScopeKind.DISTRICT:
            return self.filter(Q(district_id=user.district_id) | Q(employer__district_id=user.district_id))
        if scope == ScopeKind.EMPLOYER:
            return self.filter(employer_id=user.employer_id)
        return self.filter(uploaded_by=user)


def spells_to_end(roster_import, user) -> models.QuerySet:
    """The employments a full-roster sync ends (or ended), as ``user`` may see them, by worker name, each
    with ``last_day``: its end once ended, else the roster date. The ids travel as one parameter: a large
    employer's list can exceed SQLite's limit of placeholders."""
    ids = one_parameter(EmploymentSpell._meta.pk, roster_import.spells_to_end)
    return (EmploymentSpell.objects.visible_to(user).filter(pk__in=ids)
            .annotate(last_day=Coalesce("end_date", Value(roster_import.roster_date)))
            .select_related("worker", "occupation").order_by("worker__name", "pk"))
