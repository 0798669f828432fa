"""Sign-in, sign-out and TOTP two-factor pages."""

from __future__ import annotations

import segno
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from workforce.accounts.forms import SignInForm, TokenForm
from workforce.accounts.services import SignInError, sign_in
from workforce.core.accesslog import log_access
from workforce.core.choices import AccessEvent


def _next_url(request, default: str = "/") -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or default
    if url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return candidate
    return default


def sign_in_view(request):
    form = SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = sign_in(request, form.cleaned_data["username"], form.cleaned_data["password"])
        except SignInError as error:
            form.add_error(None, error.message)
        else:
            login(request, user)
            return redirect(_next_url(request))
    return render(request, "accounts/sign_in.html", {"form": form, "next": _next_url(request)})


@require_POST
def sign_out_view(request):
    if request.user.is_authenticated:
        log_access(AccessEvent.SIGN_OUT, request=request)
    logout(request)
    return redirect("accounts:login")


@login_required
def two_factor_view(request):
    """Verify a TOTP code; a user without a confirmed device first scans a new one's QR code."""
    device = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    setting_up = device is None
    if setting_up:
        device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first() or TOTPDevice.objects.create(
            user=request.user, name="default", confirmed=False)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            if setting_up:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
            otp_login(request, device)
            log_access(AccessEvent.TWO_FACTOR_VERIFIED, request=request)
            messages.success(request, _("双因素认证已通过。"))
            return redirect(_next_url(request))
        log_access(AccessEvent.TWO_FACTOR_FAILED, request=request)
        form.add_error("token", _("动态口令不正确或已过期，请重新输入。"))
    qr_svg = segno.make(device.config_url).svg_inline(scale=4) if setting_up else ""
    return render(request, "accounts/two_factor.html",
                  {"form": form, "setting_up": setting_up, "qr_svg": qr_svg, "next": _next_url(request)})
