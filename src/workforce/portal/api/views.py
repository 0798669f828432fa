"""The sign-up steps for a phone app (decision 0019): a code, then sign-up or a password reset, each answering
with an API token (workers sign in without TOTP). The same services, limits and messages as the pages."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from workforce.accounts.models import User
from workforce.accounts.services import issue_api_token
from workforce.core.accesslog import client_ip, log_access
from workforce.core.choices import AccessEvent, Channel
from workforce.portal.api.serializers import (
    CodeRequestSerializer,
    PasswordResetSerializer,
    SignUpSerializer,
    TokenAnswerSerializer,
)
from workforce.portal.choices import CodePurpose
from workforce.portal.services.signup import SignUp, SignUpRefused, request_code, reset_password, sign_up


class PortalThrottle(AnonRateThrottle):
    rate = "30/minute"


def refused(error: SignUpRefused) -> Response:
    """A 400 as the shared ValidationError answer: the message, the field it concerns, and ``code``
    ``not_in_registry`` when the worker may self-register instead."""
    answer = {"detail": error.message, "field": error.field or ""}
    if error.not_in_registry:
        answer["code"] = "not_in_registry"
    return Response(answer, status=status.HTTP_400_BAD_REQUEST)


def token_answer(request, user: User, name: str) -> Response:
    log_access(AccessEvent.SIGN_IN, request=request, user=user)
    token, key = issue_api_token(user, name=name, is_two_factor_verified=False, request=request, channel=Channel.API)
    return Response(TokenAnswerSerializer({"username": user.username, "token": key,
                                           "expires_at": token.expires_at}).data)


class PortalView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [PortalThrottle]


class CodeRequestView(PortalView):
    """Send a one-time SMS code for sign-up or a password reset (for a reset, only to a phone a login has, with
    the same answer either way)."""

    @extend_schema(request=CodeRequestSerializer, responses={
        202: inline_serializer("CodeSent", {"detail": serializers.CharField()})})
    def post(self, request):
        data = CodeRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            request_code(data.validated_data["phone"], data.validated_data["purpose"], ip_address=client_ip(request))
        except SignUpRefused as error:
            return refused(error)
        minutes = {"minutes": settings.PORTAL_SMS_CODE_MINUTES}
        message = (_("如果该手机号码已注册，验证码已发送，%(minutes)d分钟内有效。") % minutes
                   if data.validated_data["purpose"] == CodePurpose.PASSWORD_RESET
                   else _("验证码已发送，%(minutes)d分钟内有效。") % minutes)
        return Response({"detail": message}, status=status.HTTP_202_ACCEPTED)


class SignUpView(PortalView):
    """Open a worker's login against the registry (ID number, name, phone and its code) and answer with an API
    token. A refusal with ``code`` ``not_in_registry``: the worker may self-register on the portal's page."""

    @extend_schema(request=SignUpSerializer, responses={201: TokenAnswerSerializer})
    def post(self, request):
        data = SignUpSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            user = sign_up(SignUp(**data.validated_data), channel=Channel.API)
        except SignUpRefused as error:
            return refused(error)
        answer = token_answer(request, user, "phone app")
        answer.status_code = status.HTTP_201_CREATED
        return answer


class PasswordResetView(PortalView):
    """Set a new password with the code sent to the login's phone, and answer with a new API token."""

    @extend_schema(request=PasswordResetSerializer, responses={200: TokenAnswerSerializer})
    def post(self, request):
        data = PasswordResetSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            values = data.validated_data
            user = reset_password(values["phone"], values["code"], values["password"], channel=Channel.API)
        except SignUpRefused as error:
            return refused(error)
        return token_answer(request, user, "phone app")
