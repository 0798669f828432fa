"""``{% appraisal_pass_rates %}``: the appraisal pass rate per year (§10, monitored without a target), for the
targets dashboard and the supervision page of measure §10."""

from __future__ import annotations

from typing import Any

from django import template

from workforce.skills import selectors

register = template.Library()


@register.inclusion_tag("skills/_pass_rates.html")
def appraisal_pass_rates(on: Any = None) -> dict[str, Any]:
    return {"rates": selectors.pass_rates_by_year(on)}
