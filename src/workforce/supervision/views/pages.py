"""The matrix of measures × departments, a measure's page, a department's page and the inbox."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from workforce.core.accesslog import log_access
from workforce.core.changelog import StaleRecordError, history_for
from workforce.core.choices import AccessEvent
from workforce.core.forms import add_service_errors
from workforce.supervision import annual, rules, selectors
from workforce.supervision.choices import CellStatus
from workforce.supervision.forms import NarrativeForm, StartReportingForm, YearForm
from workforce.supervision.models import AnnualNarrative
from workforce.supervision.services.annual import FIELDS as NARRATIVE_FIELDS
from workforce.supervision.services.annual import do_save_narrative
from workforce.supervision.services.reports import do_start_reporting
from workforce.supervision.views import act, flash_errors
from workforce.unions.selectors import MEASURES_WITH_UNION_FIGURES, union_figures

VIEW = "supervision.view_measure"


@login_required
@permission_required(VIEW, raise_exception=True)
def matrix(request):
    """The plan's measures × departments with status colours, the overdue count and the annual report."""
    plan = selectors.current_plan()
    on = timezone.localdate()
    table = selectors.matrix(plan, on)
    return render(request, "supervision/matrix.html", {
        "plan": plan, "table": table, "on": on, "legend": CellStatus.choices, "counts": table["counts"],
        "inbox": selectors.inbox(request.user, on), "overdue": selectors.overdue_count(request.user, on),
        "may_review": rules.may_review_reports(request.user),
        "may_supervise": rules.may_supervise(request.user),
        "start_form": StartReportingForm(initial={"starts_on": on.replace(month=1, day=1),
                                                  "frequency": plan.report_frequency}),
        "year_form": YearForm(initial={"year": on.year}),
    })


@login_required
@permission_required(VIEW, raise_exception=True)
def measure_detail(request, pk):
    """A measure: its text, departments, tasks with a Gantt-style timeline, reports and findings."""
    measure = selectors.get_measure_for(request.user, pk)
    return render(request, "supervision/measure_detail.html", {
        "measure": measure, **selectors.measure_page(request.user, measure, timezone.localdate()),
        "history": history_for(measure)[:100] if request.user.has_perm("core.view_changelogentry") else [],
        # §3, §17: the union organisations' counts (decision 0018); aggregates, no person.
        "union_figures": union_figures(timezone.localdate())
        if measure.number in MEASURES_WITH_UNION_FIGURES else None,
    })


@login_required
@permission_required(VIEW, raise_exception=True)
def department_detail(request, code):
    """Everything a department owes and when: tasks, milestones, reports, rectification items."""
    department = selectors.get_department_for(request.user, code)
    on = timezone.localdate()
    return render(request, "supervision/department_detail.html", {
        "department": department,
        "links": department.measure_links.select_related("measure").order_by("measure__number"),
        "officers": department.officers.filter(is_active=True).order_by("username"),
        **selectors.department_dues(request.user, department, on),
    })


@login_required
@permission_required(VIEW, raise_exception=True)
def inbox(request):
    """Overdue alerts, reports to review and reports sent back."""
    return render(request, "supervision/inbox.html", selectors.inbox(request.user, timezone.localdate()))


@login_required
@require_POST
@permission_required("supervision.supervise_plan", raise_exception=True)
def start_reporting(request):
    """The supervision office starts periodic reporting: reports are owed from the chosen period on."""
    plan = selectors.current_plan()
    form = StartReportingForm(request.POST)
    if not form.is_valid():
        flash_errors(request, form)
        return redirect("supervision:matrix")

    return act(request, lambda: do_start_reporting(plan, form.cleaned_data["starts_on"],
                                                   frequency=form.cleaned_data["frequency"],
                                                   open_until=timezone.localdate(), acting_user=request.user),
               _("已开始定期报告。"), "supervision:matrix")


@login_required
@permission_required("supervision.export_annual_report", raise_exception=True)
def annual_report(request):
    """The annual report for leaders (``?year=2020&format=xlsx``, ``pdf`` or ``docx``); the download is logged."""
    form = YearForm(request.GET)
    makers = {"xlsx": annual.xlsx_response, "pdf": annual.pdf_response, "docx": annual.docx_response}
    fmt = request.GET.get("format", "xlsx")
    if fmt not in makers:
        raise Http404
    if not form.is_valid():  # back to the page that offers the download, saying why
        flash_errors(request, form)
        return redirect("supervision:matrix")
    year = form.cleaned_data["year"]
    report = annual.build_annual_report(selectors.current_plan(), year, timezone.localdate())
    log_access(AccessEvent.EXPORT, request=request, target=f"supervision:annual:{year}", detail=fmt)
    return makers[fmt](report)


@login_required
@permission_required("supervision.supervise_plan", raise_exception=True)
def annual_narrative(request):
    """The supervision office edits the annual report's narrative of ``?year=``: the stored text, else the
    draft written from the data; every save is kept in the change log, shown under the form."""
    year_form = YearForm(request.GET)
    if not year_form.is_valid():
        flash_errors(request, year_form)
        return redirect("supervision:matrix")
    year = year_form.cleaned_data["year"]
    plan = selectors.current_plan()
    report = annual.build_annual_report(plan, year, timezone.localdate())
    narrative = report.narrative or annual.draft_narrative(report)
    initial = {name: getattr(narrative, name) for name in NARRATIVE_FIELDS} | {"version": narrative.version}
    form = NarrativeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            do_save_narrative(plan, year, form.cleaned_data, expected_version=form.cleaned_data["version"],
                              acting_user=request.user)
        except StaleRecordError as error:
            form.add_error(None, error.message)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("年度报告正文已保存。"))
            return redirect(f"{request.path}?year={year}")
    stored = AnnualNarrative.objects.filter(plan=plan, year=year).first()
    return render(request, "supervision/annual_narrative.html", {
        "form": form, "year": year, "report": report, "is_draft": stored is None,
        "history": history_for(stored)[:100] if stored is not None else [],
    })
