"""Domain errors become clear 400/409 API answers, never 500s."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.exceptions import NotFound, ParseError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from workforce.core.changelog import StaleRecordError


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, plus: service ``ValidationError`` → 400 keyed by field, ``StaleRecordError`` → 409,
    and Chinese texts where DRF or Django would answer in English."""
    if isinstance(exc, StaleRecordError):
        return Response({"detail": exc.message, "code": "stale_version"}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            body = {field: [str(m) for m in messages] for field, messages in exc.message_dict.items()}
        else:
            body = {"non_field_errors": [str(m) for m in exc.messages]}
        return Response(body, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, ParseError):
        # DRF's text carries the parser's English explanation ("JSON parse error - Expecting value…").
        exc = ParseError(_("请求内容无法解析，请发送有效的 JSON。"))
    if isinstance(exc, Http404):
        # Django's shortcuts say "No Worker matches the given query." in English; a missing record and
        # one outside the user's scope get the same answer.
        exc = NotFound(_("未找到该记录（记录不存在，或不在您的数据范围内）。"))
    return drf_exception_handler(exc, context)
