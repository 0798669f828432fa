"""Small-cell suppression of the figures that count holders of a sensitive attribute (decision 0009).

A figure of union membership, party membership or migrant workers (``Definition.is_revealing``) in a small
group says something of each person in it: "2 of the 3 workers of this district's farms are party members".
For users who may not unmask workers (``registry.unmask_worker``), such cells are suppressed, as statistical
offices do with frequency tables:

- **primary**: a cell is sensitive when its group (the denominator) has fewer than the minimum people, when
  fewer than the minimum hold the attribute (the numerator, none excepted), or when some hold it and fewer
  than the minimum do not (nearly everyone, or everyone, holds it);
- **complementary**: a row of cells (districts, industries, ownerships or size bands) sums to the total shown
  beside it (the city). With one cell suppressed and the total shown, the cell is the total less the others,
  so a second cell is suppressed too: the smallest whose numerator and non-holders are each at least the
  minimum (so the pair's sum is not itself small), else the smallest with people. A suppressed total needs
  no complement: a sensitive total always has a sensitive cell, in every breakdown.

A suppressed figure keeps its key and label and loses its numerator, denominator and value (``None``), so
every door (pages, charts, API, reports) shows the same cells hidden. The figures are computed and cached
whole; suppression is applied per request to copies, for the user asking.
"""

from __future__ import annotations

import dataclasses

from django.conf import settings
from django.utils.translation import gettext as _

from workforce.indicators.definitions import DEFINITIONS
from workforce.indicators.figures import Assessment, Figure, Row, Series
from workforce.indicators.models import Indicator

UNMASK = "registry.unmask_worker"
# What a suppressed cell reads in pages and reports (the API sends null and ``suppressed: true``).
MARK = "*"


def minimum_for(user, indicator: Indicator) -> int | None:
    """The minimum cell size applied to ``indicator``'s figures for ``user``; ``None``: shown whole (the
    indicator reveals nothing of a person, the user may unmask, or the setting is 1 or less)."""
    minimum = settings.INDICATOR_MINIMUM_CELL
    if minimum <= 1 or not DEFINITIONS[indicator.definition].is_revealing or user.has_perm(UNMASK):
        return None
    return minimum


def legend(minimum: int) -> str:
    """The note explaining the mark, shown wherever a suppressed cell may be."""
    return _("%(mark)s：为保护个人信息，涉及人数少于 %(minimum)s 人（含几乎全部人员都具有该属性）的分组不予显示；"
             "可由合计推算出这类分组的另一分组也不予显示。") % {"mark": MARK, "minimum": minimum}


def is_sensitive(figure: Figure, minimum: int) -> bool:
    """Whether ``figure`` alone discloses something of the few people in it (primary suppression)."""
    holders, group = figure.numerator, figure.denominator
    others = group - holders
    return 0 < group < minimum or 0 < holders < minimum or (holders > 0 and others < minimum)


def suppressed(figure: Figure) -> Figure:
    """A copy of ``figure`` with its counts withheld."""
    return dataclasses.replace(figure, numerator=None, denominator=None, is_suppressed=True)


def _complement(cells: list[Figure], hidden: set[int], minimum: int) -> int | None:
    """The cell to suppress beside the one hidden cell so it cannot be recovered from the total."""
    candidates = [i for i, cell in enumerate(cells) if i not in hidden and cell.denominator > 0]
    if not candidates:
        return None
    large = [i for i in candidates
             if cells[i].numerator >= minimum and cells[i].denominator - cells[i].numerator >= minimum]
    return min(large or candidates, key=lambda i: (cells[i].numerator, cells[i].denominator, i))


def protect(total: Figure, cells: list[Figure], minimum: int | None) -> tuple[Figure, list[Figure]]:
    """``total`` and its ``cells`` with the sensitive cells and their complements suppressed (unchanged
    without a minimum)."""
    if minimum is None or total.is_suppressed:
        return total, cells
    hidden = {i for i, cell in enumerate(cells) if is_sensitive(cell, minimum)}
    total_hidden = is_sensitive(total, minimum)
    if len(hidden) == 1 and not total_hidden:
        complement = _complement(cells, hidden, minimum)
        if complement is not None:
            hidden.add(complement)
    return (suppressed(total) if total_hidden else total,
            [suppressed(cell) if i in hidden else cell for i, cell in enumerate(cells)])


def protect_assessment(assessment: Assessment, minimum: int | None, figure: Figure | None = None) -> Assessment:
    """An assessment with its figures protected: the day's (``figure`` when the caller protected it against
    its cells already) and the one on the target's date; the gap and expected value are withheld with the
    figure they are measured on."""
    if minimum is None:
        return assessment
    figure = figure or protect(assessment.figure, [], minimum)[0]
    settled = assessment.settled and protect(assessment.settled, [], minimum)[0]
    changes: dict = {"figure": figure, "settled": settled}
    deciding = settled if settled is not None else figure
    if deciding.is_suppressed:  # the gap is the target less the value: withheld with it
        changes |= {"gap": None, "expected": None}
    if figure.is_suppressed:
        changes["expected"] = None
    return dataclasses.replace(assessment, **changes)


def protect_row(row: Row, minimum: int | None) -> Row:
    """A dashboard row: the city's figure (its assessment's gap and expected value withheld with it), the
    figure on the target's date and the districts'."""
    if minimum is None:
        return row
    city, districts = protect(row.city.figure, row.districts, minimum)
    return dataclasses.replace(row, city=protect_assessment(row.city, minimum, city), districts=districts)


def protect_rows(rows: list[Row], user) -> list[Row]:
    """The dashboard's rows as ``user`` may see them."""
    return [protect_row(row, minimum_for(user, row.indicator)) for row in rows]


def protect_breakdowns(city: Figure, breakdowns: dict[str, list[Figure]], minimum: int | None
                       ) -> dict[str, list[Figure]]:
    """Each breakdown's cells protected against the city's total."""
    return {name: protect(city, cells, minimum)[1] for name, cells in breakdowns.items()}


def protect_series(series: Series, minimum: int | None) -> Series:
    """A monthly series with each month's city and district figures protected as a row."""
    if minimum is None:
        return series
    city, by_district = [], {district: [] for district in series.by_district}
    for month, total in enumerate(series.city):
        districts = list(series.by_district)
        protected_total, cells = protect(total, [series.by_district[d][month] for d in districts], minimum)
        city.append(protected_total)
        for district, cell in zip(districts, cells, strict=True):
            by_district[district].append(cell)
    return Series(series.days, city, by_district)
