"""API pagination that stays fast on a registry of millions."""

from __future__ import annotations

from rest_framework.pagination import PageNumberPagination

from workforce.core.paging import capped_count


class CountCappedPagination(PageNumberPagination):
    """Page-number pagination whose total is counted only up to a cap (``count_is_exact`` says so)."""

    page_size_query_param = "page_size"
    max_page_size = 500

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        page_size = self.get_page_size(request)
        try:
            self.page_number = max(1, int(request.query_params.get(self.page_query_param, 1)))
        except ValueError:
            self.page_number = 1
        offset = (self.page_number - 1) * page_size
        rows = list(queryset[offset: offset + page_size + 1])
        self.has_next = len(rows) > page_size
        self.count, self.count_is_exact = capped_count(queryset)
        self.page_size_used = page_size
        return rows[:page_size]

    def _page_link(self, number: int | None):
        if number is None:
            return None
        from rest_framework.utils.urls import replace_query_param

        return replace_query_param(self.request.build_absolute_uri(), self.page_query_param, number)

    def get_paginated_response(self, data):
        from rest_framework.response import Response

        return Response({
            "count": self.count,
            "count_is_exact": self.count_is_exact,
            "next": self._page_link(self.page_number + 1 if self.has_next else None),
            "previous": self._page_link(self.page_number - 1 if self.page_number > 1 else None),
            "results": data,
        })

    def get_paginated_response_schema(self, schema):
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
