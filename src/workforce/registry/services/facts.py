"""Keeping the denormalised "current" columns of workers and employers true to their spells."""

from __future__ import annotations

import datetime

from django.utils import timezone

from workforce.registry.choices import HukouType
from workforce.registry.models import Certificate, Employer, EmploymentSpell, UnionMembership, Worker

AGRICULTURE_SECTION = "A"  # GB/T 4754 门类 A: farm work does not make a migrant worker


def today() -> datetime.date:
    return timezone.localdate()


def current_facts(worker: Worker, on: datetime.date | None = None) -> dict:
    """The values of the ``current_*`` summary columns of ``worker`` as of ``on`` (default today)."""
    on = on or today()
    open_spells = list(
        EmploymentSpell.objects.on(on).filter(worker=worker).select_related("employer__industry")
        .order_by("-start_date", "-id")
    )
    main = open_spells[0] if open_spells else None
    levels = Certificate.objects.on(on).filter(worker=worker, level__isnull=False).values_list("level", flat=True)
    facts = {
        "current_employer": main.employer if main else None,
        "current_industry_section": main.employer.industry.section if main else "",
        "current_occupation_id": main.occupation_id if main else None,
        "current_skill_level": min(levels, default=None),  # level 1 is the highest
        "is_union_member": UnionMembership.objects.on(on).filter(worker=worker).exists(),
        "has_signed_contract": any(spell.is_contract_signed for spell in open_spells),
        "is_migrant": worker.hukou_type == HukouType.RURAL
        and any(spell.employer.industry.section != AGRICULTURE_SECTION for spell in open_spells),
    }
    if main:
        facts["district_id"] = main.employer.district_id
    elif worker.district_id is None:
        last = EmploymentSpell.objects.filter(worker=worker).select_related("employer").order_by(
            "-end_date", "-id").first()
        facts["district_id"] = last.employer.district_id if last else None
    return facts


def refresh_current_facts(worker: Worker, on: datetime.date | None = None) -> None:
    """Rewrite the summary columns of ``worker``; call after any change of its spells or facts.

    A worker with no open spell keeps the district of their last employer, so the district that
    last knew them still sees them.
    """
    for field, value in current_facts(worker, on).items():
        setattr(worker, field, value)
    Worker.objects.filter(pk=worker.pk).update(
        current_employer=worker.current_employer, current_industry_section=worker.current_industry_section,
        current_occupation_id=worker.current_occupation_id, current_skill_level=worker.current_skill_level,
        is_union_member=worker.is_union_member, has_signed_contract=worker.has_signed_contract,
        is_migrant=worker.is_migrant, district_id=worker.district_id,
    )


def refresh_employer_headcount(employer: Employer, on: datetime.date | None = None) -> None:
    """Count the distinct workers with an open spell at ``employer`` on ``on`` (default today)."""
    count = (
        EmploymentSpell.objects.on(on or today()).filter(employer=employer, worker__is_active=True)
        .values("worker").distinct().count()
    )
    Employer.objects.filter(pk=employer.pk).update(headcount=count)
    employer.headcount = count
