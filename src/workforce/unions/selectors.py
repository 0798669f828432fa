"""Scoped reads of the unions app: members of a subtree, applications with their (sealed) workers, the
organisation a membership belongs to (decision 0018).

Membership stays in the workers' sealed rolls (decision 0009); these read them in bulk through
``registry.memberships`` and never store what they read."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, QuerySet
from django.http import Http404
from django.utils import timezone

from workforce.registry.memberships import entries_by_id, held_on
from workforce.registry.models import EmploymentSpell, Worker
from workforce.registry.union_roll import RollEntry
from workforce.unions.choices import ApplicationChannel, ApplicationKind, ApplicationStatus, OrganisationKind
from workforce.unions.models import MembershipApplication, Organisation, OrganisationCoverage
from workforce.unions.querysets import OrganisationQuerySet, worker_key


@dataclass(frozen=True)
class Member:
    """A worker holding a membership of a base union on a day."""

    worker_id: int
    organisation_id: int
    membership_id: int
    valid_from: datetime.date


def get_organisation_for(user: Any, pk: int) -> Organisation:
    """The organisation ``pk`` as ``user`` may read it (404 when missing or not theirs)."""
    organisation = Organisation.objects.visible_to(user).select_related("parent", "district").filter(pk=pk).first()
    if organisation is None:
        raise Http404
    return organisation


def get_organisation_in_scope(user: Any, pk: int) -> Organisation:
    """The organisation ``pk`` if its members are in ``user``'s scope, else 404 (missing and not yours alike)."""
    organisation = Organisation.objects.in_scope_of(user).select_related("parent", "district").filter(pk=pk).first()
    if organisation is None:
        raise Http404
    return organisation


def get_application_for(user: Any, pk: int) -> MembershipApplication:
    application = (MembershipApplication.objects.visible_to(user)
                   .select_related("organisation", "from_organisation", "decided_by").filter(pk=pk).first())
    if application is None:
        raise Http404
    return with_workers([application])[0]


def with_workers(applications: list[MembershipApplication]) -> list[MembershipApplication]:
    """``applications`` with ``worker`` set (their sealed references opened in one go, one query)."""
    ids = {application.worker_id for application in applications}
    workers = Worker.objects.select_related("current_employer").in_bulk(ids) if ids else {}
    for application in applications:
        application.worker = workers.get(application.worker_id)  # type: ignore[attr-defined]
    return applications


def coverage_map(organisations: Iterable[Organisation] | QuerySet[Organisation], on: datetime.date) -> dict[int, int]:
    """{employer id: base union id} of the employers the base unions of ``organisations`` cover on ``on``."""
    ids = [organisation.pk for organisation in organisations]
    return dict(OrganisationCoverage.objects.on(on).filter(organisation_id__in=ids)
                .values_list("employer_id", "organisation_id"))


def _approved_references(applications: QuerySet[MembershipApplication]) -> list[tuple[int, int, int]]:
    """(worker id, membership id, organisation id) of approved joins and transfers (the sealed references are
    opened as the rows load)."""
    rows = applications.filter(status=ApplicationStatus.APPROVED,
                               kind__in=[ApplicationKind.JOIN, ApplicationKind.TRANSFER]).values_list(
        "worker_ref", "membership_ref", "organisation_id")
    return [(int(worker), int(membership), organisation_id) for worker, membership, organisation_id in rows
            if membership.strip() and worker.strip()]


def members_in(organisations: OrganisationQuerySet, on: datetime.date | None = None) -> list[Member]:
    """The members on ``on`` (default today) of the base unions among ``organisations``: the workers working
    for an employer one of them covers whose roll holds a membership through that employer's union, and the
    members a new-form union admitted (its approved applications whose membership is still held). Rolls are
    read in bulk (``registry.memberships``); one membership a worker."""
    day = on or timezone.localdate()
    base = list(organisations.base())
    employers = coverage_map([organisation for organisation in base if organisation.covers_employers], day)
    members: dict[int, Member] = {}
    if employers:
        working = EmploymentSpell.objects.on(day).filter(worker=OuterRef("pk"), employer_id__in=list(employers))
        candidates = Worker.objects.filter(is_active=True).filter(Exists(working))
        for pk, entries in held_on(candidates, day).items():
            for entry in entries:
                if entry.employer_id in employers:
                    members[pk] = Member(pk, employers[entry.employer_id], entry.id, entry.valid_from)
    new_form = [organisation.pk for organisation in base if organisation.kind == OrganisationKind.NEW_FORM]
    if new_form:
        admitted = _approved_references(MembershipApplication.objects.filter(organisation_id__in=new_form))
        rolls = entries_by_id({worker for worker, _membership, _organisation in admitted})
        for worker, membership, organisation_id in admitted:
            found = next((entry for entry in rolls.get(worker, []) if entry.id == membership), None)
            if found is not None and found.holds_on(day) and worker not in members:
                members[worker] = Member(worker, organisation_id, found.id, found.valid_from)
    return sorted(members.values(), key=lambda member: (member.organisation_id, member.worker_id))


def open_membership(worker: Worker, on: datetime.date) -> RollEntry | None:
    """The membership ``worker`` holds on ``on`` (any union), from their roll."""
    return next((entry for entry in entries_by_id([worker.pk]).get(worker.pk, []) if entry.holds_on(on)), None)


def organisation_of(worker: Worker, entry: RollEntry, on: datetime.date) -> Organisation | None:
    """The base union of the membership ``entry``: the one whose approved application wrote it, else the one
    covering its employer on ``on``; None when neither is known (a membership recorded before the tree)."""
    for application in MembershipApplication.objects.filter(
            worker_key=worker_key(worker.pk), status=ApplicationStatus.APPROVED,
            kind__in=[ApplicationKind.JOIN, ApplicationKind.TRANSFER]).select_related("organisation"):
        if application.membership_ref.strip() == str(entry.id):
            return application.organisation
    if entry.employer_id is None:
        return None
    coverage = OrganisationCoverage.objects.on(on).filter(employer_id=entry.employer_id).select_related(
        "organisation").first()
    return coverage.organisation if coverage else None


def eligible_employers(worker: Worker, organisation: Organisation, on: datetime.date) -> list[int]:
    """The employers ``worker`` works for on ``on`` that ``organisation`` covers then."""
    covered = OrganisationCoverage.objects.on(on).filter(organisation=organisation).values("employer_id")
    return list(EmploymentSpell.objects.on(on).filter(worker=worker, employer_id__in=covered)
                .order_by("-start_date", "pk").values_list("employer_id", flat=True))


def pending_count(user: Any) -> int:
    """Applications waiting for review in ``user``'s scope (the home card and the nav badge)."""
    return MembershipApplication.objects.visible_to(user).filter(status=ApplicationStatus.PENDING).count()


def tree(organisations: Iterable[Organisation]) -> list[tuple[Organisation, int]]:
    """``organisations`` in tree order with their depth relative to the shallowest of them (for indenting)."""
    ordered = sorted(organisations, key=lambda organisation: organisation.path)
    top = min((organisation.depth for organisation in ordered), default=0)
    return [(organisation, organisation.depth - top) for organisation in ordered]


# The plan's measures whose supervision pages show the union figures: §3 (建会 where workers are, the new-form
# groups) and §17 ("互联网+工会": applications online).
MEASURES_WITH_UNION_FIGURES = (3, 17)


def union_figures(on: datetime.date) -> dict[str, Any]:
    """City-wide counts for the supervision pages (no person in them): base unions by kind, the employers they
    cover on ``on``, and the applications of the last 365 days by status and by source."""
    from django.db.models import Count

    since = on - datetime.timedelta(days=365)
    by_kind = dict(Organisation.objects.filter(is_active=True).order_by().values("kind")
                   .annotate(count=Count("pk")).values_list("kind", "count"))
    recent = MembershipApplication.objects.filter(applied_on__gt=since, applied_on__lte=on)
    by_status = dict(recent.order_by().values("status").annotate(count=Count("pk")).values_list("status", "count"))
    by_source = dict(recent.order_by().values("channel").annotate(count=Count("pk")).values_list("channel", "count"))
    return {
        "kinds": [(label, by_kind.get(value, 0)) for value, label in OrganisationKind.choices],
        "covered_employers": OrganisationCoverage.objects.on(on).count(),
        "statuses": [(label, by_status.get(value, 0)) for value, label in ApplicationStatus.choices],
        "sources": [(label, by_source.get(value, 0)) for value, label in ApplicationChannel.choices],
        "since": since,
    }


def organisations_in_scope(user: Any) -> OrganisationQuerySet:
    """The organisations of the user's post and those below it (whose members and applications they handle)."""
    return Organisation.objects.in_scope_of(user)


def in_scope(user: Any, organisation_id: int) -> bool:
    return organisations_in_scope(user).filter(pk=organisation_id).exists()


def subtree(organisation: Organisation) -> OrganisationQuerySet:
    return Organisation.objects.subtree(organisation)


def workers_of(members: Iterable[Member], *related: str) -> dict[int, Worker]:
    """The registry records of ``members``, which ``members_in`` already scoped to an officer's subtree. Union
    officers see no registry rows (``Worker.visible_to`` gives them none): their members' records are read here,
    for these members only."""
    return Worker.objects.select_related(*related).in_bulk([member.worker_id for member in members])


def worker_by_pk(pk: int | None) -> Worker | None:
    """The worker an officer names by number at the desk (decision 0018: the lookup is logged by the caller)."""
    return Worker.objects.filter(pk=pk).first() if pk else None


def coverage_counts(on: datetime.date) -> dict[int, int]:
    """{organisation id: how many employers it covers on ``on``} (the tree's public column)."""
    return dict(OrganisationCoverage.objects.on(on).order_by().values("organisation_id")
                .annotate(count=Count("pk")).values_list("organisation_id", "count"))


def unions_admitting(worker: Worker, on: datetime.date) -> list[Organisation]:
    """The base unions ``worker`` may apply to on ``on`` (the phone's 入会/转会 choice): those covering an
    employer they work for then, and the new-form union of their group (decision 0018)."""
    from workforce.unions.choices import OrganisationKind

    employers = EmploymentSpell.objects.on(on).filter(worker=worker).values("employer_id")
    covering = OrganisationCoverage.objects.on(on).filter(employer_id__in=employers).values("organisation_id")
    unions = Organisation.objects.base().filter(is_active=True, pk__in=covering)
    if worker.new_employment_group:
        unions = unions | Organisation.objects.filter(is_active=True, kind=OrganisationKind.NEW_FORM,
                                                       new_employment_group=worker.new_employment_group)
    return list(unions.order_by("name"))
