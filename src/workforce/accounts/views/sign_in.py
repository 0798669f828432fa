"""Sign-in, sign-out, TOTP two-factor and TOTP enrolment pages."""

from __future__ import annotations

import segno
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from workforce.accounts import services
from workforce.accounts.forms import EnrolmentCodeForm, SignInForm, TokenForm
from workforce.accounts.models import EnrolmentCode
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
    """Verify a TOTP code. A user without a confirmed device is sent to enrol one, which needs a code
    from the administrator (decision 0010)."""
    if services.confirmed_device(request.user) is None:
        return redirect(f"{reverse('accounts:enrol')}?{urlencode({'next': _next_url(request)})}")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = services.verify_two_factor(request.user, form.cleaned_data["token"], request=request)
        if device is not None:
            otp_login(request, device)
            messages.success(request, _("双因素认证已通过。"))
            return redirect(_next_url(request))
        form.add_error("token", _("动态口令不正确或已过期，请重新输入。"))
    return render(request, "accounts/two_factor.html", {"form": form, "next": _next_url(request)})


ENROLMENT_SESSION_KEY = "totp_enrolment_code"


@login_required
def enrol_view(request):
    """Enrol a TOTP device in two steps: the one-time code the administrator issued, then the QR code to
    scan and the first TOTP code. The checked enrolment code is remembered in the session in between."""
    enrolment = EnrolmentCode.objects.filter(
        pk=request.session.get(ENROLMENT_SESSION_KEY), user=request.user).first()
    if enrolment is None or enrolment.used_at is not None or enrolment.expires_at <= timezone.now():
        form = EnrolmentCodeForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                enrolment = services.check_enrolment_code(request.user, form.cleaned_data["code"], request=request)
            except ValidationError as error:
                form.add_error("code", error)
            else:
                request.session[ENROLMENT_SESSION_KEY] = enrolment.pk
                services.new_unconfirmed_device(request.user)
                return redirect(f"{reverse('accounts:enrol')}?{urlencode({'next': _next_url(request)})}")
        return render(request, "accounts/enrol.html", {"form": form, "next": _next_url(request)})
    device = services.unconfirmed_device(request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.enrol_totp_device(request.user, enrolment, device, form.cleaned_data["token"], request=request):
            del request.session[ENROLMENT_SESSION_KEY]
            otp_login(request, device)
            messages.success(request, _("动态口令设备已绑定，双因素认证已通过。"))
            return redirect(_next_url(request))
        form.add_error("token", _("动态口令不正确或已过期，请重新输入。"))
    qr_svg = segno.make(device.config_url).svg_inline(scale=4)
    response = render(request, "accounts/enrol.html", {"form": form, "qr_svg": qr_svg, "next": _next_url(request)})
    response["Cache-Control"] = "no-store"  # the QR code holds the device's secret
    return response
