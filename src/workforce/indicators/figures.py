"""Figures of the indicators: values as of a date for the city and by breakdown, monthly series, status
against the target. Aggregates only (no personal data); the records behind a figure are read through
``selectors.figure_records`` within the user's scope.

Results are cached under the registry stamp (``loading.registry_stamp``): any change of the registry makes
new keys, so a cached figure is never stale.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext as _

from workforce.indicators.choices import SIZE_BANDS, Breakdown, Direction, Status, Subject, Unit
from workforce.indicators.definitions import DEFINITIONS
from workforce.indicators.engine import Day, RegistryColumns
from workforce.indicators.models import Indicator, Target
from workforce.indicators.seed import PLAN_DATE
from workforce.indicators.storage import current_columns
from workforce.reference.models import Division, Industry
from workforce.reference.services import PANZHIHUA_CODE
from workforce.registry.choices import EmployerAttribute, Ownership

SERIES_START = datetime.date(2015, 1, 31)  # §15 研判分析: the registry's history starts in 2015
CACHE_SECONDS = 24 * 3600
# Months of a series are computed on this many threads: a day is numpy comparisons, gathers and counts over
# whole columns, which run without the GIL, so two threads nearly halve a series on two cores.
SERIES_THREADS = 2


@dataclass
class Figure:
    """One figure: ``numerator`` over ``denominator`` (a count indicator's value is its numerator).
    A suppressed figure (``disclosure``) has neither, and no value."""

    key: str
    label: str
    numerator: int | None
    denominator: int | None
    is_count: bool
    is_suppressed: bool = False

    @property
    def value(self) -> Decimal | None:
        if self.is_suppressed:
            return None
        if self.is_count:
            return Decimal(self.numerator)
        if not self.denominator:
            return None
        return (Decimal(100 * self.numerator) / Decimal(self.denominator)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def month_ends(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """The last day of every month from ``start``'s month to ``end``'s month (``end`` itself last when it
    falls inside its month)."""
    days = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        following = datetime.date(year + month // 12, month % 12 + 1, 1)
        days.append(min(following - datetime.timedelta(days=1), end))
        year, month = following.year, following.month
    return days


def _key(*parts) -> str:
    return "indicators:" + hashlib.sha1(repr(parts).encode(), usedforsecurity=False).hexdigest()


def measures_of(columns: RegistryColumns, on: datetime.date, codes: list[str],
                with_staff: bool = True) -> dict[str, np.ndarray]:
    """Numerator and denominator of each definition in ``codes`` per employer on ``on`` (arrays over
    employers, keyed ``code`` → shape (2, employers)), and the employers' headcount under ``"_staff"``; for a
    definition with ``unstated``, how many of its base are not stated, per employer, under ``unstated_key``."""
    day = Day(columns, on)  # not columns.day(): ``RegistryColumns.tables_read`` passes a recorder
    result = {"_staff": day.headcount} if with_staff else {}
    for code in codes:
        definition = DEFINITIONS[code]
        numerator, denominator = definition.measure(day)
        if definition.subject == Subject.WORKERS:
            den = day.per_employer(denominator) if denominator is not None else np.bincount(
                day.worker_employer, minlength=columns.employer_count)
            num = day.per_employer(numerator)
            if definition.unstated is not None and with_staff:  # not for series: the page shows the day's
                unstated = definition.unstated(day)
                result[unstated_key(code)] = day.per_employer(
                    unstated if denominator is None else unstated & denominator)
        else:
            operating = day.is_operating
            base = operating if denominator is None else operating & denominator
            den = base.astype(np.int64)
            num = (base & numerator).astype(np.int64)
        if definition.unplaced is not None:  # one more column after the employers': those outside any
            outside = definition.unplaced(day)
            num, den = np.append(num, outside), np.append(den, outside)
        result[code] = np.vstack((num, den))
    return result


def unstated_key(code: str) -> str:
    """The key of definition ``code``'s per-employer count of the unstated in ``measures_of``."""
    return f"_unstated:{code}"


def has_unstated(code: str) -> bool:
    """Whether definition ``code`` counts some of its base apart (``Definition.unstated``)."""
    definition = DEFINITIONS.get(code)
    return definition is not None and definition.unstated is not None


def unstated_wording(code: str) -> tuple[str, str]:
    """(label, sentence with ``count`` and ``base``) saying what definition ``code``'s unstated count counts."""
    definition = DEFINITIONS.get(code)
    return definition.unstated_wording() if definition is not None else ("", "")


def unstated_notes(rows: list[Row], on: datetime.date, columns: RegistryColumns | None = None) -> list[str]:
    """For the dashboard and the reports: per row whose definition counts some of its base apart (a value not
    stated, a contract whose dates are unknown) and whose city figure is shown, the sentence saying how many,
    named by the indicator; none where that count is 0."""
    _columns, measures = day_measures(on, columns)
    notes = []
    for row in rows:
        count = unstated_count(measures, row.indicator.definition)
        if not count or row.city.figure.is_suppressed:
            continue
        _label, sentence = unstated_wording(row.indicator.definition)
        notes.append(f"{row.indicator.display_name}：" + sentence % {
            "count": f"{count:,}", "base": f"{row.city.figure.denominator or 0:,}"})
    return notes


def unstated_count(measures: dict, code: str) -> int | None:
    """How many of the city's base of definition ``code`` are not stated on the measures' day (issue 15), or
    None for a definition whose records always say."""
    counts = measures.get(unstated_key(code))
    return None if counts is None else int(counts.sum())


def _definitions_in_use() -> list[str]:
    return sorted({code for code in Indicator.objects.filter(is_active=True).values_list("definition", flat=True)
                   if code in DEFINITIONS})


def day_measures(on: datetime.date, columns: RegistryColumns | None = None
                 ) -> tuple[RegistryColumns, dict[str, np.ndarray]]:
    """The per-employer measures of every indicator in use on ``on``, cached under the registry stamp
    (of ``columns``, when the caller already holds the current ones)."""
    columns = columns or current_columns()
    codes = _definitions_in_use()
    key = _key("day", columns.generation, on, codes)
    measures = cache.get(key)
    if measures is None:
        measures = measures_of(columns, on, codes)
        cache.set(key, measures, CACHE_SECONDS)
    return columns, measures


def breakdown_keys(day: Day, breakdown: str, staff: np.ndarray) -> tuple[list[str], np.ndarray]:
    """The cells of ``breakdown`` in display order, and each employer's cell on ``day`` (index; -1: none):
    an employer's district, industry and ownership are those of the day."""
    if breakdown == Breakdown.DISTRICT:
        values = day.employer_district
    elif breakdown == Breakdown.INDUSTRY:
        values = day.employer_section
    elif breakdown == Breakdown.OWNERSHIP:
        values = day.employer_ownership
    else:
        cells = [band for band, *_rest in SIZE_BANDS]
        edges = np.array([low for _band, low, _high, _label in SIZE_BANDS])
        return cells, np.searchsorted(edges, staff, side="right") - 1
    cells = sorted(set(values))
    if breakdown == Breakdown.OWNERSHIP:
        order = [choice.value for choice in Ownership]
        cells.sort(key=lambda cell: order.index(cell) if cell in order else len(order))
    position = {cell: index for index, cell in enumerate(cells)}
    return cells, np.array([position[value] for value in values], dtype=np.int64)


def cell_labels(breakdown: str, cells: list[str]) -> dict[str, str]:
    """Display names of breakdown cells (district and industry names from the reference tables)."""
    if breakdown == Breakdown.DISTRICT:
        return dict(Division.objects.filter(code__in=cells).values_list("code", "name"))
    if breakdown == Breakdown.INDUSTRY:
        return dict(Industry.objects.filter(level="section", code__in=cells).values_list("code", "name"))
    if breakdown == Breakdown.OWNERSHIP:
        return {choice.value: str(choice.label) for choice in Ownership}
    return {band: str(label) for band, _low, _high, label in SIZE_BANDS}


def districts() -> list[tuple[str, str]]:
    """The city's counties and districts (code, name), in code order."""
    return list(Division.objects.filter(parent_id=PANZHIHUA_CODE).order_by("code").values_list("code", "name"))


def figures_by(columns: RegistryColumns, measures: dict, code: str, breakdown: str | None,
               on: datetime.date) -> list[Figure]:
    """The figures of definition ``code`` on ``on`` (``measures`` are of that day) for the city (no breakdown)
    or per cell of ``breakdown``."""
    definition = DEFINITIONS[code]
    counts = measures[code]
    if not breakdown:
        return [Figure("", "", int(counts[0].sum()), int(counts[1].sum()), definition.is_count)]
    cells, cell_of = breakdown_keys(columns.day(on), breakdown, measures["_staff"])
    counts = counts[:, :len(cell_of)]  # people outside any employer (``Definition.unplaced``) are in no cell
    inside = cell_of >= 0
    numerators = np.bincount(cell_of[inside], weights=counts[0][inside], minlength=len(cells))
    denominators = np.bincount(cell_of[inside], weights=counts[1][inside], minlength=len(cells))
    if breakdown == Breakdown.DISTRICT:  # every district is shown, with or without data
        known = dict(zip(cells, zip(numerators, denominators, strict=True), strict=True))
        labels = dict(districts())
        return [Figure(code_, labels[code_], int(known.get(code_, (0, 0))[0]), int(known.get(code_, (0, 0))[1]),
                       definition.is_count) for code_ in labels]
    labels = cell_labels(breakdown, cells)
    return [Figure(cell, labels.get(cell, cell), int(numerators[i]), int(denominators[i]), definition.is_count)
            for i, cell in enumerate(cells) if denominators[i] or numerators[i]]


def unplaced_of(indicator: Indicator, on: datetime.date, columns: RegistryColumns,
                measures: dict[str, np.ndarray]) -> int | None:
    """How many of the city's figure belong to no employer on ``on`` (``Definition.unplaced``: registered
    holders without a spell covering the day), in no breakdown cell; None for a definition without them."""
    definition = DEFINITIONS.get(indicator.definition)
    if definition is None or definition.unplaced is None:
        return None
    return int(measures[indicator.definition][0][columns.employer_count:].sum())


@dataclass
class Assessment:
    """Where an indicator stands on a day against one of its targets.

    Before the target's date it is a progress status on the day's value (met ahead of time, on track,
    behind); from its date on, whether the target was reached as of that date (``settled``: the city's
    figure on the target's date; the gap is measured on it)."""

    figure: Figure  # the value on the day asked
    expected: Decimal | None  # where a straight path from the period's start to the target would be on the day
    gap: Decimal | None  # target minus the deciding value (for a ceiling, value minus target); ≤ 0 means met
    status: Status
    target: Target | None = None
    settled: Figure | None = None  # the figure on the target's date, once that date has come

    @property
    def is_settled(self) -> bool:
        return self.settled is not None


def _quantize(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), ROUND_HALF_UP)


def _shortfall(indicator: Indicator, target: Target, value: Decimal) -> Decimal:
    """How far ``value`` is from ``target`` the way the indicator counts better; ≤ 0: reached."""
    sign = 1 if indicator.direction == Direction.AT_LEAST else -1
    return _quantize((target.value - value) * sign)


def target_in_force(indicator: Indicator, on: datetime.date, value: Decimal | None) -> Target | None:
    """The target ``on`` is measured against: the first target not yet due (its date after ``on``) that the
    day's ``value`` has not reached; when every target not yet due is reached, the last of them; when
    every target's date has come, the latest (settled on its date). None without targets."""
    targets = indicator.targets
    upcoming = [target for target in targets if target.due_on > on]
    if not upcoming:
        return targets[-1] if targets else None
    return next((target for target in upcoming
                 if value is None or _shortfall(indicator, target, value) > 0), upcoming[-1])


def assess(indicator: Indicator, figure: Figure, on: datetime.date, baseline: Decimal | None, *,
           target: Target | None = None, start: datetime.date | None = None,
           settled: Figure | None = None) -> Assessment:
    """The indicator's ``figure`` on ``on`` against ``target`` (default: the target in force on ``on``).

    - Without targets the indicator is only monitored.
    - On or after the target's date: achieved or missed, on ``settled`` (the figure on the target's date;
      on the date itself, ``figure``). The value on a later day does not change a past target's outcome.
    - Before it: met (already reached), on track (at least where a straight line from ``baseline`` on
      ``start`` to the target would be on the day) or behind. ``start`` defaults to the baseline date (the
      plan's date without one); a later period starts at the previous target's date, with the value then.
    """
    target = target or target_in_force(indicator, on, figure.value)
    if target is None:
        return Assessment(figure, None, None, Status.NO_DATA if figure.value is None else Status.MONITORED)
    if target.due_on <= on:
        if settled is None:
            if target.due_on != on:
                raise ValueError("a target whose date has passed is judged on the figure of that date")
            settled = figure
        if settled.value is None:
            return Assessment(figure, None, None, Status.NO_DATA, target, settled)
        gap = _shortfall(indicator, target, settled.value)
        return Assessment(figure, None, gap, Status.ACHIEVED if gap <= 0 else Status.MISSED, target, settled)
    value = figure.value
    if value is None:
        return Assessment(figure, None, None, Status.NO_DATA, target)
    gap = _shortfall(indicator, target, value)
    if gap <= 0:
        return Assessment(figure, target.value, gap, Status.MET, target)
    if start is not None and start > on:  # a later period not begun: the previous target was reached early
        return Assessment(figure, None, gap, Status.ON_TRACK, target)
    start = start or indicator.baseline_date or PLAN_DATE
    expected = target.value
    if baseline is not None:
        share = Decimal(max(0, (on - start).days)) / Decimal(max(1, (target.due_on - start).days))
        expected = _quantize(baseline + (target.value - baseline) * min(Decimal(1), share))
    sign = 1 if indicator.direction == Direction.AT_LEAST else -1
    on_track = (value - expected) * sign >= 0
    return Assessment(figure, expected, gap, Status.ON_TRACK if on_track else Status.BEHIND, target)


def status_text(assessment: Assessment, amount: Callable[[Figure], str]) -> str:
    """The status in words for reports, with the value on the target's date once that date has come
    ("未达成（2020-12-31：66.67%）"); ``amount`` formats a figure as the report shows figures."""
    label = str(Status(assessment.status).label)
    if assessment.settled is None or assessment.target is None:
        return label
    return _("%(status)s（%(day)s：%(value)s）") % {
        "status": label, "day": assessment.target.due_on.isoformat(), "value": amount(assessment.settled)}


def city_figure(indicator: Indicator, on: datetime.date, columns: RegistryColumns | None = None) -> Figure:
    """The indicator's city-wide figure on ``on`` (cached with the day's measures)."""
    columns, measures = day_measures(on, columns)
    return figures_by(columns, measures, indicator.definition, None, on)[0]


@dataclass
class Baselines:
    """An indicator's two baselines: the plan's published figure (``Indicator.baseline_value``, e.g. 28.9%)
    and the registry's own value on the baseline date (the plan's date by default), which the trajectory
    starts from (decision 0006: the status compares the registry with itself)."""

    day: datetime.date
    published: Decimal | None
    registry: Figure | None  # None without a registered definition

    @property
    def trajectory(self) -> Decimal | None:
        """Where the first target's straight line starts: the registry's own value on the baseline date, the
        published one only where the registry has none (nothing counted on that day)."""
        value = self.registry.value if self.registry is not None else None
        return value if value is not None else self.published

    @property
    def trajectory_is_registry(self) -> bool:
        return self.registry is not None and self.registry.value is not None


def baselines_of(indicator: Indicator, columns: RegistryColumns | None = None) -> Baselines:
    """The published baseline and the registry's value on the baseline date (``Baselines``)."""
    day = indicator.baseline_date or PLAN_DATE
    registry = city_figure(indicator, day, columns) if indicator.definition in DEFINITIONS else None
    return Baselines(day, indicator.baseline_value, registry)


def baseline_of(indicator: Indicator, columns: RegistryColumns | None = None) -> Decimal | None:
    """Where the first target's trajectory starts (``Baselines.trajectory``); None without targets."""
    if not indicator.targets:
        return None
    return baselines_of(indicator, columns).trajectory


def assess_against(indicator: Indicator, figure: Figure, on: datetime.date, target: Target,
                   columns: RegistryColumns | None = None) -> Assessment:
    """``figure`` (the city's on ``on``) against ``target``, reading the figures on the other days it needs:
    the target's date once it has come, else the start of the target's period (the baseline for the
    first target, the previous target's date and value for a later one)."""
    if target.due_on <= on:
        settled = figure if target.due_on == on else city_figure(indicator, target.due_on, columns)
        return assess(indicator, figure, on, None, target=target, settled=settled)
    targets = indicator.targets
    position = targets.index(target)
    if position == 0:
        return assess(indicator, figure, on, baseline_of(indicator, columns), target=target)
    previous = targets[position - 1].due_on
    baseline = city_figure(indicator, previous, columns).value if previous <= on else None
    return assess(indicator, figure, on, baseline, target=target, start=previous)


def assessment_of(indicator: Indicator, figure: Figure, on: datetime.date,
                  columns: RegistryColumns | None = None) -> Assessment:
    """The city's ``figure`` on ``on`` against the target in force then (``target_in_force``): the one
    definition of an indicator's status, for the dashboard, the indicator page, the API, the reports and
    the supervision's annual report."""
    target = target_in_force(indicator, on, figure.value)
    if target is None:
        return assess(indicator, figure, on, None)
    return assess_against(indicator, figure, on, target, columns)


def target_history(indicator: Indicator, figure: Figure, on: datetime.date,
                   columns: RegistryColumns | None = None) -> list[Assessment]:
    """Every target of the indicator as it stands on ``on``, by date: each whose date has come against the
    value on its own date (achieved / missed), each still ahead by its progress on ``on``."""
    return [assess_against(indicator, figure, on, target, columns) for target in indicator.targets]


@dataclass
class Row:
    """An indicator on the dashboard: its city assessment and its figure in each district."""

    indicator: Indicator
    city: Assessment
    districts: list[Figure]


def dashboard(on: datetime.date, columns: RegistryColumns | None = None) -> list[Row]:
    """Every active indicator on ``on``: value, target, gap and status for the city, and each district."""
    columns, measures = day_measures(on, columns)
    rows = []
    for indicator in (Indicator.objects.filter(is_active=True).select_related("department")
                      .prefetch_related("later_targets")):
        if indicator.definition not in measures:
            continue
        city = figures_by(columns, measures, indicator.definition, None, on)[0]
        rows.append(Row(indicator, assessment_of(indicator, city, on, columns),
                        figures_by(columns, measures, indicator.definition, Breakdown.DISTRICT, on)))
    return rows


def breakdowns_of(indicator: Indicator, on: datetime.date, columns: RegistryColumns | None = None
                  ) -> dict[str, list[Figure]]:
    """The indicator's figures on ``on`` by each of its breakdowns."""
    columns, measures = day_measures(on, columns)
    return {breakdown: figures_by(columns, measures, indicator.definition, breakdown, on)
            for breakdown in indicator.breakdowns if breakdown in Breakdown.values}


@dataclass
class Series:
    """A monthly series: ``days`` with the city's figures and each district's."""

    days: list[datetime.date]
    city: list[Figure]
    by_district: dict[str, list[Figure]]


def _employed(columns: RegistryColumns, day: datetime.date) -> np.ndarray:
    """The employed workers per main employer on ``day``, as numerator and denominator (the base of an
    ``employer_flag`` definition, from the workers' own rows only)."""
    counts = np.bincount(Day(columns, day).worker_employer, minlength=columns.employer_count)
    return np.vstack((counts, counts))


def monthly_counts(columns: RegistryColumns, days: list[datetime.date], code: str) -> list[np.ndarray]:
    """The per-employer numerator and denominator of definition ``code`` on each of ``days`` (ascending).

    A worker definition counts each worker from their own rows only, so a day's counts are the previous
    day's, less what the workers whose rows changed in between counted then, plus what they count now:
    each day after the first is computed on those workers alone (a few percent of the registry a month),
    and only the tables the definition reads are followed and gathered (``tables_read``).
    A definition of the workers of employers with a flag (``Definition.employer_flag``: a union) follows
    its base (employed workers per employer) so, and takes each day's flag, read from the employers'
    columns alone, as its numerator. Employer definitions (headcounts, governance facts) are computed day by
    day, and so is every other definition once an employer's industry changed over time. Either way on
    threads.
    """
    definition = DEFINITIONS[code]
    flag = definition.employer_flag

    def counts(columns_: RegistryColumns, day: datetime.date) -> np.ndarray:
        if flag is not None:
            return _employed(columns_, day)
        return measures_of(columns_, day, [code], with_staff=False)[code]

    with ThreadPoolExecutor(max_workers=SERIES_THREADS) as pool:
        # A worker counts from their own rows, and their employers' industry (migrant workers): when an
        # industry changed over time, a worker's count can change without a row of theirs changing.
        whole_days = (definition.subject != Subject.WORKERS or len(days) < 2
                      or (flag is None and columns.has_history(EmployerAttribute.INDUSTRY)))
        if whole_days:
            found = list(pool.map(lambda day: counts(columns, day), days))
        else:
            tables = columns.tables_read(lambda day: counts(day.columns, day.on))

            def change(month: int, workers: np.ndarray) -> np.ndarray:
                changed = columns.of_workers(workers, tables)
                return counts(changed, days[month]) - counts(changed, days[month - 1])

            changes = pool.map(change, range(1, len(days)), columns.changing_workers(days, tables))
            first = counts(columns, days[0])
            found = list(np.cumsum([first, *changes], axis=0))
    if flag is None:
        return found
    return [np.vstack((base[1] * flag(Day(columns, day)), base[1])) for base, day in zip(found, days, strict=True)]


def series(indicator: Indicator, until: datetime.date | None = None, columns: RegistryColumns | None = None
           ) -> Series:
    """The indicator at every month end from January 2015 to ``until`` (default today), for the city and
    each district; cached under the registry stamp."""
    until = until or timezone.localdate()
    columns = columns or current_columns()
    code = indicator.definition
    key = _key("series", columns.generation, code, until)
    cached = cache.get(key)
    if cached is not None:
        return cached
    days = month_ends(SERIES_START, until)
    moved = columns.has_history(EmployerAttribute.DISTRICT)  # else every month has today's districts
    cells, cell_of = breakdown_keys(columns.day(days[-1]), Breakdown.DISTRICT, np.zeros(0))
    is_count = DEFINITIONS[code].is_count
    names = dict(districts())
    city, by_district = [], {district: [] for district in names}
    for day, counts in zip(days, monthly_counts(columns, days, code), strict=True):
        if moved:
            cells, cell_of = breakdown_keys(columns.day(day), Breakdown.DISTRICT, np.zeros(0))
        city.append(Figure(day.isoformat(), "", int(counts[0].sum()), int(counts[1].sum()), is_count))
        placed = counts[:, :len(cell_of)]  # without the people outside any employer (``Definition.unplaced``)
        numerators = np.bincount(cell_of, weights=placed[0], minlength=len(cells))
        denominators = np.bincount(cell_of, weights=placed[1], minlength=len(cells))
        for i, cell in enumerate(cells):
            if cell in by_district:
                by_district[cell].append(Figure(day.isoformat(), names[cell], int(numerators[i]),
                                                int(denominators[i]), is_count))
        for district, figures in by_district.items():
            if len(figures) < len(city):
                figures.append(Figure(day.isoformat(), names[district], 0, 0, is_count))
    result = Series(days, city, by_district)
    cache.set(key, result, CACHE_SECONDS)
    return result


def unit_suffix(indicator: Indicator) -> str:
    return "%" if indicator.unit == Unit.PERCENT else ""
