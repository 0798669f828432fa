"""Account security on the administrator's user pages: lockouts, TOTP enrolment codes and API tokens
(decision 0010). Every action is a POST to a service that writes the trail."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from workforce.accounts import services
from workforce.accounts.forms import ApiTokenForm
from workforce.accounts.models import ApiToken, User


@login_required
@permission_required("accounts.change_user", raise_exception=True)
@require_POST
def user_unlock(request, pk):
    user = get_object_or_404(User, pk=pk)
    services.unlock_user(user, acting_user=request.user, request=request)
    messages.success(request, _("已解除 %(name)s 的登录锁定。") % {"name": user.username})
    return redirect("users:edit", pk=user.pk)


@login_required
@permission_required("accounts.change_user", raise_exception=True)
@require_POST
def user_enrolment_code(request, pk):
    """Issue a TOTP enrolment code for the user and show it once."""
    user = get_object_or_404(User, pk=pk)
    enrolment, code = services.issue_enrolment_code(user, acting_user=request.user)
    response = render(request, "accounts/enrolment_code.html",
                      {"edited_user": user, "code": code, "expires_at": enrolment.expires_at})
    response["Cache-Control"] = "no-store"
    return response


@login_required
@permission_required("accounts.change_user", raise_exception=True)
@require_POST
def user_token_revoke(request, pk, token_pk):
    token = get_object_or_404(ApiToken.objects.visible_to(request.user), pk=token_pk, user_id=pk)
    services.revoke_api_token(token, reason=_("管理员吊销"), acting_user=request.user)
    messages.success(request, _("令牌 %(prefix)s… 已吊销。") % {"prefix": token.prefix})
    return redirect("users:edit", pk=pk)


@login_required
@permission_required("accounts.change_user", raise_exception=True)
@require_POST
def user_tokens_revoke_all(request, pk):
    user = get_object_or_404(User, pk=pk)
    count = services.revoke_user_tokens(user, reason=_("管理员吊销"), acting_user=request.user)
    messages.success(request, _("已吊销 %(count)d 个令牌。") % {"count": count})
    return redirect("users:edit", pk=pk)


def _verified_or_redirect(request):
    """A staff user who has not passed TOTP in this session is sent to do so (the middleware lets
    /accounts/ through, so this page checks it itself)."""
    user = request.user
    if settings.REQUIRE_TWO_FACTOR_FOR_STAFF and user.needs_two_factor and not user.is_verified():
        return redirect(f"{reverse('accounts:two_factor')}?{urlencode({'next': request.path})}")
    return None


@login_required
def my_tokens(request):
    """The signed-in user's own API tokens; a new one may be issued here (its key shown once)."""
    if (refusal := _verified_or_redirect(request)) is not None:
        return refusal
    form = ApiTokenForm(request.POST or None)
    key = None
    if request.method == "POST" and form.is_valid():
        _token, key = services.issue_api_token(request.user, name=form.cleaned_data["name"],
                                               is_two_factor_verified=request.user.is_verified(), request=request)
        form = ApiTokenForm()
    response = render(request, "accounts/my_tokens.html", {
        "form": form, "key": key, "tokens": ApiToken.objects.visible_to(request.user).filter(user=request.user)})
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def my_token_revoke(request, token_pk):
    if (refusal := _verified_or_redirect(request)) is not None:
        return refusal
    token = get_object_or_404(ApiToken.objects.visible_to(request.user), pk=token_pk, user=request.user)
    services.revoke_api_token(token, reason=_("本人吊销"), acting_user=request.user)
    messages.success(request, _("令牌 %(prefix)s… 已吊销。") % {"prefix": token.prefix})
    return redirect("accounts:tokens")
