"""Appraisal bodies, sessions and candidates: every state change of the appraisal flow, each with its
change-log row in the same transaction (STYLE.md; Zulip's ``do_<verb>_<noun>``)."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from workforce.accounts.choices import ScopeKind
from workforce.core.changelog import StaleRecordError, changes_from, record_change, record_update, snapshot
from workforce.core.choices import ChangeAction, Channel
from workforce.registry.choices import CertificateKind
from workforce.registry.models import Certificate, Worker
from workforce.registry.services import add_certificate
from workforce.skills.choices import Ground, Outcome, RegistrationRoute, SessionState
from workforce.skills.models import AccreditedScope, AppraisalBody, AppraisalSession, Candidate
from workforce.skills.querysets import acts_for_bodies
from workforce.skills.services.rules import judge_eligibility, pass_rule_in_force

BODY_FIELDS = {"name", "kind", "employer", "accredited_from", "accredited_until", "certificate_prefix"}
SESSION_FIELDS = {"body", "occupation", "level", "date", "venue", "quota"}
NEXT_STATE = {SessionState.PLANNED: SessionState.OPEN, SessionState.OPEN: SessionState.CLOSED}
MAX_SCORE = Decimal(100)


@transaction.atomic
def create_body(data: dict[str, Any], scopes: list[tuple[Any, Any]], *, staff: Any = (), acting_user: Any,
                channel: Channel) -> AppraisalBody:
    """Record an accredited body with the (occupation, level) pairs it may assess and the users acting for it."""
    unknown = set(data) - BODY_FIELDS
    assert not unknown, f"unexpected body fields: {unknown}"
    body = AppraisalBody(**data)
    if body.accredited_from and body.accredited_until and body.accredited_until < body.accredited_from:
        raise ValidationError({"accredited_until": _("备案截止日期不能早于起始日期。")})
    if AppraisalBody.objects.filter(certificate_prefix=body.certificate_prefix).exists():
        raise ValidationError({"certificate_prefix": _("该证书编号前缀已被其他机构使用。")})
    body.full_clean(validate_unique=False)
    body.save()
    for occupation, level in dict.fromkeys(scopes):
        AccreditedScope.objects.create(body=body, occupation=occupation, level=level)
    body.staff.set(staff)
    record_change(body, ChangeAction.CREATE, acting_user=acting_user, channel=channel, after=snapshot(body))
    return body


def _require_body_staff(user: Any, body: AppraisalBody) -> None:
    """Only the body's own staff (or the city) run its sessions."""
    if user is None:  # the system (demo, commands)
        return
    if user.scope_kind == ScopeKind.CITY and not acts_for_bodies(user):
        return
    if not body.staff.filter(pk=user.pk).exists():
        raise PermissionDenied(_("只能管理本评价机构的认定批次。"))


@transaction.atomic
def create_session(data: dict[str, Any], *, acting_user: Any, channel: Channel) -> AppraisalSession:
    """Plan a session; the body must be accredited on its date for its occupation and level."""
    unknown = set(data) - SESSION_FIELDS
    assert not unknown, f"unexpected session fields: {unknown}"
    session = AppraisalSession(**data, state=SessionState.PLANNED)
    _require_body_staff(acting_user, session.body)
    if session.quota is not None and session.quota < 1:
        raise ValidationError({"quota": _("名额至少为 1 人。")})
    if session.date and not session.body.is_accredited_on(session.date):
        raise ValidationError({"date": _("认定日期不在该机构的备案有效期（%(start)s 至 %(end)s）内。") % {
            "start": session.body.accredited_from, "end": session.body.accredited_until}})
    scopes = AccreditedScope.objects.filter(body=session.body, occupation=session.occupation)
    scopes = scopes.filter(level=session.level) if session.level_id else scopes.filter(level__isnull=True)
    if not scopes.exists():
        raise ValidationError({"level": _("该机构未备案此职业（工种）和等级的评价范围。")})
    session.full_clean()
    session.save()
    record_change(session, ChangeAction.CREATE, acting_user=acting_user, channel=channel, after=snapshot(session),
                  parent=session.body)
    return session


def _locked(session: AppraisalSession, expected_version: int | None) -> AppraisalSession:
    """``session`` re-read under its row lock; a stale ``expected_version`` is refused (told to reload)."""
    fresh: AppraisalSession = AppraisalSession.objects.select_for_update(of=("self",)).select_related(
        "body", "occupation", "level").get(pk=session.pk)
    if expected_version is not None and fresh.version != expected_version:
        raise StaleRecordError()
    return fresh


def _bump(session: AppraisalSession, before: dict[str, Any], *, acting_user: Any, channel: Channel) -> None:
    session.version += 1
    session.save()
    record_update(session, before, acting_user=acting_user, channel=channel, parent=session.body)


@transaction.atomic
def advance_session(session: AppraisalSession, *, expected_version: int | None, acting_user: Any,
                    channel: Channel) -> AppraisalSession:
    """Open registration (planned → open) or close it (open → closed)."""
    session = _locked(session, expected_version)
    _require_body_staff(acting_user, session.body)
    target = NEXT_STATE.get(SessionState(session.state))
    if target is None:
        raise ValidationError(_("该批次已截止报名，不能再变更状态；请录入成绩后公布。"))
    before = snapshot(session)
    session.state = target
    _bump(session, before, acting_user=acting_user, channel=channel)
    return session


def _route_for(user: Any, worker: Worker) -> str:
    """Which door ``user`` registers ``worker`` through, or PermissionDenied: a body for its own sessions, HR
    for the people employed by its employer today, a worker for themself."""
    if user is None:
        return RegistrationRoute.BODY
    if acts_for_bodies(user):
        return RegistrationRoute.BODY
    if user.scope_kind == ScopeKind.SELF and user.worker_id == worker.pk:
        return RegistrationRoute.SELF
    if user.scope_kind == ScopeKind.EMPLOYER and Worker.objects.filter(pk=worker.pk).employed_on(
            timezone.localdate(), user.employer).exists():
        return RegistrationRoute.EMPLOYER
    if user.scope_kind == ScopeKind.CITY:
        return RegistrationRoute.BODY
    raise PermissionDenied(_("只能为本单位在职职工或本人报名。"))


@transaction.atomic
def register_candidate(session: AppraisalSession, worker: Worker, *, ground: str = Ground.STANDARD,
                       basis: str = "", acting_user: Any, channel: Channel) -> Candidate:
    """Register ``worker`` for an open ``session``: once per session, within its quota (counted under the
    session's row lock, so two registrations cannot both take the last place), and only when the rule in force
    on the session's date says they are eligible; a refusal names the rule and the facts."""
    session = _locked(session, None)
    route = _route_for(acting_user, worker)
    if route == RegistrationRoute.BODY and acting_user is not None and acts_for_bodies(acting_user):
        _require_body_staff(acting_user, session.body)
    if session.state != SessionState.OPEN:
        raise ValidationError(_("该批次当前不在报名期（%(state)s）。") % {"state": session.get_state_display()})
    if not worker.is_active:
        raise ValidationError(_("该职工档案已合并，请为合并后的档案报名。"))
    if (session.level_id is None) != (ground == Ground.SPECIAL_ABILITY):
        raise ValidationError({"ground": _("专项职业能力批次只接受“专项职业能力考核”申报，等级批次不接受。")})
    if Candidate.objects.filter(session=session, worker=worker).exists():
        raise ValidationError(_("该职工已报名本批次，不能重复报名。"))
    if Candidate.objects.filter(session=session).count() >= session.quota:
        raise ValidationError(_("本批次名额（%(quota)s 人）已满。") % {"quota": session.quota})
    judgement = judge_eligibility(worker, occupation=session.occupation, level=session.level, ground=ground,
                                  basis=basis, on=session.date)
    if not judgement.is_eligible:
        raise ValidationError(judgement.refusal)
    assert judgement.rule is not None
    try:
        with transaction.atomic():
            candidate = Candidate.objects.create(
                session=session, worker=worker, route=route,
                registered_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
                ground=ground, ground_basis=basis.strip(), rule=judgement.rule,
                explanation=[str(line) for line in judgement.lines])
    except IntegrityError:
        raise ValidationError(_("该职工已报名本批次，不能重复报名。")) from None
    record_change(candidate, ChangeAction.CREATE, acting_user=acting_user, channel=channel,
                  after=snapshot(candidate), parent=session)
    return candidate


def _score(value: Any, name: str, label: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        score = Decimal(str(value))
    except InvalidOperation:
        raise ValidationError({name: _("%(label)s成绩须为数字。") % {"label": label}}) from None
    if not Decimal(0) <= score <= MAX_SCORE or score.as_tuple().exponent < -1:  # type: ignore[operator]
        raise ValidationError({name: _("%(label)s成绩须在 0 至 100 分之间，最多一位小数。") % {"label": label}})
    return score


@transaction.atomic
def enter_scores(candidate: Candidate, scores: dict[str, Any], *, expected_version: int | None, acting_user: Any,
                 channel: Channel) -> Candidate:
    """Enter a candidate's scores once (theory, practical, and defence for 技师 and above; ``absent`` True for a
    no-show). Refused when the session is not closed, a score is out of range or missing, the scores were
    entered already, or the candidate changed since the form was read (one of two concurrent entries wins,
    the other is told to reload)."""
    session = candidate.session
    _require_body_staff(acting_user, session.body)
    fresh: Candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    if expected_version is not None and fresh.version != expected_version:
        raise StaleRecordError()
    if fresh.scores_entered_at is not None:
        raise ValidationError(_("该考生成绩已录入，不能重复录入。"))
    if session.state != SessionState.CLOSED:
        raise ValidationError(_("报名截止后、成绩公布前方可录入成绩。"))
    before = snapshot(fresh)
    if scores.get("absent"):
        fresh.outcome = Outcome.ABSENT
    else:
        fresh.theory_score = _score(scores.get("theory_score"), "theory_score", _("理论知识"))
        fresh.practical_score = _score(scores.get("practical_score"), "practical_score", _("操作技能"))
        fresh.defence_score = _score(scores.get("defence_score"), "defence_score", _("综合评审（答辩）"))
        missing = {name: _("请填写成绩。") for name in ("theory_score", "practical_score")
                   if getattr(fresh, name) is None}
        if session.needs_defence and fresh.defence_score is None:
            missing["defence_score"] = _("技师及以上等级须录入综合评审（答辩）成绩。")
        if not session.needs_defence and fresh.defence_score is not None:
            missing["defence_score"] = _("技师以下等级不设综合评审（答辩）。")
        if missing:
            raise ValidationError(missing)
    fresh.scores_entered_at = timezone.now()
    fresh.version += 1
    fresh.save()
    record_update(fresh, before, acting_user=acting_user, channel=channel, parent=session)
    return fresh


def passes(candidate: Candidate, session: AppraisalSession) -> tuple[bool, str]:
    """Whether the candidate's scores meet the pass rule in force on the session's date, and the rule's text."""
    rule = pass_rule_in_force(session.level_id, session.date)
    if rule is None:
        raise ValidationError(_("%(date)s 没有该等级的有效合格标准，不能公布成绩。") % {"date": session.date})
    met = (candidate.theory_score is not None and candidate.theory_score >= rule.theory_min
           and candidate.practical_score is not None and candidate.practical_score >= rule.practical_min
           and (rule.defence_min is None or (candidate.defence_score is not None
                                             and candidate.defence_score >= rule.defence_min)))
    return met, str(rule)


@transaction.atomic
def publish_results(session: AppraisalSession, *, expected_version: int | None, acting_user: Any,
                    channel: Channel, on: datetime.date | None = None) -> AppraisalSession:
    """Publish a closed session's results: every candidate must have scores (or be absent); each gets their
    outcome by the pass rule in force on the session's date."""
    session = _locked(session, expected_version)
    _require_body_staff(acting_user, session.body)
    if session.state != SessionState.CLOSED:
        raise ValidationError(_("只有报名截止的批次可以公布成绩。"))
    candidates = list(Candidate.objects.select_for_update().filter(session=session))
    waiting = [candidate for candidate in candidates if candidate.scores_entered_at is None]
    if waiting:
        raise ValidationError(_("还有 %(count)s 名考生未录入成绩（缺考也须登记）。") % {"count": len(waiting)})
    for candidate in candidates:
        if candidate.outcome == Outcome.ABSENT:
            continue
        before = snapshot(candidate)
        met, _rule = passes(candidate, session)
        candidate.outcome = Outcome.PASSED if met else Outcome.FAILED
        candidate.version += 1
        candidate.save()
        record_update(candidate, before, acting_user=acting_user, channel=channel, parent=session)
    before = snapshot(session)
    session.state = SessionState.PUBLISHED
    session.published_on = on or timezone.localdate()
    _bump(session, before, acting_user=acting_user, channel=channel)
    return session


def certificate_number(body: AppraisalBody, year: int, serial: int) -> str:
    """The number of the ``serial``-th certificate of ``body``: prefix, year, six-digit serial (``PG2026000042``)."""
    return f"{body.certificate_prefix}{year}{serial:06d}"


@transaction.atomic
def issue_certificates(session: AppraisalSession, *, expected_version: int | None, acting_user: Any,
                       channel: Channel) -> list[Certificate]:
    """Issue the certificates of a published session's passed candidates into the registry, in one call: numbers
    from the body's series (its counter locked, so two sessions never take one number); a number already in the
    registry refuses the whole call with a clear message and changes nothing. Each certificate's change-log row
    names this session as its source (``core.changelog.changes_from``)."""
    session = _locked(session, expected_version)
    _require_body_staff(acting_user, session.body)
    if session.state != SessionState.PUBLISHED:
        raise ValidationError(_("成绩公布后方可颁发证书。"))
    if session.certificates_issued_at is not None:
        raise ValidationError(_("本批次证书已颁发，不能重复颁发。"))
    body = AppraisalBody.objects.select_for_update().get(pk=session.body_id)
    passed = list(Candidate.objects.select_for_update(of=("self",)).filter(session=session, outcome=Outcome.PASSED,
                                                               certificate__isnull=True)
                  .select_related("worker").order_by("pk"))
    kind = CertificateKind.SKILL_LEVEL if session.level_id else CertificateKind.SPECIAL_ABILITY
    year = (session.published_on or session.date).year
    numbers = [certificate_number(body, year, body.last_number + index) for index in range(1, len(passed) + 1)]
    clash = Certificate.objects.filter(kind=kind, number__in=numbers).values_list("number", flat=True).first()
    if clash is not None:
        raise ValidationError(_(
            "证书编号 %(number)s 已在登记库中存在，本次未颁发任何证书；请核对该机构的证书编号前缀和流水号。")
            % {"number": clash})
    issued = []
    for row, (candidate, number) in enumerate(zip(passed, numbers, strict=True), start=1):
        with changes_from(session, row):
            certificate = add_certificate(candidate.worker, {
                "kind": kind, "occupation": session.occupation, "level": session.level, "number": number,
                "issuer": body.name, "issued_on": session.published_on or session.date},
                acting_user=acting_user, channel=channel)
        before = snapshot(candidate)
        candidate.certificate = certificate
        candidate.version += 1
        candidate.save()
        record_update(candidate, before, acting_user=acting_user, channel=channel, parent=session)
        issued.append(certificate)
    body.last_number += len(passed)
    body.save(update_fields=["last_number"])
    before = snapshot(session)
    session.certificates_issued_at = timezone.now()
    _bump(session, before, acting_user=acting_user, channel=channel)
    return issued
