"""Rules as data (decision 0017): adding and editing versions of eligibility and pass rules, finding the
version in force on a day, and judging a candidate's eligibility with an explanation naming the rule and
the facts it used."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from workforce.core.changelog import record_change, record_update, snapshot
from workforce.core.choices import ChangeAction, Channel
from workforce.skills.choices import GROUNDS_WITH_BASIS, Ground
from workforce.skills.models import EligibilityRule, PassRule

RULE_FIELDS = {"code", "name", "ground", "target_level", "prior_level", "years_with_prior", "years_in_occupation",
               "max_age", "requires_basis", "effective_from", "effective_to", "basis_document"}
PASS_RULE_FIELDS = {"level", "theory_min", "practical_min", "defence_min", "effective_from", "effective_to"}


def _overlapping(queryset: models.QuerySet[Any], start: datetime.date, end: datetime.date | None
                 ) -> models.QuerySet[Any]:
    """Rows of ``queryset`` whose [effective_from, effective_to] meets [start, end] (empty end: open)."""
    meets = Q(effective_to__isnull=True) | Q(effective_to__gte=start)
    if end is not None:
        meets &= Q(effective_from__lte=end)
    return queryset.filter(meets)


def _check_dates(start: datetime.date | None, end: datetime.date | None) -> None:
    if start is None:
        raise ValidationError({"effective_from": _("请填写生效日期。")})
    if end is not None and end < start:
        raise ValidationError({"effective_to": _("失效日期不能早于生效日期。")})


@transaction.atomic
def save_eligibility_rule(data: dict[str, Any], *, rule: EligibilityRule | None = None, acting_user: Any,
                          channel: Channel) -> EligibilityRule:
    """Add a version of a rule (``rule`` None: version = last + 1 of its code) or edit ``rule``. Refused with a
    clear message when its dates overlap another version of the same code; every change is in the change log."""
    unknown = set(data) - RULE_FIELDS
    assert not unknown, f"unexpected rule fields: {unknown}"
    before = snapshot(rule) if rule is not None else None
    if rule is None:
        code = data.get("code") or ""
        # The rule's versions locked while the next number is chosen: two editors cannot both take it.
        versions = list(EligibilityRule.objects.select_for_update().filter(code=code).values_list("version", flat=True))
        rule = EligibilityRule(version=max(versions, default=0) + 1)
    for name, value in data.items():
        setattr(rule, name, value)
    _check_dates(rule.effective_from, rule.effective_to)
    if rule.ground == Ground.SPECIAL_ABILITY and rule.target_level_id is not None:
        raise ValidationError({"target_level": _("专项职业能力考核不分等级，申报等级应留空。")})
    if rule.ground != Ground.SPECIAL_ABILITY and rule.target_level_id is None:
        raise ValidationError({"target_level": _("请选择申报等级。")})
    clash = _overlapping(EligibilityRule.objects.filter(code=rule.code).exclude(pk=rule.pk),
                         rule.effective_from, rule.effective_to).first()
    if clash is not None:
        raise ValidationError({"effective_from": _(
            "与规则 %(code)s 第 %(version)s 版的有效期（%(start)s 至 %(end)s）重叠；请先设定该版本的失效日期。") % {
            "code": clash.code, "version": clash.version, "start": clash.effective_from,
            "end": clash.effective_to or _("长期")}})
    rule.full_clean(validate_unique=False)
    created = rule.pk is None
    rule.save()
    if created or before is None:
        record_change(rule, ChangeAction.CREATE, acting_user=acting_user, channel=channel, after=snapshot(rule))
    else:
        record_update(rule, before, acting_user=acting_user, channel=channel)
    return rule


@transaction.atomic
def save_pass_rule(data: dict[str, Any], *, acting_user: Any, channel: Channel) -> PassRule:
    """Add a version of the pass marks of a level; the same overlap rule as eligibility rules."""
    unknown = set(data) - PASS_RULE_FIELDS
    assert not unknown, f"unexpected pass-rule fields: {unknown}"
    level = data.get("level")
    # No ordering: PassRule's orders by the level's own ordering, an outer join PostgreSQL will not lock.
    locked = PassRule.objects.select_for_update(of=("self",)).order_by()
    same_level = locked.filter(level=level) if level else locked.filter(level__isnull=True)
    rule = PassRule(version=max(same_level.values_list("version", flat=True), default=0) + 1, **data)
    _check_dates(rule.effective_from, rule.effective_to)
    for name in ("theory_min", "practical_min", "defence_min"):
        value = getattr(rule, name)
        if value is not None and not 0 <= value <= 100:
            raise ValidationError({name: _("合格线须在 0 至 100 分之间。")})
    if level is not None and level.level <= 2 and rule.defence_min is None:
        raise ValidationError({"defence_min": _("技师及以上等级须设定综合评审（答辩）合格线。")})
    clash = _overlapping(same_level, rule.effective_from, rule.effective_to).first()
    if clash is not None:
        raise ValidationError({"effective_from": _("与该等级合格标准第 %(version)s 版的有效期重叠。") % {
            "version": clash.version}})
    rule.full_clean(validate_unique=False)
    rule.save()
    record_change(rule, ChangeAction.CREATE, acting_user=acting_user, channel=channel, after=snapshot(rule))
    return rule


def rule_in_force(ground: str, level_id: int | None, on: datetime.date) -> EligibilityRule | None:
    """The eligibility rule version for ``ground`` and target level in force on ``on``."""
    rules = EligibilityRule.objects.filter(ground=ground, effective_from__lte=on).filter(
        Q(effective_to__isnull=True) | Q(effective_to__gte=on))
    rules = rules.filter(target_level_id=level_id) if level_id else rules.filter(target_level__isnull=True)
    return rules.order_by("-effective_from", "-version").first()


def pass_rule_in_force(level_id: int | None, on: datetime.date) -> PassRule | None:
    """The pass marks of a level in force on ``on``."""
    rules = PassRule.objects.filter(effective_from__lte=on).filter(
        Q(effective_to__isnull=True) | Q(effective_to__gte=on))
    rules = rules.filter(level_id=level_id) if level_id else rules.filter(level__isnull=True)
    return rules.order_by("-effective_from", "-version").first()


def add_years(day: datetime.date, years: int) -> datetime.date:
    """``day`` plus ``years`` years; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def full_years(start: datetime.date, end: datetime.date) -> int:
    """Whole years from ``start`` to ``end`` (a year is met on its anniversary, not a day before)."""
    years = end.year - start.year
    return years - 1 if add_years(start, years) > end else years


@dataclass
class Judgement:
    """Whether a worker may sit a session, by which rule version, and why: one line per condition."""

    rule: EligibilityRule | None
    is_eligible: bool
    lines: list[str] = field(default_factory=list)

    @property
    def refusal(self) -> str:
        """The message a refused registration shows: the rule and the conditions not met."""
        if self.rule is None:
            return self.lines[0] if self.lines else _("没有适用的申报条件规则。")
        return _("不符合申报条件（%(rule)s）：%(lines)s") % {"rule": self.rule, "lines": "；".join(self.lines)}


def judge_eligibility(worker: Any, *, occupation: Any, level: Any, ground: str, basis: str, on: datetime.date
                      ) -> Judgement:
    """Judge ``worker`` for ``occupation`` at ``level`` (None: special vocational ability) on ``ground`` as of
    ``on`` (the session's date) by the rule version in force then; every line names the fact it used, e.g.
    "需持有四级证书满 4 年：持有 2021-05-01 起，已满 5 年"."""
    from workforce.registry.models import Certificate, EmploymentSpell

    level_id = level.level if level is not None else None
    rule = rule_in_force(ground, level_id, on)
    if rule is None:
        return Judgement(None, False, [_("%(date)s 没有“%(ground)s”申报 %(level)s 的有效规则。") % {
            "date": on, "ground": Ground(ground).label, "level": level.label if level else _("专项职业能力")}])
    ok = True
    lines: list[str] = []
    if rule.prior_level is not None:
        # A higher level (a smaller number) of the same occupation satisfies a lower requirement too.
        held = (Certificate.objects.filter(worker=worker, occupation=occupation, level__level__lte=rule.prior_level_id,
                                           issued_on__lte=on).order_by("issued_on").first())
        years = rule.years_with_prior or 0
        wanted = _("需持有%(level)s证书满 %(years)s 年") % {"level": rule.prior_level.grade, "years": years} if years \
            else _("需持有%(level)s证书") % {"level": rule.prior_level.grade}
        if held is None:
            ok = False
            lines.append(_("%(wanted)s：未持有本职业该等级或更高等级证书") % {"wanted": wanted})
        else:
            served = full_years(held.issued_on, on)
            met = add_years(held.issued_on, years) <= on
            ok = ok and met
            lines.append(_("%(wanted)s：持有 %(since)s 起，已满 %(served)s 年") % {
                "wanted": wanted, "since": held.issued_on.isoformat(), "served": served} if met else
                _("%(wanted)s：持有 %(since)s 起，%(due)s 方满") % {
                    "wanted": wanted, "since": held.issued_on.isoformat(), "due": add_years(held.issued_on, years)})
    if rule.years_in_occupation:
        spells = EmploymentSpell.objects.filter(worker=worker, occupation=occupation, start_date__lte=on)
        days = sum(((min(spell.end_date or on, on) - spell.start_date).days + 1) for spell in spells)
        first = min((spell.start_date for spell in spells), default=None)
        # Contiguous service is counted from its first day by calendar years; with gaps, by days (365 a year).
        contiguous = first is not None and days == (on - first).days + 1
        met = add_years(first, rule.years_in_occupation) <= on if contiguous and first else \
            days >= 365 * rule.years_in_occupation
        served = full_years(first, on) if contiguous and first else days // 365
        ok = ok and met
        lines.append(_("需从事本职业满 %(years)s 年：累计 %(served)s 年（%(days)s 天）") % {
            "years": rule.years_in_occupation, "served": served, "days": days})
    if rule.max_age is not None:
        age = full_years(worker.birth_date, on)
        met = age <= rule.max_age
        ok = ok and met
        lines.append(_("年龄不超过 %(max)s 周岁：%(date)s 时 %(age)s 周岁") % {"max": rule.max_age, "date": on,
                                                                         "age": age})
    if rule.requires_basis or ground in GROUNDS_WITH_BASIS:
        met = bool(basis.strip())
        ok = ok and met
        lines.append(_("需记录特殊依据：%(basis)s") % {"basis": basis.strip()} if met else
                     _("需记录特殊依据：未填写"))
    if not lines:
        lines.append(_("本规则无前置条件"))
    return Judgement(rule, ok, lines)
