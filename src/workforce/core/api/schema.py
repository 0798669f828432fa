"""The OpenAPI schema's error answers, documented once for every operation (decision 0012).

drf-spectacular documents only the answers a view declares; the refusals that come from the shared
layers (validation, permissions, scoping, paging, optimistic locking, throttling) are the same for every
view, so a post-processing hook adds them by what an operation has: parameters or a body can be
refused (400); a signed-in operation can be refused to the anonymous (401) and to a role without the
permission (403), and can name a record outside the user's scope or a page past the end (404); a
signed-in write can meet a newer version (409); every client can be throttled (429). An answer a view
documents itself is left as it is.

It also corrects one way in which DRF describes a read-only model field wrongly (see :class:`AutoSchema`).
"""

from __future__ import annotations

import copy
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext_lazy as _
from drf_spectacular import openapi
from rest_framework import serializers

ERROR = "Error"
VALIDATION_ERROR = "ValidationError"
COMPONENTS = {
    ERROR: {
        "type": "object",
        "description": "A refusal with one message (in Chinese).",
        "properties": {"detail": {"type": "string"}, "code": {"type": "string"}},
        "required": ["detail"],
    },
    VALIDATION_ERROR: {
        "type": "object",
        "description": "Invalid input: the messages of each field (or non_field_errors, or detail).",
        "additionalProperties": {"anyOf": [
            {"type": "string"},
            {"type": "array", "items": {}},
            {"type": "object"},
        ]},
    },
}
WRITES = {"post", "put", "patch", "delete"}


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's schema, except that a read-only choice field of a model field that may be blank
    may read ``""``: DRF drops ``allow_blank`` from read-only fields, so their enum left the empty value out
    (``contract_type: ""`` of a spell without a contract broke the schema)."""

    def _map_serializer_field(self, field: Any, direction: str, bypass_extensions: bool = False) -> Any:
        is_choice = isinstance(field, serializers.ChoiceField)
        if is_choice and field.read_only and not field.allow_blank and _is_blank_text(field):
            field = copy.copy(field)
            field.allow_blank = True
        # drf-spectacular leaves this hook unannotated.
        return super()._map_serializer_field(field, direction, bypass_extensions)  # type: ignore[no-untyped-call]


def _is_blank_text(field: Any) -> bool:
    """Whether ``field`` renders a text model field that may hold ``""``."""
    model = getattr(getattr(field.parent, "Meta", None), "model", None)
    if model is None or "." in field.source:
        return False
    try:
        model_field = model._meta.get_field(field.source)
    except FieldDoesNotExist:  # a property or a method: nothing to correct
        return False
    return model_field.blank and isinstance(model_field, models.CharField | models.TextField)


def _answer(description: object, component: str) -> dict[str, Any]:
    return {"description": str(description),
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{component}"}}}}


def _error_answers(method: str, operation: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The refusals shared by every view that ``operation`` can meet, by status code."""
    parameters = operation.get("parameters", [])
    signed_in = any(requirement for requirement in operation.get("security", []))
    answers = {}
    if parameters or "requestBody" in operation:
        answers["400"] = _answer(_("请求参数或内容无效"), VALIDATION_ERROR)
    if signed_in:
        answers["401"] = _answer(_("未登录，或令牌无效"), ERROR)
        answers["403"] = _answer(_("没有执行该操作的权限"), ERROR)
        # Whatever names a record (path, query, body) may name one outside the user's scope; and a page
        # may lie past the end.
        answers["404"] = _answer(_("记录不存在或不在数据范围内，或没有这一页"), ERROR)
    if signed_in and method in WRITES:
        answers["409"] = _answer(_("记录已被他人修改，或当前状态不允许该操作"), ERROR)
    answers["429"] = _answer(_("请求过于频繁"), ERROR)
    return answers


def add_error_responses(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """drf-spectacular post-processing hook: the shared error answers of every operation."""
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            responses = operation.setdefault("responses", {})
            for status, answer in _error_answers(method, operation).items():
                responses.setdefault(status, answer)
    result.setdefault("components", {}).setdefault("schemas", {}).update(COMPONENTS)
    return result
