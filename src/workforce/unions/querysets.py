"""Scoped querysets of the unions app: the one place that decides who sees which organisations' members and
applications (STYLE.md "Scoping lives in one place"; decision 0018).

The tree itself (names, levels, the employers a base union covers) is public to whoever may view
organisations. Members and applications are scoped: a union officer sees those of their organisation and
of the organisations below it, never sideways or up; the city administrator sees all; anyone else none.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import models
from django.db.models import Q

from workforce.accounts.choices import RoleCode, ScopeKind
from workforce.core.encryption import lookup_hash


def worker_key(worker_id: int) -> str:
    """The keyed hash that finds a worker's applications (``MembershipApplication.worker_key``)."""
    return lookup_hash(f"union-applicant:{worker_id}")


def _active(user: Any) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def sees_all_unions(user: Any) -> bool:
    """The city administrator (and a superuser) see every organisation's members and applications."""
    if not _active(user):
        return False
    return bool(user.is_superuser or (user.role_id and user.role.code == RoleCode.CITY_ADMIN))


def post_path(user: Any) -> str | None:
    """The materialised path of ``user``'s union post (None: no post). Read once per request object."""
    if not _active(user):
        return None
    if "_union_post_path" in user.__dict__:  # read once per user object (a request's)
        cached: str | None = user.__dict__["_union_post_path"]
        return cached
    from workforce.unions.models import Officer

    path = Officer.objects.filter(user=user, organisation__is_active=True).values_list(
        "organisation__path", flat=True).first()
    user.__dict__["_union_post_path"] = path
    found: str | None = path
    return found


class OrganisationQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> OrganisationQuerySet:
        """The tree as a signed-in user may read it: every organisation (names and levels are public)."""
        return self if _active(user) else self.none()

    def in_scope_of(self, user: Any) -> OrganisationQuerySet:
        """Organisations whose members and applications ``user`` may see: their post's subtree."""
        if sees_all_unions(user):
            return self
        path = post_path(user)
        if path is None:
            return self.none()
        return self.filter(path__startswith=path)

    def subtree(self, organisation: Any) -> OrganisationQuerySet:
        """``organisation`` and every organisation below it (one prefix filter on the path)."""
        return self.filter(path__startswith=organisation.path)

    def base(self) -> OrganisationQuerySet:
        from workforce.unions.choices import BASE_KINDS

        return self.filter(kind__in=BASE_KINDS)


class CoverageQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> CoverageQuerySet:
        return self if _active(user) else self.none()

    def on(self, day: datetime.date) -> CoverageQuerySet:
        return self.filter(Q(valid_from__lte=day) & (Q(valid_to__isnull=True) | Q(valid_to__gte=day)))


class ApplicationQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> ApplicationQuerySet:
        """Applications ``user`` may see: those to (or, for a transfer, from) an organisation in their scope;
        a worker their own."""
        if not _active(user):
            return self.none()
        if sees_all_unions(user):
            return self
        path = post_path(user)
        if path is not None:
            return self.filter(Q(organisation__path__startswith=path) | Q(from_organisation__path__startswith=path))
        if user.scope_kind == ScopeKind.SELF and user.worker_id:
            return self.filter(worker_key=worker_key(user.worker_id))
        return self.none()
