"""Indicator pages: the city dashboard, one indicator with its trend and breakdowns, the records behind a
figure, the administrator's edit form, the data-quality view and the report downloads."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from workforce.core.accesslog import log_access
from workforce.core.changelog import StaleRecordError, history_for
from workforce.core.choices import AccessEvent, Channel
from workforce.core.forms import add_service_errors, flash_form_result
from workforce.core.paging import paginate
from workforce.indicators import charts, disclosure, figures, quality, reports, selectors, services
from workforce.indicators.choices import Breakdown, Part, Subject
from workforce.indicators.forms import DateForm, IndicatorForm, RecordsForm, TargetForm
from workforce.indicators.models import Indicator

VIEW = "indicators.view_indicator"
CHANGE = "indicators.change_indicator"


@login_required
@permission_required(VIEW, raise_exception=True)
def dashboard(request):
    form = DateForm(request.GET)
    on = form.day()
    rows = disclosure.protect_rows(figures.dashboard(on), request.user)
    return render(request, "indicators/dashboard.html", {
        "form": form, "on": on, "rows": rows, "districts": figures.districts(),
        "charts": charts.dashboard_charts(rows, on), "legend": _legend(rows, request.user),
        "unstated_notes": figures.unstated_notes(rows, on),
        "drillable": {row.indicator.code for row in rows
                      if request.user.has_perm(selectors.records_permission(row.indicator))},
    })


@login_required
@permission_required(VIEW, raise_exception=True)
def indicator_detail(request, code):
    indicator = selectors.get_indicator(code)
    form = DateForm(request.GET)
    on = form.day()
    columns, measures = figures.day_measures(on)
    minimum = disclosure.minimum_for(request.user, indicator)
    city = figures.figures_by(columns, measures, indicator.definition, None, on)[0]
    breakdowns = disclosure.protect_breakdowns(city, figures.breakdowns_of(indicator, on, columns), minimum)
    assessment = disclosure.protect_assessment(figures.assessment_of(indicator, city, on, columns), minimum)
    targets = [disclosure.protect_assessment(target, minimum)
               for target in figures.target_history(indicator, city, on, columns)]
    series = disclosure.protect_series(
        figures.series(indicator, until=max(on, figures.SERIES_START), columns=columns), minimum)
    good = quality.good_employers(columns, quality.employer_quality(columns.stamp))
    baselines = figures.baselines_of(indicator, columns)
    if baselines.registry is not None:  # the registry's value on the baseline date, protected like any figure
        baselines.registry = disclosure.protect(baselines.registry, [], minimum)[0]
    return render(request, "indicators/indicator_detail.html", {
        "indicator": indicator, "form": form, "on": on, "assessment": assessment, "baselines": baselines,
        "plan_target": next((target for target in indicator.targets if target.is_plan), None),
        "unplaced": figures.unplaced_of(indicator, on, columns, measures),
        "coverage": quality.coverage(measures[indicator.definition], good),
        "unstated": None if assessment.figure.is_suppressed else figures.unstated_count(measures, indicator.definition),
        "unstated_wording": figures.unstated_wording(indicator.definition),
        "breakdowns": [(Breakdown(name).label, name, rows) for name, rows in breakdowns.items()],
        "targets": targets, "target_form": TargetForm() if request.user.has_perm(CHANGE) else None,
        "charts": {"trend": charts.trend_chart(indicator, series, assessment.target)},
        "can_drill": request.user.has_perm(selectors.records_permission(indicator)),
        "legend": disclosure.legend(minimum) if minimum is not None else "",
        "history": history_for(indicator)[:50] if request.user.has_perm("core.view_changelogentry") else None,
    })


@login_required
@permission_required(VIEW, raise_exception=True)
def indicator_records(request, code):
    """The records behind one figure, as far as the user's scope reaches (404 outside it is not needed:
    records out of scope are simply not in the list)."""
    indicator = selectors.get_indicator(code)
    if not request.user.has_perm(selectors.records_permission(indicator)):
        raise PermissionDenied
    form = RecordsForm(request.GET)
    if not form.is_valid():  # a figure the page cannot name: say why rather than list another one
        return render(request, "indicators/records.html", {
            "indicator": indicator, "form": form, "on": form.day(), "part": Part.NUMERATOR,
            "is_workers": selectors.subject_of(indicator) == Subject.WORKERS}, status=400)
    on, part = form.cleaned_data["on"], form.cleaned_data["part"]
    breakdown, key = form.cleaned_data["breakdown"], form.cleaned_data["key"]
    records = selectors.figure_records(request.user, indicator, on, part, breakdown, key)
    if selectors.reveals_sensitive_attribute(indicator):
        log_access(AccessEvent.UNMASK, request=request, target=f"indicator:{indicator.code}",
                   detail=f"{part} {on.isoformat()} {breakdown or ''} {key or ''}".strip())
    cell = figures.cell_labels(breakdown, [key]).get(key, key) if breakdown else ""
    return render(request, "indicators/records.html", {
        "indicator": indicator, "form": form, "on": on, "part": Part(part), "breakdown": breakdown, "cell": cell,
        "page": paginate(request, records), "is_workers": selectors.subject_of(indicator) == Subject.WORKERS,
        "unstated_label": figures.unstated_wording(indicator.definition)[0]
        if figures.has_unstated(indicator.definition) else "",
    })


@login_required
@permission_required(CHANGE, raise_exception=True)
def indicator_edit(request, code):
    indicator = selectors.get_indicator(code)
    # The form works on its own copy: validating a ModelForm writes into its instance.
    form = IndicatorForm(request.POST or None, instance=Indicator.objects.get(pk=indicator.pk),
                         initial={"version": indicator.version})
    if request.method == "POST" and form.is_valid():
        changes = {field: form.cleaned_data[field] for field in IndicatorForm.Meta.fields}
        try:
            services.update_indicator(indicator, changes, expected_version=form.cleaned_data["version"],
                                      acting_user=request.user, channel=Channel.PAGE,
                                      note=form.cleaned_data.get("note", ""))
        except StaleRecordError as error:
            form.add_error(None, error.message)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("指标已保存。"))
            return redirect(indicator)
    return render(request, "indicators/indicator_form.html", {"form": form, "indicator": indicator})


@login_required
@permission_required(CHANGE, raise_exception=True)
@require_POST
def target_add(request, code):
    """The next period's target, posted from the indicator page's form; back to the page with the outcome
    (the service's Chinese messages on a refusal, nothing changed)."""
    indicator = selectors.get_indicator(code)
    form = TargetForm(request.POST)
    if form.is_valid():
        try:
            services.add_target(indicator, form.cleaned_data["value"], form.cleaned_data["due_on"],
                                acting_user=request.user, channel=Channel.PAGE, note=form.cleaned_data["note"])
        except ValidationError as error:
            add_service_errors(form, error)
    flash_form_result(request, form, _("已添加下一期目标。"))
    return redirect(indicator.get_absolute_url() + "#targets")


@login_required
@permission_required(CHANGE, raise_exception=True)
@require_POST
def target_remove(request, code, pk):
    """Remove a later period's target added in error (the plan's own is edited on the edit page)."""
    indicator = selectors.get_indicator(code)
    target = selectors.get_later_target(indicator, pk)
    services.remove_target(target, acting_user=request.user, channel=Channel.PAGE)
    messages.success(request, _("已删除 %(day)s 的目标。") % {"day": target.due_on.isoformat()})
    return redirect(indicator.get_absolute_url() + "#targets")


@login_required
@permission_required(VIEW, raise_exception=True)
def data_quality(request):
    form = DateForm(request.GET)
    on = form.day()
    columns, measures = figures.day_measures(on)
    qualities = quality.employer_quality(columns.stamp)
    district_of = dict(zip(columns.employer_ids.tolist(), columns.day(on).employer_district, strict=True))
    districts = quality.by_district(qualities, district_of, dict(figures.districts()))
    good = quality.good_employers(columns, qualities)
    coverage = [(row.indicator, quality.coverage(measures[row.indicator.definition], good))
                for row in figures.dashboard(on, columns)]
    employers = None
    if request.user.has_perm("registry.view_employer"):
        employers = selectors.weakest_employers(request.user, qualities)
    return render(request, "indicators/quality.html", {
        "form": form, "on": on, "districts": districts, "coverage": coverage, "employers": employers,
        "good_share": int(quality.GOOD_SHARE * 100), "fresh_days": quality.FRESH_DAYS,
    })


@login_required
@permission_required(VIEW, raise_exception=True)
def report(request, fmt):
    """The report for a date, to hand to the city's leaders: ``xlsx`` or ``pdf``."""
    if fmt not in ("xlsx", "pdf"):
        raise Http404
    form = DateForm(request.GET)
    on = form.day()
    rows = disclosure.protect_rows(figures.dashboard(on), request.user)
    log_access(AccessEvent.EXPORT, request=request, target=f"indicators:report.{fmt}", detail=on.isoformat())
    # The counts a figure leaves out of its numerator (not stated; contract dates unknown) go with the legend.
    legend = "；".join(part for part in (_legend(rows, request.user), *figures.unstated_notes(rows, on)) if part)
    if fmt == "xlsx":
        return reports.xlsx_report(on, rows, figures.districts(), legend=legend)
    return reports.pdf_report(on, rows, figures.districts(), legend=legend)


def _legend(rows: list[figures.Row], user) -> str:
    """The suppression legend when a row of the dashboard or report is protected for ``user``, else nothing."""
    minimums = [minimum for row in rows if (minimum := disclosure.minimum_for(user, row.indicator)) is not None]
    return disclosure.legend(minimums[0]) if minimums else ""
