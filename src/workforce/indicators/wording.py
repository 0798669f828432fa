"""How an indicator's gap to its target reads, in one place for the pages, the API, the reports and the
supervision's annual report (issue 16 point 9): a share's gap is in percentage points ("差距 2.94 个百分点",
never "2.94%"), a headcount's in persons; a target reached shows no gap (never a negative one), and an
indicator without a target shows "—" (in a workbook the text "—", never 0)."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from workforce.indicators.choices import Unit

DASH = "—"


def gap_value(gap: Decimal | None) -> Decimal | None:
    """The gap to show as a number: the shortfall when the target is not reached, 0 when it is (never below),
    None without a target (or when the figure is withheld)."""
    if gap is None:
        return None
    return gap if gap > 0 else Decimal("0.00")


def gap_amount(gap: Decimal | None, indicator) -> str:
    """The gap without the word 差距, for a column headed by it: "2.94 个百分点", "1,234人", "已达到"
    (reached: no negative gap), or "—" without a target."""
    if gap is None:
        return DASH
    if gap <= 0:
        return _("已达到")
    if indicator.unit == Unit.PERCENT:
        return _("%(number)s 个百分点") % {"number": f"{gap:.2f}"}
    return _("%(number)s人") % {"number": f"{int(gap):,}"}


def gap_text(gap: Decimal | None, indicator) -> str:
    """The gap in a sentence: "差距 2.94 个百分点", "差距 1,234人", "已达到", or "—"."""
    if gap is None or gap <= 0:
        return gap_amount(gap, indicator)
    return _("差距 %(amount)s") % {"amount": gap_amount(gap, indicator)}


def gap_unit(indicator) -> str:
    """The gap's unit for machines (the API): percentage points for a share, persons for a headcount."""
    return "percentage_points" if indicator.unit == Unit.PERCENT else "persons"
