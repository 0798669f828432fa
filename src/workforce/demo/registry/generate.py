"""Realistic, deterministic demo data for Panzhihua (``workforce demo-data``): the database half.

``plans`` draws the employers and workers with their whole history; ``generate`` writes them in
batches of multi-row inserts, so a million workers fit in constant memory, and leaves the data exactly as
the services would have: encrypted identifiers with their hashes and masks, ``Worker.current_*`` columns
equal to ``services.facts.current_facts`` on the day of generation, ``Employer.headcount`` equal to
``refresh_employer_headcount`` and one change-log row per employer and worker.
"""

from __future__ import annotations

import datetime
import itertools
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Q
from django.utils import timezone

from workforce.core.bulk import TableWriter, reserve_ids
from workforce.core.changelog import MASKED_VALUE, snapshot
from workforce.core.choices import ChangeAction, Channel
from workforce.core.encryption import lookup_hash
from workforce.core.identifiers import mask_id_number, mask_phone
from workforce.core.models import ChangeLogEntry
from workforce.demo.registry.catalogue import SECTORS
from workforce.demo.registry.plans import EmployerPlan, WorkerPlan, plan_workers
from workforce.reference.models import Division, Industry, Occupation, SkillLevel
from workforce.reference.services import PANZHIHUA_DISTRICTS
from workforce.registry.choices import ContractSource, Gender
from workforce.registry.legal_person import derived_kind
from workforce.registry.models import (
    Certificate,
    Employer,
    EmployerFact,
    EmploymentSpell,
    LabourContract,
    MembershipSequence,
    Worker,
    WorkerFact,
)
from workforce.registry.services.facts import is_migrant
from workforce.registry.union_roll import RollEntry, encode_roll, next_membership_ids

DEMO_NOTE = "演示数据"
BATCH_SIZE = 5000  # workers per transaction


class DemoDataError(Exception):
    """The database is not ready for demo data (reference data missing, registry not empty…)."""


@dataclass
class DemoSummary:
    """What ``generate`` wrote, and how long it took."""

    counts: Counter = field(default_factory=Counter)
    shares: dict[str, float] = field(default_factory=dict)
    seconds: float = 0.0


def check_reference_data() -> None:
    """Raise ``DemoDataError`` unless the reference tables the generator uses are loaded."""
    missing = []
    if Division.objects.filter(code__in=PANZHIHUA_DISTRICTS).count() < len(PANZHIHUA_DISTRICTS):
        missing.append("divisions")
    industries = {sector.industry for sector in SECTORS.values()}
    if Industry.objects.filter(code__in=industries).count() < len(industries):
        missing.append("industries")
    occupations = {code for sector in SECTORS.values() for code, _weight in sector.occupations}
    if Occupation.objects.filter(code__in=occupations).count() < len(occupations):
        missing.append("occupations")
    if SkillLevel.objects.filter(level__in=range(1, 6)).count() < 5:
        missing.append("skill levels")
    if missing:
        raise DemoDataError(f"Reference data is missing ({', '.join(missing)}). Run `workforce setup` first.")


def registry_models() -> list[type[models.Model]]:
    """Every model of the registry app (all of them hold demo data)."""
    return list(apps.get_app_config("registry").get_models())


def registry_row_counts() -> dict[str, int]:
    """Rows per registry model, for the refusal message and the tests; the membership ids' counter is not data
    (``clear_registry`` resets it with the rest)."""
    return {model._meta.model_name: model._default_manager.count() for model in registry_models()
            if model is not MembershipSequence}


@transaction.atomic
def clear_registry() -> dict[str, int]:
    """Delete every registry row and the change-log rows about them. Rows of other apps that point at
    registry rows lose a nullable link (user accounts: ``demo-users`` links them again) or are deleted
    with them when the link cascades; any other reference stops everything with ``DemoDataError``.

    Deletes with plain SQL: the ORM's collector would load a million workers into memory.
    """
    registry = set(registry_models())
    deleted: dict[str, int] = {}
    for model in apps.get_models(include_auto_created=True):
        if model in registry:
            continue
        for relation in model._meta.get_fields():
            if not (relation.is_relation and relation.concrete and relation.related_model in registry) \
                    or relation.many_to_many:
                continue
            rows = model._default_manager.filter(**{f"{relation.name}__isnull": False})
            if not rows.exists():
                continue
            if relation.null:
                deleted[f"{model._meta.label}.{relation.name} unlinked"] = rows.update(**{relation.name: None})
            elif relation.remote_field.on_delete is models.CASCADE:
                deleted[model._meta.label] = rows.delete()[0]
            else:
                raise DemoDataError(
                    f"{model._meta.label} rows refer to registry records; delete them before --replace.")
    content_types = ContentType.objects.get_for_models(*registry).values()
    deleted["changelog"] = ChangeLogEntry.objects.filter(
        Q(content_type__in=content_types) | Q(parent_content_type__in=content_types)).delete()[0]
    with connection.cursor() as cursor:
        for model in registry:
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")  # noqa: S608
            deleted[model._meta.label] = cursor.rowcount
    return deleted


def _employer_models(plans: list[EmployerPlan]) -> list[Employer]:
    divisions = {division.code: division for division in Division.objects.filter(code__in=PANZHIHUA_DISTRICTS)}
    industries = {industry.code: industry for industry in
                  Industry.objects.filter(code__in={plan.industry for plan in plans})}
    return [
        Employer(uscc=plan.uscc, name=plan.name, district=divisions[plan.district], industry=industries[plan.industry],
                 ownership=plan.ownership, legal_person_kind=derived_kind(plan.uscc),
                 is_above_scale=plan.is_above_scale, address=plan.address)
        for plan in plans
    ]


def _write_employers(plans: list[EmployerPlan]) -> Counter:
    counts: Counter = Counter()
    employers = Employer.objects.bulk_create(_employer_models(plans))
    for plan, employer in zip(plans, employers, strict=True):
        plan.pk = employer.pk
    EmployerFact.objects.bulk_create([
        EmployerFact(employer_id=plan.pk, kind=kind, is_independent=independent, valid_from=start, valid_to=end,
                     note=DEMO_NOTE)
        for plan in plans for kind, independent, start, end in plan.facts
    ])
    content_type = ContentType.objects.get_for_model(Employer)
    ChangeLogEntry.objects.bulk_create([
        ChangeLogEntry(content_type=content_type, object_id=employer.pk, object_repr=str(employer)[:200],
                       action=ChangeAction.CREATE, channel=Channel.SYSTEM, after=snapshot(employer), note=DEMO_NOTE)
        for employer in employers
    ])
    counts.update(employers=len(plans), employer_facts=sum(len(plan.facts) for plan in plans),
                  changelog=len(plans))
    return counts


class _WorkerWriter:
    """Writes batches of worker plans: workers (with ids chosen here, so their history can point at
    them) with their union rolls (the record of membership, decision 0009), spells, certificates, facts and the
    change-log rows."""

    def __init__(self, today: datetime.date, sections: dict[str, str]):
        self.today = today
        self.sections = sections
        self.workers = TableWriter(Worker, with_id=True)
        self.spells = TableWriter(EmploymentSpell, with_id=True)  # ids chosen here: their contracts point at them
        self.contracts = TableWriter(LabourContract)
        self.certificates = TableWriter(Certificate)
        self.facts = TableWriter(WorkerFact)
        self.changelog = TableWriter(ChangeLogEntry)
        self.content_type_id = ContentType.objects.get_for_model(Worker).pk
        self.next_id = (Worker.objects.aggregate(top=models.Max("id"))["top"] or 0) + 1
        self.headcount: Counter = Counter()

    def write(self, plans: list[WorkerPlan]) -> Counter:
        """Insert one batch of workers and everything that hangs off them; returns counts."""
        today, counts = self.today, Counter()
        workers, spells, contracts, certificates, facts, changelog = [], [], [], [], [], []
        reserved_spells = iter(reserve_ids(EmploymentSpell, sum(len(plan.spells) for plan in plans)))
        membership_ids = iter(next_membership_ids(sum(len(plan.memberships) for plan in plans)))
        memberships = 0
        for plan in plans:
            pk, self.next_id = self.next_id, self.next_id + 1
            id_masked = mask_id_number(plan.id_number)
            phone_masked = mask_phone(plan.phone) if plan.phone else ""
            columns = plan.current_columns(today, self.sections)
            workers.append({
                "id": pk, "id_number": plan.id_number, "id_number_hash": lookup_hash(plan.id_number),
                "id_number_masked": id_masked, "division_code": plan.id_number[:6], "birth_date": plan.birth_date,
                "gender": plan.gender, "name": plan.name, "phone": plan.phone,
                "phone_hash": lookup_hash(plan.phone) if plan.phone else "", "phone_masked": phone_masked,
                "hukou_type": plan.hukou_type, "education": plan.education,
                "political_status": plan.political_status, "new_employment_group": plan.new_employment_group,
                "union_roll": encode_roll(RollEntry(next(membership_ids), employer.pk if employer else None, start, end)
                                          for employer, start, end in plan.memberships),
                **columns,
            })
            memberships += len(plan.memberships)
            # The same values ``snapshot(worker)`` gives for Worker.CHANGELOG_FIELDS, masked as ``change_entry``
            # masks them (checked by a test).
            after = {"name": plan.name, "id_number_masked": id_masked, "birth_date": plan.birth_date.isoformat(),
                     "gender": plan.gender, "phone_masked": phone_masked, "hukou_type": MASKED_VALUE,
                     "education": plan.education, "political_status": MASKED_VALUE,
                     "new_employment_group": plan.new_employment_group, "is_active": True, "merged_into": None}
            changelog.append({"content_type_id": self.content_type_id, "object_id": pk,
                              "object_repr": f"{plan.name}（{id_masked}）"[:200], "action": ChangeAction.CREATE,
                              "channel": Channel.SYSTEM, "after": after, "note": DEMO_NOTE})
            spell_ids = [next(reserved_spells) for _spell in plan.spells]
            contracts += [{
                "spell_id": spell_id, "kind": contract.kind, "dates_known": contract.start is not None,
                "start_date": contract.start, "end_date": contract.end, "source": ContractSource.SYSTEM,
            } for spell, spell_id in zip(plan.spells, spell_ids, strict=True) for contract in spell.contracts]
            spells += [{
                "id": spell_id, "worker_id": pk, "employer_id": spell.employer.pk, "occupation_id": spell.occupation,
                "start_date": spell.start, "end_date": spell.end, "is_contract_signed": spell.is_contract_signed,
                "contract_type": spell.contract_type, "contract_start": spell.contract_start,
                "contract_end": spell.contract_end, "is_dispatched": spell.is_dispatched,
                "post_category": spell.post_category(plan.id_number),
            } for spell, spell_id in zip(plan.spells, spell_ids, strict=True)]
            certificates += [{
                "worker_id": pk, "kind": cert.kind, "occupation_id": cert.occupation, "level_id": cert.level,
                "number": cert.number, "issuer": cert.issuer, "issued_on": cert.issued_on,
                "valid_until": cert.valid_until,
            } for cert in plan.certificates]
            facts += [{"worker_id": pk, "kind": kind, "value": value, "valid_from": start, "valid_to": end}
                      for kind, value, start, end in plan.facts]
            for employer_pk in {spell.employer.pk for spell in plan.open_spells(today)}:
                self.headcount[employer_pk] += 1
            level = columns["current_skill_level"]
            open_sections = [self.sections[spell.employer.industry] for spell in plan.open_spells(today)]
            counts.update(union_members=plan.is_union_member(today), signed_contracts=columns["has_signed_contract"],
                          employed=columns["current_employer_id"] is not None,
                          migrants=is_migrant(plan.hukou_type, open_sections),
                          certificate_holders=bool(plan.certificates), skilled=level is not None,
                          high_skilled=level is not None and level <= 3, men=plan.gender == Gender.MALE)
        counts.update(workers=self.workers.write(workers), spells=self.spells.write(spells),
                      contracts=self.contracts.write(contracts),
                      certificates=self.certificates.write(certificates),
                      memberships=memberships, worker_facts=self.facts.write(facts),
                      changelog=self.changelog.write(changelog))
        return counts

    def finish(self) -> None:
        """Move PostgreSQL's id sequence past the ids chosen here (SQLite follows by itself)."""
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), [Worker]):
                cursor.execute(sql)


def generate(workers: int, seed: int, *, replace: bool = False, today: datetime.date | None = None,
             batch_size: int = BATCH_SIZE, progress: Callable[[int, int, float], None] | None = None) -> DemoSummary:
    """Fill an empty registry with ``workers`` demo workers and their employers; ``replace`` first
    deletes every registry row. Each batch commits on its own; ``progress(done, total, seconds)`` is
    called after each. Raises ``DemoDataError`` when the reference data is missing or the registry is
    not empty (without ``replace``)."""
    started = time.monotonic()
    today = today or timezone.localdate()
    check_reference_data()
    summary = DemoSummary()
    if replace:
        summary.counts["deleted"] = sum(clear_registry().values())
    else:
        existing = {name: count for name, count in registry_row_counts().items() if count}
        if existing:
            listed = ", ".join(f"{count} {name}" for name, count in existing.items())
            raise DemoDataError(f"The registry already holds data ({listed}). "
                                "Run with --replace to delete it first.")
    employers, stream = plan_workers(seed, workers, today)
    with transaction.atomic():
        summary.counts.update(_write_employers(employers))
    sections = dict(Industry.objects.filter(code__in={plan.industry for plan in employers})
                    .values_list("code", "section"))
    writer = _WorkerWriter(today, sections)
    done = 0
    while done < workers:
        batch = list(itertools.islice(stream, batch_size))
        with transaction.atomic():
            summary.counts.update(writer.write(batch))
        done += len(batch)
        if progress:
            progress(done, workers, time.monotonic() - started)
    headcount = writer.headcount
    pangang = {plan.pk for plan in employers if plan.is_pangang}
    with transaction.atomic():
        writer.finish()
        for plan in employers:
            if headcount[plan.pk]:
                Employer.objects.filter(pk=plan.pk).update(headcount=headcount[plan.pk])
    counts = summary.counts
    employed = counts["employed"] or 1
    summary.shares = {
        "pangang": sum(headcount[pk] for pk in pangang) / employed,
        "men": counts["men"] / max(workers, 1),
        "migrants": counts["migrants"] / employed,
        "union_members": counts["union_members"] / max(workers, 1),
        "signed_contracts": counts["signed_contracts"] / employed,
        "certificate_holders": counts["certificate_holders"] / max(workers, 1),
        "high_skilled": counts["high_skilled"] / (counts["skilled"] or 1),
    }
    summary.seconds = time.monotonic() - started
    return summary
