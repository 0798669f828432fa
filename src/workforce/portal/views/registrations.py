"""Self-registrations for the HR, district and union officers who confirm them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from workforce.core.paging import paginate
from workforce.portal.choices import RegistrationStatus
from workforce.portal.forms import DecisionForm
from workforce.portal.models import SelfRegistration
from workforce.portal.querysets import REVIEW_PERMISSION
from workforce.portal.services.registrations import confirm_self_registration, refuse_self_registration


@login_required
@permission_required(REVIEW_PERMISSION, raise_exception=True)
def registration_list(request):
    """The self-registrations in the user's scope, pending ones first."""
    status = request.GET.get("status", RegistrationStatus.PENDING)
    if status not in RegistrationStatus.values:
        status = RegistrationStatus.PENDING
    rows = (SelfRegistration.objects.visible_to(request.user).filter(status=status)
            .select_related("district", "employer").order_by("-submitted_at", "-id"))
    return render(request, "portal/registration_list.html", {
        "page": paginate(request, rows), "status": status, "statuses": RegistrationStatus.choices})


@login_required
@permission_required(REVIEW_PERMISSION, raise_exception=True)
def registration_detail(request, pk: int):
    registration = get_object_or_404(SelfRegistration.objects.visible_to(request.user)
                                     .select_related("district", "employer", "decided_by"), pk=pk)
    return render(request, "portal/registration_detail.html",
                  {"registration": registration, "form": DecisionForm(), "pending": RegistrationStatus.PENDING})


@require_POST
@login_required
@permission_required(REVIEW_PERMISSION, raise_exception=True)
def registration_decide(request, pk: int):
    registration = get_object_or_404(SelfRegistration.objects.visible_to(request.user), pk=pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        note = form.cleaned_data["note"]
        try:
            if request.POST.get("decision") == "confirm":
                confirm_self_registration(registration, acting_user=request.user, note=note)
                messages.success(request, _("已确认，职工已录入数据库并可登录。"))
            else:
                refuse_self_registration(registration, acting_user=request.user, reason=note)
                messages.success(request, _("已退回，申请人会看到原因。"))
            return redirect("portal:registration_detail", pk=pk)
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
    return render(request, "portal/registration_detail.html",
                  {"registration": registration, "form": form, "pending": RegistrationStatus.PENDING}, status=400)
