"""Who sees which appraisal bodies, sessions and candidates: the one place (STYLE.md "Scoping lives in one place").

Bodies and sessions are public facts of the evaluation system: every signed-in role but the leaders (who read
aggregates) sees them, except that an appraisal body's staff see their own body's alone. Candidates are people:
the city sees all, a body the candidates of its own sessions, anyone else the candidates whose worker they see
in the registry (a district its workers, HR its staff, a worker themself).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Exists, OuterRef

from workforce.accounts.choices import RoleCode, ScopeKind


def _scope(user) -> str:
    if user is None or not user.is_authenticated or not user.is_active:
        return ScopeKind.NONE
    return user.scope_kind


def acts_for_bodies(user) -> bool:
    """Whether ``user`` acts for appraisal bodies (the appraisal-body role, or a training provider that is one)."""
    role = getattr(user, "role", None)
    return bool(user is not None and user.is_authenticated and role is not None
                and role.code in (RoleCode.APPRAISAL_BODY, RoleCode.TRAINING_PROVIDER))


class AppraisalBodyQuerySet(models.QuerySet):
    def visible_to(self, user):
        scope = _scope(user)
        if scope in (ScopeKind.NONE, ScopeKind.AGGREGATE):
            return self.none()
        if acts_for_bodies(user):
            return self.filter(staff=user)
        return self


class SessionQuerySet(models.QuerySet):
    def visible_to(self, user):
        scope = _scope(user)
        if scope in (ScopeKind.NONE, ScopeKind.AGGREGATE):
            return self.none()
        if acts_for_bodies(user):
            return self.filter(body__staff=user)
        return self


class CandidateQuerySet(models.QuerySet):
    def visible_to(self, user):
        from workforce.registry.models import Worker

        scope = _scope(user)
        if scope == ScopeKind.CITY:
            return self
        if acts_for_bodies(user):
            return self.filter(session__body__staff=user)
        if scope in (ScopeKind.DISTRICT, ScopeKind.EMPLOYER, ScopeKind.SELF):
            return self.filter(Exists(Worker.objects.visible_to(user).filter(pk=OuterRef("worker_id"))))
        return self.none()


class CompetitionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Competitions are public events: every signed-in role but leaders (aggregates) and appraisal bodies."""
        scope = _scope(user)
        if scope in (ScopeKind.NONE, ScopeKind.AGGREGATE) or acts_for_bodies(user):
            return self.none()
        return self


class EntrantQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Entrants are people: the city sees all, anyone else those whose worker the registry shows them."""
        from workforce.registry.models import Worker

        scope = _scope(user)
        if scope == ScopeKind.CITY and not acts_for_bodies(user):
            return self
        if scope in (ScopeKind.DISTRICT, ScopeKind.EMPLOYER, ScopeKind.SELF):
            return self.filter(Exists(Worker.objects.visible_to(user).filter(pk=OuterRef("worker_id"))))
        return self.none()
