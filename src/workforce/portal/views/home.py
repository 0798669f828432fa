"""The worker's phone-first home and the check of a membership card's QR code."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from workforce.portal.services.cards import CardState, card_for, check_card, may_check_cards
from workforce.portal.services.home import applications_of, notices_for


@never_cache
@login_required
def portal_home(request):
    """掌上工会: my record, my membership card, my applications and notices. Staff have their own home."""
    if request.user.worker_id is None:
        return redirect("home")
    return render(request, "portal/home.html", {
        "card": card_for(request.user, absolute_root=request.build_absolute_uri("/")),
        "applications": applications_of(request.user),
        "notices": notices_for(request.user),
    })


@never_cache
@login_required
def card_check(request, token: str):
    """What a union officer sees on scanning a card: valid or not, with the name masked."""
    if not may_check_cards(request.user):
        raise PermissionDenied
    result = check_card(token, viewer=request.user)
    return render(request, "portal/card_check.html", {"result": result, "states": CardState})
