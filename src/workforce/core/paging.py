"""Counting and paging large scoped querysets for pages and the API."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _


def capped_count(queryset: QuerySet[Any], cap: int | None = None) -> tuple[int, bool]:
    """Count ``queryset`` up to ``cap`` rows (default ``settings.LIST_COUNT_CAP``): ``(count, is_exact)``.

    Counting a million filtered rows costs more than showing the page; beyond the cap the lists
    say "more than 2,000" and offer narrower filters instead; totals are the indicators' business.
    """
    cap = settings.LIST_COUNT_CAP if cap is None else cap  # read at each call, so tests may override it
    count = queryset.order_by()[: cap + 1].count()
    return (cap, False) if count > cap else (count, True)


# OFFSET and LIMIT are 64-bit signed integers in SQLite and PostgreSQL; a page whose last row lies
# beyond that fails in the database ("datatype mismatch", NumericValueOutOfRange) instead of being empty.
MAX_ROW = 2**63 - 1
# A positive whole number in plain ASCII digits, at most 19 of them (the page and the page size).
WHOLE_NUMBER = re.compile(r"[1-9][0-9]{0,18}")


class PageNotFound(Http404):
    """The ``page`` parameter names no page of the list: not a positive whole number, or past the end."""

    def __init__(self) -> None:
        super().__init__(_("没有这一页（页码须为正整数，且不超过最后一页）。"))


def page_number(raw: str | None) -> int:
    """The page number a ``page`` query parameter names: absent means 1; anything but a positive whole
    number in plain ASCII digits (zero, negative, ``1_0``, ``١``, ``abc``, 20 digits or more) is
    :class:`PageNotFound`, as a page past the end is (decision 0012)."""
    if raw is None:
        return 1
    if not WHOLE_NUMBER.fullmatch(raw):
        raise PageNotFound
    return int(raw)


def page_rows(queryset: QuerySet[Any], number: int, per_page: int) -> list[Any]:
    """The rows of page ``number`` plus one more (to tell whether a next page exists); a page past the
    end (other than an empty first page) is :class:`PageNotFound`."""
    offset = (number - 1) * per_page
    if offset + per_page + 1 > MAX_ROW:
        raise PageNotFound
    rows = list(queryset[offset: offset + per_page + 1])
    if not rows and number > 1:
        raise PageNotFound
    return rows


class Page:
    """One page of a list: its rows, number, neighbours and the (capped) total."""

    def __init__(self, queryset: QuerySet[Any], number: int, per_page: int) -> None:
        offset = (number - 1) * per_page
        rows = page_rows(queryset, number, per_page)
        self.rows = rows[:per_page]
        self.number = number
        self.has_next = len(rows) > per_page
        self.has_previous = number > 1
        self.count, self.count_is_exact = capped_count(queryset)
        self.last_number = -(-self.count // per_page) if self.count_is_exact else None
        self.start_index = offset + 1 if self.rows else 0
        self.end_index = offset + len(self.rows)


def paginate(request: HttpRequest, queryset: QuerySet[Any], per_page: int = 50) -> Page:
    """The page of ``queryset`` named by the request's ``page`` parameter; :class:`PageNotFound` (a 404)
    for a page that does not exist."""
    return Page(queryset, page_number(request.GET.get("page")), per_page)
