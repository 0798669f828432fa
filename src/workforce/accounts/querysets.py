"""Scoped querysets of accounts (decision 0002): which API tokens a user may see."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class ApiTokenQuerySet(models.QuerySet):
    def active(self) -> ApiTokenQuerySet:
        """Tokens that still open the API: neither revoked nor expired."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())

    def visible_to(self, user) -> ApiTokenQuerySet:
        """Each user sees their own tokens; a user administrator (``accounts.change_user``) sees all."""
        if not user.is_authenticated:
            return self.none()
        return self if user.has_perm("accounts.change_user") else self.filter(user=user)
