"""Scoped reads of the skills app: detail fetches that answer 404 for "missing" and "not yours" alike, and the
skill ladder of a worker as of any date."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.http import Http404
from django.shortcuts import get_object_or_404

from workforce.registry.models import Certificate, Worker
from workforce.skills.choices import SessionState
from workforce.skills.models import AppraisalBody, AppraisalSession, Candidate


def get_body_for(user, pk) -> AppraisalBody:
    return get_object_or_404(AppraisalBody.objects.visible_to(user), pk=pk)


def get_session_for(user, pk) -> AppraisalSession:
    return get_object_or_404(AppraisalSession.objects.visible_to(user).select_related("body", "occupation", "level"),
                             pk=pk)


def get_candidate_for(user, pk) -> Candidate:
    return get_object_or_404(Candidate.objects.visible_to(user).select_related(
        "session__body", "session__occupation", "session__level", "worker"), pk=pk)


def candidates_of(user, session: AppraisalSession):
    """The session's candidates ``user`` may see (a district its workers, HR its staff, a body all of its own)."""
    return (Candidate.objects.visible_to(user).filter(session=session)
            .select_related("worker", "rule", "certificate").order_by("pk"))


@dataclass
class Step:
    """One rung of a worker's skill ladder: a certificate, and the session that issued it when this platform did."""

    certificate: Certificate
    session: AppraisalSession | None
    is_valid_on: bool


@dataclass
class Ladder:
    on: datetime.date
    steps: list[Step]

    @property
    def highest(self) -> Step | None:
        """The highest graded level valid on ``on`` (level 1 is the highest)."""
        graded = [step for step in self.steps if step.is_valid_on and step.certificate.level_id is not None]
        return min(graded, key=lambda step: (step.certificate.level_id, step.certificate.issued_on), default=None)


def ladder_of(user, worker: Worker, on: datetime.date) -> Ladder:
    """The certificates of ``worker`` that ``user`` may see, issued on or before ``on``, oldest first, each with
    its issuing session (if issued here) and whether it is still valid on ``on``."""
    if not Worker.objects.visible_to(user).filter(pk=worker.pk).exists():
        raise Http404
    certificates = list(Certificate.objects.visible_to(user).filter(worker=worker, issued_on__lte=on)
                        .select_related("occupation", "level").order_by("issued_on", "pk"))
    sessions = {candidate.certificate_id: candidate.session for candidate in
                Candidate.objects.filter(certificate__in=certificates).select_related("session__body")}
    return Ladder(on, [Step(certificate, sessions.get(certificate.pk),
                            certificate.valid_until is None or certificate.valid_until >= on)
                       for certificate in certificates])


def open_sessions(user):
    """Sessions open for registration that ``user`` may see, soonest first."""
    return (AppraisalSession.objects.visible_to(user).filter(state=SessionState.OPEN)
            .select_related("body", "occupation", "level").order_by("date", "pk"))


@dataclass
class PassRate:
    """One year's appraisal results city-wide: candidates assessed (absent ones left out) and passed."""

    year: int
    assessed: int
    passed: int

    @property
    def rate(self) -> float | None:
        """Passed over assessed, in percent (one decimal); ``None`` when nobody was assessed."""
        return round(100 * self.passed / self.assessed, 1) if self.assessed else None


def pass_rates_by_year(until: datetime.date | None = None) -> list[PassRate]:
    """The appraisal pass rate per year of published sessions (§10; monitored, no target): an aggregate of
    the whole city, one query. Only results published on or before ``until`` count."""
    from django.db.models import Count, Q
    from django.db.models.functions import ExtractYear

    from workforce.skills.choices import Outcome

    sessions = AppraisalSession.objects.filter(state=SessionState.PUBLISHED)
    if until is not None:
        sessions = sessions.filter(published_on__lte=until)
    rows = (Candidate.objects.filter(session__in=sessions, outcome__in=[Outcome.PASSED, Outcome.FAILED])
            .annotate(year=ExtractYear("session__published_on")).values("year")
            .annotate(assessed=Count("pk"), passed=Count("pk", filter=Q(outcome=Outcome.PASSED)))
            .order_by("year"))
    return [PassRate(row["year"], row["assessed"], row["passed"]) for row in rows]
