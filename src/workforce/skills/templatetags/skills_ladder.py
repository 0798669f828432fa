"""``{% skill_ladder worker %}``: a worker's skill ladder on the registry's worker page (issue 17)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from workforce.skills import selectors

register = template.Library()


@register.inclusion_tag("skills/_ladder.html", takes_context=True)
def skill_ladder(context: dict[str, Any], worker: Any, on: Any = None) -> dict[str, Any]:
    """The ladder of ``worker`` as of ``on`` (today by default), as the signed-in user may see it."""
    request = context["request"]
    return {"ladder": selectors.ladder_of(request.user, worker, on or timezone.localdate())}
