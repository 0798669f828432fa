"""Counting and paging large scoped querysets for pages and the API."""

from __future__ import annotations

from django.conf import settings

COUNT_CAP = getattr(settings, "LIST_COUNT_CAP", 2_000)


def capped_count(queryset, cap: int = COUNT_CAP) -> tuple[int, bool]:
    """Count ``queryset`` up to ``cap`` rows: ``(count, is_exact)``.

    Counting a million filtered rows costs more than showing the page; beyond the cap the lists
    say "more than 2,000" and offer narrower filters instead; totals are the indicators' business.
    """
    count = queryset.order_by()[: cap + 1].count()
    return (cap, False) if count > cap else (count, True)


class Page:
    """One page of a list: its rows, number, neighbours and the (capped) total."""

    def __init__(self, queryset, number: int, per_page: int):
        offset = (number - 1) * per_page
        rows = list(queryset[offset: offset + per_page + 1])
        self.rows = rows[:per_page]
        self.number = number
        self.has_next = len(rows) > per_page
        self.has_previous = number > 1
        self.count, self.count_is_exact = capped_count(queryset)
        self.last_number = -(-self.count // per_page) if self.count_is_exact else None
        self.start_index = offset + 1 if self.rows else 0
        self.end_index = offset + len(self.rows)


def paginate(request, queryset, per_page: int = 50) -> Page:
    """The page of ``queryset`` named by the request's ``page`` parameter (bad values mean page 1)."""
    try:
        number = max(1, int(request.GET.get("page", 1)))
    except ValueError:
        number = 1
    return Page(queryset, number, per_page)
