"""Scoped querysets of the portal: who sees which self-registrations (the one place that decides it)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from workforce.accounts.choices import RoleCode, ScopeKind

# The department whose officers confirm self-registrations city-wide: the city federation of trade unions.
UNION_DEPARTMENT = "city-union"
REVIEW_PERMISSION = "portal.review_selfregistration"


def reviews_city_wide(user) -> bool:
    """The city administrator and the city union's officers see every self-registration."""
    if user.is_superuser:
        return True
    if user.scope_kind != ScopeKind.CITY or user.role is None:
        return False
    return user.role.code == RoleCode.CITY_ADMIN or (user.department is not None
                                                     and user.department.code == UNION_DEPARTMENT)


class SelfRegistrationQuerySet(models.QuerySet):
    def visible_to(self, user) -> SelfRegistrationQuerySet:
        """Self-registrations ``user`` may see: the applicant their own (by their login, once confirmed); with
        the review permission, the city union and administrator all, a district officer those naming their
        district, an employer's HR those naming their employer. Everyone else none."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.scope_kind == ScopeKind.SELF:
            return self.filter(user=user)
        if not user.has_perm(REVIEW_PERMISSION):
            return self.none()
        if reviews_city_wide(user):
            return self
        if user.scope_kind == ScopeKind.DISTRICT and user.district_id:
            return self.filter(district_id=user.district_id)
        if user.scope_kind == ScopeKind.EMPLOYER and user.employer_id:
            return self.filter(Q(employer_id=user.employer_id))
        return self.none()
