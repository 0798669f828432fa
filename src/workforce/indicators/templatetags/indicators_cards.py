"""The targets card of the home page: ``{% load indicators_cards %}{% targets_card %}``."""

from __future__ import annotations

from collections import Counter

from django import template
from django.utils import timezone

from workforce.indicators import disclosure, figures
from workforce.indicators.choices import Status

register = template.Library()


@register.inclusion_tag("indicators/_home_card.html", takes_context=True)
def targets_card(context) -> dict:
    """The plan's targets today by status, as the dashboard shows them to the signed-in user (the same
    rows, protected the same way: one definition, one number)."""
    rows = disclosure.protect_rows(figures.dashboard(timezone.localdate()), context["request"].user)
    counts = Counter(row.city.status for row in rows)
    return {"total": len(rows), "statuses": [(status.label, counts[status]) for status in Status if counts[status]]}
