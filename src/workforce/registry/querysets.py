"""Scoped and as-of querysets of the registry: the one place that decides who sees which rows.

Every page, API view, search, export and count starts from ``<Model>.objects.visible_to(user)``; a row
outside the user's scope does not exist for them (STYLE.md "Scoping lives in one place").
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping

from django.db import models
from django.db.models import (
    Case,
    Exists,
    IntegerField,
    Max,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.db.models.lookups import Exact
from django.utils import timezone

from workforce.accounts.choices import ScopeKind


def _scope(user) -> str:
    if user is None or not user.is_authenticated or not user.is_active:
        return ScopeKind.NONE
    return user.scope_kind


def valid_on(on: datetime.date, start: str = "valid_from", end: str = "valid_to") -> Q:
    """Rows whose inclusive period [start, end] contains ``on`` (an empty end is open)."""
    return Q(**{f"{start}__lte": on}) & (Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": on}))


class WorkerQuerySet(models.QuerySet):
    def visible_to(self, user) -> WorkerQuerySet:
        """Workers the user may see at all: city-wide staff all, a district its own, an employer's HR
        anyone who has worked there, a worker themself; leaders read aggregates, not people."""
        scope = _scope(user)
        if scope == ScopeKind.CITY:
            return self
        if scope == ScopeKind.DISTRICT:
            return self.filter(in_district(user.district_id))
        if scope == ScopeKind.EMPLOYER:
            from workforce.registry.models import EmploymentSpell

            return self.filter(
                Exists(EmploymentSpell.objects.filter(worker=OuterRef("pk"), employer_id=user.employer_id))
            )
        if scope == ScopeKind.SELF and user.worker_id:
            return self.filter(pk=user.worker_id)
        return self.none()

    def active(self) -> WorkerQuerySet:
        """Workers not merged into another record."""
        return self.filter(is_active=True)

    def employed_on(self, on: datetime.date, employer=None, *, seen_by=None) -> WorkerQuerySet:
        """Workers with at least one employment spell covering ``on`` (at ``employer``, if given). With
        ``seen_by``, only the spells that user may see count: an enterprise's HR asking about a day learns
        who worked for them then, never who worked elsewhere (decision 0002)."""
        from workforce.registry.models import EmploymentSpell

        spells = EmploymentSpell.objects.filter(worker=OuterRef("pk")).on(on)
        if employer is not None:
            spells = spells.filter(employer=employer)
        if sees_own_spells_only(seen_by):
            spells = spells.filter(employer_id=seen_by.employer_id)
        return self.filter(Exists(spells))

    def where_summary(self, user, column: str, value) -> WorkerQuerySet:
        """Workers whose summary column ``column`` (one of ``SUMMARY_FILTERS``) equals ``value`` as ``user``
        may know it: the columns summarise every employer's spells, so an enterprise's HR is answered from
        the spell at their own employer only, as ``selectors.with_summaries`` shows them, never from a job
        elsewhere (decision 0002). A district is every district the worker works in today (``in_district``)."""
        assert column in SUMMARY_FILTERS, column
        if not sees_own_spells_only(user):
            return self.filter(in_district(value) if column == "district_id" else Q(**{column: value}))
        from workforce.registry.models import Employer, EmploymentSpell

        own = EmploymentSpell.objects.filter(worker=OuterRef("pk"), employer_id=user.employer_id).on(
            timezone.localdate())
        if column == "has_signed_contract":
            signed = Exists(own.filter(is_contract_signed=True))
            return self.filter(signed) if value else self.exclude(signed)
        if column == "current_occupation_id":
            return self.filter(Exists(own.filter(occupation_id=value)))
        employer: Mapping[str, object] = Employer.objects.filter(pk=user.employer_id).values(
            "pk", "district_id", "industry__section").first() or {}
        known = {"current_employer_id": employer.get("pk"), "district_id": employer.get("district_id"),
                 "current_industry_section": employer.get("industry__section")}[column]
        return self.filter(Exists(own)) if str(known) == str(value) else self.none()


    def with_post_category(self, user, category: str, on: datetime.date) -> WorkerQuerySet:
        """Workers with a spell covering ``on`` in post category ``category`` ("" for one not reported), as
        ``user`` may know it: an enterprise's HR by the spells at their own employer only (decision 0002).
        The category is a spell's latest reported (issue 16), so a past day reads the present post."""
        from workforce.registry.models import EmploymentSpell

        spells = EmploymentSpell.objects.filter(worker=OuterRef("pk"), post_category=category).on(on)
        if sees_own_spells_only(user):
            spells = spells.filter(employer_id=user.employer_id)
        return self.filter(Exists(spells))


# The summary columns a list may be filtered by; ``WorkerQuerySet.where_summary`` scopes them.
SUMMARY_FILTERS = ("district_id", "current_employer_id", "current_industry_section", "current_occupation_id",
                   "has_signed_contract")


def sees_own_spells_only(user) -> bool:
    """Whether ``user`` knows a worker only through the spells at their own employer (an enterprise's HR,
    decision 0002): the summary columns, which come from every employer, must not be shown to them."""
    return _scope(user) == ScopeKind.EMPLOYER


def sees_whole_staff(user, employer) -> bool:
    """Whether ``user``'s view of the workers covers every worker of ``employer`` (its staff list and
    headcount mean what they say): city-wide staff, the employer's district, its own HR. A worker sees
    themself only, a leader no one: an employer's staff link would promise them what they cannot open."""
    scope = _scope(user)
    return (scope == ScopeKind.CITY
            or (scope == ScopeKind.DISTRICT and employer.district_id == user.district_id)
            or (scope == ScopeKind.EMPLOYER and employer.pk == user.employer_id))


def in_district(district_id) -> Q:
    """A worker condition: the district ``district_id`` sees the worker (decision 0002). That is every
    district where the worker has a spell covering today, and, for a worker with none, the district of
    their last employer (``Worker.district``, kept by the services).

    One correlated subquery per worker (issue 15), which neither database can turn into a set of every worker
    working today: the best of the worker's spells covering today (2 at one of the district's employers, 1
    elsewhere; none: no spell today, and the record's own district decides). The district's employers are one
    small list for the whole query, and ``spell_worker_current`` holds all a spell's columns it reads, so
    each worker costs one index range: a name search or a district-filtered list costs the workers it lists
    and counts, not the registry."""
    from workforce.registry.models import Employer, EmploymentSpell

    employers = Employer.objects.filter(district_id=district_id).values("pk")
    best = (EmploymentSpell.objects.filter(worker=OuterRef("pk")).on(timezone.localdate()).order_by()
            .values("worker").annotate(best=Max(Case(When(employer_id__in=employers, then=Value(HERE)),
                                                       default=Value(ELSEWHERE)))).values("best"))
    own = Case(When(district_id=district_id, then=Value(HERE)), default=Value(0))
    return Q(Exact(Coalesce(Subquery(best, output_field=IntegerField()), own), HERE))


HERE, ELSEWHERE = 2, 1  # ``in_district``: the worker's best spell covering today is in the district, or elsewhere


class EmployerQuerySet(models.QuerySet):
    def visible_to(self, user) -> EmployerQuerySet:
        """Employers the user may see: city-wide and leaders all, a district its own, HR their own,
        a worker those they have worked for."""
        scope = _scope(user)
        if scope in (ScopeKind.CITY, ScopeKind.AGGREGATE):
            return self
        if scope == ScopeKind.DISTRICT:
            return self.filter(district_id=user.district_id)
        if scope == ScopeKind.EMPLOYER:
            return self.filter(pk=user.employer_id)
        if scope == ScopeKind.SELF and user.worker_id:
            from workforce.registry.models import EmploymentSpell

            return self.filter(
                Exists(EmploymentSpell.objects.filter(employer=OuterRef("pk"), worker_id=user.worker_id))
            )
        return self.none()


class _WorkerChildQuerySet(models.QuerySet):
    """Rows that belong to a worker are visible exactly when their worker is."""

    start_field = "valid_from"
    end_field = "valid_to"

    def visible_to(self, user):
        from workforce.registry.models import Worker

        if _scope(user) == ScopeKind.CITY:  # every worker: no condition to evaluate row by row
            return self
        # A correlated EXISTS on the row's own worker, not ``worker IN (every visible worker)``: SQLite
        # built that whole list (a district's tens of thousands) for one worker's page (bench/load).
        return self.filter(Exists(Worker.objects.visible_to(user).filter(pk=OuterRef("worker_id"))))

    def on(self, day: datetime.date):
        """Rows valid on ``day`` (both ends inclusive)."""
        return self.filter(valid_on(day, self.start_field, self.end_field))


class SpellQuerySet(_WorkerChildQuerySet):
    start_field = "start_date"
    end_field = "end_date"

    def visible_to(self, user):
        # HR sees the spells at their own employer only, not where else their staff have worked.
        queryset = super().visible_to(user)
        if _scope(user) == ScopeKind.EMPLOYER:
            queryset = queryset.filter(employer_id=user.employer_id)
        return queryset

    def open(self):
        return self.filter(end_date__isnull=True)


class ContractQuerySet(models.QuerySet):
    """Labour contracts are visible exactly when their spell is (an employer's HR: its own spells' only)."""

    def visible_to(self, user):
        from workforce.registry.models import EmploymentSpell

        if _scope(user) == ScopeKind.CITY:
            return self
        return self.filter(Exists(EmploymentSpell.objects.visible_to(user).filter(pk=OuterRef("spell_id"))))

    def on(self, day: datetime.date):
        """Contracts with known dates covering ``day`` (both ends inclusive)."""
        return self.filter(dates_known=True).filter(valid_on(day, "start_date", "end_date"))


class CertificateQuerySet(_WorkerChildQuerySet):
    start_field = "issued_on"
    end_field = "valid_until"


class WorkerFactQuerySet(_WorkerChildQuerySet):
    pass


class EmployerFactQuerySet(models.QuerySet):
    def visible_to(self, user):
        from workforce.registry.models import Employer

        return self.filter(employer__in=Employer.objects.visible_to(user))

    def on(self, day: datetime.date):
        return self.filter(valid_on(day))
