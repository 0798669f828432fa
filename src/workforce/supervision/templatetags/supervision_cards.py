"""The supervision card of the home page: ``{% load supervision_cards %}{% supervision_card %}``."""

from __future__ import annotations

from django import template
from django.utils import timezone

from workforce.supervision import selectors

register = template.Library()


@register.inclusion_tag("supervision/_home_card.html", takes_context=True)
def supervision_card(context) -> dict:
    """What the signed-in user has to do in supervision, counted within their scope."""
    return {"counts": selectors.home_counts(context["request"].user, timezone.localdate())}
