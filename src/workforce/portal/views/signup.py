"""Sign-up, self-registration and password reset pages: one form each that works without JavaScript (the
"获取验证码" button submits the same form and keeps what was typed, but the passwords)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import login
from django.forms.utils import ErrorDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from workforce.accounts.models import User
from workforce.core.accesslog import client_ip, log_access
from workforce.core.choices import AccessEvent
from workforce.portal.choices import CodePurpose
from workforce.portal.forms import ResetForm, SelfRegistrationForm, SignUpForm
from workforce.portal.services.signup import (
    SelfRegistrationData,
    SignUp,
    SignUpRefused,
    request_code,
    reset_password,
    sign_up,
    submit_self_registration,
)


def _send_code(request, form, purpose: str) -> str | None:
    """Answer the "获取验证码" button: only the phone is checked; the rest of the form is kept, without errors."""
    form.full_clean()
    form._errors = ErrorDict()
    try:
        request_code(request.POST.get("phone", ""), purpose, ip_address=client_ip(request))
    except SignUpRefused as error:
        form.add_error("phone", error.message)
        return None
    minutes = {"minutes": settings.PORTAL_SMS_CODE_MINUTES}
    if purpose == CodePurpose.PASSWORD_RESET:
        return _("如果该手机号码已注册，验证码已发送，%(minutes)d分钟内有效。") % minutes
    return _("验证码已发送，%(minutes)d分钟内有效。") % minutes


def _sign_up_data(form) -> SignUp:
    data = form.cleaned_data
    return SignUp(id_number=data["id_number"], name=data["name"], phone=data["phone"], code=data["code"],
                  username=data["username"], password=data["password1"])


def _signed_in(request, user: User):
    login(request, user, backend="workforce.accounts.backends.RoleBackend")
    log_access(AccessEvent.SIGN_IN, request=request, user=user)
    return redirect("portal:home")


def _self_register(request, form, extra):
    """Keep a self-registration from the two forms; the page to show when it was kept, else None."""
    if not (form.is_valid() & extra.is_valid()):
        return None
    data = extra.cleaned_data
    try:
        registration = submit_self_registration(SelfRegistrationData(
            sign_up=_sign_up_data(form), hukou_type=data["hukou_type"], district_code=data["district"].code,
            employer_name=data["employer_name"], employer_uscc=data["employer_uscc"]))
    except SignUpRefused as error:
        (extra if error.field in extra.fields else form).add_error(error.field, error.message)
        return None
    return render(request, "portal/self_registration_submitted.html", {"registration": registration})


def sign_up_view(request):
    """注册: the ID number, name and phone are checked against the registry; a worker it does not hold may
    submit a self-registration from the same page."""
    if request.user.is_authenticated:
        return redirect("portal:home")
    form = SignUpForm(request.POST or None)
    extra = SelfRegistrationForm(request.POST or None)
    offer_self_registration = request.POST.get("offer_self_registration") == "1"
    notice = None
    action = request.POST.get("action")
    if request.method == "POST" and action == "send_code":
        notice = _send_code(request, form, CodePurpose.SIGN_UP)
    elif request.method == "POST" and action == "self_register" and offer_self_registration:
        submitted = _self_register(request, form, extra)
        if submitted is not None:
            return submitted
    elif request.method == "POST" and form.is_valid():
        try:
            user = sign_up(_sign_up_data(form))
        except SignUpRefused as error:
            form.add_error(error.field, error.message)
            offer_self_registration = offer_self_registration or error.not_in_registry
        else:
            return _signed_in(request, user)
    if request.method == "POST" and not offer_self_registration:
        extra = SelfRegistrationForm()
    elif request.method == "POST" and action != "self_register":
        extra = SelfRegistrationForm(initial={key: request.POST.get(key) for key in extra.fields})
    return render(request, "portal/sign_up.html", {"form": form, "extra": extra, "notice": notice,
                                                   "offer_self_registration": offer_self_registration})


def reset_view(request):
    """找回密码: a new password for the login bound to the phone, proved by an SMS code."""
    form = ResetForm(request.POST or None)
    notice = None
    if request.method == "POST" and request.POST.get("action") == "send_code":
        notice = _send_code(request, form, CodePurpose.PASSWORD_RESET)
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = reset_password(data["phone"], data["code"], data["password1"])
        except SignUpRefused as error:
            form.add_error(error.field, error.message)
        else:
            return _signed_in(request, user)
    return render(request, "portal/reset.html", {"form": form, "notice": notice})
