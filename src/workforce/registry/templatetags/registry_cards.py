"""The worker's own card on the home page: ``{% load registry_cards %}{% my_record_card %}``."""

from __future__ import annotations

from django import template
from django.utils import timezone

from workforce.registry import selectors
from workforce.registry.models import Certificate, EmploymentSpell, Worker

register = template.Library()


@register.inclusion_tag("registry/_my_record_card.html", takes_context=True)
def my_record_card(context) -> dict:
    """A worker's own record at a glance, read as their record page reads it (the same selectors): where
    they work today, their certificates, and their union membership (shown to the worker themself,
    decision 0009)."""
    user = context["request"].user
    worker = Worker.objects.visible_to(user).filter(pk=user.worker_id).first()
    if worker is None:
        return {"worker": None}
    worker = selectors.with_summary(user, worker)
    return {
        "worker": worker,
        "jobs": EmploymentSpell.objects.visible_to(user).filter(worker=worker).on(timezone.localdate())
        .select_related("employer").order_by("start_date"),
        "certificates": Certificate.objects.visible_to(user).filter(worker=worker).count(),
        "shows_memberships": selectors.shows_memberships(user),
        "union_member": selectors.shows_memberships(user) and selectors.shown_union_membership(user, worker),
    }
