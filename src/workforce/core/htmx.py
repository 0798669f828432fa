"""Pages that htmx refreshes in part: one place decides between the whole page and its fragment."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers


def is_htmx(request: HttpRequest) -> bool:
    """The request comes from htmx and wants a fragment, not the whole page."""
    return request.headers.get("HX-Request") == "true"


def render_list(request: HttpRequest, template: str, fragment_template: str, context: dict[str, Any]) -> HttpResponse:
    """Render a page, or only its fragment for an htmx request; caches must keep the two apart."""
    response = render(request, fragment_template if is_htmx(request) else template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response
