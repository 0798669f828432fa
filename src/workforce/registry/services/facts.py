"""Keeping the denormalised "current" columns of workers and employers true to their spells.

One implementation serves a single worker (after a page or API edit) and thousands at a time (an
import): ``current_facts_for`` reads the spells and certificates of a batch in three queries. Union
membership has no summary column: a plain flag would say who is a member (decision 0009).
"""

from __future__ import annotations

import contextvars
import datetime
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection
from django.db.models import Count, Min
from django.utils import timezone

from workforce.core.bulk import one_parameter
from workforce.registry.choices import HukouType
from workforce.registry.models import Certificate, Employer, EmploymentSpell, Worker

AGRICULTURE_SECTION = "A"  # GB/T 4754 门类 A: farm work does not make a migrant worker
SUMMARY_FIELDS = ["current_employer_id", "current_industry_section", "current_occupation_id", "current_skill_level",
                  "has_signed_contract", "district_id"]
BATCH = 2000


def today() -> datetime.date:
    return timezone.localdate()


def current_facts_for(workers: list[Worker], on: datetime.date | None = None) -> dict[int, dict[str, Any]]:
    """The values of the summary columns (``SUMMARY_FIELDS``) of each worker as of ``on`` (default
    today), by worker id. ``workers`` need ``district_id`` loaded.

    The main spell is the open one that started last; a worker with no open spell takes the district of
    their last employer (the spell that started last), so the district that last knew them still sees
    them, and follows that employer if it moves; a worker with no spell at all keeps the district they have.
    """
    on = on or today()
    ids = [worker.pk for worker in workers]
    spells: dict[int, list[dict[str, Any]]] = {worker_id: [] for worker_id in ids}
    for spell in (EmploymentSpell.objects.on(on).filter(worker_id__in=ids).order_by("worker_id", "-start_date", "-id")
                  .values("worker_id", "employer_id", "employer__district_id", "employer__industry__section",
                          "occupation_id", "is_contract_signed")):
        spells[spell["worker_id"]].append(spell)
    levels = dict(Certificate.objects.on(on).filter(worker_id__in=ids, level__isnull=False).values("worker_id")
                  .annotate(best=Min("level")).values_list("worker_id", "best"))  # level 1 is the highest
    homeless = [worker.pk for worker in workers if not spells[worker.pk]]
    last_district: dict[int, str | None] = {}
    for spell in (EmploymentSpell.objects.filter(worker_id__in=homeless).order_by("worker_id", "-start_date", "-id")
                  .values("worker_id", "employer__district_id")):
        last_district.setdefault(spell["worker_id"], spell["employer__district_id"])
    return {worker.pk: summarise(spells[worker.pk], levels.get(worker.pk),
                                 last_district.get(worker.pk, worker.district_id))
            for worker in workers}


def summarise(open_spells: list[dict[str, Any]], best_level: int | None,
              fallback_district_id: str | None) -> dict[str, Any]:
    """The summary columns of one worker from what holds on the day: the open spells (main one first,
    as dicts with ``employer_id``, ``employer__district_id``, ``employer__industry__section``,
    ``occupation_id``, ``is_contract_signed``), the best skill level, and the district
    to keep when no spell is open. Pure: the batch query and the importer's inserts share it."""
    main = open_spells[0] if open_spells else None
    return {
        "current_employer_id": main["employer_id"] if main else None,
        "current_industry_section": main["employer__industry__section"] if main else "",
        "current_occupation_id": main["occupation_id"] if main else None,
        "current_skill_level": best_level,
        "has_signed_contract": any(spell["is_contract_signed"] for spell in open_spells),
        "district_id": main["employer__district_id"] if main else fallback_district_id,
    }


def is_migrant(hukou_type: str, open_sections: Iterable[str | None]) -> bool:
    """A migrant worker (农民工): rural hukou and an open spell outside agriculture, given the industry
    sections of the worker's open spells. Not stored: a plain flag would say the hukou (decision 0009)."""
    return hukou_type == HukouType.RURAL and any(section != AGRICULTURE_SECTION for section in open_sections)


def is_migrant_now(worker: Worker, *, at_employer: int | None = None) -> bool:
    """Whether ``worker`` is a migrant worker today (``is_migrant`` on their open spells; at ``at_employer``
    only, for a viewer who may know of no other, decision 0002)."""
    return worker.hukou_type == HukouType.RURAL and bool(migrants_among([worker.pk], at_employer=at_employer))


def migrants_among(rural: list[int], on: datetime.date | None = None, *, at_employer: int | None = None) -> set[int]:
    """The migrant workers among the workers of rural hukou ``rural`` (ids) as of ``on`` (default today):
    those with an open spell outside agriculture (at ``at_employer``, if given: what an enterprise's HR may
    know), in one query."""
    sections: dict[int, list[Any]] = {}
    spells = EmploymentSpell.objects.on(on or today())
    if at_employer is not None:
        spells = spells.filter(employer_id=at_employer)
    for worker_id, section in (spells.filter(worker_id__in=one_parameter(Worker._meta.pk, rural))
                               .values_list("worker_id", "employer__industry__section")):
        sections.setdefault(worker_id, []).append(section)
    return {worker_id for worker_id in rural if is_migrant(HukouType.RURAL, sections.get(worker_id, []))}


def current_facts(worker: Worker, on: datetime.date | None = None) -> dict[str, Any]:
    """The summary columns of one worker as of ``on``, keyed as in ``SUMMARY_FIELDS``."""
    return current_facts_for([worker], on)[worker.pk]


def refresh_current_facts(worker: Worker, on: datetime.date | None = None) -> None:
    """Rewrite the summary columns of ``worker``; call after any change of its spells or facts."""
    values = current_facts(worker, on)
    for field, value in values.items():
        setattr(worker, field, value)
    Worker.objects.filter(pk=worker.pk).update(**values)


def refresh_current_facts_of(worker_ids: Iterable[int], on: datetime.date | None = None) -> int:
    """Rewrite the summary columns of many workers in batches (imports, nightly job); returns how many
    rows changed."""
    worker_ids = sorted(set(worker_ids))
    changed = 0
    for start in range(0, len(worker_ids), BATCH):
        workers = list(Worker.objects.filter(pk__in=worker_ids[start:start + BATCH]).only(
            "id", *SUMMARY_FIELDS))
        facts = current_facts_for(workers, on)
        stale = []
        for worker in workers:
            if any(getattr(worker, field) != value for field, value in facts[worker.pk].items()):
                for field, value in facts[worker.pk].items():
                    setattr(worker, field, value)
                stale.append(worker)
        _write_summaries(stale)
        changed += len(stale)
    return changed


def _write_summaries(workers: list[Worker]) -> None:
    """One prepared UPDATE run for every worker: Django's bulk_update builds a CASE expression per row
    and field, which costs seconds per thousand rows."""
    if not workers:
        return
    column_of = {field.attname: field.column for field in Worker._meta.concrete_fields if field.column is not None}
    columns = [column_of[name] for name in SUMMARY_FIELDS]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(column)} = %s" for column in columns)
    # Names come from the model, values are parameters.
    sql = f"UPDATE {quote(Worker._meta.db_table)} SET {assignments} WHERE {quote('id')} = %s"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(sql, [[getattr(worker, name) for name in SUMMARY_FIELDS] + [worker.pk]
                                 for worker in workers])


_deferred_headcounts: contextvars.ContextVar[set[int] | None] = contextvars.ContextVar("deferred_headcounts",
                                                                                      default=None)


@contextmanager
def headcounts_deferred() -> Iterator[None]:
    """Inside the block the services note which employers' headcounts changed instead of recounting each at
    every write; the block recounts them once when it ends. A bulk job wraps its service calls in it: ending
    1,000 spells at an employer of 300,000 staff recounted it 1,000 times (0.1 s each on SQLite)."""
    pending: set[int] = set()
    token = _deferred_headcounts.set(pending)
    try:
        yield
    finally:
        _deferred_headcounts.reset(token)
    refresh_headcounts_of(pending)  # not after an error: the caller's transaction is rolled back


def refresh_employer_headcount(employer: Employer, on: datetime.date | None = None) -> None:
    """Count the distinct workers with an open spell at ``employer`` on ``on`` (default today); inside
    ``headcounts_deferred``, once at the end of the block."""
    pending = _deferred_headcounts.get()
    if pending is not None and on is None:
        pending.add(employer.pk)
        return
    refresh_headcounts_of([employer.pk], on)
    employer.refresh_from_db(fields=["headcount"])


def refresh_headcounts_of(employer_ids: Iterable[int], on: datetime.date | None = None) -> None:
    """Recount the staff of many employers in one query per batch."""
    employer_ids = sorted(set(employer_ids))
    for start in range(0, len(employer_ids), BATCH):
        chunk = employer_ids[start:start + BATCH]
        counts = dict(EmploymentSpell.objects.on(on or today()).filter(employer_id__in=chunk, worker__is_active=True)
                      .values("employer_id").annotate(n=Count("worker_id", distinct=True))
                      .values_list("employer_id", "n"))
        employers = list(Employer.objects.filter(pk__in=chunk).only("id", "headcount"))
        stale = [employer for employer in employers if employer.headcount != counts.get(employer.pk, 0)]
        for employer in stale:
            employer.headcount = counts.get(employer.pk, 0)
        Employer.objects.bulk_update(stale, ["headcount"])
