"""Staff roles must pass TOTP two-factor verification before using the platform."""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

EXEMPT_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/api/", "/healthz")


class RequireTwoFactorForStaffMiddleware:
    """Redirects a signed-in user whose role requires two factors to set up or verify TOTP.

    The API is exempt: a staff role's API token opens it only if it was issued after TOTP, and a
    session that skipped TOTP is refused by the API's own permissions. /accounts/ is exempt so that
    signing in and enrolling can happen; its token pages check verification themselves.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            settings.REQUIRE_TWO_FACTOR_FOR_STAFF
            and user.is_authenticated
            and user.needs_two_factor
            and not user.is_verified()
            and not request.path.startswith(EXEMPT_PREFIXES)
        ):
            return redirect(f"{reverse('accounts:two_factor')}?next={request.get_full_path()}")
        return self.get_response(request)
