"""Inspections (督查): rounds with scope and inspectors, findings, rectification items and their closing."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from workforce.core.changelog import diff, record_change, record_update, snapshot
from workforce.core.choices import ChangeAction, Channel
from workforce.supervision import rules
from workforce.supervision.choices import FindingKind, RectificationStatus, RoundStatus
from workforce.supervision.models import Finding, InspectionRound, Measure, Plan, Rectification
from workforce.supervision.services.roadmap import DeadlineInput

if TYPE_CHECKING:
    from workforce.accounts.models import User


@transaction.atomic
def do_start_round(plan: Plan, data: dict[str, Any], *,
                   acting_user: User | None, channel: Channel = Channel.PAGE) -> InspectionRound:
    """A new round (``data``: title, started_on, scope_note, and the lists measures, departments, inspectors)."""
    rules.require(rules.may_supervise(acting_user))
    _require_measures_of(plan, data.get("measures", []))
    inspection = InspectionRound(plan=plan, title=data["title"], started_on=data["started_on"],
                                 scope_note=data.get("scope_note", ""))
    inspection.full_clean()
    inspection.save()
    inspection.measures.set(data.get("measures", []))
    inspection.departments.set(data.get("departments", []))
    inspection.inspectors.set(data.get("inspectors", []))
    record_change(inspection, ChangeAction.CREATE, acting_user=acting_user, channel=channel,
                  after=snapshot(inspection))
    return inspection


ROUND_FIELDS = ("title", "started_on", "scope_note")
ROUND_LISTS = ("measures", "departments", "inspectors")


def _names(values: Iterable[object]) -> list[str]:
    return sorted(str(value) for value in values)


@transaction.atomic
def do_update_round(inspection: InspectionRound, changes: dict[str, Any], *, acting_user: User | None,
                    channel: Channel = Channel.PAGE) -> InspectionRound:
    """Change an open round's title, start, scope note, or its lists of measures, departments, inspectors."""
    rules.require(rules.may_supervise(acting_user))
    _require_open(inspection)
    unknown = set(changes) - set(ROUND_FIELDS) - set(ROUND_LISTS)
    if unknown:
        raise ValidationError({key: _("该字段不能修改。") for key in sorted(unknown)})
    _require_measures_of(inspection.plan, changes.get("measures", []))
    before = snapshot(inspection) | {key: _names(getattr(inspection, key).all()) for key in ROUND_LISTS}
    for key in ROUND_FIELDS:
        if key in changes:
            setattr(inspection, key, changes[key])
    inspection.full_clean()
    inspection.save()
    for key in ROUND_LISTS:
        if key in changes:
            getattr(inspection, key).set(changes[key])
    after = snapshot(inspection) | {key: _names(getattr(inspection, key).all()) for key in ROUND_LISTS}
    old, new = diff(before, after)
    if new:
        record_change(inspection, ChangeAction.UPDATE, acting_user=acting_user, channel=channel, before=old,
                      after=new)
    return inspection


def _require_measures_of(plan: Plan, measures: Iterable[Measure]) -> None:
    """A round inspects measures of its own plan only."""
    if any(measure.plan_id != plan.pk for measure in measures):
        raise ValidationError({"measures": _("所选举措不属于本轮督查的方案。")})


def _require_open(inspection: InspectionRound) -> None:
    if not inspection.is_open:
        raise ValidationError(_("本轮督查已结束。"))


@transaction.atomic
def do_add_finding(inspection: InspectionRound, data: dict[str, Any], *, acting_user: User | None,
                   channel: Channel = Channel.PAGE) -> Finding:
    """Record what the round found on a measure at a department (``data``: measure, department, kind, text)."""
    rules.require(rules.may_inspect(acting_user, inspection))
    _require_open(inspection)
    if data["measure"].plan_id != inspection.plan_id:
        raise ValidationError({"measure": _("该举措不属于本轮督查的方案。")})
    finding = Finding(round=inspection, measure=data["measure"], department=data["department"],
                      kind=data.get("kind", FindingKind.PROBLEM), text=data.get("text", "").strip())
    finding.full_clean()
    finding.save()
    record_change(finding, ChangeAction.CREATE, acting_user=acting_user, channel=channel, after=snapshot(finding),
                  parent=inspection)
    return finding


@transaction.atomic
def do_update_finding(finding: Finding, changes: dict[str, Any], *,
                      acting_user: User | None, channel: Channel = Channel.PAGE) -> Finding:
    """Correct a finding of an open round (``changes``: kind, text)."""
    rules.require(rules.may_inspect(acting_user, finding.round))
    _require_open(finding.round)
    unknown = set(changes) - {"kind", "text"}
    if unknown:
        raise ValidationError({key: _("该字段不能修改。") for key in sorted(unknown)})
    before = snapshot(finding)
    finding.kind = changes.get("kind", finding.kind)
    finding.text = changes.get("text", finding.text).strip()
    finding.full_clean()
    finding.save()
    record_update(finding, before, acting_user=acting_user, channel=channel, parent=finding.round)
    return finding


@transaction.atomic
def do_add_rectification(finding: Finding, text: str, deadline: DeadlineInput, *, acting_user: User | None,
                         channel: Channel = Channel.PAGE) -> Rectification:
    """A rectification item for the finding's department, with a deadline in calendar or working days."""
    rules.require(rules.may_inspect(acting_user, finding.round))
    _require_open(finding.round)
    item = Rectification(finding=finding, department=finding.department, text=text.strip(), **deadline.fields())
    item.full_clean()
    item.save()
    record_change(item, ChangeAction.CREATE, acting_user=acting_user, channel=channel, after=snapshot(item),
                  parent=finding.round)
    return item


@transaction.atomic
def do_update_rectification(item: Rectification, *, text: str | None = None, deadline: DeadlineInput | None = None,
                            acting_user: User | None, channel: Channel = Channel.PAGE) -> Rectification:
    """Change what an item asks or its deadline, while the department is still rectifying it."""
    rules.require(rules.may_inspect(acting_user, item.finding.round))
    if item.status != RectificationStatus.OPEN:
        raise ValidationError(_("只有整改中的事项可以修改。"))
    before = snapshot(item)
    if text is not None:
        item.text = text.strip()
    if deadline is not None:
        for key, value in deadline.fields().items():
            setattr(item, key, value)
    item.full_clean()
    item.save()
    record_update(item, before, acting_user=acting_user, channel=channel, parent=item.finding.round)
    return item


def _move(item: Rectification, changes: dict[str, Any], *, acting_user: User | None, channel: Channel) -> Rectification:
    before = snapshot(item)
    for key, value in changes.items():
        setattr(item, key, value)
    item.save()
    old, new = diff(before, snapshot(item))
    record_change(item, ChangeAction.UPDATE, acting_user=acting_user, channel=channel, before=old, after=new,
                  parent=item.finding.round)
    return item


@transaction.atomic
def do_report_rectification(item: Rectification, note: str, on: datetime.date, *, acting_user: User | None,
                            channel: Channel = Channel.PAGE) -> Rectification:
    """The department reports the item rectified, saying how."""
    rules.require(rules.may_report_rectification(acting_user, item))
    if item.status != RectificationStatus.OPEN:
        raise ValidationError(_("该整改事项不在整改中。"))
    if not note.strip():
        raise ValidationError({"note": _("请说明整改情况。")})
    return _move(item, {"status": RectificationStatus.REPORTED, "reported_note": note.strip(), "reported_on": on},
                 acting_user=acting_user, channel=channel)


@transaction.atomic
def do_close_rectification(item: Rectification, accept: bool, note: str, on: datetime.date, *, acting_user: User | None,
                           channel: Channel = Channel.PAGE) -> Rectification:
    """The inspectors close a reported item (销号), or send it back to rectify further (comments required)."""
    rules.require(rules.may_inspect(acting_user, item.finding.round))
    if item.status != RectificationStatus.REPORTED:
        raise ValidationError(_("只有已报整改的事项可以销号或退回。"))
    if not accept and not note.strip():
        raise ValidationError({"note": _("退回时请写明意见。")})
    if accept:
        changes = {"status": RectificationStatus.CLOSED, "closed_on": on, "closing_note": note.strip()}
    else:
        changes = {"status": RectificationStatus.OPEN, "closing_note": note.strip(), "reported_on": None}
    return _move(item, changes, acting_user=acting_user, channel=channel)


@transaction.atomic
def do_close_round(inspection: InspectionRound, summary: str, on: datetime.date, *, acting_user: User | None,
                   channel: Channel = Channel.PAGE) -> InspectionRound:
    """End the round with its summary; its rectification items go on until closed."""
    rules.require(rules.may_supervise(acting_user))
    _require_open(inspection)
    before = snapshot(inspection)
    inspection.status = RoundStatus.CLOSED
    inspection.ended_on = on
    inspection.summary = summary.strip()
    inspection.save()
    old, new = diff(before, snapshot(inspection))
    record_change(inspection, ChangeAction.UPDATE, acting_user=acting_user, channel=channel, before=old, after=new)
    return inspection
