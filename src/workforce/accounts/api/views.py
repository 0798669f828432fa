"""API sign-in: a token for a username and password (and a TOTP code for staff roles); the tokens a
user may see (their own; all of them for the user administrator), and revoking one (decision 0010)."""

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from workforce.accounts.api.serializers import ApiTokenSerializer, TokenRequestSerializer
from workforce.accounts.models import ApiToken
from workforce.accounts.services import (
    SignInError,
    issue_api_token,
    revoke_api_token,
    sign_in,
    verify_two_factor,
)
from workforce.core.accesslog import log_access
from workforce.core.api.permissions import ModelPermissions
from workforce.core.choices import AccessEvent, Channel


class SignInThrottle(AnonRateThrottle):
    rate = "30/minute"


class ObtainTokenView(APIView):
    """Exchange credentials for a new API token, with the same lockout and logging as the sign-in page.
    The key is shown only in this answer; it expires at ``expires_at``."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [SignInThrottle]

    @extend_schema(request=TokenRequestSerializer,
                   responses={200: inline_serializer("TokenResponse", {"token": serializers.CharField(),
                                                                        "expires_at": serializers.DateTimeField()})})
    def post(self, request):
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            user = sign_in(request, data.validated_data["username"], data.validated_data["password"])
        except SignInError as error:
            return Response({"detail": error.message}, status=status.HTTP_400_BAD_REQUEST)
        verified = False
        if settings.REQUIRE_TWO_FACTOR_FOR_STAFF and user.needs_two_factor:
            otp = data.validated_data.get("otp")
            if not otp:
                log_access(AccessEvent.TWO_FACTOR_FAILED, request=request, user=user)
            if not otp or verify_two_factor(user, otp, request=request) is None:
                return Response({"detail": _("请提供正确的动态口令（otp）。")}, status=status.HTTP_400_BAD_REQUEST)
            verified = True
        token, key = issue_api_token(user, name=data.validated_data.get("name", ""),
                                     is_two_factor_verified=verified, request=request, channel=Channel.API)
        return Response({"token": key, "expires_at": serializers.DateTimeField().to_representation(token.expires_at)})


class SignedInWithTwoFactor(IsAuthenticated):
    """Any signed-in user, except a staff session that skipped TOTP (as for every other endpoint)."""

    message = _lazy("请先在网页上完成双因素认证（动态口令），或使用 API 令牌访问。")

    def has_permission(self, request, view) -> bool:
        return super().has_permission(request, view) and not ModelPermissions._session_lacks_two_factor(request)


class ApiTokenList(generics.ListAPIView):
    """The tokens the caller may see: their own; every user's for the user administrator, who may
    narrow the list with ``?user=<id>``. Keys are never shown."""

    serializer_class = ApiTokenSerializer
    permission_classes = [SignedInWithTwoFactor]

    def get_queryset(self):
        tokens = ApiToken.objects.visible_to(self.request.user).select_related("user")
        user = self.request.query_params.get("user", "")
        if user:
            # Not a number, or past any id: nobody's (a database would refuse the value with an error).
            tokens = tokens.filter(user_id=int(user)) if user.isdigit() and len(user) <= 18 else tokens.none()
        return tokens


class ApiTokenDetail(generics.RetrieveDestroyAPIView):
    """One token the caller may see; DELETE revokes it (404 for a token that is not theirs to see)."""

    serializer_class = ApiTokenSerializer
    permission_classes = [SignedInWithTwoFactor]

    def get_queryset(self):
        return ApiToken.objects.visible_to(self.request.user).select_related("user")

    def perform_destroy(self, instance):
        reason = _("本人吊销") if instance.user_id == self.request.user.pk else _("管理员吊销")
        revoke_api_token(instance, reason=reason, acting_user=self.request.user, channel=Channel.API)
