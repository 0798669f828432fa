"""Permissions come from the user's role as well as Django's groups and per-user grants."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.db.models import Q


class RoleBackend(ModelBackend):
    def _get_group_permissions(self, user_obj):
        return Permission.objects.filter(Q(group__user=user_obj) | Q(roles__users=user_obj)).distinct()
