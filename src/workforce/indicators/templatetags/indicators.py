"""Presentation of indicator figures: numbers with their unit, status badges. Nothing is decided here."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

from workforce.indicators.choices import Status, Unit
from workforce.indicators.disclosure import MARK
from workforce.indicators.wording import gap_amount, gap_text

register = template.Library()

STATUS_BADGES: dict[str, str] = {
    Status.MET: "ok", Status.ON_TRACK: "info", Status.BEHIND: "warn", Status.ACHIEVED: "ok",
    Status.MISSED: "missed", Status.MONITORED: "muted", Status.NO_DATA: "muted"}


@register.simple_tag
def amount(value, indicator) -> str:
    """``value`` in the indicator's unit: 92.57% or 17,710 人; a dash when there is nothing to count."""
    if value is None or value == "":
        return "—"
    if indicator.unit == Unit.PERCENT:
        return f"{value:.2f}%"
    return _("%(number)s人") % {"number": f"{int(value):,}"}


@register.simple_tag
def figure_amount(figure, indicator) -> str:
    """A figure's value as ``amount`` shows it; the suppression mark when it is withheld (``disclosure``)."""
    return MARK if figure.is_suppressed else amount(figure.value, indicator)


@register.filter
def figure_count(figure, part: str) -> str:
    """A figure's ``numerator`` or ``denominator`` with thousands separators; the mark when withheld."""
    return MARK if figure.is_suppressed else thousands(getattr(figure, part))


@register.simple_tag
def gap(value, indicator) -> str:
    """The gap to a target in a column headed 差距: in percentage points or persons, 已达到, or —."""
    return gap_amount(value, indicator)


@register.simple_tag
def gap_sentence(value, indicator) -> str:
    """The gap in a sentence: 差距 2.94 个百分点, 已达到, or —."""
    return gap_text(value, indicator)


@register.filter
def status_badge(status: str) -> str:
    return STATUS_BADGES.get(status, "muted")


@register.filter
def status_label(status: str) -> str:
    return str(Status(status).label) if status in Status.values else status


@register.filter
def thousands(value) -> str:
    """An integer with thousands separators (humanize's intcomma follows the locale, which has none)."""
    try:
        return f"{int(value):,}"
    except (TypeError, ValueError):
        return "—" if value in (None, "") else str(value)


@register.simple_tag
def unstated_sentence(sentence: str, count, base) -> str:
    """What a definition's unstated count says (``definitions.Definition.unstated_wording``), with ``count`` of
    ``base`` written with thousands separators."""
    return sentence % {"count": thousands(count), "base": thousands(base or 0)}
