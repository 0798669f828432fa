"""The installable app (PWA): its manifest, its service worker at the site's root scope and the offline page."""

from __future__ import annotations

from django.contrib.staticfiles import finders
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control


@cache_control(max_age=3600, public=True)
def manifest(request):
    return JsonResponse({
        "name": _("攀枝花产业工人队伍建设服务平台"),
        "short_name": _("掌上工会"),
        "lang": "zh-Hans",
        "start_url": reverse("portal:home"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#a61b1b",
        "icons": [
            {"src": static("portal/icon-192.png"), "sizes": "192x192", "type": "image/png", "purpose": "any"},
            {"src": static("portal/icon-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "any"},
            {"src": static("portal/icon-maskable-512.png"), "sizes": "512x512", "type": "image/png",
             "purpose": "maskable"},
        ],
    }, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False})


def service_worker(request):
    """``/sw.js``: served from the root so that its scope is the whole site; never cached long, so a new version
    reaches the phones at once. The shell it caches is named by the static URLs of this release."""
    path = finders.find("portal/sw.js")
    assert path is not None, "portal/static/portal/sw.js is missing"
    with open(path, encoding="utf-8") as source:
        script = source.read()
    shell = [reverse("portal:offline"), static("css/app.css"), static("js/app.js"), static("portal/portal.css"),
             static("portal/icon-192.png")]
    script = script.replace("__SHELL__", repr(shell).replace("'", '"'))
    response = HttpResponse(script, content_type="application/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/"
    return response


@cache_control(max_age=3600, public=True)
def offline(request):
    """The page the service worker shows when the phone has no connection (it holds nothing personal)."""
    return render(request, "portal/offline.html")
