"""Staff roles must pass TOTP two-factor verification before using the platform."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import SESSION_KEY
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


class RefreshSessionMiddleware:
    """Keeps a signed-in session alive while it is used, writing it at most once a
    ``SESSION_REFRESH_SECONDS``: an idle session still expires ``SESSION_COOKIE_AGE`` after the last
    request (to within that many seconds), but reading a page no longer writes the session row every time,
    which serialised every request on SQLite's single writer (bench/load). Sits inside
    ``SessionMiddleware``, which saves the session when this marks it modified."""

    KEY = "_refreshed_at"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        # Only a signed-in user's session (not an anonymous visitor's, nor one that just ended).
        if session is None or session.is_empty() or SESSION_KEY not in session:
            return response
        now = int(time.time())
        # A session saved anyway (at sign-in, say) counts as refreshed now.
        if session.modified or now - session.get(self.KEY, 0) >= settings.SESSION_REFRESH_SECONDS:
            session[self.KEY] = now
        return response
