"""Inspection pages: rounds, their findings and rectification items."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from workforce.core.changelog import history_for
from workforce.core.forms import add_service_errors
from workforce.supervision import rules, selectors
from workforce.supervision.forms import CloseRectificationForm, FindingForm, NoteForm, RectificationForm, RoundForm
from workforce.supervision.models import InspectionRound
from workforce.supervision.services import inspections as services
from workforce.supervision.views import act, flash_errors

VIEW = "supervision.view_inspectionround"


@login_required
@permission_required(VIEW, raise_exception=True)
def round_list(request):
    rounds = InspectionRound.objects.visible_to(request.user).prefetch_related("departments")
    return render(request, "supervision/round_list.html", {"rounds": rounds,
                                                           "may_supervise": rules.may_supervise(request.user)})


@login_required
@permission_required("supervision.add_inspectionround", raise_exception=True)
def round_create(request):
    plan = selectors.current_plan()
    form = RoundForm(request.POST or None, plan=plan, initial={"started_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            inspection = services.do_start_round(plan, form.cleaned_data, acting_user=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("督查已创建。"))
            return redirect(inspection)
    return render(request, "supervision/simple_form.html", {"form": form, "title": _("新建督查"),
                                                            "back_url": "supervision:round_list"})


@login_required
@permission_required(VIEW, raise_exception=True)
def round_detail(request, pk):
    inspection = selectors.get_round_for(request.user, pk)
    return render(request, "supervision/round_detail.html", {
        "round": inspection, "findings": selectors.round_findings(request.user, inspection),
        "may_record": inspection.is_open and rules.may_inspect(request.user, inspection),
        "may_close_round": inspection.is_open and rules.may_supervise(request.user),
        "finding_form": FindingForm(plan=inspection.plan), "rectification_form": RectificationForm(),
        "note_form": NoteForm(), "close_form": CloseRectificationForm(),
        "history": history_for(inspection)[:100] if request.user.has_perm("core.view_changelogentry") else [],
    })


@login_required
@require_POST
@permission_required(VIEW, raise_exception=True)
def finding_add(request, pk):
    inspection = selectors.get_round_for(request.user, pk)
    form = FindingForm(request.POST, plan=inspection.plan)
    if not form.is_valid():
        flash_errors(request, form)
        return redirect(inspection)
    return act(request, lambda: services.do_add_finding(inspection, form.cleaned_data, acting_user=request.user),
               _("督查发现已记录。"), inspection)


@login_required
@require_POST
@permission_required(VIEW, raise_exception=True)
def rectification_add(request, finding_pk):
    finding = selectors.get_finding_for(request.user, finding_pk)
    form = RectificationForm(request.POST)
    if not form.is_valid():
        flash_errors(request, form)
        return redirect(finding.round)
    return act(request, lambda: services.do_add_rectification(finding, form.cleaned_data["text"], form.deadline(),
                                                             acting_user=request.user), _("整改事项已下达。"),
               finding.round)


@login_required
@require_POST
@permission_required("supervision.change_rectification", raise_exception=True)
def rectification_report(request, pk):
    item = selectors.get_rectification_for(request.user, pk)
    form = NoteForm(request.POST)
    form.is_valid()
    return act(request, lambda: services.do_report_rectification(item, form.cleaned_data.get("note", ""),
                                                                timezone.localdate(), acting_user=request.user),
               _("整改情况已报送。"), item.finding.round)


@login_required
@require_POST
@permission_required(VIEW, raise_exception=True)
def rectification_close(request, pk):
    item = selectors.get_rectification_for(request.user, pk)
    form = CloseRectificationForm(request.POST)
    if not form.is_valid():
        flash_errors(request, form)
        return redirect(item.finding.round)
    accept = form.cleaned_data["decision"] == "close"
    return act(request, lambda: services.do_close_rectification(item, accept, form.cleaned_data["note"],
                                                               timezone.localdate(), acting_user=request.user),
               _("已销号。") if accept else _("已退回继续整改。"), item.finding.round)


@login_required
@require_POST
@permission_required("supervision.change_inspectionround", raise_exception=True)
def round_close(request, pk):
    inspection = selectors.get_round_for(request.user, pk)
    form = NoteForm(request.POST)
    form.is_valid()
    return act(request, lambda: services.do_close_round(inspection, form.cleaned_data.get("note", ""),
                                                       timezone.localdate(), acting_user=request.user),
               _("本轮督查已结束。"), inspection)
