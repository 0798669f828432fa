"""Editing indicators: the city administrator changes targets, dates and texts; every edit is versioned
and written to the change log in the same transaction (STYLE.md "State changes go through services")."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from workforce.core.changelog import diff, record_change, save_versioned, snapshot
from workforce.core.choices import ChangeAction, Channel
from workforce.indicators.choices import Breakdown
from workforce.indicators.definitions import DEFINITIONS
from workforce.indicators.models import Indicator

EDITABLE_FIELDS = {"name", "name_en", "clause", "definition", "description", "description_en", "unit",
                   "direction", "baseline_value", "baseline_date", "target_value", "target_date", "department",
                   "breakdowns", "is_active"}


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
    unknown = set(indicator.breakdowns or []) - set(Breakdown.values)
    if unknown:
        errors["breakdowns"] = _("未知的分组维度：%(names)s。") % {"names": "、".join(sorted(unknown))}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def update_indicator(indicator: Indicator, changes: dict[str, Any], *, expected_version: int | None,
                     acting_user, channel: Channel, note: str = "") -> Indicator:
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
