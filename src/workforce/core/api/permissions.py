"""API permissions: the role's model permissions, reads included, and two factors for staff sessions.

Permissions answer "may this user do this kind of thing at all" (403); which rows they may do it to is
decided only by the ``visible_to`` querysets, so a record outside the user's scope is a 404.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import Model
from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import DjangoModelPermissions
from rest_framework.request import Request
from rest_framework.views import APIView

VIEW = "%(app_label)s.view_%(model_name)s"


class ModelPermissions(DjangoModelPermissions):
    """DRF's ``DjangoModelPermissions``, except that reading needs ``view_<model>`` too (DRF lets any
    signed-in user read), so a leader who may see only aggregates cannot list workers.

    The permissions come from the model of the view's queryset and the HTTP method. An extra action
    may name its model instead (``@action(permission_model=Certificate)``: GET needs ``view_certificate``,
    POST ``add_certificate``) or list its permissions outright
    (``@action(required_permissions=["registry.unmask_worker"])``); see :class:`ModelPermissionsMixin`.

    A session signed in on the pages by password alone does not reach the API for a staff role that
    needs two factors: API tokens are issued only with a TOTP code, and the session must not be a way
    around that.
    """

    perms_map = {
        "GET": [VIEW],
        "HEAD": [VIEW],
        "OPTIONS": [VIEW],
        "POST": ["%(app_label)s.add_%(model_name)s"],
        "PUT": ["%(app_label)s.change_%(model_name)s"],
        "PATCH": ["%(app_label)s.change_%(model_name)s"],
        "DELETE": ["%(app_label)s.delete_%(model_name)s"],
    }
    message = _("您没有执行该操作的权限。")

    def has_permission(self, request: Request, view: APIView) -> bool:
        user = request.user
        if not user or not user.is_authenticated:
            return False
        if self._session_lacks_two_factor(request):
            self.message = _("请先在网页上完成双因素认证（动态口令），或使用 API 令牌访问。")
            return False
        required = getattr(view, "required_permissions", None)
        if isinstance(required, dict):  # by method
            required = required.get(request.method or "", None)
            if required is None:
                return False
        if required is None:
            model = getattr(view, "permission_model", None) or self._queryset(view).model
            required = self.get_required_permissions(request.method or "", model)
        return bool(user.has_perms(required))

    @staticmethod
    def _session_lacks_two_factor(request: Request) -> bool:
        if not settings.REQUIRE_TWO_FACTOR_FOR_STAFF:
            return False
        if not isinstance(request.successful_authenticator, SessionAuthentication):
            return False
        user = request.user
        if isinstance(user, AnonymousUser):
            return False
        is_verified = getattr(user, "is_verified", None)  # set by django_otp's middleware
        return user.needs_two_factor and not (is_verified and is_verified())


class ModelPermissionsMixin:
    """Viewset defaults for :class:`ModelPermissions`; ``@action(...)`` overrides them per action."""

    permission_classes: Any = [ModelPermissions]
    # Exactly these permissions (``app_label.codename``) for the action, whatever the method, or by method (a
    # method not named is refused).
    required_permissions: list[str] | dict[str, list[str]] | None = None
    # The model whose view/add/change permissions the method needs, instead of the queryset's.
    permission_model: type[Model] | None = None
