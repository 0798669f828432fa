"""Demo union organisations for the whole city (decision 0018): the city federation, the five districts'
federations, three industry unions, an enterprise union for every employer with an independent union (单独建制),
联合工会 and 区域性行业性工会 for the small employers whose union is not independent, the eight new-form groups of
§3; officers' posts for the ``union``, ``union-dongqu`` and ``union-base`` logins; and membership applications
dated relative to today: pending, approved and refused.

Every organisation and coverage is made by the unions services, so every employer that has an open "建立工会"
fact in the registry's demo is covered by a base union, and the facts follow the organisations. Safe to run
again: an existing tree is kept (``--replace`` builds it anew)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from itertools import islice
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from workforce.accounts.models import User
from workforce.core.choices import Channel
from workforce.demo.accounts import largest_pangang_employer
from workforce.demo.parts import DemoContext, DemoPart
from workforce.reference.models import Division
from workforce.reference.services import PANZHIHUA_DISTRICTS
from workforce.registry.choices import EmployerFactKind, NewEmploymentGroup
from workforce.registry.memberships import members_among
from workforce.registry.models import Employer, EmployerFact, Worker
from workforce.unions import services
from workforce.unions.choices import ApplicationChannel, OrganisationKind
from workforce.unions.models import MembershipApplication, Officer, Organisation, OrganisationCoverage

SYSTEM: dict[str, Any] = {"acting_user": None, "channel": Channel.SYSTEM}
FOUNDED = datetime.date(1950, 5, 1)
# Industry unions by GB/T 4754 section, and which of their employers they lead (the rest: the district's).
INDUSTRY_UNIONS = (("攀枝花市冶金工会", ("C",)), ("攀枝花市能源化工工会", ("B", "D")),
                   ("攀枝花市财贸轻纺工会", ("F", "H")))
# Sections whose small employers share a 区域性行业性工会 (a street's shops and restaurants), the rest a 联合工会.
REGIONAL_SECTIONS = ("F", "H", "O")
# The §3 groups, each with the district whose federation leads its union.
NEW_FORM_DISTRICTS = {
    NewEmploymentGroup.TRUCK_DRIVER: "510411", NewEmploymentGroup.COURIER: "510402",
    NewEmploymentGroup.CAREGIVER: "510403", NewEmploymentGroup.DOMESTIC_WORKER: "510402",
    NewEmploymentGroup.SHOP_ASSISTANT: "510402", NewEmploymentGroup.DELIVERY_RIDER: "510402",
    NewEmploymentGroup.ESTATE_AGENT: "510411", NewEmploymentGroup.SECURITY_GUARD: "510403",
}
# The demo logins holding a post (created by the accounts part), and where.
POSTS = {"union": "federation", "union-dongqu": "510402", "union-base": "pangang"}
REFUSAL = "入会申请表未附本人签名，请补充后重新提交。"


def _found(name: str, kind: str, parent: Organisation | None, established_on: datetime.date, **extra) -> Organisation:
    return services.create_organisation(name=name[:200], kind=kind, parent=parent, established_on=established_on,
                                        **extra, **SYSTEM)


def clear() -> int:
    """Delete the unions' demo: applications, posts, coverage, organisations (children first)."""
    count = MembershipApplication.objects.all().delete()[0] + Officer.objects.all().delete()[0]
    count += OrganisationCoverage.objects.all().delete()[0]
    for organisation in Organisation.objects.order_by("-depth"):
        organisation.delete()
        count += 1
    return count


def build_tree(today: datetime.date) -> dict[str, Organisation]:
    """The tree over the registry's demo employers; returns the organisations the posts need."""
    federation = _found("攀枝花市总工会", OrganisationKind.FEDERATION, None, FOUNDED)
    divisions = Division.objects.in_bulk(list(PANZHIHUA_DISTRICTS))
    districts = {code: _found(f"{name}总工会", OrganisationKind.DISTRICT, federation, FOUNDED,
                              district=divisions[code]) for code, name in PANZHIHUA_DISTRICTS.items()}
    industries = {section: union for name, sections in INDUSTRY_UNIONS
                  for union in [_found(name, OrganisationKind.INDUSTRY, federation, FOUNDED)] for section in sections}
    facts = (EmployerFact.objects.filter(kind=EmployerFactKind.UNION, valid_to__isnull=True, valid_from__lte=today)
             .select_related("employer", "employer__industry").order_by("employer__district_id", "employer__name"))
    grouped: dict[tuple[str, str], list[EmployerFact]] = defaultdict(list)
    for fact in facts:
        employer = fact.employer
        section = employer.industry.section
        if fact.is_independent:
            parent = industries.get(section) or districts[employer.district_id]
            union = _found(f"{employer.name}工会", OrganisationKind.ENTERPRISE, parent, fact.valid_from,
                           district=divisions[employer.district_id])
            services.cover_employer(union, employer, fact.valid_from, **SYSTEM)
        else:
            grouped[(employer.district_id, section if section in REGIONAL_SECTIONS else "")].append(fact)
    for (district, section), members in grouped.items():
        name = PANZHIHUA_DISTRICTS[district]
        for number, start in enumerate(range(0, len(members), 40), 1):  # a joint union of up to 40 employers
            batch = members[start:start + 40]
            kind = OrganisationKind.REGIONAL if section else OrganisationKind.JOINT
            label = f"{name}{batch[0].employer.industry.name[:8]}行业工会" if section else f"{name}第{number}联合工会"
            union = _found(label if number == 1 or not section else f"{label}（{number}）", kind, districts[district],
                           min(fact.valid_from for fact in batch), district=divisions[district])
            for fact in batch:
                services.cover_employer(union, fact.employer, fact.valid_from, **SYSTEM)
    for group, district in NEW_FORM_DISTRICTS.items():
        _found(f"{PANZHIHUA_DISTRICTS[district]}{group.label}工会", OrganisationKind.NEW_FORM, districts[district],
               datetime.date(2019, 6, 1), district=divisions[district], new_employment_group=group)
    pangang = largest_pangang_employer()
    coverage = OrganisationCoverage.objects.filter(employer=pangang, valid_to__isnull=True).first() if pangang else None
    return {"federation": federation, "510402": districts["510402"],
            "pangang": coverage.organisation if coverage else federation}


def appoint(posts: dict[str, Organisation], today: datetime.date) -> list[str]:
    appointed = []
    for username, key in POSTS.items():
        user = User.objects.filter(username=username).first()
        if user is not None:
            services.appoint_officer(user, posts[key], on=today - datetime.timedelta(days=400), **SYSTEM)
            appointed.append(username)
    return appointed


def _non_members(workers, today: datetime.date, count: int) -> list[Worker]:
    candidates = list(islice(workers.filter(is_active=True, user__isnull=True).order_by("pk"), count * 4))
    members = members_among([worker.pk for worker in candidates], None, today)
    return [worker for worker in candidates if worker.pk not in members][:count]


def applications(posts: dict[str, Organisation], today: datetime.date) -> dict[str, int]:
    """Applications at the base officer's union and at the new-form unions: pending (the last days), approved
    and refused (decided some days after they came in)."""
    counts = {"pending": 0, "approved": 0, "refused": 0}
    union = posts["pangang"]
    employer_ids = list(union.coverages.filter(valid_to__isnull=True).values_list("employer_id", flat=True))
    plans = [(union, worker) for worker in _non_members(Worker.objects.filter(current_employer_id__in=employer_ids),
                                                         today, 8)]
    for organisation in Organisation.objects.filter(kind=OrganisationKind.NEW_FORM).order_by("path"):
        group = Worker.objects.filter(new_employment_group=organisation.new_employment_group)
        plans += [(organisation, worker) for worker in _non_members(group, today, 3)]
    for index, (organisation, worker) in enumerate(plans):
        fate = ("pending", "approved", "approved", "refused")[index % 4]
        applied = today - datetime.timedelta(days=(1 + index % 5) if fate == "pending" else 20 + index)
        source = ApplicationChannel.PORTAL if index % 3 else ApplicationChannel.WALK_IN
        try:
            application = services.apply_to_join(worker, organisation, None, source=source, on=applied,
                                                 channel=Channel.SYSTEM)
        except ValidationError:  # a worker the union may not admit (no spell that day): skipped
            continue
        decided = applied + datetime.timedelta(days=3)
        if fate == "approved":
            services.approve_application(application, on=decided, **SYSTEM)
        elif fate == "refused":
            services.refuse_application(application, reason=REFUSAL, on=decided, **SYSTEM)
        counts[fate] += 1
    return counts


@transaction.atomic
def build(context: DemoContext) -> str:
    if Organisation.objects.exists():
        if not context.replace:
            return f"kept the {Organisation.objects.count():,} union organisations (build them anew with --replace)"
        clear()
    if not Employer.objects.exists():
        return "no union organisations: the registry's demo is missing"
    posts = build_tree(context.today)
    appointed = appoint(posts, context.today)
    counts = applications(posts, context.today)
    return (f"unions: {Organisation.objects.count():,} organisations covering "
            f"{OrganisationCoverage.objects.filter(valid_to__isnull=True).count():,} employers; "
            f"applications {counts['pending']} pending, {counts['approved']} approved, {counts['refused']} refused; "
            f"posts for {', '.join(appointed) or 'no login'}")


PART = DemoPart("unions", build, after=("registry", "accounts"))
