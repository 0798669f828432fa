"""Demo skills appraisal (issue 17): four accredited bodies of each kind, three years of sessions with their
candidates, scores, published results and certificates issued into the registry, and this season's sessions
in every state (one closed with scores half entered, one open for registration, one planned). The demo logins
"appraisal" and "school" act for two of the bodies. Everything is dated relative to ``context.today``;
deterministic for a seed; kept when already there unless ``context.replace``."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.db.models import Count

from workforce.accounts.models import User
from workforce.core.choices import Channel
from workforce.demo.accounts import largest_pangang_employer
from workforce.demo.parts import DemoContext, DemoPart
from workforce.reference.models import Occupation, SkillLevel
from workforce.registry.models import EmploymentSpell, Worker
from workforce.skills import services
from workforce.skills.choices import BodyKind, Ground
from workforce.skills.models import AppraisalBody, AppraisalSession, Candidate
from workforce.skills.seed import seed_rules

SYSTEM = Channel.SYSTEM
# name, kind, certificate prefix, demo login acting for it, whether it is the largest Pangang company's own
BODIES = [
    ("攀钢技能等级认定中心", BodyKind.ENTERPRISE, "PGJN", "appraisal", True),
    ("攀枝花技师学院", BodyKind.VOCATIONAL_SCHOOL, "PZJS", "school", False),
    ("攀枝花市钒钛产业协会", BodyKind.INDUSTRY, "PZFT", "", False),
    ("四川天府职业技能评价有限公司", BodyKind.THIRD_PARTY, "SCTF", "", False),
]
VENUES = ["攀钢职工培训中心实训楼", "攀枝花技师学院实训基地", "钒钛产业园区技能鉴定站", "东区技能人才评价基地"]
SESSIONS_PER_YEAR = 3  # per body
YEARS = 3


def _occupations() -> list[Occupation]:
    """The four occupations with the most open employment spells (the demo's workforce decides)."""
    codes = list(EmploymentSpell.objects.filter(end_date__isnull=True, occupation__isnull=False)
                 .values("occupation").annotate(n=Count("id")).order_by("-n", "occupation")
                 .values_list("occupation", flat=True)[:4])
    return list(Occupation.objects.filter(code__in=codes).order_by("code"))


def _candidates_for(session: AppraisalSession, rng: random.Random, limit: int) -> int:
    """Register up to ``limit`` workers of the session's occupation who are eligible on some ground."""
    workers = list(Worker.objects.filter(is_active=True, spells__occupation=session.occupation,
                                         spells__start_date__lte=session.date).distinct().order_by("pk")
                   .values_list("pk", flat=True)[:limit * 8])
    rng.shuffle(workers)
    taken = set(Candidate.objects.filter(session__occupation=session.occupation, session__level=session.level)
                .values_list("worker_id", flat=True))
    registered = 0
    for worker in Worker.objects.filter(pk__in=[pk for pk in workers if pk not in taken]).order_by("?")[:limit * 4]:
        if registered >= limit:
            break
        if session.level_id is None:
            grounds = [(Ground.SPECIAL_ABILITY, "")]
        else:
            grounds = [(Ground.STANDARD, ""), (Ground.YOUNG_WORKER, ""), (Ground.SKIP_LEVEL, "市人社局越级申报批复"),
                       (Ground.DUAL_CERTIFICATE, "攀枝花技师学院在读（学历证书+职业技能等级证书）")]
        for ground, basis in grounds:
            judgement = services.judge_eligibility(worker, occupation=session.occupation, level=session.level,
                                                   ground=ground, basis=basis, on=session.date)
            if not judgement.is_eligible:
                continue
            if ground == Ground.DUAL_CERTIFICATE and worker.birth_date.year < session.date.year - 24:
                continue  # students only
            services.register_candidate(session, worker, ground=ground, basis=basis, acting_user=None, channel=SYSTEM)
            registered += 1
            break
    return registered


def _score(rng: random.Random) -> Decimal:
    return Decimal(max(0, min(100, round(rng.gauss(72, 12))))).quantize(Decimal("1"))


def _enter_scores(session: AppraisalSession, rng: random.Random, share: float = 1.0) -> None:
    candidates = list(Candidate.objects.filter(session=session, scores_entered_at__isnull=True).order_by("pk"))
    for candidate in candidates[:round(len(candidates) * share)]:
        absent = rng.random() < 0.04
        scores: dict[str, object] = {"absent": True} if absent else {
            "theory_score": _score(rng), "practical_score": _score(rng),
            "defence_score": _score(rng) if session.needs_defence else None}
        services.enter_scores(candidate, scores, expected_version=None, acting_user=None, channel=SYSTEM)


def _session(body: AppraisalBody, occupation: Occupation, level: SkillLevel | None, date: datetime.date,
             quota: int, rng: random.Random) -> AppraisalSession:
    return services.create_session({"body": body, "occupation": occupation, "level": level, "date": date,
                                    "venue": rng.choice(VENUES), "quota": quota}, acting_user=None, channel=SYSTEM)


def _advance(session: AppraisalSession, times: int) -> AppraisalSession:
    for _step in range(times):
        session = services.advance_session(session, expected_version=None, acting_user=None, channel=SYSTEM)
    return session


@transaction.atomic
def ensure_skills_demo(today: datetime.date, seed: int = 2018, replace: bool = False) -> dict[str, int]:
    """Build the demo appraisal data; counts of what was written (empty when kept)."""
    if AppraisalBody.objects.exists() and not replace:
        return {}
    if replace:
        Candidate.objects.all().delete()
        AppraisalSession.objects.all().delete()
        AppraisalBody.objects.all().delete()
    seed_rules()
    occupations = _occupations()
    if not occupations:
        return {}
    rng = random.Random(seed)
    levels = list(SkillLevel.objects.order_by("-level"))
    pangang = largest_pangang_employer()
    bodies = []
    for index, (name, kind, prefix, login, is_pangang) in enumerate(BODIES):
        staff = list(User.objects.filter(username=login)) if login else []
        scopes: list[tuple[Occupation, SkillLevel | None]] = [
            (occupation, level) for occupation in occupations for level in levels]
        scopes += [(occupation, None) for occupation in occupations]
        bodies.append(services.create_body({
            "name": name, "kind": kind, "employer": pangang if is_pangang else None,
            "accredited_from": today.replace(month=1, day=1) - datetime.timedelta(days=365 * (YEARS + 1)),
            "accredited_until": today + datetime.timedelta(days=365 * (3 + index % 2)),
            "certificate_prefix": prefix}, scopes, staff=staff, acting_user=None, channel=SYSTEM))
    counts = {"bodies": len(bodies), "sessions": 0, "candidates": 0, "certificates": 0}
    # Past sessions: results published and certificates issued, levels from the entry level up.
    for body_index, body in enumerate(bodies):
        for step in range(YEARS * SESSIONS_PER_YEAR):
            days_ago = 60 + (YEARS * 365 - 60) * step // (YEARS * SESSIONS_PER_YEAR) + body_index * 9
            date = today - datetime.timedelta(days=days_ago)
            level = None if step % 4 == 3 else levels[min(step % 4, len(levels) - 1) + (body_index % 2)]
            session = _advance(_session(body, occupations[(step + body_index) % len(occupations)], level, date,
                                        30, rng), 1)
            counts["candidates"] += _candidates_for(session, rng, rng.randint(8, 20))
            session = _advance(session, 1)
            _enter_scores(session, rng)
            session = services.publish_results(session, expected_version=None, acting_user=None, channel=SYSTEM,
                                               on=date + datetime.timedelta(days=21))
            counts["certificates"] += len(services.issue_certificates(session, expected_version=None,
                                                                      acting_user=None, channel=SYSTEM))
            counts["sessions"] += 1
    # This season, for the two bodies with demo logins: closed (half the scores in), open, planned.
    for body_index, body in enumerate(bodies[:2]):
        occupation = occupations[body_index % len(occupations)]
        closed = _advance(_session(body, occupation, levels[0], today - datetime.timedelta(days=10), 25, rng), 1)
        counts["candidates"] += _candidates_for(closed, rng, 10)
        closed = _advance(closed, 1)
        _enter_scores(closed, rng, share=0.5)
        open_session = _advance(_session(body, occupation, levels[1 + body_index],
                                         today + datetime.timedelta(days=20), 40, rng), 1)
        counts["candidates"] += _candidates_for(open_session, rng, 6)
        _session(body, occupation, None, today + datetime.timedelta(days=75), 30, rng)
        _session(body, occupations[-1], levels[0], today + datetime.timedelta(days=90), 25, rng)
        counts["sessions"] += 4
    # The demo worker's own skills page shows a session they may register for: one open in their occupation.
    worker = Worker.objects.filter(user__username="worker").first()
    own = worker.current_occupation if worker is not None else None
    if own is not None:
        bodies[0].scopes.get_or_create(occupation=own, level=None)
        _advance(_session(bodies[0], own, None, today + datetime.timedelta(days=30), 30, rng), 1)
        counts["sessions"] += 1
    return counts


def build(context: DemoContext) -> str:
    counts = ensure_skills_demo(context.today, context.seed, context.replace)
    if not counts:
        return "kept the skills appraisal demo already there (or no registry demo to build it on)"
    return (f"skills appraisal: {counts['bodies']} bodies, {counts['sessions']} sessions, "
            f"{counts['candidates']} candidates, {counts['certificates']} certificates issued")


PART = DemoPart("skills", build, after=("accounts",))
