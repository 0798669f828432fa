"""The union card of the home page: ``{% load unions_cards %}{% unions_card %}``."""

from __future__ import annotations

from typing import Any

from django import template

from workforce.unions import selectors
from workforce.unions.models import Officer
from workforce.unions.querysets import sees_all_unions

register = template.Library()


@register.inclusion_tag("unions/_home_card.html", takes_context=True)
def unions_card(context: Any) -> dict[str, Any]:
    """An officer's union (their post) and the applications waiting for review in its subtree; nothing for a
    user with neither a post nor the whole city."""
    user = context["request"].user
    post = Officer.objects.filter(user=user).select_related("organisation").first()
    if post is None and not sees_all_unions(user):
        return {"shown": False}
    return {"shown": True, "organisation": post.organisation if post else None,
            "pending": selectors.pending_count(user)}
