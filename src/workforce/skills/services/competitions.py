"""Competitions (§20): results entered once (optimistic locking), the consequence rules in force on the
competition's day evaluated for all entrants at once, and corrections that re-evaluate the cases without ever
duplicating one (decision 0017)."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from workforce.core.changelog import StaleRecordError, record_change, record_update, snapshot
from workforce.core.choices import ChangeAction, Channel
from workforce.skills.choices import CaseState
from workforce.skills.models import Competition, CompetitionCase, ConsequenceRule, Entrant
from workforce.skills.services.rules import _check_dates, _overlapping

RULE_FIELDS = {"code", "name", "tier", "kind", "max_rank", "consequence", "effective_from", "effective_to"}


@transaction.atomic
def save_consequence_rule(data: dict[str, Any], *, rule: ConsequenceRule | None = None, acting_user: Any,
                          channel: Channel) -> ConsequenceRule:
    """Add a version of a consequence rule (or edit ``rule``); overlapping versions of a code are refused."""
    unknown = set(data) - RULE_FIELDS
    assert not unknown, f"unexpected rule fields: {unknown}"
    before = snapshot(rule) if rule is not None else None
    if rule is None:
        versions = ConsequenceRule.objects.select_for_update().filter(code=data.get("code", ""))
        rule = ConsequenceRule(version=max(versions.values_list("version", flat=True), default=0) + 1)
    for name, value in data.items():
        setattr(rule, name, value)
    _check_dates(rule.effective_from, rule.effective_to)
    if not rule.max_rank or rule.max_rank < 1:
        raise ValidationError({"max_rank": _("名次须为正整数。")})
    clash = _overlapping(ConsequenceRule.objects.filter(code=rule.code).exclude(pk=rule.pk), rule.effective_from,
                         rule.effective_to).first()
    if clash is not None:
        raise ValidationError({"effective_from": _(
            "与规则 %(code)s 第 %(version)s 版的有效期（%(start)s 至 %(end)s）重叠；请先设定该版本的失效日期。") % {
            "code": clash.code, "version": clash.version, "start": clash.effective_from,
            "end": clash.effective_to or _("长期")}})
    rule.full_clean(validate_unique=False)
    rule.save()
    if before is None:
        record_change(rule, ChangeAction.CREATE, acting_user=acting_user, channel=channel, after=snapshot(rule))
    else:
        record_update(rule, before, acting_user=acting_user, channel=channel)
    return rule


def rules_in_force(competition: Competition, on: datetime.date | None = None) -> list[ConsequenceRule]:
    """The rule versions that apply to ``competition`` on its day, the narrowest rank first (so a case names
    the most specific rule when two give the same consequence)."""
    day = on or competition.held_on
    return list(ConsequenceRule.objects.filter(tier=competition.tier, effective_from__lte=day)
                .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=day))
                .filter(Q(kind="") | Q(kind=competition.kind)).order_by("max_rank", "code"))


def _wanted(rank: int | None, rules: list[ConsequenceRule]) -> dict[str, ConsequenceRule]:
    """consequence → the first rule giving it to ``rank`` (ties share a rank, so both tied entrants qualify)."""
    wanted: dict[str, ConsequenceRule] = {}
    if rank is None:  # no rank (withdrawn, disqualified): nothing is due
        return wanted
    for rule in rules:
        if rank <= rule.max_rank:
            wanted.setdefault(rule.consequence, rule)
    return wanted


def _reconcile(entrants: list[Entrant], rules: list[ConsequenceRule], *, acting_user: Any,
               channel: Channel) -> dict[str, int]:
    """Make the entrants' cases match the rules: create what is newly due, reopen a withdrawn case that is due
    again (never a second row), withdraw an open case no longer due; closed cases are left as they are."""
    existing: dict[int, dict[str, CompetitionCase]] = {}
    for held in CompetitionCase.objects.select_for_update().filter(entrant__in=entrants):
        existing.setdefault(held.entrant_id, {})[held.consequence] = held
    counts = {"created": 0, "reopened": 0, "withdrawn": 0}
    new: list[CompetitionCase] = []
    for entrant in entrants:
        wanted = _wanted(entrant.rank, rules)
        rank = entrant.rank or 0  # only read when a rule matched, so a rank is there
        for consequence, rule in wanted.items():
            case = existing.get(entrant.pk, {}).get(consequence)
            if case is None:
                new.append(CompetitionCase(entrant=entrant, consequence=consequence, rule=rule,
                                           triggering_rank=rank))
            elif case.state == CaseState.WITHDRAWN or (case.state == CaseState.OPEN and (
                    case.rule_id != rule.pk or case.triggering_rank != rank)):
                before = snapshot(case)
                counts["reopened"] += case.state == CaseState.WITHDRAWN
                case.state, case.rule, case.triggering_rank = CaseState.OPEN, rule, rank
                case.save()
                record_update(case, before, acting_user=acting_user, channel=channel, parent=entrant.competition)
        for consequence, case in existing.get(entrant.pk, {}).items():
            if consequence not in wanted and case.state == CaseState.OPEN:
                before = snapshot(case)
                case.state = CaseState.WITHDRAWN
                case.save()
                record_update(case, before, acting_user=acting_user, channel=channel, parent=entrant.competition)
                counts["withdrawn"] += 1
    CompetitionCase.objects.bulk_create(new)
    for case in new:
        record_change(case, ChangeAction.CREATE, acting_user=acting_user, channel=channel, after=snapshot(case),
                      parent=case.entrant.competition)
    counts["created"] = len(new)
    return counts


@transaction.atomic
def record_results(competition: Competition, ranks: Mapping[int, int], *, expected_version: int | None,
                   acting_user: Any, channel: Channel) -> dict[str, int]:
    """Enter the ranks of a competition's entrants (entrant id → rank; ties share a rank) once, and open the
    cases the rules in force on its day give. Entering results twice is refused; so is a stale version."""
    fresh = Competition.objects.select_for_update().get(pk=competition.pk)
    if expected_version is not None and fresh.version != expected_version:
        raise StaleRecordError()
    if fresh.results_recorded_at is not None:
        raise ValidationError(_("该竞赛成绩已录入，不能重复录入；如有错误请逐项更正。"))
    entrants = {entrant.pk: entrant for entrant in Entrant.objects.select_for_update().filter(competition=fresh)}
    unknown = set(ranks) - set(entrants)
    if unknown:
        raise ValidationError(_("选手 %(ids)s 不是该竞赛的参赛选手。") % {"ids": ", ".join(map(str, sorted(unknown)))})
    if any(not isinstance(rank, int) or rank < 1 for rank in ranks.values()):
        raise ValidationError(_("名次须为正整数。"))
    for entrant_id, rank in ranks.items():
        entrants[entrant_id].rank = rank
        entrants[entrant_id].version += 1
    Entrant.objects.bulk_update([entrants[pk] for pk in ranks], ["rank", "version"])
    before = snapshot(fresh)
    fresh.results_recorded_at = timezone.now()
    fresh.version += 1
    fresh.save()
    record_update(fresh, before, acting_user=acting_user, channel=channel)
    for entrant in entrants.values():
        entrant.competition = fresh
    return _reconcile(list(entrants.values()), rules_in_force(fresh), acting_user=acting_user, channel=channel)


@transaction.atomic
def correct_result(entrant: Entrant, rank: int | None, *, expected_version: int | None, acting_user: Any,
                   channel: Channel) -> dict[str, int]:
    """Correct one entrant's rank after the results are in, and re-evaluate their cases (open ones withdrawn
    or changed, withdrawn ones reopened, none duplicated)."""
    fresh = Entrant.objects.select_for_update().select_related("competition").get(pk=entrant.pk)
    if expected_version is not None and fresh.version != expected_version:
        raise StaleRecordError()
    if fresh.competition.results_recorded_at is None:
        raise ValidationError(_("该竞赛尚未录入成绩。"))
    if rank is not None and rank < 1:
        raise ValidationError({"rank": _("名次须为正整数。")})
    before = snapshot(fresh)
    fresh.rank = rank
    fresh.version += 1
    fresh.save()
    record_update(fresh, before, acting_user=acting_user, channel=channel, parent=fresh.competition)
    return _reconcile([fresh], rules_in_force(fresh.competition), acting_user=acting_user, channel=channel)
