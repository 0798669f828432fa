"""The home page, the health check and the access log."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required, permission_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils.translation import gettext_lazy as _

from workforce.core.choices import AccessEvent
from workforce.core.models import AccessLogEntry
from workforce.core.paging import paginate


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The start page: the sections the user's role may use; a worker's is the portal's phone home."""
    if getattr(request.user, "worker_id", None) is not None:
        return redirect("portal:home")
    return render(request, "home.html")


def favicon(request: HttpRequest) -> HttpResponse:
    """``/favicon.ico``, where browsers and tools look without reading the page: the static icon."""
    return HttpResponsePermanentRedirect(static("favicon.ico"))


def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness and database check for the load balancer."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


class AccessLogFilterForm(forms.Form):
    username = forms.CharField(label=_("用户名"), required=False)
    event = forms.ChoiceField(label=_("事件"), choices=[("", _("全部"))] + AccessEvent.choices, required=False)
    target = forms.CharField(label=_("对象"), required=False)
    since = forms.DateField(label=_("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


@login_required
@permission_required("core.view_accesslogentry", raise_exception=True)
def access_log(request: HttpRequest) -> HttpResponse:
    """Sign-ins, failures, lockouts, unmasking and exports, searchable (city administrator)."""
    form = AccessLogFilterForm(request.GET or None)
    entries = AccessLogEntry.objects.all()
    if form.is_valid():
        data = form.cleaned_data
        if data["username"]:
            entries = entries.filter(username__startswith=data["username"])
        if data["event"]:
            entries = entries.filter(event=data["event"])
        if data["target"]:
            entries = entries.filter(target__startswith=data["target"])
        if data["since"]:
            entries = entries.filter(time__date__gte=data["since"])
        if data["until"]:
            entries = entries.filter(time__date__lte=data["until"])
    return render(request, "core/access_log.html", {"form": form, "page": paginate(request, entries)})
