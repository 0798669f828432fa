"""The roster-import card of the home page: ``{% load imports_cards %}{% imports_card %}``."""

from __future__ import annotations

from django import template

from workforce.imports import selectors, services

register = template.Library()


@register.inclusion_tag("imports/_home_card.html", takes_context=True)
def imports_card(context) -> dict:
    """What the signed-in user has to do with rosters: imports to confirm and checks that failed."""
    user = context["request"].user
    return {"counts": selectors.home_counts(user), "can_import": services.can_import(user)}
