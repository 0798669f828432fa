"""Editing indicators: the city administrator changes targets, dates and texts, and adds the following
periods' targets; every edit is versioned and written to the change log in the same transaction (STYLE.md
"State changes go through services")."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from workforce.core.changelog import diff, record_change, save_versioned, snapshot
from workforce.core.choices import ChangeAction, Channel
from workforce.indicators.choices import Breakdown, Unit
from workforce.indicators.definitions import DEFINITIONS
from workforce.indicators.models import Indicator, IndicatorTarget

if TYPE_CHECKING:
    from workforce.accounts.models import User

# Targets are dated within the years a figure can be read on (``forms.DateForm``).
LATEST_TARGET_DATE = datetime.date(2100, 12, 31)
LARGEST_COUNT = Decimal("9999999999")  # what the value column holds (12 digits, 2 decimals)


def value_error(indicator: Indicator, value: Decimal | None) -> str | None:
    """Why ``value`` cannot be a value of ``indicator`` (a share 0–100%, a count of people 0 or more and
    whole), or None when it can."""
    if value is None:
        return None
    if value != value.quantize(Decimal("0.01")):
        return _("数值最多保留两位小数。")
    if indicator.unit == Unit.PERCENT and not Decimal(0) <= value <= Decimal(100):
        return _("百分比指标的数值须在 0 至 100 之间。")
    if indicator.unit == Unit.PERSONS and (value < 0 or value > LARGEST_COUNT or value != value.to_integral_value()):
        return _("人数指标的数值须为不小于 0 的整数。")
    return None

EDITABLE_FIELDS = {"name", "name_en", "clause", "definition", "description", "description_en", "unit",
                   "direction", "baseline_value", "baseline_date", "target_value", "target_date", "department",
                   "breakdowns", "target_per_district", "is_active"}


def validate_indicator(indicator: Indicator) -> None:
    """A target needs its date; dates in order; a registered definition; known breakdowns."""
    errors = {}
    if indicator.definition not in DEFINITIONS:
        errors["definition"] = _("未注册的计算口径：%(code)s。") % {"code": indicator.definition}
    if (indicator.target_value is None) != (indicator.target_date is None):
        errors["target_date"] = _("目标值和目标日期须同时填写或同时留空。")
    if indicator.baseline_value is not None and indicator.baseline_date is None:
        errors["baseline_date"] = _("填写基期值时须填写基期日期。")
    if indicator.baseline_date and indicator.target_date and indicator.baseline_date >= indicator.target_date:
        errors["target_date"] = _("目标日期须晚于基期日期。")
    for field in ("baseline_value", "target_value"):
        if (message := value_error(indicator, getattr(indicator, field))) is not None:
            errors[field] = message
    if indicator.target_date and indicator.target_date > LATEST_TARGET_DATE:
        errors["target_date"] = _("目标日期须在 2100 年以前。")
    later = indicator.later_targets.order_by("due_on").first() if indicator.pk else None
    if later is not None and indicator.target_date and indicator.target_date >= later.due_on:
        errors["target_date"] = _("方案目标的日期须早于后续阶段目标的日期（%(date)s）。") % {
            "date": later.due_on.isoformat()}
    if indicator.target_per_district and indicator.unit != Unit.PERCENT:
        errors["target_per_district"] = _("人数指标的目标是全市合计，不能适用于各县（区）。")
    unknown = set(indicator.breakdowns or []) - set(Breakdown.values)
    if unknown:
        errors["breakdowns"] = _("未知的分组维度：%(names)s。") % {"names": "、".join(sorted(unknown))}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def update_indicator(indicator: Indicator, changes: dict[str, Any], *, expected_version: int | None,
                     acting_user: User | None, channel: Channel, note: str = "") -> Indicator:
    """Apply ``changes`` (fields of ``EDITABLE_FIELDS``) to ``indicator`` if it is still at
    ``expected_version``; raises ``StaleRecordError`` or ``ValidationError`` and then changes nothing."""
    unknown = set(changes) - EDITABLE_FIELDS
    assert not unknown, f"not editable: {unknown}"
    before = snapshot(indicator)
    for field, value in changes.items():
        setattr(indicator, field, value)
    validate_indicator(indicator)
    after = snapshot(indicator)
    old, new = diff(before, after)
    if not new:
        return indicator
    save_versioned(indicator, expected_version=expected_version)
    record_change(indicator, ChangeAction.UPDATE, acting_user=acting_user, channel=channel, before=old,
                  after=new, note=note)
    return indicator


@transaction.atomic
def add_target(indicator: Indicator, value: Decimal, due_on: datetime.date, *,
               acting_user: User | None, channel: Channel,
               note: str = "") -> IndicatorTarget:
    """Add the next period's target of ``indicator``: ``value`` by ``due_on``, a date after every target it
    has (the plan's and the later ones) and after its baseline date; the value in the indicator's range.
    Raises ``ValidationError`` (Chinese messages, keyed ``value`` / ``due_on``) and then changes nothing.
    The change-log row names the indicator as its parent, so the indicator's history shows it."""
    # Lock the indicator: two administrators adding a period at once are judged one after the other.
    indicator = Indicator.objects.select_for_update().get(pk=indicator.pk)
    errors = {}
    if value is None:
        errors["value"] = _("请填写目标值。")
    elif (message := value_error(indicator, value)) is not None:
        errors["value"] = message
    targets = indicator.targets
    if due_on is None:
        errors["due_on"] = _("请填写目标日期。")
    elif any(target.due_on == due_on for target in targets):
        errors["due_on"] = _("该指标已有 %(date)s 的目标，不能重复添加。") % {"date": due_on.isoformat()}
    elif targets and due_on <= targets[-1].due_on:
        errors["due_on"] = _("目标日期须晚于上一期目标的日期（%(date)s）。") % {"date": targets[-1].due_on.isoformat()}
    elif indicator.baseline_date and due_on <= indicator.baseline_date:
        errors["due_on"] = _("目标日期须晚于基期日期（%(date)s）。") % {"date": indicator.baseline_date.isoformat()}
    elif due_on > LATEST_TARGET_DATE:
        errors["due_on"] = _("目标日期须在 2100 年以前。")
    if errors:
        raise ValidationError(errors)
    target = IndicatorTarget.objects.create(indicator=indicator, value=value, due_on=due_on)
    record_change(target, ChangeAction.CREATE, acting_user=acting_user, channel=channel, after=snapshot(target),
                  note=note, parent=indicator)
    return target


@transaction.atomic
def remove_target(target: IndicatorTarget, *, acting_user: User | None, channel: Channel, note: str = "") -> None:
    """Remove a later period's target (one added in error); the change log keeps it, under the indicator.
    The plan's own target is edited on the indicator (``update_indicator``), not removed here."""
    record_change(target, ChangeAction.DELETE, acting_user=acting_user, channel=channel, before=snapshot(target),
                  note=note, parent=target.indicator)
    target.delete()
