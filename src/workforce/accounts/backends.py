"""Permissions come from the user's role as well as Django's groups and per-user grants."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.core.cache import cache


class RoleBackend(ModelBackend):
    """Permissions are the user's own grants plus their role's (cached for a minute: roles change
    rarely and every request asks). Roles take the place of Django's groups, which are not used."""

    ROLE_CACHE_SECONDS = 60

    def _get_group_permissions(self, user_obj):
        return Permission.objects.none()

    def get_group_permissions(self, user_obj, obj=None):
        permissions = super().get_group_permissions(user_obj, obj)
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None or not user_obj.role_id:
            return permissions
        key = f"role-permissions:{user_obj.role_id}"
        role_permissions = cache.get(key)
        if role_permissions is None:
            role_permissions = {f"{app}.{codename}" for app, codename in Permission.objects.filter(
                roles__id=user_obj.role_id).values_list("content_type__app_label", "codename")}
            cache.set(key, role_permissions, self.ROLE_CACHE_SECONDS)
        return permissions | role_permissions
