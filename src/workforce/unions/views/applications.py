"""Membership applications: the scoped list, an application with its review, and the walk-in form."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, Value, When
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from workforce.core.accesslog import log_access
from workforce.core.choices import AccessEvent, Channel
from workforce.core.forms import add_service_errors
from workforce.registry.services.workers import find_worker_by_id_number
from workforce.unions import selectors, services
from workforce.unions.choices import ApplicationChannel, ApplicationKind, ApplicationStatus
from workforce.unions.forms import ReviewForm, WalkInForm
from workforce.unions.models import MembershipApplication


@login_required
@permission_required("unions.view_membershipapplication", raise_exception=True)
def application_list(request):
    """Applications to (or transferring from) the organisations in the user's scope, pending first."""
    status = request.GET.get("status", "")
    applications = MembershipApplication.objects.visible_to(request.user).select_related("organisation")
    if status in ApplicationStatus.values:
        applications = applications.filter(status=status)
    pending_first = Case(When(status=ApplicationStatus.PENDING, then=Value(0)), default=Value(1))
    page = Paginator(applications.order_by(pending_first, "-applied_on", "-pk"), 50).get_page(request.GET.get("page"))
    return render(request, "unions/application_list.html", {
        "page": page, "rows": selectors.with_workers(list(page.object_list)), "status": status,
        "statuses": ApplicationStatus.choices,
        "may_add": request.user.has_perm("unions.add_membershipapplication")
        and selectors.organisations_in_scope(request.user).exists(),
    })


@login_required
@permission_required("unions.view_membershipapplication", raise_exception=True)
def application_detail(request, pk):
    application = selectors.get_application_for(request.user, pk)
    may_review = (application.status == ApplicationStatus.PENDING
                  and request.user.has_perm("unions.review_membershipapplication")
                  and selectors.in_scope(request.user, application.organisation_id))
    return render(request, "unions/application_detail.html", {
        "application": application, "may_review": may_review, "form": ReviewForm()})


@login_required
@permission_required("unions.review_membershipapplication", raise_exception=True)
@require_POST
def application_review(request, pk):
    """Approve or refuse (with a reason) through the services; a refusal of the service is shown, nothing
    changes."""
    application = selectors.get_application_for(request.user, pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择审核结果。"))
        return redirect(application)
    try:
        if form.cleaned_data["decision"] == "approve":
            services.approve_application(application, acting_user=request.user, channel=Channel.PAGE,
                                         reason=form.cleaned_data["reason"])
            messages.success(request, _("已批准，会籍已记入职工档案。"))
        else:
            services.refuse_application(application, acting_user=request.user, channel=Channel.PAGE,
                                        reason=form.cleaned_data["reason"])
            messages.success(request, _("已不予批准。"))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect(application)


@login_required
@permission_required("unions.add_membershipapplication", raise_exception=True)
def application_create(request):
    """A walk-in (现场办理): the officer finds the worker by ID number and files the application for them."""
    organisations = selectors.organisations_in_scope(request.user).base().filter(is_active=True)
    form = WalkInForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        worker = find_worker_by_id_number(form.cleaned_data["id_number"])
        organisation = form.cleaned_data["organisation"]
        if worker is not None:
            # The desk's answer may tell of a membership elsewhere ("已是工会会员"): every lookup is on record.
            log_access(AccessEvent.UNMASK, request=request, target=f"worker:{worker.pk}", detail="unions walk-in")
        kind = form.cleaned_data["kind"]
        if worker is None:
            form.add_error("id_number", _("职工档案中没有该身份证号码，请先登记职工信息。"))
        elif organisation is None and kind != ApplicationKind.LEAVE:
            form.add_error("organisation", _("请选择受理工会。"))
        else:
            common = {"source": ApplicationChannel.WALK_IN, "channel": Channel.PAGE, "note": form.cleaned_data["note"]}
            try:
                if kind == ApplicationKind.JOIN:
                    application = services.apply_to_join(worker, organisation, request.user, **common)
                elif kind == ApplicationKind.TRANSFER:
                    application = services.apply_to_transfer(worker, organisation, request.user, **common)
                else:
                    application = services.apply_to_leave(worker, request.user, **common)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("申请已登记，等待审核。"))
                return redirect(application)
    return render(request, "unions/application_form.html", {"form": form})
