"""Account security on the administrator's user pages: lockouts, TOTP enrolment codes and API tokens
(decision 0010). Every action is a POST to a service that writes the trail."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from workforce.accounts import services
from workforce.accounts.models import User


@login_required
@permission_required("accounts.change_user", raise_exception=True)
@require_POST
def user_unlock(request, pk):
    user = get_object_or_404(User, pk=pk)
    services.unlock_user(user, acting_user=request.user, request=request)
    messages.success(request, _("已解除 %(name)s 的登录锁定。") % {"name": user.username})
    return redirect("users:edit", pk=user.pk)
