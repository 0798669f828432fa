"""API pagination that stays fast on a registry of millions."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param
from rest_framework.views import APIView

from workforce.core.paging import WHOLE_NUMBER, PageNotFound, capped_count, page_number, page_rows


class CountCappedPagination(PageNumberPagination):
    """Page-number pagination whose total is counted only up to a cap (``count_is_exact`` says so).

    A ``page`` that names no page (not a positive whole number, or past the end) is a 404, as on the
    pages; a ``page_size`` outside 1…``max_page_size`` is a 400 rather than silently replaced
    (decision 0012).
    """

    page_size_query_param = "page_size"
    max_page_size = 500
    # DRF's own descriptions are lazy texts too; the stubs say str.
    page_query_description = gettext_lazy("页码，从 1 开始；超出最后一页时答复 404。")  # type: ignore[assignment]
    page_size_query_description = gettext_lazy("每页条数，1–500，默认 50。")  # type: ignore[assignment]

    def get_page_size(self, request: Request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            assert self.page_size is not None, "REST_FRAMEWORK['PAGE_SIZE'] is set in the settings"
            return self.page_size
        if not WHOLE_NUMBER.fullmatch(raw) or int(raw) > self.max_page_size:
            raise ValidationError({self.page_size_query_param: [
                _("每页条数须为 1 到 %(max)d 之间的整数。") % {"max": self.max_page_size}]})
        return int(raw)

    def paginate_queryset(self, queryset: QuerySet[Any], request: Request, view: APIView | None = None) -> list[Any]:
        self.request = request
        page_size = self.get_page_size(request)
        try:
            self.page_number = page_number(request.query_params.get(self.page_query_param))
            rows = page_rows(queryset, self.page_number, page_size)
        except PageNotFound as error:
            raise NotFound(str(error)) from None
        self.has_next = len(rows) > page_size
        self.count, self.count_is_exact = capped_count(queryset)
        self.page_size_used = page_size
        return rows[:page_size]

    def _page_link(self, number: int | None) -> str | None:
        if number is None or self.request is None:
            return None
        return replace_query_param(self.request.build_absolute_uri(), self.page_query_param, number)

    def get_paginated_response(self, data: Any) -> Response:
        return Response({
            "count": self.count,
            "count_is_exact": self.count_is_exact,
            "next": self._page_link(self.page_number + 1 if self.has_next else None),
            "previous": self._page_link(self.page_number - 1 if self.page_number > 1 else None),
            "results": data,
        })

    def get_schema_operation_parameters(self, view: APIView) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"] = {"type": "integer", "minimum": 1}
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["maximum"] = self.max_page_size
        return parameters

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": "object",
            "required": ["count", "count_is_exact", "results"],
            "properties": {
                "count": {"type": "integer"},
                "count_is_exact": {"type": "boolean"},
                "next": {"type": "string", "nullable": True, "format": "uri"},
                "previous": {"type": "string", "nullable": True, "format": "uri"},
                "results": schema,
            },
        }
