"""API sign-in: a token for a username and password (and a TOTP code for staff roles)."""

from django.urls import path
from django.utils.translation import gettext as _
from django_otp import match_token
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from workforce.accounts.services import SignInError, sign_in
from workforce.core.accesslog import log_access
from workforce.core.choices import AccessEvent


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"})
    otp = serializers.RegexField(r"^\d{6}$", required=False, help_text="6-digit TOTP code, for staff roles")


class SignInThrottle(AnonRateThrottle):
    rate = "30/minute"


class ObtainTokenView(APIView):
    """Exchange credentials for an API token, with the same lockout and logging as the sign-in page."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [SignInThrottle]

    @extend_schema(request=TokenRequestSerializer,
                   responses={200: inline_serializer("TokenResponse", {"token": serializers.CharField()})})
    def post(self, request):
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            user = sign_in(request, data.validated_data["username"], data.validated_data["password"])
        except SignInError as error:
            return Response({"detail": error.message}, status=status.HTTP_400_BAD_REQUEST)
        from django.conf import settings

        if settings.REQUIRE_TWO_FACTOR_FOR_STAFF and user.needs_two_factor:
            otp = data.validated_data.get("otp")
            if not otp or match_token(user, otp) is None:
                log_access(AccessEvent.TWO_FACTOR_FAILED, request=request, user=user)
                return Response({"detail": _("请提供正确的动态口令（otp）。")}, status=status.HTTP_400_BAD_REQUEST)
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})


urlpatterns = [path("token/", ObtainTokenView.as_view(), name="api_token")]
