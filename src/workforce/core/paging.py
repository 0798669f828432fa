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
    queryset = queryset.order_by()
    if not queryset.query.values_select and queryset.query.group_by is None:
        # Count rows by their key alone: the list's annotations (e.g. union membership) would make the
        # database read every counted row instead of answering from an index (issue 15).
        queryset = queryset.values("pk")
    count = queryset[: cap + 1].count()
    return (cap, False) if count > cap else (count, True)


# An estimate samples the list at evenly spaced windows of ids (issue 15: "超过 2,000 条" told the city
# administrator nothing about a list of a million): a few counts over short primary-key ranges, each as cheap
# as a page of rows, whatever the filters.
ESTIMATE_WINDOWS = 8
ESTIMATE_WINDOW_IDS = 1_000


def estimated_count(queryset: QuerySet[Any], floor: int) -> int:
    """An estimate of ``queryset``'s size, known to exceed ``floor``: the share of rows in the list within
    ``ESTIMATE_WINDOWS`` primary-key windows spread over the table's id range, scaled to the whole range,
    rounded to two significant figures and never below ``floor + 1``. It counts only the list's own rows
    (scoped as the list is), so it tells no more than paging through the list would."""
    ids = queryset.model._base_manager.values_list("pk", flat=True)
    # Two queries: SQLite answers MIN or MAX alone from the primary key, but both at once by reading the table.
    low, high = ids.order_by("pk").first(), ids.order_by("-pk").first()
    if low is None:
        return floor + 1
    bounds = {"low": low, "high": high}
    span = high - low + 1
    width = max(1, min(ESTIMATE_WINDOW_IDS, span // ESTIMATE_WINDOWS))
    windows = min(ESTIMATE_WINDOWS, max(1, span // width))
    rows = queryset.order_by()
    found = 0
    for index in range(windows):
        start = bounds["low"] + (span - width) * index // max(windows - 1, 1)
        found += rows.filter(pk__gte=start, pk__lt=start + width).count()
    estimate = found * span / (windows * width)
    rounded = int(float(f"{estimate:.2g}")) if estimate >= 100 else round(estimate)
    return max(rounded, floor + 1)


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
    """One page of a list: its rows, number, neighbours and the total, exact up to
    ``settings.LIST_COUNT_CAP`` and beyond it ``estimate`` (with ``estimate=True``; else None: "more than 2,000")."""

    def __init__(self, queryset: QuerySet[Any], number: int, per_page: int, estimate: bool = False,
                 cap: int | None = None) -> None:
        offset = (number - 1) * per_page
        rows = page_rows(queryset, number, per_page)
        self.rows = rows[:per_page]
        self.number = number
        self.has_next = len(rows) > per_page
        self.has_previous = number > 1
        self.count, self.count_is_exact = capped_count(queryset, cap)
        self.last_number = -(-self.count // per_page) if self.count_is_exact else None
        self.estimate = estimated_count(queryset, self.count) if estimate and not self.count_is_exact else None
        self.start_index = offset + 1 if self.rows else 0
        self.end_index = offset + len(self.rows)


def paginate(request: HttpRequest, queryset: QuerySet[Any], per_page: int = 50, estimate: bool = False,
             cap: int | None = None) -> Page:
    """The page of ``queryset`` named by the request's ``page`` parameter; :class:`PageNotFound` (a 404)
    for a page that does not exist. ``estimate``: beyond the count cap, estimate the total
    (``estimated_count``; the queryset must be a model's rows with an integer primary key). ``cap``: count
    up to this many rows instead of ``settings.LIST_COUNT_CAP`` (for lists whose rows cost more to count,
    such as groups)."""
    return Page(queryset, page_number(request.GET.get("page")), per_page, estimate, cap)
