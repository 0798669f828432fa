"""The worker's union business on the phone: apply to join, transfer or leave (decision 0018's services)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from workforce.unions import selectors, services
from workforce.unions.choices import ApplicationStatus
from workforce.unions.models import MembershipApplication


@never_cache
@login_required
def union_membership(request):
    """我的会籍: the membership the worker holds, their pending application, and what they may apply for."""
    worker = request.user.worker
    if worker is None or not request.user.has_perm("unions.add_membershipapplication"):
        raise Http404
    today = timezone.localdate()
    entry = selectors.open_membership(worker, today)
    current = selectors.organisation_of(worker, entry, today) if entry else None
    unions = [union for union in selectors.unions_admitting(worker, today) if current is None or union.pk != current.pk]
    problem = ""
    if request.method == "POST":
        action = request.POST.get("action")
        chosen = next((union for union in unions if str(union.pk) == request.POST.get("organisation")), None)
        try:
            if action == "leave":
                services.apply_to_leave(worker, request.user)
            elif chosen is None:
                raise ValidationError({"organisation": _("请选择要申请加入的工会。")})
            elif action == "transfer":
                services.apply_to_transfer(worker, chosen, request.user)
            else:
                services.apply_to_join(worker, chosen, request.user)
        except ValidationError as error:
            problem = " ".join(error.messages)
        else:
            messages.success(request, _("申请已提交，请等待基层工会审核。审核结果将显示在“我的申请”中。"))
            return redirect("portal:home")
    pending = MembershipApplication.objects.visible_to(request.user).filter(status=ApplicationStatus.PENDING).first()
    return render(request, "portal/union.html", {
        "entry": entry, "current": current, "unions": unions, "pending": pending, "problem": problem,
    }, status=400 if problem else 200)
