"""Scoped and as-of querysets of the registry: the one place that decides who sees which rows.

Every page, API view, search, export and count starts from ``<Model>.objects.visible_to(user)``; a row
outside the user's scope does not exist for them (STYLE.md "Scoping lives in one place").
"""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q
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
            return self.filter(district_id=user.district_id)
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

    def employed_on(self, on: datetime.date, employer=None) -> WorkerQuerySet:
        """Workers with at least one employment spell covering ``on`` (at ``employer``, if given)."""
        from workforce.registry.models import EmploymentSpell

        spells = EmploymentSpell.objects.filter(worker=OuterRef("pk")).on(on)
        if employer is not None:
            spells = spells.filter(employer=employer)
        return self.filter(Exists(spells))

    def with_union_member_shown(self, user) -> WorkerQuerySet:
        """Annotate ``union_member_shown``: a union member today as ``user`` may know it (``union_member_shown``)."""
        return self.annotate(union_member_shown=union_member_shown(user))


def union_member_shown(user, on: datetime.date | None = None) -> ExpressionWrapper | Exists:
    """A worker condition: a union member on ``on`` (default today) as ``user`` may know it (decision 0009).
    An enterprise's HR knows membership in their own enterprise's union (or with no union named) only, not
    one through another employer; the others, any membership (today: the summary column)."""
    from workforce.registry.models import UnionMembership

    if on is None and _scope(user) != ScopeKind.EMPLOYER:
        return ExpressionWrapper(Q(is_union_member=True), output_field=BooleanField())
    memberships = UnionMembership.objects.filter(worker=OuterRef("pk")).on(on or timezone.localdate())
    return Exists(memberships.of_unions_seen_by(user))


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

        return self.filter(worker__in=Worker.objects.visible_to(user))

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


class CertificateQuerySet(_WorkerChildQuerySet):
    start_field = "issued_on"
    end_field = "valid_until"


class UnionMembershipQuerySet(_WorkerChildQuerySet):
    def visible_to(self, user):
        return super().visible_to(user).of_unions_seen_by(user)

    def of_unions_seen_by(self, user):
        """HR sees membership in their own enterprise's union (or with no union named), not elsewhere."""
        if _scope(user) == ScopeKind.EMPLOYER:
            return self.filter(Q(employer_id=user.employer_id) | Q(employer__isnull=True))
        return self


class WorkerFactQuerySet(_WorkerChildQuerySet):
    pass


class EmployerFactQuerySet(models.QuerySet):
    def visible_to(self, user):
        from workforce.registry.models import Employer

        return self.filter(employer__in=Employer.objects.visible_to(user))

    def on(self, day: datetime.date):
        return self.filter(valid_on(day))
