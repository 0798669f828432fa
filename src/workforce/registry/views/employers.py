"""Employer pages: list, detail, create, edit and governance facts."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from workforce.accounts.choices import ScopeKind
from workforce.core.changelog import StaleRecordError, history_for
from workforce.core.choices import Channel
from workforce.core.forms import add_service_errors, flash_form_result
from workforce.core.htmx import render_list
from workforce.core.paging import paginate
from workforce.registry import selectors, services
from workforce.registry.filters import EmployerFilter
from workforce.registry.forms import EmployerFactForm, EmployerForm
from workforce.registry.models import Employer, EmployerFact, Worker
from workforce.registry.querysets import sees_whole_staff

EMPLOYER_FIELDS = ["uscc", "name", "district", "industry", "ownership", "is_above_scale", "address"]


@login_required
@permission_required("registry.view_employer", raise_exception=True)
def employer_list(request):
    queryset = Employer.objects.visible_to(request.user).select_related("district", "industry")
    filterset = EmployerFilter(request.GET, queryset=queryset, request=request)
    page = paginate(request, filterset.qs if filterset.is_valid() else queryset.none())
    return render_list(request, "registry/employer_list.html", "registry/_employer_rows.html",
                       {"filter": filterset, "page": page})


@login_required
@permission_required("registry.view_employer", raise_exception=True)
def employer_choices(request):
    """The options of an employer chooser (the worker list's employer filter, the employment forms): the
    employers the user may see matching what was typed, by name or USCC (issue 15); ``active=1`` for a form
    that takes only employers still active (registering a worker)."""
    query = request.GET.get("employer_search", "")[:100]
    active_only = request.GET.get("active") == "1"
    return render(request, "registry/_employer_options.html",
                  {"employers": selectors.employer_choices(request.user, query, active_only=active_only),
                   "query": query.strip(),
                   "limit": selectors.EMPLOYER_CHOICES_LIMIT})


@login_required
@permission_required("registry.view_employer", raise_exception=True)
def employer_detail(request, pk):
    employer = selectors.get_employer_for(request.user, pk)
    # As the worker list's employer filter: HR's own staff include those whose main job is elsewhere.
    # The staff list and its headcount link only for users who can open all of it (issue 15 point 15).
    can_see_staff = request.user.has_perm("registry.view_worker") and sees_whole_staff(request.user, employer)
    staff = Worker.objects.visible_to(request.user).none()
    if can_see_staff:
        staff = Worker.objects.visible_to(request.user).active().where_summary(
            request.user, "current_employer_id", employer.pk)
    facts = list(EmployerFact.objects.visible_to(request.user).filter(employer=employer))
    return render(request, "registry/employer_detail.html", {
        "employer": employer,
        "facts": facts, "bargaining": selectors.bargaining_on(facts, timezone.localdate()),
        "staff": selectors.with_summaries(request.user, staff.select_related(*selectors.WORKER_SUMMARY_RELATED)[:20]),
        "can_see_staff": can_see_staff,
        "history": history_for(employer)[:200],
        "attribute_history": selectors.attribute_history(employer),
        "fact_form": EmployerFactForm(),
    })


@login_required
@permission_required("registry.add_employer", raise_exception=True)
def employer_create(request):
    form = EmployerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            employer = services.register_employer({key: form.cleaned_data[key] for key in EMPLOYER_FIELDS},
                                                  acting_user=request.user, channel=Channel.PAGE)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("用人单位已登记。"))
            return redirect(employer)
    return render(request, "registry/employer_form.html", {"form": form})


@login_required
@permission_required("registry.change_employer", raise_exception=True)
def employer_edit(request, pk):
    employer = selectors.get_employer_for(request.user, pk)
    initial = {key: getattr(employer, key) for key in EMPLOYER_FIELDS} | {
        "version": employer.version,
        services.KIND_CORRECTION: employer.legal_person_kind if employer.legal_person_kind_corrected else ""}
    form = EmployerForm(request.POST or None, initial=initial, editing=True,
                        may_move=request.user.scope_kind == ScopeKind.CITY,
                        derived_kind=employer.derived_legal_person_kind.kind)
    if request.method == "POST" and form.is_valid():
        changes = {key: form.cleaned_data[key] for key in [*EMPLOYER_FIELDS, services.KIND_CORRECTION]
                   if key in form.cleaned_data and form.cleaned_data[key] != initial[key]}
        try:
            services.update_employer(employer, changes, expected_version=form.cleaned_data["version"],
                                     effective_on=form.cleaned_data.get("effective_on"), acting_user=request.user,
                                     channel=Channel.PAGE)
        except StaleRecordError as error:
            form.add_error(None, error.message)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("已保存。"))
            return redirect(employer)
    return render(request, "registry/employer_form.html", {"form": form, "employer": employer})


@login_required
@permission_required("registry.add_employerfact", raise_exception=True)
@require_POST
def employer_fact_add(request, pk):
    employer = selectors.get_employer_for(request.user, pk)
    form = EmployerFactForm(request.POST)
    if form.is_valid():
        try:
            services.set_employer_fact(employer, **form.cleaned_data, acting_user=request.user,
                                       channel=Channel.PAGE)
        except ValidationError as error:
            add_service_errors(form, error)
    flash_form_result(request, form, _("已登记。"))
    return redirect(employer)
