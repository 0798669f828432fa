"""Writing the access log: sign-ins, failures, lockouts, unmasking and exports."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from workforce.core.choices import AccessEvent
from workforce.core.models import AccessLogEntry


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address as the web server saw it (a proxy must set REMOTE_ADDR correctly)."""
    return request.META.get("REMOTE_ADDR") if request is not None else None


def log_access(
    event: AccessEvent, *, request: HttpRequest | None = None, user: Any = None,
    username: str = "", target: str = "", detail: str = "",
) -> AccessLogEntry:
    """Append one access-log row; ``user`` defaults to the request's signed-in user."""
    if user is None and request is not None and request.user.is_authenticated:
        user = request.user
    return AccessLogEntry.objects.create(
        event=event,
        user=user if user is not None and user.is_authenticated else None,
        username=(username or (user.get_username() if user is not None else ""))[:150],
        ip_address=client_ip(request),
        user_agent=(request.META.get("HTTP_USER_AGENT", "") if request is not None else "")[:300],
        target=target[:200],
        detail=detail[:500],
    )
