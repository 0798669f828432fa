"""Writing a planned roster into the registry, inside the caller's transaction.

New workers (most rows of a first upload) are written in bulk with the same values the registry's
services would store, and their change-log rows in bulk too; every other change goes through the
registry's services one row at a time, so it obeys the same rules and leaves the same trail.
"""

from __future__ import annotations

import datetime
from functools import cache

from django.contrib.contenttypes.models import ContentType

from workforce.core.bulk import TableWriter, reserve_ids
from workforce.core.choices import ChangeAction, Channel
from workforce.core.encryption import lookup_hash
from workforce.core.identifiers import mask_id_number, mask_phone
from workforce.core.models import ChangeLogEntry
from workforce.imports.choices import RowAction
from workforce.imports.planning import RowPlan
from workforce.reference.models import Occupation, SkillLevel
from workforce.registry import services
from workforce.registry.choices import CertificateKind, PoliticalStatus, WorkerFactKind
from workforce.registry.models import Certificate, Employer, EmploymentSpell, UnionMembership, Worker, WorkerFact
from workforce.registry.services.facts import summarise, today

CHANNEL = Channel.IMPORT
FACT_KINDS = WorkerFactKind.values


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
        self.writers = {model: TableWriter(model, with_id=model is not WorkerFact and model is not ChangeLogEntry)
                        for model in (Worker, WorkerFact, EmploymentSpell, UnionMembership, Certificate,
                                      ChangeLogEntry)}
        self.employer_names: dict[int, str] = {}
        self.employer_places: dict[int, dict] = {}  # pk -> district and industry section, for summary columns
        self.today = today()

    def note(self, plan: RowPlan) -> str:
        return f"花名册导入 #{self.roster_import.pk} 第 {plan.number} 行"

    def apply(self, plans: list[RowPlan]) -> None:
        """Write a batch of plans; rows with errors must have been refused before (the caller checks)."""
        assert not any(plan.action == RowAction.ERROR for plan in plans), "a plan with errors cannot be written"
        for plan in plans:
            if plan.employer is not None:
                self.employer_names[plan.employer.pk] = plan.employer.name
        unknown = {pk for pk in self.employer_names if pk not in self.employer_places}
        self.employer_places |= {row["id"]: row for row in Employer.objects.filter(pk__in=unknown).values(
            "id", "district_id", "industry__section")}
        self._create_workers([plan for plan in plans if plan.action == RowAction.CREATE])
        for plan in plans:
            if plan.action == RowAction.UPDATE:
                self._update(plan)
            elif plan.action == RowAction.UNCHANGED:
                self.counts["unchanged"] += 1

    # ------------------------------------------------------------------ new workers, in bulk

    def _log(self, model, pk: int, object_repr: str, after: dict, parent_id: int | None, note: str) -> dict:
        return {"content_type_id": self.content_types[model].pk, "object_id": str(pk),
                "object_repr": object_repr[:200], "action": ChangeAction.CREATE, "channel": CHANNEL,
                "user_id": self.acting_user.pk, "user_name": self.acting_user.get_username(), "after": after,
                "note": note, "parent_content_type_id": self.content_types[Worker].pk if parent_id else None,
                "parent_object_id": str(parent_id) if parent_id else None}

    def _create_workers(self, plans: list[RowPlan]) -> None:
        """Insert new workers and what hangs off them with prepared multi-row inserts: the values and
        change-log rows the services would write (``snapshot`` of each record), without building model
        instances for every row."""
        if not plans:
            return
        ids = reserve_ids(Worker, len(plans))
        workers, facts, spells, memberships, certificates, log = [], [], [], [], [], []
        for plan, pk in zip(plans, ids, strict=True):
            info, values = plan.identity, plan.worker_values
            phone = values.get("phone") or ""
            worker = {
                "id": pk, "id_number": info.number, "id_number_hash": plan.id_hash,
                "id_number_masked": mask_id_number(info.number), "division_code": info.division_code,
                "birth_date": info.birth_date, "gender": info.gender, "name": values["name"], "phone": phone,
                "phone_hash": lookup_hash(phone) if phone else "", "phone_masked": mask_phone(phone) if phone else "",
                "hukou_type": values["hukou_type"], "education": values.get("education") or "",
                "political_status": values.get("political_status") or PoliticalStatus.MASSES,
                "new_employment_group": values.get("new_employment_group") or "",
            }
            workers.append(worker)
            after = {name: worker.get(name) for name in Worker.CHANGELOG_FIELDS} | {
                "birth_date": info.birth_date.isoformat(), "is_active": True, "merged_into": None}
            note = self.note(plan)
            log.append(self._log(Worker, pk, f"{values['name']}（{worker['id_number_masked']}）", after, None, note))
            start = plan.spell_values["start_date"]
            facts += [{"worker_id": pk, "kind": kind, "value": worker[kind], "valid_from": start}
                      for kind in FACT_KINDS]
            spell = {"worker_id": pk, "employer_id": plan.employer.pk, "start_date": start,
                     "occupation_id": plan.spell_values.get("occupation_id"),
                     "end_date": plan.spell_values.get("end_date"),
                     "is_contract_signed": bool(plan.spell_values.get("is_contract_signed")),
                     "contract_type": plan.spell_values.get("contract_type") or "",
                     "contract_start": plan.spell_values.get("contract_start"),
                     "contract_end": plan.spell_values.get("contract_end"),
                     "is_dispatched": bool(plan.spell_values.get("is_dispatched"))}
            spells.append(spell)
            worker |= self._summary(worker["hukou_type"], spell, plan)
            if plan.membership_from:
                memberships.append({"worker_id": pk, "employer_id": plan.employer.pk,
                                    "valid_from": plan.membership_from})
            if plan.certificate:
                certificates.append({"worker_id": pk, **plan.certificate})
            self.employer_ids.add(plan.employer.pk)
        self.writers[Worker].write(workers)
        self.writers[WorkerFact].write(facts)
        for model, rows in ((EmploymentSpell, spells), (UnionMembership, memberships), (Certificate, certificates)):
            row_ids = reserve_ids(model, len(rows))
            for row, pk in zip(rows, row_ids, strict=True):
                row["id"] = pk
            self.writers[model].write(rows)
            log += [self._log(model, row["id"], self._describe(model, row), self._after(model, row),
                              row["worker_id"], "") for row in rows]
        self.writers[ChangeLogEntry].write(log)
        self.new_worker_ids += ids
        self.counts["created"] += len(workers)

    def _summary(self, hukou_type: str, spell: dict, plan: RowPlan) -> dict:
        """The summary columns of a new worker, as ``refresh_current_facts`` would compute them today."""
        day, place = self.today, self.employer_places[spell["employer_id"]]
        is_open = spell["start_date"] <= day and (spell["end_date"] is None or spell["end_date"] >= day)
        open_spells = [{**spell, "employer__district_id": place["district_id"],
                        "employer__industry__section": place["industry__section"] or ""}] if is_open else []
        certificate = plan.certificate
        level = certificate["level_id"] if certificate and certificate["issued_on"] <= day else None
        fallback = None if is_open else place["district_id"]  # the district of their last employer
        return summarise(hukou_type, open_spells, level, bool(plan.membership_from and plan.membership_from <= day),
                         fallback)

    def _describe(self, model, row: dict) -> str:
        if model is EmploymentSpell:
            return f"{self.employer_names[row['employer_id']]} {row['start_date']}–{row['end_date'] or ''}"
        if model is UnionMembership:
            return f"{row['valid_from']}–"
        return f"{CertificateKind(row['kind']).label} {row['number']}"

    def _after(self, model, row: dict) -> dict:
        """What ``snapshot`` would record for a new spell, membership or certificate."""
        values = {}
        for name, default in self._changelog_fields(model):
            if name == "employer":
                values[name] = self.employer_names.get(row.get("employer_id"))
            elif name == "occupation":
                occupation = self.occupations.get(row.get("occupation_id"))
                values[name] = str(occupation) if occupation else None
            elif name == "level":
                level = self.levels.get(row.get("level_id"))
                values[name] = str(level) if level else None
            else:
                value = row.get(name, default)
                values[name] = value.isoformat() if isinstance(value, datetime.date) else value
        return values

    @staticmethod
    @cache
    def _changelog_fields(model) -> tuple[tuple[str, object], ...]:
        return tuple((name, model._meta.get_field(name).get_default()) for name in model.CHANGELOG_FIELDS)

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
