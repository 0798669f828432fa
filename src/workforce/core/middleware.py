"""Security headers Django does not set by itself."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from workforce.core.exports import forbid_caching, is_download


class SecurityHeadersMiddleware:
    """Adds a strict Content-Security-Policy (no third-party origins: assets are served by us), and
    forbids caching every download (``core.exports.forbid_caching``), whichever view made it."""

    POLICY = (
        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
        "script-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'"
    )

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith("/api/docs"):
            # Swagger UI needs inline scripts; the docs page holds no personal data.
            response.headers.setdefault("Content-Security-Policy", self.POLICY.replace(
                "script-src 'self'", "script-src 'self' 'unsafe-inline'"))
        else:
            response.headers.setdefault("Content-Security-Policy", self.POLICY)
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if is_download(response):
            forbid_caching(response)
        return response
