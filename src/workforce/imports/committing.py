"""Writing a planned roster into the registry, inside the caller's transaction.

New workers (most rows of a first upload) are written in bulk with the same values the registry's
services would store, and their change-log rows in bulk too; every other change goes through the
registry's services one row at a time, so it obeys the same rules and leaves the same trail.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType

from workforce.core.changelog import snapshot
from workforce.core.choices import ChangeAction, Channel
from workforce.core.encryption import lookup_hash
from workforce.core.identifiers import mask_id_number, mask_phone
from workforce.core.models import ChangeLogEntry
from workforce.imports.choices import RowAction
from workforce.imports.planning import RowPlan
from workforce.reference.models import Occupation, SkillLevel
from workforce.registry import services
from workforce.registry.choices import PoliticalStatus, WorkerFactKind
from workforce.registry.models import Certificate, EmploymentSpell, UnionMembership, Worker, WorkerFact

CHANNEL = Channel.IMPORT


class RosterWriter:
    """Applies row plans for one import and remembers which workers and employers it touched."""

    def __init__(self, *, roster_import, acting_user):
        self.roster_import = roster_import
        self.acting_user = acting_user
        self.new_worker_ids: list[int] = []
        self.employer_ids: set[int] = set()
        self.counts = {"created": 0, "updated": 0, "unchanged": 0}
        self.occupations = {occupation.pk: occupation for occupation in Occupation.objects.all()}
        self.levels = {level.pk: level for level in SkillLevel.objects.all()}
        self.content_types = {model: ContentType.objects.get_for_model(model)
                              for model in (Worker, EmploymentSpell, UnionMembership, Certificate)}

    def note(self, plan: RowPlan) -> str:
        return f"花名册导入 #{self.roster_import.pk} 第 {plan.number} 行"

    def apply(self, plans: list[RowPlan]) -> None:
        """Write a batch of plans; rows with errors must have been refused before (the caller checks)."""
        assert not any(plan.action == RowAction.ERROR for plan in plans), "a plan with errors cannot be written"
        self._create_workers([plan for plan in plans if plan.action == RowAction.CREATE])
        for plan in plans:
            if plan.action == RowAction.UPDATE:
                self._update(plan)
            elif plan.action == RowAction.UNCHANGED:
                self.counts["unchanged"] += 1

    # ------------------------------------------------------------------ new workers, in bulk

    def _log(self, model, obj, parent_id: int | None, note: str) -> ChangeLogEntry:
        user = self.acting_user
        return ChangeLogEntry(
            content_type=self.content_types[model], object_id=str(obj.pk), object_repr=str(obj)[:200],
            action=ChangeAction.CREATE, channel=CHANNEL, user=user, user_name=user.get_username(),
            after=snapshot(obj), note=note,
            parent_content_type=self.content_types[Worker] if parent_id else None,
            parent_object_id=str(parent_id) if parent_id else None,
        )

    def _create_workers(self, plans: list[RowPlan]) -> None:
        if not plans:
            return
        workers = []
        for plan in plans:
            info, values = plan.identity, plan.worker_values
            phone = values.get("phone") or ""
            workers.append(Worker(
                id_number=info.number, id_number_hash=plan.id_hash, id_number_masked=mask_id_number(info.number),
                division_code=info.division_code, birth_date=info.birth_date, gender=info.gender,
                name=values["name"], phone=phone, phone_hash=lookup_hash(phone) if phone else "",
                phone_masked=mask_phone(phone) if phone else "", hukou_type=values["hukou_type"],
                education=values.get("education") or "",
                political_status=values.get("political_status") or PoliticalStatus.MASSES,
                new_employment_group=values.get("new_employment_group") or "",
            ))
        Worker.objects.bulk_create(workers, batch_size=500)
        facts, spells, memberships, certificates, log = [], [], [], [], []
        for plan, worker in zip(plans, workers, strict=True):
            start = plan.spell_values["start_date"]
            facts += [WorkerFact(worker=worker, kind=kind, value=getattr(worker, kind) or "", valid_from=start)
                      for kind in WorkerFactKind.values]
            values = plan.spell_values
            spells.append(EmploymentSpell(
                worker=worker, employer=plan.employer, occupation=self.occupations.get(values.get("occupation_id")),
                start_date=start, end_date=values.get("end_date"),
                is_contract_signed=bool(values.get("is_contract_signed")),
                contract_type=values.get("contract_type") or "", contract_start=values.get("contract_start"),
                contract_end=values.get("contract_end"), is_dispatched=bool(values.get("is_dispatched"))))
            if plan.membership_from:
                memberships.append(UnionMembership(worker=worker, employer=plan.employer,
                                                   valid_from=plan.membership_from))
            if plan.certificate:
                certificate = dict(plan.certificate)
                certificate["occupation"] = self.occupations.get(certificate.pop("occupation_id"))
                certificate["level"] = self.levels[certificate.pop("level_id")]
                certificates.append(Certificate(worker=worker, **certificate))
            log.append(self._log(Worker, worker, None, self.note(plan)))
            self.employer_ids.add(plan.employer.pk)
        WorkerFact.objects.bulk_create(facts, batch_size=2000)
        for model, rows in ((EmploymentSpell, spells), (UnionMembership, memberships), (Certificate, certificates)):
            model.objects.bulk_create(rows, batch_size=1000)
            log += [self._log(model, row, row.worker_id, "") for row in rows]
        ChangeLogEntry.objects.bulk_create(log, batch_size=1000)
        self.new_worker_ids += [worker.pk for worker in workers]
        self.counts["created"] += len(workers)

    # ------------------------------------------------------------------ existing workers, through the services

    def _spell_data(self, values: dict) -> dict:
        data = {key: value for key, value in values.items() if key != "occupation_id"}
        if "occupation_id" in values:
            data["occupation"] = self.occupations.get(values["occupation_id"])
        if "contract_type" in data:
            data["contract_type"] = data["contract_type"] or ""
        return data

    def _update(self, plan: RowPlan) -> None:
        worker, user = plan.worker, self.acting_user
        date = self.roster_import.roster_date
        if plan.worker_changes:
            services.update_worker(worker, plan.worker_changes, expected_version=None, acting_user=user,
                                   channel=CHANNEL, effective_on=date)
        if plan.spell_id is None:
            services.add_employment(worker, {"employer": plan.employer, **self._spell_data(plan.spell_values)},
                                    acting_user=user, channel=CHANNEL)
        elif plan.spell_changes:
            spell = EmploymentSpell.objects.get(pk=plan.spell_id)
            services.update_employment(spell, self._spell_data(plan.spell_changes), expected_version=None,
                                       acting_user=user, channel=CHANNEL)
        if plan.membership_from:
            services.start_union_membership(worker, plan.membership_from, employer=plan.employer, acting_user=user,
                                            channel=CHANNEL)
        if plan.certificate:
            certificate = dict(plan.certificate)
            certificate["occupation"] = self.occupations.get(certificate.pop("occupation_id"))
            certificate["level"] = self.levels[certificate.pop("level_id")]
            services.add_certificate(worker, certificate, acting_user=user, channel=CHANNEL)
        self.employer_ids.add(plan.employer.pk)
        self.counts["updated"] += 1
